/* rules.c: loads rule files and compiles them once.  All knowledge of
 * phrasing is in rules/; this file only knows the block format:
 *
 *   define NAME REGEX            a macro, {NAME} elsewhere
 *   rule ID                      a claim rule (fields below)
 *     kind KIND|auto|none|inherit
 *     pattern REGEX              repeatable: alternatives
 *     unit U / qualifier Q / pct gain|reduction|of / priority N
 *     follow / share / flip / subject baseline / start number|cue / requires REGEX
 *     example "text" field=value ...      counter "text"
 *   qualifier Q                  before REGEX / after REGEX (repeatable)
 *   baseline                     cue REGEX with a group named base (repeatable)
 *   sentence|candidate|candidate-words|listitem|listsep|respectively|hw-baseline|hw-on|qual-share|numstart|cuestart REGEX
 *   metric KIND gain|reduction REGEX     what a metric named in a list measures
 *   limits match=N depth=N
 */
#include "rules.h"
#include "screen.h"
#include "cs.h"
#include "hardware.h"

#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Appended to a rule without "start": it is tried at every byte except
 * inside a word (a letter after a letter), stepping over the rest of a word
 * once its first letter has been tried.  So "mAP" is not found in "bitmap". */
#define NOT_IN_WORD "|[a-z]++(*SKIP)(*FAIL)"

static const char *const group_names[G__COUNT] = {
    "value", "lo", "hi", "unit", "qual", "base", "list", "span", "metrics",
};

pcre2_code *rules_compile(const char *pat, uint32_t flags, const char *file, int line)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_CASELESS | PCRE2_DUPNAMES | flags,
                                   &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        fprintf(stderr, "%s:%d: error: offset %zu: %s\n", file, line, (size_t)erroff, (char *)msg);
        return NULL;
    }
    int rc = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    if (rc != 0 && rc != PCRE2_ERROR_JIT_BADOPTION) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        fprintf(stderr, "%s:%d: error: JIT: %s\n", file, line, (char *)msg);
        pcre2_code_free(re);
        return NULL;
    }
    return re;
}

/* The length of a leading macro reference of p that can be factored out of
 * an alternation: "{NAME}", or one in a named group, "(?<value>{NUM})"; not
 * followed by a quantifier.  0 when p does not begin with one. */
static size_t lead_macro(const char *p)
{
    size_t n = 0;
    if (p[0] == '(' && p[1] == '?' && p[2] == '<' && ((p[3] >= 'a' && p[3] <= 'z') || (p[3] >= 'A' && p[3] <= 'Z'))) {
        n = 3;
        while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9') ||
               p[n] == '_')
            n++;
        if (p[n] != '>')
            return 0;
        n++;
    }
    if (p[n] != '{' || !(p[n + 1] >= 'A' && p[n + 1] <= 'Z'))
        return 0;
    n++;
    while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
        n++;
    if (p[n] != '}')
        return 0;
    n++;
    if (p[0] == '(' && p[n++] != ')')
        return 0;
    if (p[n] == '?' || p[n] == '*' || p[n] == '+' || (p[n] == '{' && p[n + 1] >= '0' && p[n + 1] <= '9'))
        return 0;
    return n;
}

/* Whether a pattern has a '|' outside every group (escapes, classes and
 * \Q...\E skipped): such a rest cannot be put in a group after a prefix. */
static int top_level_bar(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1] == 'Q') {
            const char *e = strstr(p, "\\E");
            if (!e)
                return 0;
            p = e + 1;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '[') {
            p++;
            if (*p == '^')
                p++;
            if (*p == ']')
                p++;
            for (; *p && *p != ']'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '[' && p[1] == ':' && strstr(p + 2, ":]"))
                    p = strstr(p + 2, ":]") + 1;
            }
            if (!*p)
                return 0;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (*p == '|' && depth == 0) {
            return 1;
        }
    }
    return 0;
}

/* Writes one alternation matching wherever any of lines[0..n) matches (raw,
 * macros unexpanded).  Lines that begin with the same macro share it
 * ("{QUAL}{VAL}(?:rest1|rest2)"), so the number before a dozen rules is
 * parsed once, and lines written twice are tried once.  Macros expand inside
 * a group, so "{M}rest" means "(?:M)(?:rest)" unless rest has a top-level
 * '|'; those lines stay whole.  Each line ends in a callout naming the rules
 * (own[], indexes into the rule set) it came from: "(?C'3,17')". */
