/* fuzz_number.c: the number and unit normalizer.  The input is split at its
 * first 0xFF byte: the part before goes to parse_number, the part after to
 * units_lookup (rules/units.map, loaded once).  parse_number must return a
 * finite value or -1 (never inf or NaN, whatever the digits). */
#include "fuzz_common.h"
#include "number.h"
#include "units.h"

#include <math.h>

static units U;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char *p = xasprintf("%s/units.map", fuzz_rules_dir());
    if (units_load(p, &U)) {
        fprintf(stderr, "fuzz_number: cannot load %s\n", p);
        exit(1);
    }
    free(p);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *cut = memchr(s, 0xFF, size);
    size_t n = cut ? (size_t)(cut - s) : size;
    /* exact-size copies, so ASan sees any read past the end */
    char *num = xmalloc(n ? n : 1);
    memcpy(num, s, n);
    double v = NAN;
    if (parse_number(num, n, &v) == 0)
        FUZZ_CHECK(isfinite(v), "parse_number gave %g for '%.*s'", v, (int)(n > 80 ? 80 : n), num);
    const cs_unit *hit = units_lookup(&U, num, n);
    FUZZ_CHECK(!hit || (hit >= U.u && hit < U.u + U.n), "units_lookup out of the table");
    free(num);
    if (cut) {
        size_t m = size - n - 1;
        char *u = xmalloc(m ? m : 1);
        memcpy(u, cut + 1, m);
        hit = units_lookup(&U, u, m);
        FUZZ_CHECK(!hit || (hit >= U.u && hit < U.u + U.n), "units_lookup out of the table");
        free(u);
    }
    return 0;
}
