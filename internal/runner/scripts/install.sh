#!/usr/bin/env bash
# Installs the runner package into a directory unless that version is there already.
# Arguments: version url sha256 dir. Prints cached=1 when nothing had to be downloaded.
set -euo pipefail
version=$1 url=$2 sha=$3 dir=$4
dir=${dir/#\~/$HOME}
stamp="$dir/.runpod-runner-package"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version $sha" ] && [ -x "$dir/run.sh" ]; then
  echo "cached=1"
  exit 0
fi
mkdir -p "$dir"
tmp=$(mktemp "$dir/.download.XXXXXX")
trap 'rm -f "$tmp"' EXIT
curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 900 -o "$tmp" "$url"
got=$(sha256sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$sha" ]; then
  echo "checksum mismatch for $url: got $got, want $sha" >&2
  exit 3
fi
tar -xzf "$tmp" -C "$dir"
echo "$version $sha" >"$stamp"
echo "cached=0"
