#!/usr/bin/env bash
# Builds everything (the end-to-end tests start the real xinyu-host and plugin executables)
# and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
