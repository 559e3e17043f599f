#!/usr/bin/env bash
# Runs the end-to-end suite N times in a row (default 20) to show that it neither crashes nor
# leaves processes behind (issue 11 §5). Not part of CI: it takes a while.
#
#   scripts/e2e-repeat.sh [N] [extra swift test arguments...]
#
# Builds once, then for each run: `swift test --skip-build --no-parallel --filter XinyuEndToEndTests` (as scripts/test.sh runs them), stopping
# at the first failing run. After every run it reports the run's exit status (a crash shows as a
# signal, e.g. "signal 11 (SEGV)") and any xinyu-host / xinyu-plugin-* process of this checkout
# still running a few seconds later, which also fails the run. Logs: .build/e2e-repeat/run-K.log.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
shift || true
case "$runs" in ''|*[!0-9]*) echo "usage: scripts/e2e-repeat.sh [N] [swift test args...]" >&2; exit 64 ;; esac
logs=.build/e2e-repeat
mkdir -p "$logs"

# Our xinyu-host / xinyu-plugin-* processes still running, one PID a line: found with pgrep, kept
# only when the executable is this checkout's own build (the same file: other checkouts on the
# machine run binaries of the same name), leaving out zombies (not running; init reaps them).
leftovers() {
    local pid state exe
    for pid in $(pgrep -f 'xinyu-(host|plugin-)' || true); do
        state="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
        if [ -z "$state" ] || [ "$state" = Z ]; then continue; fi
        for exe in .build/debug/xinyu-host .build/debug/xinyu-plugin-*; do
            if [ "/proc/$pid/exe" -ef "$exe" ]; then echo "$pid"; break; fi
        done
    done | sort
}

echo "building once…"
swift build --build-tests >"$logs/build.log" 2>&1 || { tail -30 "$logs/build.log"; echo "build failed"; exit 1; }

before="$(leftovers)"
if [ -n "$before" ]; then
    echo "note: already running before the first run, not counted:"
    ps -o pid,ppid,stat,args -p "$(echo "$before" | paste -sd,)"
fi
new_leftovers() { comm -13 <(printf '%s\n' "$before" | sed '/^$/d') <(leftovers); }

started=$(date +%s)
for run in $(seq 1 "$runs"); do
    log="$logs/run-$run.log"
    t0=$(date +%s)
    swift test --skip-build --no-parallel --filter XinyuEndToEndTests "$@" >"$log" 2>&1
    status=$?
    took=$(( $(date +%s) - t0 ))
    how="exit $status"
    if [ "$status" -gt 128 ]; then how="signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null || echo '?'))"; fi
    if grep -qE "Program crashed|Fatal error|Segmentation fault|\*\*\* Signal [0-9]+" "$log"; then how="$how, crash reported in the log"; fi
    # Hosts stop at the end of their standard input and plugins at the end of theirs: allow
    # them a few seconds (polled, with a deadline).
    stray=""
    for _ in $(seq 1 50); do
        stray="$(new_leftovers)"
        [ -z "$stray" ] && break
        sleep 0.2
    done
    summary="$(grep -E "Test run with [0-9]+ tests?" "$log" | tail -1 | sed 's/^[^A-Za-z]*//')"
    echo "run $run/$runs: $how in ${took}s; ${summary:-no summary line}; leftover processes: ${stray:-none}" | tr '\n' ' '
    echo
    if [ "$status" -ne 0 ] || [ -n "$stray" ] || [[ "$how" == *crash* ]]; then
        [ -n "$stray" ] && ps -o pid,ppid,stat,args -p "$(echo "$stray" | paste -sd,)"
        echo "stopped at run $run of $runs after $(( $(date +%s) - started ))s; log: $log"
        grep -nE "✘|crash|Signal" "$log" | head -20
        exit 1
    fi
done
echo "$runs of $runs runs passed with no crash and no leftover process, in $(( $(date +%s) - started ))s"
