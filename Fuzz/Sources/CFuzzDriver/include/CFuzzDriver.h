// libFuzzer's entry for programs that bring their own main (LLVMFuzzerRunDriver, in
// libclang_rt.fuzzer since LLVM 11).
//
// SwiftPM renames an executable's main to <Module>_main in debug builds (so that tests can link
// the executable's code) and points the program's main at it; libFuzzer's own main is then never
// linked in. Each harness therefore defines <Module>_main and starts libFuzzer through this.
#pragma once
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
