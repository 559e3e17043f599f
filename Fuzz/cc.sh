#!/bin/sh
# The C and C++ compiler of the fuzz build (scripts/fuzz.sh sets CC to this file; SwiftPM uses
# CC for every C and C++ target). It adds libFuzzer's coverage and AddressSanitizer to toml++
# (TOMLKit's C++ target, which parses hostile settings files) and to nothing else: `-Xcxx` would
# also reach the two copies of BoringSSL (NIOSSL's and swift-crypto's, about 520 C++ files that
# parse nothing a harness feeds), which would then compile instrumented for no gain.
# XINYU_FUZZ_CLANG is the toolchain's clang, found by scripts/fuzz.sh.
clang="${XINYU_FUZZ_CLANG:?scripts/fuzz.sh sets XINYU_FUZZ_CLANG}"
for argument in "$@"; do
  case "$argument" in
    */TOMLKit/Sources/*.cpp) exec "$clang" "$@" -fsanitize=fuzzer-no-link,address ;;
  esac
done
exec "$clang" "$@"
