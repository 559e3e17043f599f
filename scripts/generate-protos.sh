#!/usr/bin/env bash
# Regenerates every *.pb.swift from Protos/. Run after editing a .proto; commit the output.
# Usage: scripts/generate-protos.sh [OUTPUT_ROOT]   (OUTPUT_ROOT defaults to the repo; CI uses a
# temporary folder and diffs it against the committed files to catch drift.)
set -euo pipefail
cd "$(dirname "$0")/.."
out_root="${1:-.}"
command -v protoc >/dev/null || { echo "protoc not found: apt-get install -y protobuf-compiler" >&2; exit 1; }
swift build --product protoc-gen-swift >/dev/null
plugin="$(swift build --show-bin-path)/protoc-gen-swift"

gen() { # gen OUTPUT_DIR PROTO...
  local dir="$out_root/$1"; shift
  mkdir -p "$dir"
  protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$dir" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores -I Protos "$@"
}

gen Sources/XinyuWire/Generated Protos/xinyu/wire/v1/envelope.proto Protos/xinyu/plugin/v1/events.proto
gen Sources/XinyuCoreAPI/Generated Protos/xinyu/host/v1/host.proto Protos/xinyu/directory/v1/directory.proto
gen Tests/Fixtures/FixtureAPI/Generated Protos/xinyu/fixture/v1/fixture.proto
echo "generated Swift code under $out_root"
