#!/usr/bin/env bash
# Prints the printable HTML report of one inspection (docs/FACILITIES.md) to standard output.
# Usage: scripts/facilities-report.sh INSPECTION_ID > report.html
# Runs `xinyu call` as you (local socket, or XINYU_SOCKET / --token-file via XINYU_ARGS); needs jq.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 INSPECTION_ID > report.html" >&2; exit 64; }
command -v jq >/dev/null || { echo "jq not found: apt-get install -y jq" >&2; exit 69; }
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
swift run --quiet xinyu ${XINYU_ARGS:-} call xinyu.facilities.v1.Facilities/GetInspectionReport \
    --json "$(jq -cn --arg id "$1" '{inspection_id: $id}')" | jq -r '.html'
