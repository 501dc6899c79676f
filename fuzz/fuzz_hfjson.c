/* fuzz_hfjson.c: the hfjson reader (read.c) over arbitrary bytes, each document
 * written in every output format and checked (see fuzz_common.h).  A small
 * document limit (4 KiB) lets the fuzzer reach the over-long paths. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader(data, size, FMT_HFJSON, (size_t)4 << 10);
    return 0;
}
