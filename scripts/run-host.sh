#!/usr/bin/env bash
# Builds everything and starts the Xinyu host in the foreground with Config/xinyu.toml.
# Data goes to var/ in the repository (SQLite file, sockets). Stop it with Ctrl-C.
# With --demo: the demo city instead (scripts/demo/run-demo.sh: var/demo/, seeded, "try this").
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--demo" ]; then shift; exec scripts/demo/run-demo.sh "$@"; fi
scripts/install-deps.sh
# A release build links the Swift runtime statically, as docs/OPERATIONS.md installs it.
flags=(); [[ "${XINYU_BUILD:-debug}" == release ]] && flags=(--static-swift-stdlib)
swift build -c "${XINYU_BUILD:-debug}" "${flags[@]+"${flags[@]}"}" >&2
exec "$(swift build -c "${XINYU_BUILD:-debug}" --show-bin-path)/xinyu-host" --config Config/xinyu.toml "$@"