static void factor(sbuf *out, const char **lines, const size_t *own, size_t n)
{
    int *done = xcalloc(n, sizeof *done);
    const char **sub = xmalloc(n * sizeof *sub);
    size_t *subown = xmalloc(n * sizeof *subown);
    int alts = 0;
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        size_t m = lead_macro(lines[i]);
        if (m && top_level_bar(lines[i] + m))
            m = 0;
        size_t nsub = 0;
        for (size_t j = i; j < n; j++) {
            if (done[j])
                continue;
            if (m ? lead_macro(lines[j]) == m && !strncmp(lines[j], lines[i], m) && !top_level_bar(lines[j] + m)
                  : !strcmp(lines[j], lines[i])) {
                done[j] = 1;
                sub[nsub] = lines[j] + m;
                subown[nsub++] = own[j];
            }
        }
        if (alts++)
            sb_putc(out, '|');
        if (!m) {
            /* a line written twice is tried once, for all its rules */
            sb_printf(out, "(?:%s)(?C'", lines[i]);
            for (size_t k = 0; k < nsub; k++) {
                size_t o;
                for (o = 0; o < k && subown[o] != subown[k]; o++)
                    ;
                if (o == k)
                    sb_printf(out, "%s%zu", k ? "," : "", subown[k]);
            }
            sb_puts(out, "')");
        } else {
            sb_printf(out, "%.*s(?:", (int)m, lines[i]);
            const char **s2 = xmalloc(nsub * sizeof *s2);
            size_t *o2 = xmalloc(nsub * sizeof *o2);
            memcpy(s2, sub, nsub * sizeof *s2);
            memcpy(o2, subown, nsub * sizeof *o2);
            factor(out, s2, o2, nsub);
            free(s2);
            free(o2);
            sb_putc(out, ')');
        }
    }
    free(sub);
    free(subown);
    free(done);
}

/* The bytes a match of re can start with, as a bitmap: PCRE2's own start
 * analysis (every byte when it has none). */
static void first_bytes(const pcre2_code *re, uint8_t map[32])
{
    uint32_t type = 0, cu;
    const uint8_t *bits;
    if (re)
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0) {
        memset(map, 0, 32);
        map[cu >> 3] |= (uint8_t)(1u << (cu & 7));
        return;
    }
    if (type == 0 && re && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits) {
        memcpy(map, bits, 32);
        return;
    }
    memset(map, 0xff, 32);
}

static int inline_options(const char *p);
static pcre2_code *compile_prefilter(const ruleset *rs, const char *raw, int start, int calls, char **src);
static void add_screen(const char *exp, uint32_t flags, screen **scr, pcre2_code **anch, const char **why,
                       const char *file, int line);

/* Joins rules[idx[0..n)] into one alternation; a pattern too large for one
 * regex is split in halves.  Appends prefilters and sets each rule's. */
static void join_rules(ruleset *rs, const size_t *idx, size_t n, int start)
{
    if (!n)
        return;
    pcre2_code *re = NULL;
    char *src = NULL;
    if (n > 1) {    /* one rule alone is its own test */
        size_t nl = 0;
        for (size_t i = 0; i < n; i++)
            nl += rs->rules[idx[i]].nlines;
        const char **lines = xmalloc(nl * sizeof *lines);
        size_t *own = xmalloc(nl * sizeof *own);
        nl = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < rs->rules[idx[i]].nlines; k++) {
                own[nl] = idx[i];
                lines[nl++] = rs->rules[idx[i]].lines[k];
            }
        sbuf raw = {0};
        sb_puts(&raw, "(?:");
        factor(&raw, lines, own, nl);
        sb_putc(&raw, ')');
        free(lines);
        free(own);
        /* macros inline, as in the rules themselves; when that is too large
         * for one regex, as calls of one definition each (smaller, and
         * better than two regexes, though a call costs more than inline) */
        char **want = start == 'a' ? &src : NULL;   /* (a screen is for 'a' only) */
        re = compile_prefilter(rs, raw.s, start, 0, want);
        if (!re && !inline_options(raw.s))
            re = compile_prefilter(rs, raw.s, start, 1, want);
        sb_free(&raw);
        if (!re) {
            join_rules(rs, idx, n / 2, start);
            join_rules(rs, idx + n / 2, n - n / 2, start);
            return;
        }
    }
    rs->prefilters = xrealloc(rs->prefilters, (rs->nprefilters + 1) * sizeof *rs->prefilters);
    size_t *rules = xmalloc(n * sizeof *rules);
    memcpy(rules, idx, n * sizeof *rules);
    prefilter *pf = &rs->prefilters[rs->nprefilters];
    *pf = (prefilter){.re = re, .start = start, .rules = rules, .nrules = n};
    first_bytes(re, pf->first);
    if (src)                    /* 'a': searched over whole sentences */
        add_screen(src, PCRE2_NO_AUTO_CAPTURE, &pf->scr, &pf->anch, &pf->noscreen, "(prefilter)", 0);
    free(src);
    for (size_t i = 0; i < n; i++)
        rs->rules[idx[i]].prefilter = rs->nprefilters;
    rs->nprefilters++;
}

