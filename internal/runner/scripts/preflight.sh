#!/usr/bin/env bash
# Reports what the pod offers, one key=value per line.
set -u
echo "arch=$(uname -m)"
if command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')"
else
  echo "gpus=-1"
fi
echo "disk_free_mb=$(df -Pm "$HOME" | awk 'NR==2 {print $4}')"
for tool in bash curl tar sha256sum setsid; do
  if command -v "$tool" >/dev/null 2>&1; then echo "has_$tool=1"; else echo "has_$tool=0"; fi
done
echo "uid=$(id -u)"
