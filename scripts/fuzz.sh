#!/usr/bin/env bash
# Fuzzing (issue 17): builds the libFuzzer harnesses of Fuzz/ (a package of its own, so the
# normal build never sees them) and runs each one for a bounded time, starting from the
# committed seed corpus in Fuzz/Corpus/<harness>/. A crash (trap, failed invariant, address
# error) stops that harness, keeps the input under fuzz-results/crashes/ and fails the script.
# See docs/FUZZING.md.
#
# Usage: scripts/fuzz.sh [--seconds N] [--merge] [harness ...]
#   --seconds N   run each harness N seconds (default 20)
#   --merge       add the new inputs that reach new code to the committed corpus (minimised)
#   harness       frames, connection, csv, imports, settings (default: all)
# Inside a shared build setup, SWIFTPM_BUILD_FLAGS (e.g. --ignore-lock) is passed to swift build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null

seconds=20
merge=0
harnesses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --merge) merge=1; shift ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=(frames connection csv imports settings)

# Every Swift module is built with libFuzzer's coverage and AddressSanitizer and with
# testability, so the harnesses reach internal parsers through @testable import. Of the C and
# C++ code only toml++ is instrumented, through the compiler wrapper Fuzz/cc.sh (SwiftPM
# compiles every C and C++ file with $CC); BoringSSL, which no harness feeds, is compiled
# plainly. Debug: a release build of every dependency with the sanitizers costs far more than
# the fuzzing it serves on a small machine, and debug keeps Swift's bounds checks on unsafe
# buffers.
flags=(-c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
# The toolchain's own clang (its libFuzzer and AddressSanitizer match swiftc's), else the PATH's.
XINYU_FUZZ_CLANG="$swift_bin/clang"
[ -x "$XINYU_FUZZ_CLANG" ] || XINYU_FUZZ_CLANG="$(command -v clang)"
export XINYU_FUZZ_CLANG
export CC="$PWD/Fuzz/cc.sh"
echo "building the fuzz harnesses (debug, -sanitize=fuzzer,address) ..." >&2
build_start=$SECONDS
for h in "${harnesses[@]}"; do swift build ${SWIFTPM_BUILD_FLAGS:-} --package-path Fuzz "${flags[@]}" --product "fuzz-$h" >&2; done
echo "built in $((SECONDS - build_start)) s" >&2
bin="$(swift build ${SWIFTPM_BUILD_FLAGS:-} --package-path Fuzz "${flags[@]}" --show-bin-path)"

out="fuzz-results"
mkdir -p "$out/crashes"
# Swift's own crash reporter would catch the trap before libFuzzer could save the input.
export SWIFT_BACKTRACE=enable=no
# Leak checks are off: the Swift runtime's metadata caches look like leaks to LeakSanitizer.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
status=0
summary=()
for h in "${harnesses[@]}"; do
  seeds="Fuzz/Corpus/$h"
  work="$out/corpus/$h"
  mkdir -p "$work"
  log="$out/$h.log"
  echo "fuzzing $h for ${seconds}s (seeds: $(ls "$seeds" | wc -l)) ..." >&2
  set +e
  # -timeout is wall-clock time: a unit that takes 0.3 s alone (a 500-byte stream read a byte at
  # a time by fuzz-connection) took over 10 s while a niced run shared two cores with builds, so
  # only a unit stuck for a minute counts as a hang.
  "$bin/fuzz-$h" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 \
    -artifact_prefix="$out/crashes/$h-" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -oE '(INITED|DONE|pulse|NEW|REDUCE) +cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
  crashes=$(ls "$out/crashes" | grep -c "^$h-" || true)
  summary+=("$(printf '%-11s %9s runs %7s/s  cov %6s  corpus %5s  crashes %s' "$h" "$runs" "$speed" "$cov" "$(ls "$work" | wc -l)" "$crashes")")
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "fuzz-$h FAILED (exit $rc); the input is in $out/crashes/, the log in $log:" >&2
    grep -E 'Fatal error|ERROR: AddressSanitizer|SUMMARY|deadly signal|Test unit written' "$log" | head -8 >&2 || true
  fi
  if [ "$merge" -eq 1 ]; then
    "$bin/fuzz-$h" -merge=1 -timeout=60 "$seeds" "$work" >>"$log" 2>&1 || true
  fi
done
echo
echo "fuzz summary (${seconds}s per harness; logs and crashes in $out/):"
printf '%s\n' "${summary[@]}"
exit "$status"
