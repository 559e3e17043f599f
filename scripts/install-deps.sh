#!/usr/bin/env bash
# Installs the system packages Xinyu builds and tests with, if any is missing (Debian/Ubuntu).
set -euo pipefail
packages=(libsqlite3-dev libssl-dev libprotobuf-c-dev protobuf-compiler openssl protobuf-c-compiler make gcc)
# The facilities inspection report as PDF and PNG (scripts/render-report.sh, docs/FACILITIES.md).
packages+=(weasyprint fonts-noto-cjk poppler-utils)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