/* Whether a pattern sets options inline around a macro ("(?i)" anywhere,
 * or "(?-i:...{M}...)"): a macro called from there would not see them. */
static int inline_options(const char *p)
{
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (p[0] != '(' || p[1] != '?')
            continue;
        const char *q = p + 2;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '-' || *q == '^')
            q++;
        if (q == p + 2 || p[2] == 'P')
            continue;
        if (*q == ')')
            return 1;
        if (*q != ':')
            continue;
        int depth = 1;
        for (q++; *q && depth; q++) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '(')
                depth++;
            else if (*q == ')')
                depth--;
            else if (*q == '{' && ((q[1] >= 'A' && q[1] <= 'Z') || q[1] == '_'))
                return 1;
        }
    }
    return 0;
}

/* The prefilter regex for a factored alternation (raw, macros unexpanded),
 * or NULL when PCRE2 refuses it (too large); its expansion in *src when src
 * is not NULL. */
static pcre2_code *compile_prefilter(const ruleset *rs, const char *raw, int start, int calls, char **src)
{
    char *exp, *err;
    if ((calls ? rf_expand_calls : rf_expand)(&rs->macros, raw, &exp, &err)) {
        free(err);      /* cannot happen: each line expanded before */
        return NULL;
    }
    sbuf b = {0};
    sb_puts(&b, exp);
    free(exp);
    if (start == 'a')
        sb_puts(&b, NOT_IN_WORD);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)b.s, b.len, PCRE2_UTF | PCRE2_CASELESS | PCRE2_DUPNAMES |
                                   PCRE2_NO_AUTO_CAPTURE | (start == 'a' ? 0 : PCRE2_ANCHORED), &ec, &eo, NULL);
    if (re && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(re);
        re = NULL;
    }
    if (re && src)
        *src = xstrdup(b.s);
    sb_free(&b);
    return re;
}

static void build_prefilters(ruleset *rs)
{
    size_t *idx = xmalloc((rs->nrules + 1) * sizeof *idx);
    static const int starts[] = {'n', 'c', 'a'};
    for (size_t k = 0; k < 3; k++) {
        size_t n = 0;
        for (size_t i = 0; i < rs->nrules; i++) {
            const rule *r = &rs->rules[i];
            if (r->follow || (r->numfirst ? 'n' : r->cuefirst ? 'c' : 'a') != starts[k])
                continue;
            if (regex_joinable(r->source))
                idx[n++] = i;
            else
                join_rules(rs, &i, 1, starts[k]);   /* stands alone, always tried */
        }
        join_rules(rs, idx, n, starts[k]);
    }
    free(idx);
}

/* Hash of the rule set's bytes (FNV-1a 64) for provenance. */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[8192];
    size_t n;
    *h = fnv(*h, path + (strrchr(path, '/') ? (size_t)(strrchr(path, '/') - path) : 0), strlen(path) - (strrchr(path, '/') ? (size_t)(strrchr(path, '/') - path) : 0));
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        *h = fnv(*h, buf, n);
    fclose(f);
    return 0;
}

typedef struct loader {
    ruleset *rs;
    const char *file;
    int errors;
} loader;

#define LERR(L, line, ...) do { \
        fprintf(stderr, "%s:%d: error: ", (L)->file, (line)); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
        (L)->errors++; \
    } while (0)

/* Compiles pat with its macros expanded; the expansion is handed back in
 * *expanded (when not NULL and it compiled), for a screen. */
static pcre2_code *compile_expanded(loader *L, const char *pat, uint32_t flags, int line, char **expanded)
{
    char *exp, *err;
    if (rf_expand(&L->rs->macros, pat, &exp, &err)) {
        LERR(L, line, "%s", err);
        free(err);
        return NULL;
    }
    pcre2_code *re = rules_compile(exp, flags, L->file, line);
    if (!re)
        L->errors++;
    if (re && expanded)
        *expanded = exp;
    else
        free(exp);
    return re;
}

