#!/usr/bin/env bash
# Builds everything and starts the Xinyu host in the foreground with Config/xinyu.toml.
# Data goes to var/ in the repository (SQLite file, sockets). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c "${XINYU_BUILD:-debug}" >&2
exec "$(swift build -c "${XINYU_BUILD:-debug}" --show-bin-path)/xinyu-host" --config Config/xinyu.toml "$@"
