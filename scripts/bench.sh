#!/usr/bin/env bash
# Issue 5 benchmark: starts a real xinyu-host with the real crisis plugin on a fresh database,
# seeds a city (150 schools, 200,000 students by default), runs W1–W5 against the host and,
# in the same run, against the floor (NIO echo), the gRPC peer (grpc-swift-2) and direct
# in-process calls, and prints the table. See docs/PERFORMANCE.md.
#
# Usage: scripts/bench.sh [--smoke] [--duration S] [--students N] [other xinyu-bench options]
#   --smoke   a few seconds on small data; exits non-zero unless every workload ran.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null

# Everything is built once, in release, in the Benchmarks package's build folder: the bench
# executables and the main package's host and plugin (same sources, built as its products),
# so that the shared dependencies (NIO, GRDB, protobuf) are compiled once, not twice.
# --smoke builds in debug: it only checks that the harness works (CI), and a debug build of
# gRPC takes minutes less. Figures from a debug build are not measurements.
config=release
[[ " $* " == *" --smoke "* ]] && config=debug
# Release builds link the Swift runtime and Foundation statically (--static-swift-stdlib), as
# docs/OPERATIONS.md installs them: self-contained binaries, and the measured figures are those
# of what is deployed (docs/PERFORMANCE.md, "Idle RSS").
static=(); [[ "$config" == release ]] && static=(--static-swift-stdlib)
build() { swift build ${SWIFTPM_BUILD_FLAGS:-} -c "$config" "${static[@]+"${static[@]}"}" --package-path Benchmarks "$@"; }
echo "building ($config) ..." >&2
build --product xinyu-host
build --product xinyu-plugin-crisis
build --product xinyu-plugin-training
build --product xinyu-plugin-homeschool
build --product xinyu-bench
build --product bench-floor
build --product bench-grpc-peer
bin="$(swift build -c "$config" --package-path Benchmarks --show-bin-path)"

out="bench-results"
[[ " $* " == *" --smoke "* ]] && out="bench-results/smoke"
exec "$bin/xinyu-bench" --host-bin "$bin" --out "$out" --settings-dir "$PWD/Config/plugins" --roles-file "$PWD/Config/roles.toml" "$@"
