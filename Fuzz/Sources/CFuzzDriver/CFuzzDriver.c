// The declaration in include/CFuzzDriver.h is defined by libFuzzer, linked by -sanitize=fuzzer.
#include "CFuzzDriver.h"
