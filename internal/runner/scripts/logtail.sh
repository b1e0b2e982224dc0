# Prints the end of the runner's logs. Arguments: dir lines.
logtail() {
  local dir=${1/#\~/$HOME} lines=$2 diag f
  diag=$(find "$dir/_diag" -maxdepth 1 -name 'Runner_*.log' 2>/dev/null | sort | tail -n 1 || true)
  for f in "$dir/runpod-runner.log" $diag; do
    if [ -f "$f" ]; then
      echo "==> $f <=="
      tail -n "$lines" "$f"
    fi
  done
}
