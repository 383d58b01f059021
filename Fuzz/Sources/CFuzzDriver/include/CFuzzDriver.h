#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (in compiler-rt's libclang_rt.fuzzer since LLVM 12): runs `callback` as
/// `LLVMFuzzerTestOneInput`, reading libFuzzer's flags from `argc` and `argv`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
