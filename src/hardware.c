/* hardware.c: loads rules/hardware.catalog and finds hardware mentions.
 *
 * A mention always begins where a word begins: the byte before it is not an
 * ASCII letter or digit, or is the "x" of a count like "16x" ("before" in the
 * catalog can only narrow this).  Aliases are bucketed by the bytes they can
 * start with (PCRE2 tells us, per alias), and each bucket is one anchored,
 * JIT-compiled alternation.  When a bucket matches, each of its aliases is
 * tried alone and the longest match wins, the first in file order on a tie.
 * So the catalog need not be ordered by specificity: "Jetson AGX Orin"
 * beats "Jetson", "DGX H100" starts earlier than "H100" and wins, whatever
 * the order of the entries.
 *
 * Most word starts cannot begin any alias, and a match call costs about as
 * much as scanning a kilobyte, so a prefilter decides where to call PCRE2,
 * using PCRE2's own partial matching on the aliases ("probes": can a text
 * starting with these bytes still match?) so that it never skips a place
 * where an alias matches:
 *   - c->pair, built at load: the possible first two bytes, tested for
 *     every word start in a loop without branches (candidates);
 *   - word_may: the word itself (up to 8 bytes), probed once per distinct
 *     word and then remembered in the scanner's memo;
 *   - an alias that looks behind its start (lookbehind, \b) cannot be
 *     probed on its own bytes: an unanchored search finds where it matches.
 * So the mentions found are exactly those found by trying every word start
 * (when "before" is not only lookarounds, or an alias is opaque, that is
 * what happens); only the number of match calls changes. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "hardware.h"
#include "rulefile.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Limits for one match call: generous for the catalog's own patterns, but a
 * bad user alias cannot hang a scan. */
#define HW_MATCH_LIMIT 1000000
#define HW_DEPTH_LIMIT 10000
#define HW_COUNT_WINDOW 48      /* bytes before/after a mention read for its count */
#define HW_BLOCK 256            /* bytes whose candidates are gathered at once */
#define HW_MEMO4_BITS 15        /* log2 of the slots of a scanner's memos (see word_may) */
#define HW_MEMO8_BITS 16
#define MEMO4_MAY ((uint32_t)1 << 31)
#define MEMO8_MAY ((uint64_t)1 << 63)

#define COMPILE_OPTS (PCRE2_CASELESS | PCRE2_UTF | PCRE2_DUPNAMES)

static const char *const hw_classes[] = {
    "gpu", "cpu", "fpga", "npu", "tpu", "soc", "mcu", "asic", "system", NULL
};

typedef struct hw_entry {
    char *name, *vendor, *hwclass;
    int lineno;
    pcre2_code *unit;       /* "eight RDU sockets": counts this entry elsewhere, or NULL */
} hw_entry;

typedef struct hw_alias {
    pcre2_code *code;       /* before + alias + after, anchored */
    size_t entry;
    int lineno;
} hw_alias;

/* The aliases that can start with a given byte, and their alternation
 * (anchored; split in several patterns when PCRE2 finds it too large). */
typedef struct hw_bucket {
    size_t *alias;          /* indexes into hwcat.a, in file order */
    size_t nalias;
    pcre2_code **codes;     /* (enumerating: each alias ends in a callout naming it) */
    size_t ncodes;
    int enumerating;        /* codes report every alias that matches (see longest_at) */
    pcre2_code **probe;     /* the probed aliases, bare, for partial matching (see probe) */
    size_t nprobe;
    int opaque;             /* an alias can be neither probed nor searched: always try */
} hw_bucket;

/* An alias with a lookbehind (or \b) cannot be probed on its first bytes
 * alone (see fill_pairs); it is found by an unanchored search instead. */
typedef struct hw_blind {
    pcre2_code *code;       /* "()" before + alias + after, unanchored: group 1 is where it starts */
    size_t alias;
} hw_blind;

typedef struct hw_count {
    pcre2_code *code;
    uint32_t group;         /* number of the group named n */
} hw_count;

enum { T_EXAMPLE, T_COUNTER, T_NONE };

typedef struct hw_test {
    int type;
    int lineno;
    size_t entry;           /* T_EXAMPLE, T_COUNTER */
    char *text;
    int check_count;        /* count=N or count=null given */
    long long count;        /* -1 = null */
    char *span;             /* text="..." given: the span as matched, or NULL */
} hw_test;

struct hwcat {
    char *path;
    hw_entry *e;
    size_t n;
    hw_alias *a;
    size_t na;
    hw_bucket *bk;          /* aliases by first byte */
    size_t nbk;
    uint16_t first[256];    /* byte -> index + 1 in bk, 0 = no alias starts with it */
    uint8_t pair[256][32];  /* bit b1 of row b0: some alias may start with the bytes b0 b1 */
    uint8_t cls[256];       /* C_END, C_X, C_DIGIT, C_ALNUM of each byte */
    hw_blind *blind;        /* the aliases pair[] does not cover */
    size_t nblind;
    hw_count *before, *after;
    size_t nbefore, nafter;
    pcre2_code **veto;      /* "count-veto": after a mention, no count at all ("A100 GPU hours") */
    size_t nveto;
    hw_test *t;
    size_t nt;
    uint32_t ovec;          /* largest capture count + 1 over all patterns */
};

struct hwscan {
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_match_context *ectx;  /* mctx with the enumerating callout */
    size_t *aend;           /* per alias of a bucket: where its match ends, SIZE_MAX for none */
    pcre2_jit_stack *stack;
    size_t *blind_at;       /* per blind alias: where it next matches, BLIND_NONE, BLIND_ALL */
    uint32_t *memo4;        /* see word_may */
    uint64_t *memo8;
    size_t *cand;           /* HW_BLOCK of each: see candidates */
    uint8_t *blind;
};

/* ---- loading ---------------------------------------------------------- */

/* What the loader keeps while reading lines, before compiling. */
typedef struct hw_src {
    char *pat;              /* expanded */
    size_t entry;
    int lineno;
} hw_src;

typedef struct hw_loader {
    const char *path;
    rf_macros m;
    char *before, *after;
    hw_src *alias, *units, *cnt_before, *cnt_after, *veto;
    size_t nalias, nunits, ncnt_before, ncnt_after, nveto;
} hw_loader;

static void lerr(const hw_loader *L, int lineno, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s:%d: error: ", L->path, lineno);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

static void src_push(hw_src **v, size_t *n, char *pat, size_t entry, int lineno)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n].pat = pat;
    (*v)[*n].entry = entry;
    (*v)[*n].lineno = lineno;
    (*n)++;
}

static void src_free(hw_src *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].pat);
    free(v);
}

/* Compiles pat; on error prints "path:line: error: offset N: message", the
 * offset counted from the start of the user's regex (prefix bytes before it
 * in pat are subtracted). */
