# Does the whole of a start's work on the pod in one session: checks the pod, starts the
# max-runtime watchdog, runs pre-runner-script, installs the runner and its libraries, and
# starts it. Arguments are key=value (need_gpus, need_disk_mb, dir, wait, and when set:
# deadline, how, api for the watchdog; pkg_<arch>=version,url,sha256 for each architecture;
# token=1 and pre=1 when stdin carries them). Stdin: the just-in-time config, then the download
# token, then pre-runner-script. Prints phase=NAME as each part begins, and each part's
# key=value facts.
set -euo pipefail
declare -A arg=()
for a in "$@"; do arg[${a%%=*}]=${a#*=}; done
IFS= read -r jit
token=""
if [ "${arg[token]:-}" = 1 ]; then IFS= read -r token; fi

echo "phase=preflight"
facts=$(preflight)
echo "$facts"
gpus=$(sed -n 's/^gpus=//p' <<<"$facts")
disk=$(sed -n 's/^disk_free_mb=//p' <<<"$facts")
arch=$(uname -m)
if { [ "$gpus" -ge 0 ] && [ "$gpus" -lt "${arg[need_gpus]}" ]; } || { [ "${disk:-0}" -gt 0 ] && [ "$disk" -lt "${arg[need_disk_mb]}" ]; }; then
  exit 6
fi
case $arch in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; esac
pkg=${arg[pkg_$arch]:-}
if [ -z "$pkg" ]; then
  echo "no runner package for linux/$arch" >&2
  exit 7
fi

if [ -n "${arg[deadline]:-}" ]; then
  echo "phase=watchdog"
  watchdog "${arg[deadline]}" "${arg[how]}" "${arg[api]}"
fi

if [ "${arg[pre]:-}" = 1 ]; then
  echo "phase=pre-runner"
  # From a file, with stdin from /dev/null: a command in it that reads stdin (ssh, docker run
  # -i, a prompt) must not swallow the rest of the script.
  pre=$(mktemp)
  cat >"$pre"
  status=0
  bash -e "$pre" </dev/null >&2 || status=$?
  rm -f "$pre"
  if [ "$status" != 0 ]; then
    echo "pre_runner_status=$status"
    exit 9
  fi
fi

echo "phase=install"
IFS=, read -r version url sha <<<"$pkg"
install_runner "$version" "$url" "$sha" "${arg[dir]}" "$token"
token=""
runner_deps "${arg[dir]}"

echo "phase=launch"
launch "${arg[dir]}" "${arg[wait]}"
