#!/usr/bin/env bash
# Prints the end of the runner's logs. Arguments: dir lines.
set -u
dir=$1 lines=$2
dir=${dir/#\~/$HOME}
diag=$(find "$dir/_diag" -maxdepth 1 -name 'Runner_*.log' 2>/dev/null | sort | tail -n 1)
for f in "$dir/runpod-runner.log" $diag; do
  if [ -f "$f" ]; then
    echo "==> $f <=="
    tail -n "$lines" "$f"
  fi
done
