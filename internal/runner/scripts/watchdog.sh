# Ends this pod at a deadline whatever happens to the workflow, where RunPod does not: REST v2
# has no terminateAfter, and whether GraphQL's is enforced is not documented. It runs detached
# on the pod with RunPod's pod-scoped key, so no account key is on the pod, and replaces one an
# earlier start left. Arguments: deadline (seconds since the epoch), terminate or stop, and the
# root of RunPod's REST API.
watchdog() {
  local deadline=$1 how=$2 api=$3 pod pidfile
  pod=${RUNPOD_POD_ID:-$(from_init RUNPOD_POD_ID)}
  if [ -z "$pod" ]; then
    echo "no RUNPOD_POD_ID: not a RunPod pod, no watchdog" >&2
    return 3
  fi
  pidfile="$HOME/.runpod-runner-watchdog.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
  setsid nohup bash -c "$(declare -f from_init watch end_pod); watch $deadline $pod $how $api" </dev/null >>"$HOME/.runpod-runner-watchdog.log" 2>&1 &
  echo $! >"$pidfile"
  echo "watchdog pid=$! deadline=$deadline"
}

# Prints the value of a variable in the container's first process's environment, or, where a
# session may not read it (a user other than root), in the copy RunPod's start.sh writes to
# /etc/rp_environment (lines of the form export NAME="value",
# https://github.com/runpod/containers/blob/main/container-template/start.sh). Prints nothing,
# and succeeds, when neither has it.
from_init() {
  local v
  v=$({ tr '\0' '\n' </proc/1/environ; } 2>/dev/null | sed -n "s/^$1=//p" || true)
  [ -n "$v" ] || v=$(sed -n "s/^export $1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" /etc/rp_environment 2>/dev/null || true)
  printf '%s' "$v"
}

# Waits for the deadline, then ends the pod, trying again with backoff until it is gone.
watch() {
  local deadline=$1 pod=$2 how=$3 api=$4 wait=10
  while [ "$(date +%s)" -lt "$deadline" ]; do
    sleep $(((deadline - $(date +%s)) > 30 ? 30 : 1))
  done
  [ -n "${RUNPOD_API_KEY:-}" ] || RUNPOD_API_KEY=$(from_init RUNPOD_API_KEY)
  export RUNPOD_API_KEY
  while true; do
    echo "$(date -u +%FT%TZ) max-runtime reached: ending pod $pod ($how)"
    if end_pod "$pod" "$how" "$api"; then
      echo "$(date -u +%FT%TZ) asked RunPod to $how pod $pod"
    else
      echo "$(date -u +%FT%TZ) every way to $how pod $pod failed; trying again in ${wait}s"
    fi
    sleep "$wait"
    wait=$((wait * 2 > 300 ? 300 : wait * 2))
  done
}

# Asks RunPod to end the pod: runpodctl's pod verbs, then its deprecated GraphQL-backed ones
# (https://github.com/runpod/runpodctl/blob/main/cmd/legacy/legacy.go), then REST v2 itself
# with the pod-scoped key. Each failure is logged. Arguments: pod, terminate or stop, API root.
end_pod() {
  local pod=$1 how=$2 api=$3 verb=stop legacy=(stop pod)
  if [ "$how" = terminate ]; then verb=delete legacy=(remove pod); fi
  if command -v runpodctl >/dev/null 2>&1; then
    runpodctl pod "$verb" "$pod" && return 0
    echo "runpodctl pod $verb failed (status $?)"
    runpodctl "${legacy[@]}" "$pod" && return 0
    echo "runpodctl ${legacy[*]} failed (status $?)"
  else
    echo "no runpodctl on the pod"
  fi
  if [ "$how" = terminate ]; then
    curl -fsS --max-time 30 -X DELETE -H @- "$api/v2/pods/$pod" <<<"Authorization: Bearer $RUNPOD_API_KEY" && return 0
  else
    curl -fsS --max-time 30 -X POST -H @- -H 'Content-Type: application/json' -d '{"action":"stop"}' \
      "$api/v2/pods/$pod/action" <<<"Authorization: Bearer $RUNPOD_API_KEY" >/dev/null && return 0
  fi
  echo "REST v2 $how of pod $pod failed (status $?)"
  return 1
}