/* A screen for re (its pattern expanded: exp) and the anchored copy it
 * needs; *scr stays NULL when the pattern has none. */
static void add_screen(const char *exp, uint32_t flags, screen **scr, pcre2_code **anch, const char **why,
                       const char *file, int line)
{
    screen *s = xmalloc(sizeof *s);
    screen_build(s, exp, why);
    if (s->on)
        *anch = rules_compile(exp, flags | PCRE2_ANCHORED, file, line);
    if (!s->on || !*anch) {
        screen_free(s);
        free(s);
        return;
    }
    *scr = s;
}

static void ctx_set(loader *L, ctx_re *c, const char *pat, int line, int screened)
{
    if (c->re) {
        LERR(L, line, "directive given twice (first at %s:%d)", c->file, c->line);
        return;
    }
    char *exp = NULL;
    c->re = compile_expanded(L, pat, 0, line, screened ? &exp : NULL);
    c->file = xstrdup(L->file);
    c->line = line;
    if (exp)
        add_screen(exp, 0, &c->scr, &c->anch, &c->noscreen, L->file, line);
    free(exp);
}

static void ctx_add(loader *L, ctx_re **arr, size_t *n, const char *pat, int line, int qual)
{
    pcre2_code *re = compile_expanded(L, pat, 0, line, NULL);
    if (!re)
        return;
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    ctx_re *c = &(*arr)[(*n)++];
    *c = (ctx_re){0};
    c->re = re;
    c->qual = qual;
    c->base_group = -1;
    c->file = xstrdup(L->file);
    c->line = line;
    int num = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "base");
    if (num > 0)
        c->base_group = num;
}

/* Records which group numbers carry each known name in groups (0-terminated
 * lists) and how many in used; returns the first unknown name, or NULL. */
static const char *collect_groups(const pcre2_code *re, int groups[G__COUNT][MAX_DUP], int used[G__COUNT])
{
    uint32_t count, size;
    PCRE2_SPTR table;
    pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
    memset(used, 0, G__COUNT * sizeof *used);
    const char *bad = NULL;
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR e = table + i * size;
        int num = (e[0] << 8) | e[1];
        const char *name = (const char *)e + 2;
        int g;
        for (g = 0; g < G__COUNT; g++)
            if (!strcmp(name, group_names[g]))
                break;
        if (g == G__COUNT) {
            bad = bad ? bad : name;
            continue;
        }
        if (used[g] < MAX_DUP - 1)
            groups[g][used[g]++] = num;
    }
    return bad;
}

/* The groups of a claim rule: unknown names and missing numbers are errors. */
static void rule_groups(loader *L, rule *r)
{
    int used[G__COUNT];
    const char *bad = collect_groups(r->re, r->groups, used);
    if (bad)
        LERR(L, r->line, "rule '%s': unknown group name '%s' (known: value lo hi unit qual base list span metrics)",
             r->id, bad);
    for (int g = 0; g < G__COUNT; g++)
        if (used[g] == MAX_DUP - 1)
            LERR(L, r->line, "rule '%s': more than %d groups named '%s'", r->id, MAX_DUP - 2, group_names[g]);
    if (r->kind != KIND_NONE && !used[G_VALUE] && !used[G_HI] && !used[G_LIST])
        LERR(L, r->line, "rule '%s': pattern has no group named value, hi or list", r->id);
    if (used[G_LO] != used[G_HI])
        LERR(L, r->line, "rule '%s': groups lo and hi go together", r->id);
    if (r->kind != KIND_NONE && r->kind != KIND_INHERIT && !used[G_UNIT] && !r->unit && !used[G_LIST])
        LERR(L, r->line, "rule '%s': no unit group and no 'unit' field", r->id);
    if ((r->kind == KIND_METRIC) != (used[G_METRICS] > 0 && used[G_LIST] > 0))
        LERR(L, r->line, "rule '%s': kind metric goes with a list group and a metrics group", r->id);
}

static int parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < -1000000 || v > 1000000)
        return -1;
    *out = (int)v;
    return 0;
}

/* Compiles one pattern line alone, so that an error names its own line and
 * the offset in it (after macro expansion, which the message then says). */
static void check_pattern(loader *L, const char *pat, int line)
{
    char *exp, *err;
    if (rf_expand(&L->rs->macros, pat, &exp, &err)) {
        LERR(L, line, "%s", err);
        free(err);
        return;
    }
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)exp, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_CASELESS | PCRE2_DUPNAMES, &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        LERR(L, line, "offset %zu%s: %s", (size_t)erroff, strcmp(exp, pat) ? " (after macro expansion)" : "",
             (char *)msg);
    }
    pcre2_code_free(re);
    free(exp);
}