static pcre2_code *compile(const hw_loader *L, int lineno, const char *pat, uint32_t opts, size_t prefix,
                           size_t ulen, uint32_t *ovec)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &ec, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        if (off < prefix || off - prefix > ulen) {
            /* Past the user's regex ("missing )" is found at the end):
             * compile it alone for an offset that points into it. */
            pcre2_code *alone = pcre2_compile((PCRE2_SPTR)pat + prefix, ulen, opts & ~PCRE2_ANCHORED, &ec, &off, NULL);
            if (alone) {
                pcre2_code_free(alone);
                fprintf(stderr, "%s:%d: error: %s (in the before/after boundary)\n", L->path, lineno, msg);
                return NULL;
            }
            pcre2_get_error_message(ec, msg, sizeof msg);
            prefix = 0;
        }
        fprintf(stderr, "%s:%d: error: offset %zu: %s\n", L->path, lineno, (size_t)(off - prefix), msg);
        return NULL;
    }
    /* A JIT failure (no JIT support, out of memory) only costs speed. */
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    uint32_t cc = 0;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &cc);
    if (cc + 1 > *ovec)
        *ovec = cc + 1;
    return re;
}

/* before + pat + after, each in its own group. */
static char *wrap(const hw_loader *L, const char *pat, size_t *prefix)
{
    sbuf b = {0};
    sb_puts(&b, "(?:");
    sb_puts(&b, L->before);
    sb_puts(&b, ")(?:");
    *prefix = b.len;
    sb_puts(&b, pat);
    sb_puts(&b, ")(?:");
    sb_puts(&b, L->after);
    sb_putc(&b, ')');
    return b.s;
}

static int parse_count_value(const char *v, long long *out)
{
    if (!strcmp(v, "null") || !strcmp(v, "none")) {
        *out = -1;
        return 0;
    }
    char *end;
    long long n = strtoll(v, &end, 10);
    if (end == v || *end || n < 0)
        return -1;
    *out = n;
    return 0;
}

/* An example/counter/none line into c->t. */
static int add_test(hwcat *c, const hw_loader *L, const rf_line *l, int type, size_t entry)
{
    rf_example ex;
    char *err = NULL;
    if (rf_parse_example(l->val, &ex, &err)) {
        lerr(L, l->lineno, "%s", err);
        free(err);
        return -1;
    }
    hw_test t = { .type = type, .lineno = l->lineno, .entry = entry, .count = -1 };
    for (size_t i = 0; i < ex.nkv; i++) {
        if (type == T_EXAMPLE && !strcmp(ex.keys[i], "count")) {
            if (parse_count_value(ex.vals[i], &t.count)) {
                lerr(L, l->lineno, "count must be a number or null, not '%s'", ex.vals[i]);
                goto bad;
            }
            t.check_count = 1;
        } else if (type == T_EXAMPLE && !strcmp(ex.keys[i], "text")) {
            free(t.span);
            t.span = xstrdup(ex.vals[i]);
        } else {
            lerr(L, l->lineno, "unknown key '%s' (an example takes count= and text=, a counter or none nothing)",
                 ex.keys[i]);
            goto bad;
        }
    }
    t.text = ex.text;
    ex.text = NULL;
    rf_example_free(&ex);
    c->t = xrealloc(c->t, (c->nt + 1) * sizeof *c->t);
    c->t[c->nt++] = t;
    return 0;
bad:
    free(t.span);
    rf_example_free(&ex);
    return -1;
}

static int expand(hw_loader *L, const rf_line *l, char **out)
{
    char *err = NULL;
    if (rf_expand(&L->m, l->val, out, &err)) {
        lerr(L, l->lineno, "%s", err);
        free(err);
        return -1;
    }
    return 0;
}

/* Reads the lines of the file into the loader and the catalog (entries and
 * tests); patterns are compiled afterwards, once every define is known. */
static int read_lines(hwcat *c, hw_loader *L, const rf_file *f)
{
    size_t cur = SIZE_MAX;      /* the entry being read */
    for (size_t i = 0; i < f->n; i++) {
        const rf_line *l = &f->lines[i];
        const char *k = l->key;
        char *pat = NULL;
        if (!l->indented) {
            cur = SIZE_MAX;
            if (!strcmp(k, "define")) {
                const char *v = l->val;
                size_t nl = strcspn(v, " \t");
                char *name = xstrndup(v, nl);
                const char *rest = v + nl + strspn(v + nl, " \t");
                char *err = NULL;
                int rc = rf_define(&L->m, name, rest, &err);
                free(name);
                if (rc) {
                    lerr(L, l->lineno, "%s", err);
                    free(err);
                    return -1;
                }
            } else if (!strcmp(k, "before") || !strcmp(k, "after")) {
                char **dst = k[0] == 'b' ? &L->before : &L->after;
                if (*dst) {
                    lerr(L, l->lineno, "'%s' given twice", k);
                    return -1;
                }
                if (expand(L, l, dst))
                    return -1;
            } else if (!strcmp(k, "count") || !strcmp(k, "count-after") || !strcmp(k, "count-veto")) {
                if (expand(L, l, &pat))
                    return -1;
                if (!strcmp(k, "count-veto"))
                    src_push(&L->veto, &L->nveto, pat, 0, l->lineno);
                else if (k[5])
                    src_push(&L->cnt_after, &L->ncnt_after, pat, 0, l->lineno);
                else
                    src_push(&L->cnt_before, &L->ncnt_before, pat, 0, l->lineno);
            } else if (!strcmp(k, "none")) {
                if (add_test(c, L, l, T_NONE, 0))
                    return -1;
            } else if (!strcmp(k, "hardware")) {
                if (!*l->val) {
                    lerr(L, l->lineno, "%s", "hardware needs a canonical name");
                    return -1;
                }
                for (size_t j = 0; j < c->n; j++)
                    if (!strcmp(c->e[j].name, l->val)) {
                        fprintf(stderr, "%s:%d: error: hardware '%s' already defined at line %d\n", L->path,
                                l->lineno, l->val, c->e[j].lineno);
                        return -1;
                    }
                c->e = xrealloc(c->e, (c->n + 1) * sizeof *c->e);
                c->e[c->n] = (hw_entry){ .name = xstrdup(l->val), .lineno = l->lineno };
                cur = c->n++;
            } else {
                lerr(L, l->lineno, "unknown directive '%s'", k);
                return -1;
            }
            continue;
        }
        if (cur == SIZE_MAX) {
            lerr(L, l->lineno, "'%s' outside a hardware block", k);
            return -1;
        }
        hw_entry *e = &c->e[cur];
        if (!strcmp(k, "vendor") || !strcmp(k, "class")) {
            char **dst = k[0] == 'v' ? &e->vendor : &e->hwclass;
            if (*dst || !*l->val) {
                lerr(L, l->lineno, *dst ? "'%s' given twice" : "'%s' needs a value", k);
                return -1;
            }
            if (k[0] == 'c') {
                size_t j = 0;
                while (hw_classes[j] && strcmp(hw_classes[j], l->val))
                    j++;
                if (!hw_classes[j]) {
                    lerr(L, l->lineno, "unknown class '%s' (gpu cpu fpga npu tpu soc mcu asic system)", l->val);
                    return -1;
                }
            }
            *dst = xstrdup(l->val);
        } else if (!strcmp(k, "alias") || !strcmp(k, "unit")) {
            if (!*l->val) {
                lerr(L, l->lineno, "'%s' needs a regex", k);
                return -1;
            }
            if (expand(L, l, &pat))
                return -1;
            if (k[0] == 'a')
                src_push(&L->alias, &L->nalias, pat, cur, l->lineno);
            else
                src_push(&L->units, &L->nunits, pat, cur, l->lineno);
        } else if (!strcmp(k, "example") || !strcmp(k, "counter")) {
            if (add_test(c, L, l, k[1] == 'x' ? T_EXAMPLE : T_COUNTER, cur))
                return -1;
        } else {
            lerr(L, l->lineno, "unknown field '%s'", k);
            return -1;
        }
    }
    return 0;
}

