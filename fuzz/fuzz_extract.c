/* fuzz_extract.c: the whole extract path over one document: the project's
 * rules (loaded once), scan_doc, then every writer.  Bytes a reader would
 * refuse (NUL, invalid UTF-8) are handled as the reader does: the document
 * carries the error and is written without scanning. */
#include "fuzz_common.h"
#include "rules.h"
#include "scan.h"

static ruleset *RS;
static scanner *SC;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (ruleset_load(fuzz_rules_dir(), &RS)) {
        fprintf(stderr, "fuzz_extract: cannot load the rules in '%s'\n", fuzz_rules_dir());
        exit(1);
    }
    SC = scanner_new(RS);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_doc d = {.id = xstrdup("fuzz"), .title = xstrndup((const char *)data, size > 40 ? 40 : size),
                .source = xstrdup("fuzz:1")};
    const char *z = memchr(data, '\0', size);
    long bad = utf8_invalid_at((const char *)data, size);
    cs_result res = {0};
    if (z) {
        d.error = xasprintf("NUL byte at offset %zu", (size_t)(z - (const char *)data));
    } else if (bad >= 0) {
        d.error = xasprintf("invalid UTF-8 at offset %ld", bad);
    } else {
        d.text = xstrndup((const char *)data, size);
        d.len = size;
        char *err = NULL;
        if (scan_doc(SC, d.text, d.len, &res, &err)) {
            FUZZ_CHECK(err, "scan_doc failed without a message");
            d.error = err;
        } else {
            FUZZ_CHECK(!err, "scan_doc set a message on success");
        }
        FUZZ_CHECK(res.nclaims <= SCAN_MAX_MATCHES, "%zu claims, more than the limit", res.nclaims);
        for (size_t i = 0; i < res.nclaims; i++) {
            const cs_claim *c = &res.claims[i];
            FUZZ_CHECK(c->start <= c->end && c->end <= d.len, "claim span %zu..%zu of %zu", c->start, c->end, d.len);
            FUZZ_CHECK(c->rule && c->unit, "claim without rule or unit");
        }
        for (size_t i = 0; i < res.nhw; i++)
            FUZZ_CHECK(res.hw[i].start <= res.hw[i].end && res.hw[i].end <= d.len, "hardware span");
    }
    fuzz_emit_all(&d, &res);
    cs_result_free(&res);
    cs_doc_clear(&d);
    return 0;
}