/* One "rule" block: lines[i] is the header; returns the index after it. */
static size_t load_rule(loader *L, rf_file *f, size_t i)
{
    ruleset *rs = L->rs;
    rf_line *h = &f->lines[i];
    if (!*h->val) {
        LERR(L, h->lineno, "rule needs an id");
    } else {
        for (size_t k = 0; k < rs->nrules; k++)
            if (!strcmp(rs->rules[k].id, h->val))
                LERR(L, h->lineno, "duplicate rule id '%s' (first at %s:%d)", h->val,
                     rs->rules[k].file, rs->rules[k].line);
    }
    rs->rules = xrealloc(rs->rules, (rs->nrules + 1) * sizeof *rs->rules);
    rule *r = &rs->rules[rs->nrules++];
    memset(r, 0, sizeof *r);
    r->id = xstrdup(h->val);
    r->file = xstrdup(L->file);
    r->line = h->lineno;
    r->kind = -1;
    r->qualifier = -1;
    r->pct = PCT_GAIN;
    sbuf pat = {0};
    int npat = 0, errors_before = L->errors;
    for (i++; i < f->n && f->lines[i].indented; i++) {
        rf_line *l = &f->lines[i];
        const char *k = l->key, *v = l->val;
        if (!strcmp(k, "kind")) {
            if (!strcmp(v, "auto"))
                r->kind = KIND_AUTO;
            else if (!strcmp(v, "none"))
                r->kind = KIND_NONE;
            else if (!strcmp(v, "inherit"))
                r->kind = KIND_INHERIT;
            else if (!strcmp(v, "metric"))
                r->kind = KIND_METRIC;
            else if ((r->kind = cs_kind_parse(v)) < 0)
                LERR(L, l->lineno, "unknown kind '%s'", v);
        } else if (!strcmp(k, "pattern")) {
            if (!*v)
                LERR(L, l->lineno, "empty pattern");
            else
                check_pattern(L, v, l->lineno);
            if (npat++)
                sb_putc(&pat, '|');
            sb_puts(&pat, "(?:");
            sb_puts(&pat, v);
            sb_puts(&pat, ")");
            r->lines = xrealloc(r->lines, (r->nlines + 1) * sizeof *r->lines);
            r->lines[r->nlines++] = xstrdup(v);
        } else if (!strcmp(k, "unit")) {
            if (!(r->unit = units_find(&rs->units, v)))
                LERR(L, l->lineno, "unknown unit '%s' (see units.map)", v);
        } else if (!strcmp(k, "qualifier")) {
            if ((r->qualifier = cs_qual_parse(v)) < 0)
                LERR(L, l->lineno, "unknown qualifier '%s'", v);
        } else if (!strcmp(k, "pct")) {
            if (!strcmp(v, "gain"))
                r->pct = PCT_GAIN;
            else if (!strcmp(v, "reduction"))
                r->pct = PCT_REDUCTION;
            else if (!strcmp(v, "of"))
                r->pct = PCT_OF;
            else
                LERR(L, l->lineno, "pct is gain, reduction or of, not '%s'", v);
        } else if (!strcmp(k, "priority")) {
            if (parse_int(v, &r->priority))
                LERR(L, l->lineno, "priority must be an integer");
        } else if (!strcmp(k, "follow") && !*v) {
            r->follow = 1;
        } else if (!strcmp(k, "requires")) {
            if (r->requires)
                LERR(L, l->lineno, "rule '%s': requires given twice", r->id);
            else
                r->requires = compile_expanded(L, v, 0, l->lineno, NULL);
        } else if (!strcmp(k, "start")) {
            if (!strcmp(v, "number"))
                r->numfirst = 1;
            else if (!strcmp(v, "cue"))
                r->cuefirst = 1;
            else
                LERR(L, l->lineno, "start takes 'number' or 'cue' (where the rule's matches may begin)");
        } else if (!strcmp(k, "share") && !*v) {
            r->share = 1;
        } else if (!strcmp(k, "flip") && !*v) {
            r->flip = 1;
        } else if (!strcmp(k, "subject")) {
            if (!strcmp(v, "baseline"))
                r->subject_baseline = 1;
            else if (strcmp(v, "self"))
                LERR(L, l->lineno, "subject is self or baseline");
        } else if (!strcmp(k, "example") || !strcmp(k, "counter")) {
            rule_example ex = {.lineno = l->lineno, .positive = k[0] == 'e'};
            char *err;
            if (rf_parse_example(v, &ex.ex, &err)) {
                LERR(L, l->lineno, "%s", err);
                free(err);
            } else {
                r->examples = xrealloc(r->examples, (r->nexamples + 1) * sizeof *r->examples);
                r->examples[r->nexamples++] = ex;
            }
        } else {
            LERR(L, l->lineno, "unknown field '%s' in rule '%s'", k, r->id);
        }
    }
    if (r->kind == -1)
        LERR(L, r->line, "rule '%s' has no kind", r->id);
    if (!npat) {
        LERR(L, r->line, "rule '%s' has no pattern", r->id);
    } else {
        char *err;
        if (L->errors > errors_before) {
            /* the pattern line was reported already */
        } else if (rf_expand(&rs->macros, pat.s, &r->source, &err)) {
            LERR(L, r->line, "rule '%s': %s", r->id, err);
            free(err);
        } else {
            int anywhere = !r->follow && !r->numfirst && !r->cuefirst;
            char *src = anywhere ? xasprintf("(?:%s)" NOT_IN_WORD, r->source) : r->source;
            r->re = rules_compile(src, anywhere ? 0 : PCRE2_ANCHORED, L->file, r->line);
            if (src != r->source)
                free(src);
            if (!r->re)
                L->errors++;
            else
                rule_groups(L, r);
        }
    }
    sb_free(&pat);
    return i;
}