/* Every entry complete, with at least one alias, example and counter. */
static int check_entries(const hwcat *c, const hw_loader *L)
{
    for (size_t i = 0; i < c->n; i++) {
        const hw_entry *e = &c->e[i];
        int nal = 0, nex = 0, nco = 0;
        for (size_t j = 0; j < L->nalias; j++)
            nal += L->alias[j].entry == i;
        for (size_t j = 0; j < c->nt; j++)
            if (c->t[j].type != T_NONE && c->t[j].entry == i) {
                nex += c->t[j].type == T_EXAMPLE;
                nco += c->t[j].type == T_COUNTER;
            }
        const char *miss = !e->vendor ? "vendor" : !e->hwclass ? "class" : !nal ? "alias" : !nex ? "example"
                         : !nco ? "counter" : NULL;
        if (miss) {
            fprintf(stderr, "%s:%d: error: hardware '%s' has no %s line\n", L->path, e->lineno, e->name, miss);
            return -1;
        }
    }
    return 0;
}

static int compile_counts(const hw_loader *L, const hw_src *v, size_t n, uint32_t opts, hw_count **out,
                          size_t *nout, uint32_t *ovec)
{
    *out = xcalloc(n ? n : 1, sizeof **out);
    *nout = n;      /* codes still NULL are freed safely after an error */
    for (size_t i = 0; i < n; i++) {
        pcre2_code *re = compile(L, v[i].lineno, v[i].pat, PCRE2_CASELESS | PCRE2_UTF | opts, 0,
                                 strlen(v[i].pat), ovec);
        if (!re)
            return -1;
        (*out)[i].code = re;
        int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "n");
        if (g < 0) {
            lerr(L, v[i].lineno, "%s", "a count regex needs a group named n: (?<n>...)");
            return -1;
        }
        (*out)[i].group = (uint32_t)g;
    }
    return 0;
}

/* Compiles the aliases idx[lo, hi) into one anchored alternation, or, when
 * PCRE2 finds it too large, into two halves, recursively.  A probe is the
 * bare aliases for the interpreter (see fill_pairs); otherwise each alias
 * is followed by after and a callout that names its place in idx, for
 * longest_at, and the whole JIT-compiled:
 * "(?:before)(?:(?:a0)(?:after)(?C'0')|(?:a1)(?:after)(?C'1')|...)". */
static int combine(hwcat *c, const hw_loader *L, const size_t *idx, size_t lo, size_t hi, int probe,
                   pcre2_code ***codes, size_t *ncodes)
{
    int enumerate = !probe;
    sbuf b = {0};
    if (enumerate)
        sb_printf(&b, "(?:%s)(?:", L->before);
    for (size_t i = lo; i < hi; i++) {
        sb_puts(&b, i > lo ? "|(?:" : "(?:");
        sb_puts(&b, L->alias[idx[i]].pat);
        sb_putc(&b, ')');
        if (enumerate)
            sb_printf(&b, "(?:%s)(?C'%zu')", L->after, i);
    }
    if (enumerate)
        sb_putc(&b, ')');
    uint32_t opts = COMPILE_OPTS | PCRE2_ANCHORED | (probe ? PCRE2_NO_START_OPTIMIZE : 0);
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)b.s, PCRE2_ZERO_TERMINATED, opts, &ec, &off, NULL);
    sb_free(&b);
    if (!re && ec == PCRE2_ERROR_PATTERN_TOO_LARGE && hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        return combine(c, L, idx, lo, mid, probe, codes, ncodes) || combine(c, L, idx, mid, hi, probe, codes, ncodes);
    }
    if (!re) {
        /* Each alias compiled alone, so this (say, a numbered backreference
         * that the combination shifted) has no single line to blame. */
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        fprintf(stderr, "%s:%d: error: aliases combined with the one on line %d: %s\n", L->path,
                L->alias[idx[lo]].lineno, L->alias[idx[hi - 1]].lineno, msg);
        return -1;
    }
    if (!probe)     /* probes run on a few bytes: JIT would cost more than it saves */
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    *codes = xrealloc(*codes, (*ncodes + 1) * sizeof **codes);
    (*codes)[(*ncodes)++] = re;
    uint32_t cc = 0;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &cc);
    if (cc + 1 > c->ovec)
        c->ovec = cc + 1;
    return 0;
}

enum { A_PROBED, A_BLIND, A_OPAQUE };

/* The bytes an alias can start with, from PCRE2's own start-of-match
 * analysis (all bytes when PCRE2 cannot tell), and how the prefilter can
 * know where it may match: by probing its first bytes when nothing in
 * it looks behind its start (no lookbehind, \b, \B), else by an unanchored
 * search; an alias with backtracking verbs, which change how an unanchored
 * search advances, is tried at every word start with one of its bytes. */
static int first_bytes(const char *pat, uint8_t set[256])
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, COMPILE_OPTS, &ec, &off, NULL);
    uint32_t type = 0, unit = 0, behind = 0;
    const uint8_t *map = NULL;
    memset(set, 1, 256);
    if (!re)
        return A_OPAQUE;
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1) {
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
        memset(set, 0, 256);
        set[unit & 0xFF] = 1;
        if (unit < 128 && isalpha((int)unit))       /* caseless */
            set[tolower((int)unit)] = set[toupper((int)unit)] = 1;
    } else if (type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &map) == 0 && map) {
        for (int b = 0; b < 256; b++)
            set[b] = (map[b / 8] >> (b % 8)) & 1;
    }
    if (pcre2_pattern_info(re, PCRE2_INFO_MAXLOOKBEHIND, &behind))
        behind = 1;
    pcre2_code_free(re);
    return !behind ? A_PROBED : strstr(pat, "(*") ? A_OPAQUE : A_BLIND;
}

