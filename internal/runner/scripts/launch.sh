# Starts run.sh detached with the just-in-time config in $jit, in the environment of the
# container's first process, then waits up to a number of seconds for the runner to listen
# for jobs. Arguments: dir wait-seconds.
launch() {
  local dir=${1/#\~/$HOME} wait=$2 old log pid
  cd "$dir"
  dir=$(pwd -P)
  # A pid file left by an earlier runner (a resumed pod keeps it on its volume) names a live
  # runner only if that process still works in this directory: pids are reused after a restart.
  old=$(cat .runpod-runner.pid 2>/dev/null || true)
  if [ -n "$old" ] && [ "$(readlink "/proc/$old/cwd" 2>/dev/null)" = "$dir" ]; then
    echo "a runner is already running in $dir (pid $old)" >&2
    return 4
  fi
  # A runner used before leaves its registration behind; the new config starts clean.
  rm -f .runner .credentials .credentials_rsaparams
  log="$dir/runpod-runner.log"
  : >"$log"
  (
    container_env
    ACTIONS_RUNNER_INPUT_JITCONFIG="$jit" RUNNER_ALLOW_RUNASROOT=1 exec setsid nohup ./run.sh </dev/null >>"$log" 2>&1
  ) &
  pid=$!
  jit=""
  echo "$pid" >.runpod-runner.pid
  # Bounded by the clock, not by a count of turns: on a loaded pod each turn (grep, kill,
  # sleep) takes far longer than its 0.1 s sleep, and the start's deadline must not pass here.
  local end=$((SECONDS + wait))
  while [ "$SECONDS" -lt "$end" ]; do
    if grep -q "Listening for Jobs" "$log"; then
      echo "listening pid=$pid"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the runner exited before listening for jobs" >&2
      return 5
    fi
    sleep 0.1
  done
  echo "started pid=$pid"
}

# Exports the environment of the container's first process: the image's ENV (PATH additions,
# LD_LIBRARY_PATH, HF_HOME), RunPod's RUNPOD_* and the pod's env. sshd gives each session a
# clean environment, so without this the runner's jobs would have none of it. The pod's own
# PATH comes first; PUBLIC_KEY and the action's markers are left out.
container_env() {
  local kv k
  while IFS= read -r -d '' kv; do
    k=${kv%%=*}
    case $k in
      PUBLIC_KEY | HOME | PWD | OLDPWD | SHLVL | _ | RUNPOD_RUNNER_* | ACTIONS_RUNNER_INPUT_*) continue ;;
    esac
    [[ $k =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    if [ "$k" = PATH ]; then
      export PATH="${kv#*=}:$PATH"
    else
      export "${kv?}"
    fi
  done < <(cat /proc/1/environ 2>/dev/null || true)
}
