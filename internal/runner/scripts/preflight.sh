# Reports what the pod offers, one key=value per line.
preflight() {
  echo "arch=$(uname -m)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')"
  else
    echo "gpus=-1"
  fi
  echo "disk_free_mb=$(df -Pm "$HOME" | awk 'NR==2 {print $4}')"
  local tool
  for tool in bash curl tar sha256sum setsid; do
    if command -v "$tool" >/dev/null 2>&1; then echo "has_$tool=1"; else echo "has_$tool=0"; fi
  done
  echo "uid=$(id -u)"
  echo "libs_missing=$(missing_libs)"
}

# Prints, comma separated, the libraries the runner's .NET runtime needs that the pod lacks:
# what the runner's config.sh checks and bin/installdependencies.sh installs (libicu, libssl,
# libkrb5, zlib). The just-in-time path never runs config.sh, so nothing else checks.
missing_libs() {
  local ldconfig=ldconfig found lib out=""
  command -v ldconfig >/dev/null 2>&1 || ldconfig=/sbin/ldconfig
  found=$("$ldconfig" -p 2>/dev/null || true)
  [ -n "$found" ] || return 0 # no cache to read: nothing can be said
  for lib in libicu libssl libgssapi_krb5 libz.so; do
    grep -q "$lib" <<<"$found" || out="$out${out:+,}${lib%.so}"
  done
  echo "$out"
}
