#!/usr/bin/env bash
# Saves the printable report of one inspection (docs/FACILITIES.md): HTML to standard output, or
# a PDF (and a PNG of its first page) rendered with scripts/render-report.sh.
# Usage: scripts/facilities-report.sh INSPECTION_ID > report.html
#        scripts/facilities-report.sh INSPECTION_ID --pdf report.pdf [--png report.png]
# Runs `xinyu call` as you (local socket, or XINYU_SOCKET / --token-file via XINYU_ARGS); needs jq;
# PDF needs weasyprint and fonts-noto-cjk, PNG also poppler-utils (the script names what is missing).
# XINYU=path/to/xinyu uses that CLI instead of `swift run xinyu`.
set -euo pipefail
usage() { echo "usage: $0 INSPECTION_ID [--pdf OUT.pdf [--png OUT.png]]   (HTML to stdout without --pdf)" >&2; exit 64; }
[ $# -ge 1 ] || usage
id="$1"; shift
render=("$@")
[ ${#render[@]} -eq 0 ] || [ "${render[0]}" = "--pdf" ] || usage
command -v jq >/dev/null || { echo "jq not found: apt-get install -y jq" >&2; exit 69; }
root="$(cd "$(dirname "$0")/.." && pwd)"   # no cd: OUT paths stay relative to where you are
xinyu() {
  if [ -n "${XINYU:-}" ]; then "$XINYU" "$@"; else swift run --package-path "$root" --quiet xinyu "$@"; fi
}
# shellcheck disable=SC2086
fetch() { xinyu ${XINYU_ARGS:-} call xinyu.facilities.v1.Facilities/GetInspectionReport --json "$(jq -cn --arg id "$id" '{inspection_id: $id}')" | jq -r '.html'; }
if [ ${#render[@]} -eq 0 ]; then
  fetch
else
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  fetch > "$tmp/report.html"
  "$root/scripts/render-report.sh" "$tmp/report.html" "${render[@]}"
fi