static size_t load_qualifier(loader *L, rf_file *f, size_t i)
{
    ruleset *rs = L->rs;
    rf_line *h = &f->lines[i];
    int q = cs_qual_parse(h->val);
    if (q < 0)
        LERR(L, h->lineno, "unknown qualifier '%s'", h->val);
    for (i++; i < f->n && f->lines[i].indented; i++) {
        rf_line *l = &f->lines[i];
        if (q < 0)
            continue;
        if (!strcmp(l->key, "before")) {
            /* anchored at the end of the text before the number */
            char *p = xasprintf("(?:%s)(?:\\s+an?)?\\s*+\\$?$", l->val);     /* "up to a 7x", "up to $2.2\\times$" */
            ctx_add(L, &rs->qual_before, &rs->nqual_before, p, l->lineno, q);
            free(p);
        } else if (!strcmp(l->key, "after")) {
            ctx_add(L, &rs->qual_after, &rs->nqual_after, l->val, l->lineno, q);
        } else if (!strcmp(l->key, "opens")) {
            /* matched anchored at the start of the sentence */
            ctx_add(L, &rs->qual_opens, &rs->nqual_opens, l->val, l->lineno, q);
        } else {
            LERR(L, l->lineno, "unknown field '%s' in qualifier block (before, after, opens)", l->key);
        }
    }
    return i;
}

static size_t load_baseline(loader *L, rf_file *f, size_t i)
{
    ruleset *rs = L->rs;
    for (i++; i < f->n && f->lines[i].indented; i++) {
        rf_line *l = &f->lines[i];
        if (strcmp(l->key, "cue")) {
            LERR(L, l->lineno, "unknown field '%s' in baseline block (cue)", l->key);
            continue;
        }
        size_t before = rs->nbaseline;
        ctx_add(L, &rs->baseline, &rs->nbaseline, l->val, l->lineno, -1);
        if (rs->nbaseline > before && rs->baseline[rs->nbaseline - 1].base_group < 0)
            LERR(L, l->lineno, "baseline cue needs a group named base");
    }
    return i;
}

/* The directives that set one context regex: name, where it goes, and the
 * wrapping the engine needs ("%s" is the directive's regex). */
static const struct ctx_directive {
    const char *name;
    size_t offset;
    const char *wrap;
    int screened;           /* searched over whole sentences: gets a screen */
} ctx_directives[] = {
    {"sentence", offsetof(ruleset, sentence), "%s", 0},
    {"candidate", offsetof(ruleset, candidate), "%s", 1},
    {"candidate-words", offsetof(ruleset, candidate_words), "%s", 1},
    {"listitem", offsetof(ruleset, listitem), "%s", 0},
    {"respectively", offsetof(ruleset, respectively), "%s", 0},
    {"listsep", offsetof(ruleset, listsep), "%s", 0},
    {"hw-baseline", offsetof(ruleset, hw_baseline), "(?:%s)\\s*+$", 0},  /* ends where the mention starts */
    {"hw-on", offsetof(ruleset, hw_on), "(?:%s)$", 0},                   /* matched PCRE2_ANCHORED */
    {"qual-share", offsetof(ruleset, qual_share), "%s", 0},
    {"numstart", offsetof(ruleset, numstart), "%s", 1},
    {"cuestart", offsetof(ruleset, cuestart), "%s", 1},
};

