#!/usr/bin/env bash
# Ends this pod at a deadline whatever happens to the workflow, as RunPod's terminateAfter
# does for pods created over GraphQL. It runs detached on the pod and uses the pod's own
# runpodctl with RunPod's pod-scoped key: no account key is on the pod.
# Arguments: deadline (seconds since the epoch), and terminate or stop.
set -u
deadline=$1 how=$2
from_init() { tr '\0' '\n' </proc/1/environ 2>/dev/null | sed -n "s/^$1=//p"; }
pod=${RUNPOD_POD_ID:-$(from_init RUNPOD_POD_ID)}
if [ -z "$pod" ]; then
  echo "no RUNPOD_POD_ID: not a RunPod pod, no watchdog" >&2
  exit 3
fi
pidfile="$HOME/.runpod-runner-watchdog.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  kill "$(cat "$pidfile")" 2>/dev/null
fi

watch() {
  local deadline=$1 pod=$2 how=$3
  while [ "$(date +%s)" -lt "$deadline" ]; do
    sleep $(((deadline - $(date +%s)) > 30 ? 30 : 1))
  done
  [ -n "${RUNPOD_API_KEY:-}" ] || RUNPOD_API_KEY=$(tr '\0' '\n' </proc/1/environ 2>/dev/null | sed -n 's/^RUNPOD_API_KEY=//p')
  export RUNPOD_API_KEY
  while true; do
    echo "$(date -u +%FT%TZ) max-runtime reached: ending pod $pod ($how)"
    if command -v runpodctl >/dev/null 2>&1; then
      if [ "$how" = terminate ]; then runpodctl remove pod "$pod" || runpodctl stop pod "$pod"; else runpodctl stop pod "$pod"; fi
    elif tr '\0' '\n' </proc/1/environ 2>/dev/null | grep -q "^RUNPOD_POD_ID=$pod$"; then
      kill -TERM 1 # the container's own init: the pod stops
    fi
    sleep 60
  done
}

setsid nohup bash -c "$(declare -f watch); watch $deadline $pod $how" </dev/null >>"$HOME/.runpod-runner-watchdog.log" 2>&1 &
echo $! >"$pidfile"
echo "watchdog pid=$! deadline=$deadline"
