#!/usr/bin/env bash
# Soak run (issue 17): starts a real xinyu-host with every enabled plugin on a fresh database,
# seeds a small city through ImportRoster, and runs mixed load on all plugins for N minutes
# (crisis screenings, cases and referrals; partnership referral steps; training enrolments;
# facilities duty slots and check-ins; homeschool visits), sampling calls/s per plugin and the
# RSS of the host and each plugin. Writes soak.csv, soak.md and soak.png (gnuplot) to the
# output folder and fails when any process's RSS grows more than the threshold after warm-up,
# a plugin answers nothing, or a plugin restarts. See docs/SOAK.md.
#
# Usage: scripts/soak.sh [--minutes M] [--warmup-minutes W] [--sample-seconds S] [--workers N]
#                        [--max-growth-percent P] [--out DIR] [--debug] [other xinyu-soak options]
#   --debug   build in debug (faster to build; figures are not release figures).
# Inside a shared build setup, SWIFTPM_BUILD_FLAGS (e.g. --ignore-lock) is passed to swift build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null
command -v gnuplot >/dev/null || {
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gnuplot-nox >/dev/null
}

config=release
args=()
out="soak-results"
for arg in "$@"; do
  case "$arg" in
    --debug) config=debug ;;
    *) args+=("$arg") ;;
  esac
done
prev=""
for arg in "${args[@]+"${args[@]}"}"; do [ "$prev" = "--out" ] && out="$arg"; prev="$arg"; done

# The enabled plugins of the shipped configuration.
plugins=$(python3 -c 'import re,sys; t=open("Config/xinyu.toml").read(); m=re.search(r"^enabled\s*=\s*\[(.*?)\]", t, re.M|re.S); print(",".join(re.findall(r"\"([a-z0-9_-]+)\"", m.group(1))))')

# Built in the Benchmarks package's build folder, like scripts/bench.sh: the host and plugins
# are the main package's products built from the same sources.
# Release builds link the Swift runtime and Foundation statically (--static-swift-stdlib), as
# docs/OPERATIONS.md installs them: self-contained binaries, and the measured figures are those
# of what is deployed (docs/PERFORMANCE.md, "Idle RSS").
static=(); [[ "$config" == release ]] && static=(--static-swift-stdlib)
build() { swift build ${SWIFTPM_BUILD_FLAGS:-} -c "$config" "${static[@]+"${static[@]}"}" --package-path Benchmarks "$@"; }
echo "building ($config) ..." >&2
build --product xinyu-host
for p in ${plugins//,/ }; do build --product "xinyu-plugin-$p"; done
build --product xinyu-soak
bin="$(swift build ${SWIFTPM_BUILD_FLAGS:-} -c "$config" --package-path Benchmarks --show-bin-path)"

status=0
"$bin/xinyu-soak" --host-bin "$bin" --settings-dir "$PWD/Config/plugins" --roles-file "$PWD/Config/roles.toml" \
  --plugins "$plugins" --out "$out" "${args[@]+"${args[@]}"}" || status=$?
[ -f "$out/soak.csv" ] || exit "$status"

# The plot: RSS of every process (top) and calls/s of every plugin (bottom) over time.
gnuplot <<GNUPLOT
set datafile separator ","
set terminal pngcairo size 1200,900 font ",10" noenhanced
set output "$out/soak.png"
set key autotitle columnhead outside right
set multiplot layout 2,1 title "Xinyu soak ($config build): $(date -u +%Y-%m-%dT%H:%MZ)"
set title "resident memory (MiB)"
set xlabel "seconds since the load started"
set ylabel "MiB"
set yrange [0:*]
cols = system("head -1 $out/soak.csv | tr ',' '\n' | grep -n '_rss_mib' | cut -d: -f1 | tr '\n' ' '")
plot for [c in cols] "$out/soak.csv" using 1:int(c) with linespoints pointsize 0.5 title columnhead(int(c))
set title "answered calls per second"
set ylabel "calls/s"
cols = system("head -1 $out/soak.csv | tr ',' '\n' | grep -n '_calls_s' | cut -d: -f1 | tr '\n' ' '")
plot for [c in cols] "$out/soak.csv" using 1:int(c) with linespoints pointsize 0.5 title columnhead(int(c))
unset multiplot
GNUPLOT
echo "wrote $out/soak.png" >&2
exit "$status"