static const struct ctx_directive *ctx_directive_named(const char *name)
{
    for (size_t i = 0; i < sizeof ctx_directives / sizeof *ctx_directives; i++)
        if (!strcmp(ctx_directives[i].name, name))
            return &ctx_directives[i];
    return NULL;
}

static void load_rules_file(loader *L, const char *path)
{
    rf_file f;
    if (rf_read(path, &f)) {
        L->errors++;
        return;
    }
    L->file = path;
    ruleset *rs = L->rs;
    size_t i = 0;
    while (i < f.n) {
        rf_line *l = &f.lines[i];
        const struct ctx_directive *d;
        if (l->indented) {
            LERR(L, l->lineno, "indented '%s' outside a block", l->key);
            i++;
        } else if (!strcmp(l->key, "define")) {
            char *sp = l->val + strcspn(l->val, " \t");
            char *name = xstrndup(l->val, (size_t)(sp - l->val));
            sp += strspn(sp, " \t");
            char *err;
            if (!*sp)
                LERR(L, l->lineno, "define needs a name and a pattern");
            else if (rf_define(&rs->macros, name, sp, &err)) {
                LERR(L, l->lineno, "%s", err);
                free(err);
            }
            free(name);
            i++;
        } else if (!strcmp(l->key, "rule")) {
            i = load_rule(L, &f, i);
        } else if (!strcmp(l->key, "qualifier")) {
            i = load_qualifier(L, &f, i);
        } else if (!strcmp(l->key, "baseline")) {
            i = load_baseline(L, &f, i);
        } else if ((d = ctx_directive_named(l->key))) {
            char *p = xasprintf(d->wrap, l->val);
            ctx_set(L, (ctx_re *)((char *)rs + d->offset), p, l->lineno, d->screened);
            free(p);
            i++;
            if (!strcmp(d->name, "listitem")) {
                int used[G__COUNT];
                if (rs->listitem.re && (collect_groups(rs->listitem.re, rs->listitem_groups, used) ||
                                        !(used[G_VALUE] || used[G_HI])))
                    LERR(L, l->lineno, "listitem needs a group value (or lo and hi) and only value, lo, hi, unit");
            }
        } else if (!strcmp(l->key, "metric")) {
            /* metric KIND gain|reduction|- REGEX */
            char kind[40], pct[20];
            int n = 0;
            if (sscanf(l->val, "%39s %19s %n", kind, pct, &n) != 2 || !n) {
                LERR(L, l->lineno, "expected 'metric KIND gain|reduction REGEX' (KIND none for no claim)");
            } else {
                int k = !strcmp(kind, "none") ? KIND_NONE : cs_kind_parse(kind);
                int pc = !strcmp(pct, "gain") ? PCT_GAIN : !strcmp(pct, "reduction") ? PCT_REDUCTION : -1;
                if (k == -1 || (k >= 0 && !CS_KIND_IS_RATIO(k)))
                    LERR(L, l->lineno, "metric kind must be a ratio kind or none, not '%s'", kind);
                else if (pc < 0)
                    LERR(L, l->lineno, "metric percentages are a gain or a reduction, not '%s'", pct);
                else {
                    char *p = xasprintf("\\G(?:.*\\W)?(?:%s)(?:\\W.*)?$", l->val + n);   /* the whole part */
                    size_t before = rs->nmetric;
                    ctx_add(L, &rs->metric, &rs->nmetric, p, l->lineno, k);
                    if (rs->nmetric > before)
                        rs->metric[rs->nmetric - 1].pct = pc;
                    free(p);
                }
            }
            i++;
        } else if (!strcmp(l->key, "limits")) {
            unsigned long m, d;
            if (sscanf(l->val, "match=%lu depth=%lu", &m, &d) != 2 || !m || !d)
                LERR(L, l->lineno, "expected 'limits match=N depth=N'");
            else
                rs->match_limit = (uint32_t)m, rs->depth_limit = (uint32_t)d;
            i++;
        } else {
            LERR(L, l->lineno, "unknown directive '%s'", l->key);
            i++;
        }
    }
    rf_free(&f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ruleset_load(const char *dir, ruleset **out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        cs_error("cannot open rules directory '%s': %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t nnames = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 6 && !strcmp(e->d_name + n - 6, ".rules")) {
            names = xrealloc(names, (nnames + 1) * sizeof *names);
            names[nnames++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, nnames, sizeof *names, cmp_str);

    ruleset *rs = xcalloc(1, sizeof *rs);
    rs->dir = xstrdup(dir);
    rs->match_limit = 1000000;
    rs->depth_limit = 10000;
    loader L = {.rs = rs};
    uint64_t h = 1469598103934665603ULL;

    char *upath = xasprintf("%s/units.map", dir);
    if (units_load(upath, &rs->units))
        L.errors++;
    hash_file(upath, &h);
    free(upath);
    if (nnames == 0) {
        cs_error("no rule files (*.rules) in '%s'", dir);
        L.errors++;
    }
    for (size_t i = 0; i < nnames; i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);
        if (L.errors == 0 || rs->units.n)
            load_rules_file(&L, p);
        hash_file(p, &h);
        free(p);
        free(names[i]);
    }
    free(names);
    char *hpath = xasprintf("%s/hardware.catalog", dir);
    if (hwcat_load(hpath, &rs->hw))
        L.errors++;
    hash_file(hpath, &h);
    free(hpath);

    for (size_t i = 0; i < sizeof ctx_directives / sizeof *ctx_directives; i++)
        if (!((ctx_re *)((char *)rs + ctx_directives[i].offset))->re && L.errors == 0) {
            cs_error("%s: no '%s' directive in any rule file", dir, ctx_directives[i].name);
            L.errors++;
        }
    if (L.errors) {
        cs_error("%d error%s in rules '%s'", L.errors, L.errors == 1 ? "" : "s", dir);
        ruleset_free(rs);
        return -1;
    }
    build_prefilters(rs);
    uint32_t maxg = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        uint32_t c;
        pcre2_pattern_info(rs->rules[i].re, PCRE2_INFO_CAPTURECOUNT, &c);
        if (c > maxg)
            maxg = c;
    }
    rs->max_groups = (int)maxg + 1;
    snprintf(rs->hash, sizeof rs->hash, "%016llx", (unsigned long long)h);
    *out = rs;
    return 0;
}

static void ctx_free(ctx_re *c)
{
    pcre2_code_free(c->re);
    pcre2_code_free(c->anch);
    if (c->scr)
        screen_free(c->scr);
    free(c->scr);
    free(c->file);
}

static void ctx_free_arr(ctx_re *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ctx_free(&a[i]);
    free(a);
}

void ruleset_free(ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nrules; i++) {
        rule *r = &rs->rules[i];
        free(r->id);
        free(r->file);
        free(r->source);
        for (size_t k = 0; k < r->nlines; k++)
            free(r->lines[k]);
        free(r->lines);
        pcre2_code_free(r->re);
        pcre2_code_free(r->requires);
        for (size_t k = 0; k < r->nexamples; k++)
            rf_example_free(&r->examples[k].ex);
        free(r->examples);
    }
    free(rs->rules);
    for (size_t i = 0; i < rs->nprefilters; i++) {
        pcre2_code_free(rs->prefilters[i].re);
        pcre2_code_free(rs->prefilters[i].anch);
        if (rs->prefilters[i].scr)
            screen_free(rs->prefilters[i].scr);
        free(rs->prefilters[i].scr);
        free(rs->prefilters[i].rules);
    }
    free(rs->prefilters);
    units_free(&rs->units);
    rf_macros_free(&rs->macros);
    ctx_free_arr(rs->qual_before, rs->nqual_before);
    ctx_free_arr(rs->qual_after, rs->nqual_after);
    ctx_free_arr(rs->qual_opens, rs->nqual_opens);
    ctx_free_arr(rs->baseline, rs->nbaseline);
    ctx_free_arr(rs->metric, rs->nmetric);
    ctx_free(&rs->sentence);
    ctx_free(&rs->candidate);
    ctx_free(&rs->candidate_words);
    ctx_free(&rs->listitem);
    ctx_free(&rs->respectively);
    ctx_free(&rs->listsep);
    ctx_free(&rs->hw_baseline);
    ctx_free(&rs->hw_on);
    ctx_free(&rs->qual_share);
    ctx_free(&rs->numstart);
    ctx_free(&rs->cuestart);
    hwcat_free(rs->hw);
    free(rs->dir);
    free(rs);
}

const rule *ruleset_find(const ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (!strcmp(rs->rules[i].id, id))
            return &rs->rules[i];
    return NULL;
}
