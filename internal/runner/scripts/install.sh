# Installs the runner package into a directory, keeping the package (and its checksum in a
# stamp) beside it; a kept package that still has its checksum spares the download.
# Arguments: version url sha256 dir [bearer token]. Prints cached=1 when nothing had to be
# downloaded.
install_runner() {
  local version=$1 url=$2 sha=$3 dir=${4/#\~/$HOME} token=${5:-}
  local stamp="$dir/.runpod-runner-package" pkg="$dir/.runpod-runner-package.tar.gz" got
  mkdir -p "$dir"
  # A package kept by an earlier start (on a volume a job could write to) is used only while
  # it still has its checksum, and the runner is extracted from it afresh: nothing a job
  # changed in the runner's files survives.
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version $sha" ] && [ -f "$pkg" ] &&
    [ "$(sha256sum "$pkg" | cut -d' ' -f1)" = "$sha" ]; then
    rm -rf "${dir:?}/bin" "${dir:?}/externals"
    tar -xzf "$pkg" -C "$dir"
    echo "cached=1"
    return 0
  fi
  rm -f "$stamp" "$pkg"
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
  mv "$tmp" "$pkg"
  rm -rf "${dir:?}/bin" "${dir:?}/externals"
  tar -xzf "$pkg" -C "$dir"
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
