#!/usr/bin/env bash
# Builds everything (the end-to-end tests start the real xinyu-host and plugin executables)
# and runs the whole test suite.
#
# The whole suite runs in three passes, so that no test is starved of CPU by the others on a
# small (2-core) CI machine:
#   1. the unit tests, in parallel (in memory, fast);
#   2. the end-to-end tests, one at a time: each starts a real host with up to five plugin
#      processes, and dozens of those at once left plugins without CPU for seconds, which
#      timing-sensitive tests (deadlines, liveness pings, restarts) then misread;
#   3. the scale tests (tens of thousands of rows each), whose CPU-bound work holds the
#      concurrency pool's threads for tens of seconds.
# With arguments (e.g. --filter X) it runs one pass with them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
if [ "$#" -gt 0 ]; then
    exec swift test --skip-build "$@"
fi
scale='ImportScaleTests|BatchScaleTests|StatisticsScaleTests'
echo "unit tests ..."
swift test --skip-build --skip "XinyuEndToEndTests|$scale"
echo "end-to-end tests, one at a time ..."
swift test --skip-build --no-parallel --filter XinyuEndToEndTests
echo "scale tests ..."
swift test --skip-build --filter "$scale"