/* Whether "before" only looks (a '|' list of lookarounds): the prefilter
 * probes aliases without it, so it must not consume what it would see. */
static int before_is_assertion(const char *s)
{
    for (;;) {
        if (s[0] != '(' || s[1] != '?' || !(s[2] == '=' || s[2] == '!' ||
                                            (s[2] == '<' && (s[3] == '=' || s[3] == '!'))))
            return 0;
        int depth = 0, cls = 0;
        for (; *s; s++) {
            if (*s == '\\') {
                if (!*++s)
                    return 0;
            } else if (cls) {
                cls = *s != ']';
            } else if (*s == '[') {
                cls = 1;
                if (s[1] == '^')
                    s++;
                if (s[1] == ']')
                    s++;
            } else if (*s == '(') {
                depth++;
            } else if (*s == ')' && --depth == 0) {
                break;
            }
        }
        if (!*s++)
            return 0;
        if (!*s)
            return 1;
        if (*s++ != '|')
            return 0;
    }
}

/* Whether a text starting with the n ASCII bytes subj may match an alias
 * of bk: partial matching of the bytes alone fails only if every way of
 * matching failed within them. */
static int probe(const hw_bucket *bk, const PCRE2_UCHAR *subj, size_t n, pcre2_match_data *md,
                 pcre2_match_context *mctx)
{
    if (bk->opaque)
        return 1;
    for (size_t k = 0; k < bk->nprobe; k++)
        if (pcre2_match(bk->probe[k], subj, n, 0, PCRE2_PARTIAL_HARD, md, mctx) != PCRE2_ERROR_NOMATCH)
            return 1;
    return 0;
}

/* Sets row b0 of c->pair from the probe patterns: bit b1 when a text
 * starting with "b0 b1" may match, that is when partial matching of the two
 * bytes alone (which fails only if every way of matching failed on them)
 * does not fail.  Only ASCII is probed (a lone byte of a multi-byte
 * character is not a subject): other bytes always may, as does anything
 * after the first byte of an opaque alias. */
static void fill_pair_row(hwcat *c, int b0, const hw_bucket *bk, pcre2_match_data *md)
{
    uint8_t *row = c->pair[b0];
    memset(row, 0xFF, 32);
    if (b0 >= 0x80 || bk->opaque)
        return;
    for (int b1 = 0; b1 < 0x80; b1++) {
        PCRE2_UCHAR subj[2] = { (PCRE2_UCHAR)b0, (PCRE2_UCHAR)b1 };
        if (!probe(bk, subj, 2, md, NULL))
            row[b1 / 8] &= (uint8_t) ~(1u << (b1 % 8));
    }
}

/* Compiles a blind alias for its unanchored search. */
static int add_blind(hwcat *c, const hw_loader *L, size_t i)
{
    size_t prefix;
    char *w = wrap(L, L->alias[i].pat, &prefix);
    char *p = xasprintf("()%s", w);
    free(w);
    pcre2_code *re = compile(L, L->alias[i].lineno, p, COMPILE_OPTS, prefix + 2, strlen(L->alias[i].pat), &c->ovec);
    free(p);
    if (!re)
        return -1;
    c->blind = xrealloc(c->blind, (c->nblind + 1) * sizeof *c->blind);
    c->blind[c->nblind++] = (hw_blind){ re, i };
    return 0;
}

/* A new bucket for the aliases idx[0, n): its alternation and its probes
 * (the probed aliases, none when one is opaque). */
static int add_bucket(hwcat *c, const hw_loader *L, const size_t *idx, size_t n, const int *kind)
{
    c->bk = xrealloc(c->bk, (c->nbk + 1) * sizeof *c->bk);
    hw_bucket *bk = &c->bk[c->nbk++];
    *bk = (hw_bucket){ .alias = xmalloc(n * sizeof *idx), .nalias = n };
    memcpy(bk->alias, idx, n * sizeof *idx);
    bk->enumerating = 1;
    for (size_t j = 0; j < n; j++)
        bk->enumerating &= regex_joinable(L->alias[idx[j]].pat);
    /* (a bucket that cannot enumerate tries its aliases one by one: an
     * alternation of them could not even be trusted as a gate) */
    if (bk->enumerating && combine(c, L, idx, 0, n, 0, &bk->codes, &bk->ncodes))
        return -1;
    size_t *pr = xmalloc(n * sizeof *pr), np = 0;
    for (size_t j = 0; j < n; j++) {
        bk->opaque |= kind[idx[j]] == A_OPAQUE || !bk->enumerating;    /* (probes combine too) */
        if (kind[idx[j]] == A_PROBED)
            pr[np++] = idx[j];
    }
    int rc = np && !bk->opaque ? combine(c, L, pr, 0, np, 1, &bk->probe, &bk->nprobe) : 0;
    free(pr);
    return rc;
}

/* Fills c->bk and c->first: one bucket per distinct set of aliases; and
 * the prefilter, c->pair and c->blind. */
static int make_buckets(hwcat *c, const hw_loader *L)
{
    size_t na = L->nalias ? L->nalias : 1;
    uint8_t (*sets)[256] = xmalloc(na * sizeof *sets);
    int *kind = xmalloc(na * sizeof *kind);
    int assertion = before_is_assertion(L->before);
    int rc = 0;
    for (size_t i = 0; i < L->nalias && !rc; i++) {
        kind[i] = first_bytes(L->alias[i].pat, sets[i]);
        if (!assertion)
            kind[i] = A_OPAQUE;
        if (kind[i] == A_BLIND)
            rc = add_blind(c, L, i);
    }
    size_t *tmp = xmalloc(na * sizeof *tmp);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    for (int b = 0; b < 256 && !rc; b++) {
        if ((b & 0xC0) == 0x80)         /* never a character start */
            continue;
        size_t n = 0;
        for (size_t i = 0; i < L->nalias; i++)
            if (sets[i][b])
                tmp[n++] = i;
        if (!n)
            continue;
        size_t k;
        for (k = 0; k < c->nbk; k++)
            if (c->bk[k].nalias == n && !memcmp(c->bk[k].alias, tmp, n * sizeof *tmp))
                break;
        if (k == c->nbk && add_bucket(c, L, tmp, n, kind))
            rc = -1;
        if (!rc) {
            c->first[b] = (uint16_t)(k + 1);
            fill_pair_row(c, b, &c->bk[k], md);
        }
    }
    pcre2_match_data_free(md);
    free(tmp);
    free(kind);
    free(sets);
    return rc;
}

/* Byte classes for finding word starts without branches. */
enum { C_END = 1, C_X = 2, C_DIGIT = 4, C_ALNUM = 8 };

static void fill_classes(uint8_t cls[256])
{
    for (int b = 0; b < 256; b++)
        cls[b] = b < 0x80 && isalnum(b) ? C_ALNUM | (isdigit(b) ? C_DIGIT : 0) | ((b | 0x20) == 'x' ? C_X : 0)
                                        : C_END;
}

