#!/usr/bin/env bash
# Renders a printable HTML report (e.g. a facilities inspection report) to PDF, and optionally
# its first page to PNG, with Chinese text. Debian/Ubuntu packages: weasyprint (HTML → PDF),
# fonts-noto-cjk (the Chinese font the report's CSS names), poppler-utils (pdftoppm: PDF → PNG).
# Usage: scripts/render-report.sh REPORT.html --pdf OUT.pdf [--png OUT.png]
# Exit 69 (EX_UNAVAILABLE) with the apt-get line to run when a tool or the font is missing.
set -euo pipefail
usage() { echo "usage: $0 REPORT.html --pdf OUT.pdf [--png OUT.png]" >&2; exit 64; }
[ $# -ge 3 ] || usage
html="$1"; shift
pdf=""; png=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pdf) [ $# -ge 2 ] || usage; pdf="$2"; shift 2 ;;
    --png) [ $# -ge 2 ] || usage; png="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$pdf" ] || usage
[ -r "$html" ] || { echo "$html: cannot read the report" >&2; exit 66; }
missing=()
command -v weasyprint >/dev/null || missing+=(weasyprint)
[ -z "$png" ] || command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# Without a CJK font the PDF shows empty boxes for every Chinese character: refuse instead.
if ! command -v fc-list >/dev/null || ! fc-list :lang=zh family | grep -q .; then missing+=(fonts-noto-cjk); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "cannot render the report: missing ${missing[*]}. Install with: apt-get install -y ${missing[*]}" >&2
  exit 69
fi
# weasyprint reads the page offline: the report has no external resources.
weasyprint --quiet --media-type print "$html" "$pdf"
if [ -n "$png" ]; then
  # pdftoppm writes OUT-1.png style names; render page 1 at 110 dpi to exactly OUT.png.
  pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$pdf" "${png%.png}"
fi
echo "wrote $pdf${png:+ and $png}" >&2
