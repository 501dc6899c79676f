/* screen.h: where a regex can start, found without PCRE2.
 *
 * PCRE2 tries a pattern's alternatives one after another at every place one
 * of them can start; for a pattern with word-led alternatives ("two times",
 * "speedup of 3") that is most letters, and the test costs several ns a
 * byte.  A screen is built from the pattern itself: the set of short byte
 * strings (each byte from a set, ASCII letters in both cases) that every
 * match must begin with.  screen_next finds the next place where one of
 * them begins with a table lookup a byte, and the caller then runs the
 * pattern anchored there only (compiled PCRE2_ANCHORED: JIT code does not
 * take the option at match time).
 *
 * The analysis understands literals, classes, groups, alternation,
 * quantifiers, and assertions (which it skips: they only narrow a match),
 * and one verb idiom: a last top-level alternative "[a-z]++(*SKIP)(*FAIL)",
 * after which PCRE2 never starts a match inside a run of letters (the rules'
 * {SKIP_WORD}); screen_next skips those places too.  A pattern with anything
 * else (back references, recursion, conditions, other verbs, \G, \p{..},
 * POSIX classes, a range from an escape, a possibly empty match, a match
 * that may start with any letter) gets no screen: every place may start a
 * match, exactly as before.
 *
 * Matching is caseless, as the rules compile.  PCRE2 also matches 'k' and
 * 's' caselessly against U+212A (KELVIN SIGN) and U+017F (LONG S); where the
 * text has a byte above 0x7F at a place a 'k' or 's' is wanted (first,
 * second or later), the screen answers "maybe" and PCRE2 decides.
 * tests/screen.test and fuzz/fuzz_screen.c compare screens with PCRE2. */
#ifndef SCREEN_H
#define SCREEN_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#define SCREEN_MAXLIT 6     /* bytes of each string the screen compares */

typedef struct screen_lit {
    uint8_t n;                          /* bytes compared */
    uint8_t set[SCREEN_MAXLIT][32];     /* the bytes allowed at each */
} screen_lit;

enum {
    SCREEN_FIRST = 1,       /* some string starts with this byte */
    SCREEN_TWIN = 2,        /* a twin of 'k' or 's' (0xC5, 0xE2) where a string starts with k or s */
    SCREEN_LETTER = 4,      /* an ASCII letter */
    SCREEN_LEAD = 8         /* 0xC5 or 0xE2: the first byte of U+017F or U+212A */
};

typedef struct screen {
    int on;                 /* 0: no screen, every place may start a match */
    int skip_word;          /* the pattern ends in "[a-z]++(*SKIP)(*FAIL)" */
    uint8_t tab[256];       /* per byte: SCREEN_FIRST, SCREEN_TWIN, SCREEN_LETTER, SCREEN_LEAD */
    uint8_t pair[256][32];  /* [first byte]: the second bytes that pass (all, for a 1-byte string) */
    uint8_t pairok[256][32];/* [first byte]: second bytes after which the third is not checked */
    uint8_t tri[8192];      /* hashed first three bytes (lowercase) that pass */
    screen_lit *lit;
    size_t nlit;
    uint32_t *by_first;     /* strings that start with byte b: by_first[at[b]..at[b+1]) */
    uint32_t at[257];
} screen;

/* Builds s from an expanded pattern (compiled caseless, UTF, not extended).
 * Always succeeds; s->on says whether there is a screen.  why, if not NULL,
 * gets a static string saying why not (for tests and `check`). */
void screen_build(screen *s, const char *pattern, const char **why);
void screen_free(screen *s);

/* The first place p in [from, end) where a match of the pattern over
 * text[0..end) may start, the search having begun at off (off <= from:
 * PCRE2 always tries its start offset, even inside a word); end if none. */
size_t screen_next(const screen *s, const unsigned char *text, size_t from, size_t end, size_t off);

/* The first match in text[start..end) of the pattern that anch is compiled
 * from (PCRE2_ANCHORED), trying anch only where s says a match can begin:
 * what pcre2_match returns at the first place it does not return
 * PCRE2_ERROR_NOMATCH (the match in md), else PCRE2_ERROR_NOMATCH. */
int screen_match(const screen *s, const pcre2_code *anch, const unsigned char *text, size_t start, size_t end,
                 pcre2_match_data *md, pcre2_match_context *mc);

/* Compares the screen with PCRE2 over text: from every start offset, the
 * first match of re (the pattern, unanchored) and the first found by trying
 * anch (compiled PCRE2_ANCHORED) where s says.  Returns 0 when they agree
 * everywhere, else 1 with the first start offset where they differ in
 * *where.  For tests and fuzzing: it is quadratic. */
int screen_verify(const screen *s, const pcre2_code *re, const pcre2_code *anch, const char *text, size_t len,
                  size_t *where);

#endif