static int compile_all(hwcat *c, hw_loader *L)
{
    if (!L->before)
        L->before = xstrdup("(?<![A-Za-z0-9])");
    if (!L->after)
        L->after = xstrdup("(?![A-Za-z0-9])");
    c->ovec = 1;
    fill_classes(c->cls);
    c->a = xcalloc(L->nalias ? L->nalias : 1, sizeof *c->a);
    for (size_t i = 0; i < L->nalias; i++) {
        size_t prefix;
        char *p = wrap(L, L->alias[i].pat, &prefix);
        pcre2_code *re = compile(L, L->alias[i].lineno, p, COMPILE_OPTS | PCRE2_ANCHORED, prefix,
                                 strlen(L->alias[i].pat), &c->ovec);
        free(p);
        if (!re)
            return -1;
        c->a[c->na++] = (hw_alias){ re, L->alias[i].entry, L->alias[i].lineno };
    }
    for (size_t i = 0; i < L->nunits; i++) {
        size_t prefix;
        char *p = wrap(L, L->units[i].pat, &prefix);
        pcre2_code *re = compile(L, L->units[i].lineno, p, COMPILE_OPTS, prefix, strlen(L->units[i].pat), &c->ovec);
        free(p);
        if (!re)
            return -1;
        hw_entry *e = &c->e[L->units[i].entry];
        if (e->unit) {
            lerr(L, L->units[i].lineno, "%s", "only one unit line per hardware (use an alternation)");
            pcre2_code_free(re);
            return -1;
        }
        e->unit = re;
    }
    if (make_buckets(c, L))
        return -1;
    if (compile_counts(L, L->cnt_before, L->ncnt_before, 0, &c->before, &c->nbefore, &c->ovec) ||
        compile_counts(L, L->cnt_after, L->ncnt_after, PCRE2_ANCHORED, &c->after, &c->nafter, &c->ovec))
        return -1;
    c->veto = xcalloc(L->nveto ? L->nveto : 1, sizeof *c->veto);
    c->nveto = L->nveto;
    for (size_t i = 0; i < L->nveto; i++)
        if (!(c->veto[i] = compile(L, L->veto[i].lineno, L->veto[i].pat, PCRE2_CASELESS | PCRE2_UTF | PCRE2_ANCHORED,
                                   0, strlen(L->veto[i].pat), &c->ovec)))
            return -1;
    return 0;
}

int hwcat_load(const char *path, hwcat **out)
{
    *out = NULL;
    rf_file f;
    if (rf_read(path, &f))
        return -1;
    hwcat *c = xcalloc(1, sizeof *c);
    c->path = xstrdup(path);
    hw_loader L = { .path = c->path };
    int rc = read_lines(c, &L, &f);
    if (!rc)
        rc = check_entries(c, &L);
    if (!rc)
        rc = compile_all(c, &L);
    rf_free(&f);
    rf_macros_free(&L.m);
    free(L.before);
    free(L.after);
    src_free(L.alias, L.nalias);
    src_free(L.units, L.nunits);
    src_free(L.cnt_before, L.ncnt_before);
    src_free(L.cnt_after, L.ncnt_after);
    src_free(L.veto, L.nveto);
    if (rc) {
        hwcat_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static void free_counts(hw_count *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        pcre2_code_free(v[i].code);
    free(v);
}

void hwcat_free(hwcat *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].name);
        free(c->e[i].vendor);
        free(c->e[i].hwclass);
        pcre2_code_free(c->e[i].unit);
    }
    free(c->e);
    for (size_t i = 0; i < c->na; i++)
        pcre2_code_free(c->a[i].code);
    free(c->a);
    for (size_t i = 0; i < c->nbk; i++) {
        for (size_t j = 0; j < c->bk[i].ncodes; j++)
            pcre2_code_free(c->bk[i].codes[j]);
        free(c->bk[i].codes);
        for (size_t j = 0; j < c->bk[i].nprobe; j++)
            pcre2_code_free(c->bk[i].probe[j]);
        free(c->bk[i].probe);
        free(c->bk[i].alias);
    }
    free(c->bk);
    for (size_t i = 0; i < c->nblind; i++)
        pcre2_code_free(c->blind[i].code);
    free(c->blind);
    free_counts(c->before, c->nbefore);
    free_counts(c->after, c->nafter);
    for (size_t i = 0; i < c->nveto; i++)
        pcre2_code_free(c->veto[i]);
    free(c->veto);
    for (size_t i = 0; i < c->nt; i++) {
        free(c->t[i].text);
        free(c->t[i].span);
    }
    free(c->t);
    free(c->path);
    free(c);
}

size_t hwcat_size(const hwcat *c)
{
    return c ? c->n : 0;
}

/* ---- scanning --------------------------------------------------------- */

/* The callout at the end of each alias of an enumerating alternation:
 * the first time an alias gets there is where its own match ends (the
 * alternation tries its paths in the order it would alone); then it fails,
 * so that every other alias is tried too. */
static int alias_callout(pcre2_callout_block *cb, void *data)
{
    hwscan *s = data;
    size_t j = 0;
    for (PCRE2_SIZE i = 0; i < cb->callout_string_length; i++)
        j = j * 10 + (size_t)(cb->callout_string[i] - '0');
    if (s->aend[j] == SIZE_MAX)
        s->aend[j] = cb->current_position;
    return 1;
}

hwscan *hwscan_new(const hwcat *c)
{
    hwscan *s = xcalloc(1, sizeof *s);
    s->md = pcre2_match_data_create(c->ovec, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    s->blind_at = xcalloc(c->nblind ? c->nblind : 1, sizeof *s->blind_at);
    s->memo4 = xcalloc((size_t)1 << HW_MEMO4_BITS, sizeof *s->memo4);
    s->memo8 = xcalloc((size_t)1 << HW_MEMO8_BITS, sizeof *s->memo8);
    s->cand = xmalloc(HW_BLOCK * sizeof *s->cand);
    s->blind = xmalloc(HW_BLOCK);
    if (!s->md || !s->mctx) {
        cs_error("out of memory");
        exit(CS_EXIT_DOCERR);
    }
    pcre2_set_match_limit(s->mctx, HW_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, HW_DEPTH_LIMIT);
    if (s->stack)
        pcre2_jit_stack_assign(s->mctx, NULL, s->stack);
    s->ectx = pcre2_match_context_copy(s->mctx);
    if (!s->ectx) {
        cs_error("out of memory");
        exit(CS_EXIT_DOCERR);
    }
    pcre2_set_callout(s->ectx, alias_callout, s);
    size_t most = 1;
    for (size_t i = 0; i < c->nbk; i++)
        if (c->bk[i].nalias > most)
            most = c->bk[i].nalias;
    s->aend = xmalloc(most * sizeof *s->aend);
    return s;
}

void hwscan_free(hwscan *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_match_context_free(s->ectx);
    free(s->aend);
    pcre2_jit_stack_free(s->stack);
    free(s->blind_at);
    free(s->memo4);
    free(s->memo8);
    free(s->cand);
    free(s->blind);
    free(s);
}

/* pcre2_match with the scanner's context; NOMATCH is 0, a match 1, an error
 * -1 with *err set. */
static int match(hwscan *s, const pcre2_code *re, const char *subj, size_t len, size_t at, const char *what,
                 char **err)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)subj, len, at, PCRE2_NO_UTF_CHECK, s->md, s->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        *err = xasprintf("hardware catalog: %s: %s", what, msg);
        return -1;
    }
    return 1;
}

