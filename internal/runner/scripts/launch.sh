#!/usr/bin/env bash
# Starts run.sh detached with the just-in-time config read from stdin, then waits up to a
# number of seconds for the runner to listen for jobs. Arguments: dir wait-seconds.
set -euo pipefail
dir=$1 wait=$2
dir=${dir/#\~/$HOME}
IFS= read -r jit
cd "$dir"
dir=$(pwd -P)
# A pid file left by an earlier runner (a resumed pod keeps it on its volume) names a live
# runner only if that process still works in this directory: pids are reused after a restart.
old=$(cat .runpod-runner.pid 2>/dev/null || true)
if [ -n "$old" ] && [ "$(readlink "/proc/$old/cwd" 2>/dev/null)" = "$dir" ]; then
  echo "a runner is already running in $dir (pid $old)" >&2
  exit 4
fi
# A runner used before leaves its registration behind; the new config starts clean.
rm -f .runner .credentials .credentials_rsaparams
log="$dir/runpod-runner.log"
: >"$log"
ACTIONS_RUNNER_INPUT_JITCONFIG="$jit" RUNNER_ALLOW_RUNASROOT=1 setsid nohup ./run.sh </dev/null >>"$log" 2>&1 &
pid=$!
jit=""
echo "$pid" >.runpod-runner.pid
for _ in $(seq 1 $((wait * 10))); do
  if grep -q "Listening for Jobs" "$log"; then
    echo "listening pid=$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the runner exited before listening for jobs" >&2
    exit 5
  fi
  sleep 0.1
done
echo "started pid=$pid"
