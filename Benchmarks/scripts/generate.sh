#!/usr/bin/env bash
# Regenerates Benchmarks/Sources/BenchAPI/Generated from Benchmarks/Protos (messages and
# grpc-swift-2 stubs). Run after editing bench.proto; commit the output. The two protoc plugins
# are built from the package's own dependencies, once (the gRPC one takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "protoc not found: apt-get install -y protobuf-compiler" >&2; exit 1; }
swift build --product protoc-gen-swift >/dev/null
swift build --product protoc-gen-grpc-swift-2 >/dev/null
bin="$(swift build --show-bin-path)"
out=Sources/BenchAPI/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
  --swift_out="$out" --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
  --grpc-swift_out="$out" --grpc-swift_opt=Visibility=Public --grpc-swift_opt=FileNaming=PathToUnderscores \
  -I Protos Protos/bench/v1/bench.proto
echo "generated $out"