static const struct { const char *w; int n; } count_words[] = {
    { "one", 1 }, { "single", 1 }, { "a single", 1 }, { "two", 2 }, { "dual", 2 }, { "a pair of", 2 },
    { "three", 3 }, { "four", 4 }, { "quad", 4 }, { "five", 5 }, { "six", 6 }, { "seven", 7 },
    { "eight", 8 }, { "nine", 9 }, { "ten", 10 }, { "eleven", 11 }, { "twelve", 12 }, { "sixteen", 16 },
    { "thirty-two", 32 }, { "sixty-four", 64 },
};

/* "2,048" -> 2048, "eight" -> 8; -1 for what is not a plausible count:
 * 0, a year written as 2024, more than a million. */
static long long count_value(const char *p, size_t n)
{
    while (n && isspace((unsigned char)*p))
        p++, n--;
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (n && isdigit((unsigned char)*p)) {
        long long v = 0;
        int sep = 0;
        for (size_t i = 0; i < n; i++) {
            if (isdigit((unsigned char)p[i])) {
                v = v * 10 + (p[i] - '0');
                if (v > 1000000)
                    return -1;
            } else if (p[i] == ',' || p[i] == '_' || p[i] == ' ') {
                sep = 1;
            } else {
                return -1;
            }
        }
        if (v == 0 || (!sep && n == 4 && v >= 1990 && v <= 2039))
            return -1;
        return v;
    }
    for (size_t i = 0; i < sizeof count_words / sizeof *count_words; i++) {
        const char *w = count_words[i].w;
        if (strlen(w) == n && !strncasecmp(w, p, n))
            return count_words[i].n;
    }
    /* "a  single": words separated by other blanks */
    if (n > 2 && (p[0] == 'a' || p[0] == 'A') && isspace((unsigned char)p[1]))
        return count_value(p + 1, n - 1) == 1 ? 1 : -1;
    return -1;
}

/* The count just before [start) (window of HW_COUNT_WINDOW bytes) or just
 * after end; -1 when none.  The windows are cut on character boundaries so
 * that they stay valid UTF-8. */
static int find_count(const hwcat *c, hwscan *s, const char *text, size_t len, size_t start, size_t end,
                      long long *out, char **err)
{
    *out = -1;
    size_t we = len - end > HW_COUNT_WINDOW ? end + HW_COUNT_WINDOW : len;
    while (we > end && we < len && ((unsigned char)text[we] & 0xC0) == 0x80)
        we--;
    for (size_t i = 0; i < c->nveto; i++) {
        int rc = match(s, c->veto[i], text + end, we - end, 0, "count-veto", err);
        if (rc)
            return rc < 0 ? -1 : 0;
    }
    size_t ws = start > HW_COUNT_WINDOW ? start - HW_COUNT_WINDOW : 0;
    while (ws < start && ((unsigned char)text[ws] & 0xC0) == 0x80)
        ws++;
    for (size_t i = 0; i < c->nbefore; i++) {
        int rc = match(s, c->before[i].code, text + ws, start - ws, 0, "count", err);
        if (rc < 0)
            return -1;
        if (rc) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            uint32_t g = c->before[i].group;
            if (ov[2 * g] != PCRE2_UNSET && (*out = count_value(text + ws + ov[2 * g], ov[2 * g + 1] - ov[2 * g])) > 0)
                return 0;
        }
    }
    for (size_t i = 0; i < c->nafter; i++) {
        int rc = match(s, c->after[i].code, text + end, we - end, 0, "count-after", err);
        if (rc < 0)
            return -1;
        if (rc) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            uint32_t g = c->after[i].group;
            if (ov[2 * g] != PCRE2_UNSET &&
                (*out = count_value(text + end + ov[2 * g], ov[2 * g + 1] - ov[2 * g])) > 0)
                return 0;
        }
    }
    *out = -1;
    return 0;
}

static size_t entry_of(const hwcat *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].name == name)
            return i;
    return SIZE_MAX;
}

/* For entries named in the text without a count and with a "unit" line:
 * the first "<count> <unit>" anywhere in the text counts them. */
