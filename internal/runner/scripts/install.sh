# Installs the runner package into a directory unless that version is there already.
# Arguments: version url sha256 dir [bearer token]. Prints cached=1 when nothing had to be
# downloaded.
install_runner() {
  local version=$1 url=$2 sha=$3 dir=${4/#\~/$HOME} token=${5:-}
  local stamp="$dir/.runpod-runner-package" got
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version $sha" ] && [ -x "$dir/run.sh" ]; then
    echo "cached=1"
    return 0
  fi
  mkdir -p "$dir"
  tmp=$(mktemp "$dir/.download.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  # GitHub Enterprise Server hands out a download token with the URL when the package is
  # behind it; it goes in a header read from stdin, never on the command line.
  if [ -n "$token" ]; then
    curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 900 -H @- -o "$tmp" "$url" <<<"Authorization: Bearer $token"
  else
    curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 900 -o "$tmp" "$url"
  fi
  got=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    echo "checksum mismatch for $url: got $got, want $sha" >&2
    return 3
  fi
  tar -xzf "$tmp" -C "$dir"
  echo "$version $sha" >"$stamp"
  echo "cached=0"
}

# Makes sure the runner's libraries are there: when some are missing and the pod has apt-get
# and root, runs the runner's own bin/installdependencies.sh; prints libs_missing= with what is
# still missing and fails with status 8 if anything is. Arguments: dir.
runner_deps() {
  local dir=${1/#\~/$HOME} missing
  missing=$(missing_libs)
  if [ -n "$missing" ] && [ -x "$dir/bin/installdependencies.sh" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing the runner's dependencies ($missing) with bin/installdependencies.sh" >&2
    (cd "$dir" && ./bin/installdependencies.sh) >&2 || true
    missing=$(missing_libs)
  fi
  echo "libs_missing=$missing"
  if [ -n "$missing" ]; then
    echo "the pod lacks $missing, which the runner needs" >&2
    return 8
  fi
}
