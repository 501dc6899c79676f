/* fuzz_screen.c: screens (src/screen.h) against PCRE2.  The bytes are a
 * text; the project's screened regexes (candidate, candidate-words,
 * numstart, cuestart, the anywhere prefilter) must find, from every start
 * offset, the same first match with their screen as PCRE2 does without
 * (screen_verify).  When the bytes begin with a line "pattern: REGEX", that
 * regex is screened too, over the rest: the analysis must be sound for any
 * pattern it accepts, not only the project's. */
#include "fuzz_common.h"
#include "rules.h"
#include "screen.h"

static ruleset *RS;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (ruleset_load(fuzz_rules_dir(), &RS)) {
        fprintf(stderr, "fuzz_screen: cannot load the rules in '%s'\n", fuzz_rules_dir());
        exit(1);
    }
    return 0;
}

static void check(const screen *s, const pcre2_code *re, const pcre2_code *anch, const char *what,
                  const char *text, size_t len)
{
    size_t where = 0;
    if (s && s->on && re && anch)
        FUZZ_CHECK(!screen_verify(s, re, anch, text, len, &where), "%s: screen and PCRE2 differ from offset %zu",
                   what, where);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024 || memchr(data, '\0', size) || utf8_invalid_at((const char *)data, size) >= 0)
        return 0;   /* (extract checks UTF-8 first; screen_verify is quadratic) */
    char *text = xstrndup((const char *)data, size);
    size_t len = size;
    const char *body = text;
    if (len > 9 && !memcmp(text, "pattern: ", 9) && memchr(text, '\n', len)) {
        char *nl = memchr(text, '\n', len);
        *nl = '\0';
        body = nl + 1;
        len -= (size_t)(body - text);
        int ec;
        PCRE2_SIZE eo;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)text + 9, PCRE2_ZERO_TERMINATED,
                                       PCRE2_UTF | PCRE2_CASELESS | PCRE2_DUPNAMES, &ec, &eo, NULL);
        pcre2_code *anch = re ? pcre2_compile((PCRE2_SPTR)text + 9, PCRE2_ZERO_TERMINATED,
                                              PCRE2_UTF | PCRE2_CASELESS | PCRE2_DUPNAMES | PCRE2_ANCHORED, &ec,
                                              &eo, NULL) : NULL;
        if (re && anch) {
            screen s;
            screen_build(&s, text + 9, NULL);
            check(&s, re, anch, "pattern", body, len);
            screen_free(&s);
        }
        pcre2_code_free(re);
        pcre2_code_free(anch);
    }
    check(RS->candidate.scr, RS->candidate.re, RS->candidate.anch, "candidate", body, len);
    check(RS->candidate_words.scr, RS->candidate_words.re, RS->candidate_words.anch, "candidate-words", body, len);
    check(RS->numstart.scr, RS->numstart.re, RS->numstart.anch, "numstart", body, len);
    check(RS->cuestart.scr, RS->cuestart.re, RS->cuestart.anch, "cuestart", body, len);
    for (size_t i = 0; i < RS->nprefilters; i++)
        if (RS->prefilters[i].start == 'a')
            check(RS->prefilters[i].scr, RS->prefilters[i].re, RS->prefilters[i].anch, "prefilter", body, len);
    free(text);
    return 0;
}