static int unit_counts(const hwcat *c, hwscan *s, const char *text, size_t len, cs_hw *occ, size_t from,
                       size_t to, char **err)
{
    for (size_t i = from; i < to; i++) {
        size_t e = entry_of(c, occ[i].hardware);
        if (e == SIZE_MAX || !c->e[e].unit)
            continue;
        int seen = 0;
        for (size_t j = from; j < to && !seen; j++)
            seen = occ[j].hardware == occ[i].hardware && (j < i || occ[j].count >= 0);
        if (seen)
            continue;
        size_t at = 0;
        int rc;
        while (at <= len && (rc = match(s, c->e[e].unit, text, len, at, c->e[e].name, err)) > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            size_t us = ov[0], ue = ov[1];
            long long n;
            if (find_count(c, s, text, len, us, ue, &n, err))
                return -1;
            if (n > 0) {
                occ[i].count = n;
                break;
            }
            at = ue > us ? ue : us + 1;
            while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
                at++;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

#define BLIND_NONE SIZE_MAX             /* no match left */
#define BLIND_ALL (SIZE_MAX - 1)        /* the search failed: try every word start */

/* Where blind alias k next matches at or after at, in s->blind_at[k]. */
static int blind_search(const hwcat *c, hwscan *s, size_t k, const char *text, size_t len, size_t at, char **err)
{
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
        at++;
    int rc = pcre2_match(c->blind[k].code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, s->md, s->mctx);
    if (rc == PCRE2_ERROR_NOMATCH) {
        s->blind_at[k] = BLIND_NONE;
    } else if (rc < 0 && rc != PCRE2_ERROR_MATCHLIMIT && rc != PCRE2_ERROR_DEPTHLIMIT &&
               rc != PCRE2_ERROR_JIT_STACKLIMIT) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        *err = xasprintf("hardware catalog: %s: %s", c->e[c->a[c->blind[k].alias].entry].name, msg);
        return -1;
    } else {
        /* a limit hit over a whole search is no error of one word start:
         * leave it to the anchored matches, as without the prefilter */
        s->blind_at[k] = rc < 0 ? BLIND_ALL : pcre2_get_ovector_pointer(s->md)[2];
    }
    return 0;
}

/* Whether p begins a word: after a byte that is not an ASCII letter or
 * digit, or after the "x" of "16x". */
static inline int word_start(const hwcat *c, const unsigned char *t, size_t p)
{
    return p == 0 || (c->cls[t[p - 1]] & C_END) ||
           ((c->cls[t[p - 1]] & C_X) && p > 1 && (c->cls[t[p - 2]] & C_DIGIT));
}

/* Whether a text starting with the n bytes at p, which key holds, may
 * match an alias of bk: probe once, then ask the memo. */
static int memo_probe(hwscan *s, const hw_bucket *bk, const unsigned char *t, size_t p, size_t n, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15u;
    if (n <= 4) {
        uint32_t *slot = &s->memo4[h >> (64 - HW_MEMO4_BITS)];
        if ((*slot & ~MEMO4_MAY) != key)
            *slot = (uint32_t)key | (probe(bk, t + p, n, s->md, s->mctx) ? MEMO4_MAY : 0);
        return (*slot & MEMO4_MAY) != 0;
    }
    uint64_t *slot = &s->memo8[h >> (64 - HW_MEMO8_BITS)];
    if ((*slot & ~MEMO8_MAY) != key)
        *slot = key | (probe(bk, t + p, n, s->md, s->mctx) ? MEMO8_MAY : 0);
    return (*slot & MEMO8_MAY) != 0;
}

/* Whether an alias of bk may match at p, from the word there: its first 8
 * bytes at most, up to and with the byte that ends it ("an " rules out
 * "Analog", "intellig" rules out "Intel"), ASCII only.  Probing is as slow
 * as matching, but a text has few distinct words, so the answers are kept
 * in direct-mapped memos: each slot a key (the bytes, padded with zeros;
 * no NUL among them, so the padding says how long it is) with the answer
 * in its top bit (always 0 in ASCII).  A long word is first looked up by
 * its first 4 bytes, which it shares with many others ("comp", "cons"), in
 * a memo small enough to stay in cache.  A word that may match is read on
 * into the next one, to 8 bytes: "neural n" rules out "Neural Engine",
 * "core th" rules out "Core i7", where a match call would cost more than a
 * probe, and these few keys are soon all in the memo. */
static int word_may(const hwcat *c, hwscan *s, const hw_bucket *bk, const unsigned char *t, size_t len, size_t p)
{
    uint64_t key = 0;
    size_t n = 0, max = len - p < 8 ? len - p : 8;
    while (n < max) {
        unsigned char b = t[p + n];
        if (b == 0 || b >= 0x80)
            break;
        key |= (uint64_t)b << (8 * n++);
        if ((n == 3 || n == 5 || (c->cls[b] & C_END)) && n < max && !memo_probe(s, bk, t, p, n, key))
            return 0;
    }
    return n ? memo_probe(s, bk, t, p, n, key) : 1;
}

/* Whether an alias may match at p: p begins a word with a byte that some
 * alias starts with, and c->pair and word_may do not rule it out, or a
 * blind alias matches there (blind). */
static int may_start(const hwcat *c, hwscan *s, const unsigned char *t, size_t len, size_t p, int blind)
{
    unsigned char ch = t[p];
    if (!c->first[ch] || !word_start(c, t, p))
        return 0;
    if (p + 1 == len || blind)
        return 1;
    unsigned char nx = t[p + 1];
    return ((c->pair[ch][nx / 8] >> (nx % 8)) & 1) && word_may(c, s, &c->bk[c->first[ch] - 1], t, len, p);
}

/* Candidates for may_start in [at, end), in order, into s->cand: the word
 * starts that pass c->pair (found without a branch per byte, which is most
 * of the speed), and where the blind aliases match, marked in s->blind
 * (indexed from at).  Returns how many, or (size_t)-1 with *err set. */
static size_t candidates(const hwcat *c, hwscan *s, const unsigned char *t, size_t len, size_t at, size_t end,
                         char **err)
{
    size_t *cand = s->cand, n = 0;
    uint8_t *blind = s->blind;
    memset(blind, 0, end - at);
    for (size_t k = 0; k < c->nblind; k++) {
        size_t *b = &s->blind_at[k];
        if (*b < at && blind_search(c, s, k, (const char *)t, len, at, err))
            return (size_t)-1;
        while (*b < end) {
            blind[*b - at] = 1;
            if (blind_search(c, s, k, (const char *)t, len, *b + 1, err))
                return (size_t)-1;
        }
        if (*b == BLIND_ALL)
            memset(blind, 1, end - at);
    }
    size_t stop = end < len ? end : len - 1;
    unsigned ws = (unsigned)word_start(c, t, at), prev = at ? c->cls[t[at - 1]] : 0;
    for (size_t p = at; p < stop; p++) {
        unsigned ch = t[p], nx = t[p + 1], k = c->cls[ch];
        cand[n] = p;
        n += (ws & (c->pair[ch][nx / 8] >> (nx % 8))) | blind[p - at];
        ws = (k & C_END) | ((k & C_X) && (prev & C_DIGIT));
        prev = k;
    }
    if (stop < end)             /* the last byte of the text */
        cand[n++] = stop;
    return n;
}

/* Tries every alias that can start at p: the longest match wins, the first
 * in file order on a tie.  Returns 1 with the alias in *best and its end in
 * *bend, 0 for none, -1 with *err set. */
static int longest_at(const hwcat *c, hwscan *s, const char *text, size_t len, size_t p, size_t *best,
                      size_t *bend, char **err)
{
    const hw_bucket *bk = &c->bk[c->first[(unsigned char)text[p]] - 1];
    int rc;
    if (bk->enumerating) {
        /* one pass over the bucket's alternation names every alias that
         * matches at p, and where; a match limit there (the whole bucket at
         * once explores more than any alias alone) tries them one by one */
        int ok = 1;
        for (size_t j = 0; j < bk->nalias; j++)
            s->aend[j] = SIZE_MAX;
        for (size_t k = 0; k < bk->ncodes && ok; k++) {
            rc = pcre2_match(bk->codes[k], (PCRE2_SPTR)text, len, p, PCRE2_NO_UTF_CHECK, s->md, s->ectx);
            ok = rc == PCRE2_ERROR_NOMATCH || rc >= 0;
        }
        if (ok) {
            *best = SIZE_MAX;
            for (size_t j = 0; j < bk->nalias; j++)
                if (s->aend[j] != SIZE_MAX && (*best == SIZE_MAX || s->aend[j] > *bend)) {
                    *best = bk->alias[j];
                    *bend = s->aend[j];
                }
            return *best != SIZE_MAX;
        }
    }
    *best = SIZE_MAX;
    for (size_t j = 0; j < bk->nalias; j++) {
        size_t i = bk->alias[j];
        rc = match(s, c->a[i].code, text, len, p, c->e[c->a[i].entry].name, err);
        if (rc < 0)
            return -1;
        size_t e = pcre2_get_ovector_pointer(s->md)[1];
        if (rc && (*best == SIZE_MAX || e > *bend)) {
            *best = i;
            *bend = e;
        }
    }
    return *best != SIZE_MAX;
}

int hwcat_scan(const hwcat *c, hwscan *s, const char *text, size_t len, cs_hw **occ, size_t *nocc,
               size_t *cap, size_t max, size_t *cut, char **err)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t from = *nocc, at = 0;
    *err = NULL;
    *cut = len;
    for (size_t k = 0; k < c->nblind; k++)
        if (blind_search(c, s, k, text, len, 0, err))
            return -1;
    while (at < len) {
        size_t bs = at, end = len - at > HW_BLOCK ? at + HW_BLOCK : len;
        size_t nc = candidates(c, s, t, len, at, end, err);
        if (nc == (size_t)-1)
            return -1;
        for (size_t i = 0; i < nc; i++) {
            size_t p = s->cand[i], best, bend = 0;
            if (p < at || !may_start(c, s, t, len, p, s->blind[p - bs]))
                continue;
            int rc = longest_at(c, s, text, len, p, &best, &bend, err);
            if (rc < 0)
                return -1;
            if (!rc)
                continue;
            if (bend == p) {    /* an empty alias: step over a character */
                at = p + 1;
                while (at < len && (t[at] & 0xC0) == 0x80)
                    at++;
                continue;
            }
            if (*nocc - from == max) {      /* one mention too many: the text ends here */
                *cut = len = p;
                break;
            }
            const hw_entry *e = &c->e[c->a[best].entry];
            long long n;
            if (find_count(c, s, text, len, p, bend, &n, err))
                return -1;
            if (*nocc == *cap) {
                *cap = *cap ? 2 * *cap : 16;
                *occ = xrealloc(*occ, *cap * sizeof **occ);
            }
            (*occ)[(*nocc)++] = (cs_hw){ .hardware = e->name, .vendor = e->vendor, .hwclass = e->hwclass,
                                         .count = n, .start = p, .end = bend };
            at = bend;
        }
        if (at < end)
            at = end;
    }
    return unit_counts(c, s, text, len, *occ, from, *nocc, err);
}

/* a is the first whole words of b: "NVIDIA Jetson" of "NVIDIA Jetson AGX Orin". */
static int word_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return strlen(b) > n && !strncasecmp(a, b, n) && b[n] == ' ';
}

