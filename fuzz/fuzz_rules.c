/* fuzz_rules.c: the rule-file parser and compiler (rulefile.c, rules.c,
 * units.c, hardware.c).  At start a temporary rules directory gets a copy of
 * the project's units.map, 00-defs.rules (the macros) and 10-context.rules
 * (the context directives), and the head of hardware.catalog (its directives
 * and first few entries: compiling all ~390 entries per input would leave the
 * fuzzer a handful of runs a second).  Each input becomes 50-fuzz.rules and
 * goes through ruleset_load; a set that loads then runs its own examples and
 * a fixed abstract through the scanner, so a user's catastrophic pattern
 * must stop at the PCRE2 limits. */
#include "fuzz_common.h"
#include "rules.h"
#include "scan.h"

#include <fcntl.h>

#define CATALOG_ENTRIES 4

static char DIRBUF[] = "/tmp/claimscan-fuzz-rules-XXXXXX";

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_rules: cannot open '%s'\n", path);
        exit(1);
    }
    sbuf b = {0};
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&b, buf, k);
    fclose(f);
    *n = b.len;
    return b.s ? b.s : xstrdup("");
}

static void spill(const char *name, const char *s, size_t n)
{
    char *p = xasprintf("%s/%s", DIRBUF, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(s, 1, n, f) != n || fclose(f)) {
        fprintf(stderr, "fuzz_rules: cannot write '%s'\n", p);
        exit(1);
    }
    free(p);
}

static void copy(const char *name, int catalog)
{
    char *src = xasprintf("%s/%s", fuzz_rules_dir(), name);
    size_t n;
    char *s = slurp(src, &n);
    if (catalog) {      /* keep the lines before the (CATALOG_ENTRIES+1)th entry */
        int entries = 0;
        for (size_t i = 0; i < n; i++) {
            if ((i == 0 || s[i - 1] == '\n') && !strncmp(s + i, "hardware ", 9) && ++entries > CATALOG_ENTRIES) {
                n = i;
                break;
            }
        }
    }
    spill(name, s, n);
    free(s);
    free(src);
}

static void cleanup(void)
{
    const char *names[] = {"units.map", "00-defs.rules", "10-context.rules", "hardware.catalog", "50-fuzz.rules"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = xasprintf("%s/%s", DIRBUF, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(DIRBUF);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!mkdtemp(DIRBUF)) {
        perror("fuzz_rules: mkdtemp");
        exit(1);
    }
    atexit(cleanup);
    copy("units.map", 0);
    copy("00-defs.rules", 0);
    copy("10-context.rules", 0);
    copy("hardware.catalog", 1);
    return 0;
}

static void no_report(void *ud, const char *file, int line, const char *name, int ok, const char *msg)
{
    (void)ud, (void)file, (void)line, (void)name, (void)ok, (void)msg;
}

static const char ABSTRACT[] =
    "Our kernel achieves up to 3.5x speedup over cuBLAS and 1,200 tokens/s on an NVIDIA H100, "
    "reducing memory by 42% and latency to 12 ms. 1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1 "
    "99999999999999999999999999999999999999999999999999999999999999999999999999x faster.";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spill("50-fuzz.rules", (const char *)data, size);
    ruleset *rs = NULL;
    if (ruleset_load(DIRBUF, &rs) == 0) {
        scanner *sc = scanner_new(rs);
        scan_check_examples(sc, no_report, NULL);
        cs_result res = {0};
        char *err = NULL;
        scan_doc(sc, ABSTRACT, sizeof ABSTRACT - 1, &res, &err);
        free(err);
        cs_result_free(&res);
        scanner_free(sc);
        ruleset_free(rs);
    }
    return 0;
}