void hw_distinct(const cs_hw *occ, size_t nocc, cs_result *r)
{
    size_t *first = xmalloc((nocc ? nocc : 1) * sizeof *first);
    long long *count = xmalloc((nocc ? nocc : 1) * sizeof *count);
    size_t nd = 0;
    for (size_t i = 0; i < nocc; i++) {
        size_t j = 0;
        while (j < nd && strcmp(occ[first[j]].hardware, occ[i].hardware))
            j++;
        if (j == nd) {
            first[nd] = i;
            count[nd++] = occ[i].count;
        } else if (count[j] < 0) {
            count[j] = occ[i].count;
        }
    }
    for (size_t j = 0; j < nd; j++) {
        size_t k = 0;
        while (k < nd && !word_prefix(occ[first[j]].hardware, occ[first[k]].hardware))
            k++;
        if (k < nd)
            continue;
        cs_hw *h = cs_result_add_hw(r);
        *h = occ[first[j]];
        h->count = count[j];
        h->as_baseline = 0;
    }
    free(first);
    free(count);
}

/* ---- the catalog's own tests ------------------------------------------ */

static void print_found(FILE *f, const cs_result *r)
{
    if (!r->nhw)
        fputs("nothing", f);
    for (size_t i = 0; i < r->nhw; i++) {
        fprintf(f, "%s'%s'", i ? ", " : "", r->hw[i].hardware);
        if (r->hw[i].count >= 0)
            fprintf(f, " count=%lld", r->hw[i].count);
    }
}

int hwcat_check_examples(const hwcat *c, hwscan *s, FILE *f, int *npassed)
{
    int fails = 0, pass = 0;
    cs_hw *occ = NULL;
    size_t cap = 0;
    cs_result r = {0};
    for (size_t i = 0; i < c->nt; i++) {
        const hw_test *t = &c->t[i];
        size_t nocc = 0;
        char *err = NULL;
        cs_result_clear(&r);
        size_t cut;
        if (hwcat_scan(c, s, t->text, strlen(t->text), &occ, &nocc, &cap, SIZE_MAX, &cut, &err)) {
            fprintf(f, "%s:%d: example failed: %s\n", c->path, t->lineno, err);
            free(err);
            fails++;
            continue;
        }
        hw_distinct(occ, nocc, &r);
        const char *name = t->type == T_NONE ? NULL : c->e[t->entry].name;
        int ok = 1;
        if (t->type == T_NONE) {
            ok = nocc == 0;
        } else if (t->type == T_COUNTER) {
            for (size_t j = 0; j < nocc; j++)
                ok &= strcmp(occ[j].hardware, name) != 0;
        } else {
            const cs_hw *h = NULL;
            for (size_t j = 0; j < r.nhw && !h; j++)
                if (!strcmp(r.hw[j].hardware, name))
                    h = &r.hw[j];
            ok = h && (!t->check_count || h->count == t->count) &&
                 (!t->span || (strlen(t->span) == h->end - h->start &&
                               !memcmp(t->span, t->text + h->start, h->end - h->start)));
        }
        if (ok) {
            pass++;
            continue;
        }
        fails++;
        fprintf(f, "%s:%d: example failed: expected ", c->path, t->lineno);
        if (t->type == T_NONE)
            fputs("no hardware", f);
        else if (t->type == T_COUNTER)
            fprintf(f, "not '%s'", name);
        else {
            fprintf(f, "'%s'", name);
            if (t->check_count && t->count >= 0)
                fprintf(f, " count=%lld", t->count);
            else if (t->check_count)
                fputs(" count=null", f);
            if (t->span)
                fprintf(f, " text=\"%s\"", t->span);
        }
        fputs(", got ", f);
        if (t->type == T_COUNTER)
            for (size_t j = 0; j < nocc; j++)
                fprintf(f, "%s'%s' at \"%.*s\"", j ? ", " : "", occ[j].hardware,
                        (int)(occ[j].end - occ[j].start), t->text + occ[j].start);
        else {
            print_found(f, &r);
            for (size_t j = 0; j < r.nhw && t->span; j++)
                if (!strcmp(r.hw[j].hardware, name))
                    fprintf(f, " text=\"%.*s\"", (int)(r.hw[j].end - r.hw[j].start), t->text + r.hw[j].start);
        }
        fputc('\n', f);
    }
    free(occ);
    cs_result_free(&r);
    if (npassed)
        *npassed = pass;
    return fails;
}
