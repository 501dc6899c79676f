/* scan.c: the match loop.  Runs every rule over the sentences that hold a
 * number, resolves rules that claim the same number, then attaches
 * qualifier, baseline and hardware from the context cues in rules/.  Nothing
 * here knows an English word: every phrase comes from the rule set. */
#include "scan.h"
#include "hardware.h"
#include "number.h"
#include "screen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A rule match turned into a would-be claim. */
typedef struct cand {
    const rule *r;
    int kind;                   /* effective kind (KIND_NONE for traps) */
    int pct;
    size_t ms, me;              /* the whole match */
    size_t ss, se;              /* the claim's text */
    size_t vs, ve;              /* the number (or lo..hi) */
    double value, lo, hi;
    const cs_unit *unit;
    int qual;                   /* from the rule or its qual group, -1 unknown */
    size_t bs, be;              /* baseline group, bs == be: none */
    int accepted;
    int follower;               /* found by a follow rule: inherits qualifier */
} cand;

/* An accepted candidate's number and kind, for free_for. */
typedef struct span {
    size_t vs, ve;
    int kind;
} span;

struct scanner {
    const ruleset *rs;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    hwscan *hws;
    cand *c;
    size_t nc, capc;
    size_t *sent;               /* start and end of each sentence that gave candidates */
    size_t nsent, capsent;
    const char *cut_why;        /* the limit scan_text stopped at (see scan_doc), */
    int cut_max;                /* and its value */
    cs_hw *occ;
    size_t nocc, capocc;
    span *acc;                  /* the accepted candidates' numbers, by vs (see accept) */
    size_t nacc, capacc, acclong;
    int doc_hw_known;           /* hardware_for: the abstract's one platform found */
    const char *doc_hw;         /* (NULL: none, or more than one) */
    size_t *num;                /* numstart positions of the current sentence, then cuestart ones */
    size_t nnum, ncue, capnum;
    unsigned char *pass;        /* per prefilter and position: whether it has run there */
    size_t cappass;
    uint8_t *bits, *row;        /* per position: a bit per rule that may match there */
    size_t capbits;
    pcre2_match_context *pmctx; /* for prefilters: with their callout */
    int no_prefilter;           /* $CLAIMSCAN_NO_PREFILTER: try every rule (tests compare) */
    int no_screen;              /* $CLAIMSCAN_NO_SCREEN: try every place (tests compare) */
    char *err;                  /* first match error of the document */
    double *prof;               /* seconds per rule, then per P_ step, then per prefilter,
                                 * when CLAIMSCAN_PROFILE is set */
};

/* The steps CLAIMSCAN_PROFILE times, after the rules in scanner.prof. */
enum { P_HARDWARE, P_SENTENCES, P_CANDIDATES, P_POSITIONS, P_RESOLVE, P__COUNT };
#define PROF(s, step) ((s)->prof[(s)->rs->nrules + (step)])
#define PROF_PF(s, i) ((s)->prof[(s)->rs->nrules + P__COUNT + (i)])

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int prefilter_callout(pcre2_callout_block *cb, void *data);

scanner *scanner_new(const ruleset *rs)
{
    scanner *s = xcalloc(1, sizeof *s);
    s->rs = rs;
    s->md = pcre2_match_data_create((uint32_t)(rs->max_groups > 16 ? rs->max_groups : 16), NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
    if (!s->md || !s->mctx || !s->jit) {
        fputs("claimscan: out of memory\n", stderr);
        exit(CS_EXIT_DOCERR);
    }
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    pcre2_set_match_limit(s->mctx, rs->match_limit);
    pcre2_set_depth_limit(s->mctx, rs->depth_limit);
    s->pmctx = pcre2_match_context_copy(s->mctx);
    if (!s->pmctx) {
        fputs("claimscan: out of memory\n", stderr);
        exit(CS_EXIT_DOCERR);
    }
    pcre2_set_callout(s->pmctx, prefilter_callout, s);
    s->no_prefilter = getenv("CLAIMSCAN_NO_PREFILTER") != NULL;
    s->no_screen = getenv("CLAIMSCAN_NO_SCREEN") != NULL;
    s->hws = hwscan_new(rs->hw);
    if (getenv("CLAIMSCAN_PROFILE"))
        s->prof = xcalloc(rs->nrules + P__COUNT + rs->nprefilters, sizeof *s->prof);
    return s;
}

void scanner_free(scanner *s)
{
    if (!s)
        return;
    if (s->prof) {
        const ruleset *rs = s->rs;
        double pf = 0, rules = 0;
        for (size_t i = 0; i < rs->nprefilters; i++)
            pf += PROF_PF(s, i);
        for (size_t i = 0; i < rs->nrules; i++)
            rules += s->prof[i];
        fprintf(stderr, "claimscan: profile (seconds): hardware %.3f, sentences %.3f, candidates %.3f, "
                "positions %.3f, prefilters %.3f, rules %.3f, resolve+attach %.3f\n", PROF(s, P_HARDWARE),
                PROF(s, P_SENTENCES), PROF(s, P_CANDIDATES), PROF(s, P_POSITIONS), pf, rules, PROF(s, P_RESOLVE));
        for (size_t i = 0; i < rs->nprefilters; i++)
            if (rs->prefilters[i].re)
                fprintf(stderr, "  %8.3f  prefilter %zu: %zu rules starting at %s\n", PROF_PF(s, i), i,
                        rs->prefilters[i].nrules, rs->prefilters[i].start == 'n' ? "numbers" :
                        rs->prefilters[i].start == 'c' ? "cues" : "any byte");
        for (size_t i = 0; i < rs->nrules; i++)
            fprintf(stderr, "  %8.3f  %s\n", s->prof[i], rs->rules[i].id);
        free(s->prof);
    }
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    hwscan_free(s->hws);
    free(s->c);
    free(s->sent);
    free(s->occ);
    free(s->acc);
    free(s->num);
    free(s->pass);
    free(s->bits);
    pcre2_match_context_free(s->pmctx);
    free(s->err);
    free(s);
}

/* What match() returns for pcre2_match's rc: 1 on a match (ovector in
 * s->md), 0 on none, -1 on an error (recorded in s->err). */
static int match_result(scanner *s, int rc, const char *what)
{
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (!s->err) {
        PCRE2_UCHAR msg[200];
        pcre2_get_error_message(rc, msg, sizeof msg);
        s->err = xasprintf("rule '%s': %s", what, (char *)msg);
    }
    return -1;
}

/* One match of re in text[start..end), honouring the limits (see
 * match_result). */
static int match(scanner *s, const pcre2_code *re, const char *what, const char *text,
                 size_t start, size_t end, uint32_t opts)
{
    return match_result(s, pcre2_match(re, (PCRE2_SPTR)text, end, start, opts | PCRE2_NO_UTF_CHECK, s->md,
                                       s->mctx), what);
}

/* The first byte of the character after the one at p (PCRE2 starts a
 * search only at a character's first byte). */
static size_t next_char(const char *text, size_t p, size_t end)
{
    p++;
    while (p < end && ((unsigned char)text[p] & 0xC0) == 0x80)
        p++;
    return p;
}

/* The first match of c in text[start..end), as match(): where c has a
 * screen, tried anchored only where the screen says a match can start. */
static int find(scanner *s, const ctx_re *c, const char *what, const char *text, size_t start, size_t end)
{
    if (!c->scr || s->no_screen)
        return match(s, c->re, what, text, start, end, 0);
    return match_result(s, screen_match(c->scr, c->anch, (const unsigned char *)text, start, end, s->md, s->mctx),
                        what);
}

/* The callout at the end of each line of a prefilter: sets the bits of the
 * rules it names ("3,17") in the current row, and fails, so that the match
 * goes on to every other line. */
static int prefilter_callout(pcre2_callout_block *cb, void *data)
{
    uint8_t *row = ((scanner *)data)->row;
    size_t v = 0;
    int any = 0;
    for (PCRE2_SIZE i = 0; i <= cb->callout_string_length; i++) {
        unsigned char c = i < cb->callout_string_length ? cb->callout_string[i] : ',';
        if (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            any = 1;
        } else if (any) {
            row[v / 8] |= (uint8_t)(1u << (v % 8));
            v = 0;
            any = 0;
        }
    }
    return 1;
}

/* Runs a prefilter (see rules.h) at start (anchored ones) or over
 * text[start..end) ('a'), setting in row the bits of the rules that can
 * match there.  An error (a match limit) sets all of its rules' bits: the
 * rules themselves then decide. */
static void prefilter_run(scanner *s, const prefilter *pf, uint8_t *row, const char *text, size_t start,
                          size_t end)
{
    if (pf->start != 'a') {
        unsigned char c = (unsigned char)text[start];
        if (!(pf->first[c >> 3] & (1u << (c & 7))))
            return;
    }
    s->row = row;
    int rc = pf->scr && !s->no_screen     /* ('a' only) where a line can start */
                 ? screen_match(pf->scr, pf->anch, (const unsigned char *)text, start, end, s->md, s->pmctx)
                 : pcre2_match(pf->re, (PCRE2_SPTR)text, end, start, PCRE2_NO_UTF_CHECK, s->md, s->pmctx);
    if (rc != PCRE2_ERROR_NOMATCH)
        for (size_t i = 0; i < pf->nrules; i++)
            row[pf->rules[i] / 8] |= (uint8_t)(1u << (pf->rules[i] % 8));
}

/* Whether rule k may match at position slot of the sentence (see
 * prefilter_run); the prefilter runs once per slot. */
static int may_match(scanner *s, size_t k, size_t slot, size_t npos, const char *text, size_t start, size_t end)
{
    const rule *r = &s->rs->rules[k];
    const prefilter *pf = &s->rs->prefilters[r->prefilter];
    if (!pf->re || s->no_prefilter)
        return 1;
    size_t nb = (s->rs->nrules + 7) / 8;
    uint8_t *row = s->bits + slot * nb;
    unsigned char *ran = s->pass + r->prefilter * npos + slot;
    if (!*ran) {
        *ran = 1;
        double t0 = s->prof ? now() : 0;
        prefilter_run(s, pf, row, text, start, end);
        if (s->prof) {
            double t = now() - t0;
            PROF_PF(s, r->prefilter) += t;
            s->prof[k] -= t;    /* counted in the rule's own time too */
        }
    }
    return (row[k / 8] >> (k % 8)) & 1;
}

/* The span of the first set group among a name's groups. */
static int grp(scanner *s, const int *nums, size_t *b, size_t *e)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    for (; *nums; nums++) {
        if (ov[2 * *nums] != PCRE2_UNSET) {
            *b = ov[2 * *nums];
            *e = ov[2 * *nums + 1];
            return 1;
        }
    }
    return 0;
}

static int num_at(const char *text, size_t b, size_t e, double *v)
{
    return e > b && parse_number(text + b, e - b, v) == 0 ? 1 : 0;
}

/* Which qualifier a cue names: the first qualifier block whose "before"
 * pattern matches the end of text[b..e). */
static int classify_before(scanner *s, const char *text, size_t b, size_t e)
{
    const ruleset *rs = s->rs;
    for (size_t i = 0; i < rs->nqual_before; i++)
        if (match(s, rs->qual_before[i].re, "qualifier", text, b, e, 0) == 1)
            return rs->qual_before[i].qual;
    return -1;
}

static cand *new_cand(scanner *s)
{
    if (s->nc == s->capc) {
        s->capc = s->capc ? 2 * s->capc : 64;
        s->c = xrealloc(s->c, s->capc * sizeof *s->c);
    }
    cand *c = &s->c[s->nc++];
    memset(c, 0, sizeof *c);
    c->value = c->lo = c->hi = NAN;
    c->qual = -1;
    return c;
}

/* Fills kind, unit and numbers; returns 0 when the candidate is not a claim
 * the schema allows (unknown unit, ratio unit on an absolute kind, ...). */
static int settle(const scanner *s, cand *c, const char *text, size_t us, size_t ue, int have_unit)
{
    const rule *r = c->r;
    c->pct = r->pct;
    if (r->kind == KIND_NONE) {
        c->kind = KIND_NONE;
        return 1;
    }
    c->unit = r->unit;
    if (have_unit) {
        const cs_unit *u = units_lookup(&s->rs->units, text + us, ue - us);
        if (u)
            c->unit = u;
        else if (!c->unit)
            return 0;
    }
    c->kind = r->kind;
    if (!c->unit)
        return r->kind == KIND_INHERIT;    /* the unit comes from the claim it follows */
    if (c->kind == KIND_AUTO)
        c->kind = c->unit->kind;
    if (c->kind >= 0) {
        int ratio_unit = c->unit->kind < 0;
        if (CS_KIND_IS_RATIO(c->kind) != ratio_unit)
            return 0;
        if (!ratio_unit && c->unit->kind != c->kind)
            return 0;
    }
    return 1;
}

static size_t split_list(scanner *s, const char *text, size_t b, size_t e, size_t *ps, size_t *pe, size_t max);

/* "17.77%, 2.49x, and 2.32x reductions on latency, energy, and area": the
 * numbers of a list take their kinds, in order, from the metrics named; a
 * metric the rules call none drops its number, and lists of unequal length
 * give nothing. */
static void assign_metrics(scanner *s, const char *text, size_t first, size_t mb, size_t me)
{
    const ruleset *rs = s->rs;
    size_t ps[16], pe[16], n = s->nc - first;
    size_t parts = me > mb ? split_list(s, text, mb, me, ps, pe, 16) : 0;
    size_t w = first;
    for (size_t j = 0; j < n && parts == n; j++) {
        cand c = s->c[first + j];
        int kind = -1, pct = PCT_GAIN;
        for (size_t m = 0; m < rs->nmetric && kind == -1; m++) {
            if (match(s, rs->metric[m].re, "metric", text, ps[j], pe[j], 0) == 1) {
                kind = rs->metric[m].qual;
                pct = rs->metric[m].pct;
            }
        }
        if (kind < 0 || !c.unit || c.unit->kind >= 0)
            continue;
        c.kind = kind;
        c.pct = pct;
        s->c[w++] = c;
    }
    s->nc = w;
}

/* Turns the current match of rule r into one candidate, or several for a
 * list group. */
static void take_match(scanner *s, const rule *r, const char *text)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    size_t ms = ov[0], me = ov[1];
    size_t ss = ms, se = me, us = 0, ue = 0, qs = 0, qe = 0, bs = 0, be = 0, ls, le;
    size_t vs = 0, ve = 0, los = 0, loe = 0, his = 0, hie = 0;
    grp(s, r->groups[G_SPAN], &ss, &se);
    int have_unit = grp(s, r->groups[G_UNIT], &us, &ue);
    int have_qual = grp(s, r->groups[G_QUAL], &qs, &qe);
    grp(s, r->groups[G_BASE], &bs, &be);
    int have_list = grp(s, r->groups[G_LIST], &ls, &le);
    size_t mts = 0, mte = 0;
    int have_metrics = grp(s, r->groups[G_METRICS], &mts, &mte);
    int have_range = grp(s, r->groups[G_LO], &los, &loe) && grp(s, r->groups[G_HI], &his, &hie);
    int have_value = grp(s, r->groups[G_VALUE], &vs, &ve);
    /* the match data is free from here on */
    int qual = r->qualifier;
    if (qual < 0 && have_qual && qe > qs)
        qual = classify_before(s, text, qs, qe);

    if (have_list) {
        /* each number of the list is its own claim; match data is reused */
        size_t first = s->nc;
        size_t off = ls;
        const ruleset *rs = s->rs;
        size_t unit_s = us, unit_e = ue;
        while (off < le && match(s, rs->listitem.re, "listitem", text, off, le, 0) == 1) {
            PCRE2_SIZE *iv = pcre2_get_ovector_pointer(s->md);
            size_t is = iv[0], ie = iv[1];
            size_t vb = 0, veb = 0, lb = 0, le2 = 0, hb = 0, he = 0;
            int isv = grp(s, rs->listitem_groups[G_VALUE], &vb, &veb);
            int isr = grp(s, rs->listitem_groups[G_LO], &lb, &le2) && grp(s, rs->listitem_groups[G_HI], &hb, &he);
            size_t ius = us, iue = ue;
            int item_unit = grp(s, rs->listitem_groups[G_UNIT], &ius, &iue) && iue > ius;
            if (!item_unit)
                ius = unit_s, iue = unit_e;
            off = ie > is ? ie : next_char(text, is, le);
            if (!isv && !isr)
                continue;
            cand *c = new_cand(s);
            c->r = r;
            c->ms = ms, c->me = me;
            c->ss = is, c->se = ie;
            c->qual = qual;
            c->bs = bs, c->be = be;
            int ok;
            if (isr) {
                c->vs = lb, c->ve = he;
                ok = num_at(text, lb, le2, &c->lo) && num_at(text, hb, he, &c->hi) && c->lo < c->hi;
            } else {
                c->vs = vb, c->ve = veb;
                ok = num_at(text, vb, veb, &c->value);
            }
            if (!ok || !settle(s, c, text, ius, iue, item_unit || have_unit))
                s->nc--;
        }
        if (r->kind == KIND_METRIC)
            assign_metrics(s, text, first, have_metrics ? mts : 0, have_metrics ? mte : 0);
        return;
    }

    cand *c = new_cand(s);
    c->r = r;
    c->ms = ms, c->me = me;
    c->ss = ss, c->se = se;
    c->qual = qual;
    c->bs = bs, c->be = be;
    if (have_range) {
        c->vs = los, c->ve = hie;
        if (r->kind != KIND_NONE &&
            (!num_at(text, los, loe, &c->lo) || !num_at(text, his, hie, &c->hi) || !(c->lo < c->hi))) {
            s->nc--;
            return;
        }
    } else if (have_value) {
        c->vs = vs, c->ve = ve;
        if (r->kind != KIND_NONE && !num_at(text, vs, ve, &c->value)) {
            s->nc--;
            return;
        }
    } else {
        c->vs = ms, c->ve = me;     /* a trap without a number group */
    }
    if (!settle(s, c, text, us, ue, have_unit))
        s->nc--;
}

/* The end of the sentence that starts at off (off < len): where the next
 * match of the sentence regex ends, else len.  A sentence is never longer
 * than SCAN_MAX_SENTENCE bytes: text without a break for that long is cut
 * after its last white space (at a character boundary if there is none),
 * which keeps the per-sentence arrays of scan_text bounded. */
static size_t sentence_end(scanner *s, const char *text, size_t off, size_t len)
{
    size_t lim = len - off > SCAN_MAX_SENTENCE ? off + SCAN_MAX_SENTENCE : len;
    size_t end = len - lim > 256 ? lim + 256 : len;     /* room for the regex's lookahead */
    if (match(s, s->rs->sentence.re, "sentence", text, off, end, 0) == 1) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        if (ov[1] > off && ov[1] <= lim)
            return ov[1] < len ? ov[1] : len;
    }
    if (lim == len)
        return len;
    for (size_t p = lim; p > off + SCAN_MAX_SENTENCE / 2; p--)
        if (text[p - 1] == ' ' || text[p - 1] == '\n' || text[p - 1] == '\t')
            return p;
    size_t p = lim;
    while ((text[p] & 0xC0) == 0x80)
        p--;
    return p;
}

/* Bounds of kept sentence si (see scanner.sent). */
#define SENT_B(s, si) ((s)->sent[2 * (si)])
#define SENT_E(s, si) ((s)->sent[2 * (si) + 1])

/* Index of the kept sentence holding byte offset pos (a candidate's). */
static size_t sentence_of(const scanner *s, size_t pos)
{
    size_t lo = 0, hi = s->nsent;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (SENT_B(s, mid) <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

static int overlaps(const cand *a, const cand *b)
{
    return a->vs < b->ve && b->vs < a->ve;
}

static int cand_order(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->r->priority != b->r->priority)
        return a->r->priority > b->r->priority ? -1 : 1;
    size_t la = a->me - a->ms, lb = b->me - b->ms;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->r != b->r)
        return a->r < b->r ? -1 : 1;
    if (a->vs != b->vs)
        return a->vs < b->vs ? -1 : 1;
    return 0;
}

/* The first hardware mention that starts at or after pos (they are in text
 * order). */
static size_t first_occ_from(const scanner *s, size_t pos)
{
    size_t lo = 0, hi = s->nocc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->occ[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* May c be accepted beside the accepted candidates?  Not when its number
 * lies in a hardware mention either: "Pi Zero 2 W" holds no 2 W of power,
 * "Jetson Orin Nano 8GB" no 8 GB of memory. */
static int free_for(const scanner *s, const cand *c)
{
    /* hardware mentions are in text order and do not overlap: only the
     * last one starting before the number and the first one starting in
     * it can overlap it */
    size_t k = first_occ_from(s, c->vs);
    if ((k < s->nocc && s->occ[k].start < c->ve) || (k > 0 && s->occ[k - 1].end > c->vs))
        return 0;
    /* accepted numbers by start: those that can overlap start at most
     * acclong before this one */
    size_t from = c->vs > s->acclong ? c->vs - s->acclong : 0;
    size_t lo = 0, hi = s->nacc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->acc[mid].vs < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < s->nacc && s->acc[i].vs < c->ve; i++) {
        const span *a = &s->acc[i];
        if (!(a->vs < c->ve && c->vs < a->ve))
            continue;
        if (c->r->share && a->kind != KIND_NONE && a->kind != c->kind)
            continue;
        return 0;
    }
    return 1;
}

/* Marks c accepted and adds its number to the spans free_for reads. */
static void accept(scanner *s, cand *c)
{
    c->accepted = 1;
    if (s->nacc == s->capacc) {
        s->capacc = s->capacc ? 2 * s->capacc : 64;
        s->acc = xrealloc(s->acc, s->capacc * sizeof *s->acc);
    }
    size_t i = s->nacc;
    while (i > 0 && s->acc[i - 1].vs > c->vs)
        i--;
    memmove(s->acc + i + 1, s->acc + i, (s->nacc - i) * sizeof *s->acc);
    s->acc[i] = (span){c->vs, c->ve, c->kind};
    s->nacc++;
    if (c->ve - c->vs > s->acclong)
        s->acclong = c->ve - c->vs;
}

static int qualifier_of(scanner *s, const cand *c, const char *text, size_t sent_start, size_t sent_end);

/* Follow rules: "1.2x on A100, 1.4x on L40S; and ... 2.4x" -- numbers that
 * continue a list right after an accepted claim take its kind. */
static void run_followers(scanner *s, const char *text)
{
    const ruleset *rs = s->rs;
    /* (a follower is anchored in turn: a long list can give many; past the
     * limit, scan_text cuts the document) */
    for (size_t i = 0; i < s->nc && s->nc <= SCAN_MAX_MATCHES; i++) {
        if (!s->c[i].accepted || s->c[i].kind < 0)
            continue;
        size_t sent_end = SENT_E(s, sentence_of(s, s->c[i].vs));
        for (size_t k = 0; k < rs->nrules; k++) {
            const rule *r = &rs->rules[k];
            if (!r->follow)
                continue;
            cand anchor = s->c[i];      /* s->c may move */
            if (anchor.me >= sent_end)
                continue;
            if (anchor.qual < 0)        /* what the anchor's qualifier will be */
                anchor.qual = qualifier_of(s, &anchor, text, SENT_B(s, sentence_of(s, anchor.vs)), sent_end);
            if (match(s, r->re, r->id, text, anchor.me, sent_end, 0) != 1)
                continue;
            size_t before = s->nc;
            take_match(s, r, text);
            for (size_t j = before; j < s->nc; j++) {
                cand *c = &s->c[j];
                c->kind = anchor.kind;
                c->pct = anchor.pct;
                c->follower = 1;
                if (c->qual < 0)
                    c->qual = anchor.qual;
                if (!c->unit)
                    c->unit = anchor.unit;     /* "speedups of 22.52, 12.71, and 1.98" */
                int ok = c->unit && (CS_KIND_IS_RATIO(c->kind) ? c->unit->kind < 0 : c->unit->kind == c->kind);
                if (ok && free_for(s, c)) {
                    accept(s, c);
                    break;      /* one follower per rule and anchor; it is anchored in turn */
                }
            }
            /* drop the follower candidates that were not accepted */
            size_t w = before;
            for (size_t j = before; j < s->nc; j++)
                if (s->c[j].accepted)
                    s->c[w++] = s->c[j];
            s->nc = w;
            if (w > before)
                break;
        }
    }
}

/* "inherit" rules take kind and unit of the nearest accepted claim before. */
static void resolve_inherit(scanner *s)
{
    for (size_t i = 0; i < s->nc; i++) {
        cand *c = &s->c[i];
        if (c->r->kind != KIND_INHERIT || c->accepted)
            continue;
        const cand *prev = NULL;
        for (size_t j = 0; j < s->nc; j++) {
            const cand *a = &s->c[j];
            if (a->accepted && a->kind >= 0 && a->ve <= c->vs && (!prev || a->ve > prev->ve))
                prev = a;
        }
        if (!prev)
            continue;
        c->kind = prev->kind;
        c->unit = prev->unit;
        c->pct = prev->pct;
        if (free_for(s, c))
            accept(s, c);
    }
}

/* The qualifier the "after" cues find first in text[from..end), or -1. */
static int qual_in(scanner *s, const char *text, size_t from, size_t end)
{
    const ruleset *rs = s->rs;
    int best = -1;
    size_t best_at = end;
    for (size_t i = 0; i < rs->nqual_after; i++) {
        if (match(s, rs->qual_after[i].re, "qualifier", text, from, end, 0) == 1) {
            size_t at = pcre2_get_ovector_pointer(s->md)[0];
            if (at < best_at || best < 0) {
                best = rs->qual_after[i].qual;
                best_at = at;
            }
        }
    }
    return best;
}

/* The first after-qualifier cue in the clause after from. */
static int qual_after(scanner *s, const char *text, size_t from, size_t sent_end)
{
    size_t end = from;
    while (end < sent_end && end - from < 80 && !strchr(",;()", text[end]))
        end++;
    return qual_in(s, text, from, end);
}

static int qualifier_of(scanner *s, const cand *c, const char *text, size_t sent_start, size_t sent_end)
{
    if (c->qual >= 0)
        return c->qual;
    size_t ends[2] = {c->vs, c->ms};
    for (int k = 0; k < 2; k++) {
        size_t e = ends[k];
        size_t b = e > sent_start + 60 ? e - 60 : sent_start;
        if (k == 1 && ends[1] == ends[0])
            break;
        int q = classify_before(s, text, b, e);
        if (q >= 0)
            return q;
    }
    /* after the number, inside the match too ("13x average speedup"), and
     * inside the match before it ("reduces average latency from 8.98 s to
     * 6.69 s"); but the metrics of a list each take their own words ("41.8%
     * and 42.6% improvement in average PE utilization and inference latency") */
    int metric = c->r->kind == KIND_METRIC;
    int q = qual_after(s, text, metric ? c->me : c->ve, sent_end);
    if (q < 0 && !metric && c->ms < c->vs) {
        /* only the number's own clause: back to the last digit, comma,
         * semicolon or "and" ("average TTFT from 8.98 to 6.69 s and latency
         * P90 from 40.23": P90 is no average) */
        size_t b = c->vs;
        while (b > c->ms && !isdigit((unsigned char)text[b - 1]) && text[b - 1] != ',' && text[b - 1] != ';' &&
               !(b - c->ms >= 5 && !strncmp(text + b - 5, " and ", 5)))
            b--;
        q = qual_in(s, text, b, c->vs);
    }
    if (q >= 0)
        return q;
    /* "On average, ..." opens the sentence and covers its claims */
    for (size_t i = 0; i < s->rs->nqual_opens; i++)
        if (match(s, s->rs->qual_opens[i].re, "qualifier", text, sent_start, sent_end, PCRE2_ANCHORED) == 1)
            return s->rs->qual_opens[i].qual;
    return Q_EXACT;
}

typedef struct bcue {
    size_t cs, bs, be;
} bcue;

/* All baseline cues of a sentence, in text order. */
static size_t baseline_cues(scanner *s, const char *text, size_t b, size_t e, bcue *out, size_t max)
{
    const ruleset *rs = s->rs;
    size_t n = 0;
    for (size_t i = 0; i < rs->nbaseline; i++) {
        size_t off = b;
        while (n < max && off < e && match(s, rs->baseline[i].re, "baseline", text, off, e, 0) == 1) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            int g = rs->baseline[i].base_group;
            size_t ms = ov[0], me = ov[1];
            if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] > ov[2 * g]) {
                size_t k = n++;
                while (k > 0 && out[k - 1].cs > ms) {
                    out[k] = out[k - 1];
                    k--;
                }
                out[k] = (bcue){ms, ov[2 * g], ov[2 * g + 1]};
            }
            off = me > ms ? me : next_char(text, ms, e);
        }
    }
    return n;
}

static char *trimmed(const char *text, size_t b, size_t e)
{
    while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\n'))
        b++;
    while (e > b && strchr(" \t\n,;:", text[e - 1]))
        e--;
    return e > b ? xstrndup(text + b, e - b) : NULL;
}

/* Splits "ANT and OliVe" / "A, B, and C" at the rule set's list separators;
 * returns the number of parts. */
static size_t split_list(scanner *s, const char *text, size_t b, size_t e, size_t *ps, size_t *pe, size_t max)
{
    size_t n = 0, start = b, off = b;
    while (n + 1 < max && off < e && match(s, s->rs->listsep.re, "listsep", text, off, e, 0) == 1) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        if (ov[1] <= ov[0]) {
            off = next_char(text, ov[0], e);
            continue;
        }
        ps[n] = start, pe[n] = ov[0], n++;
        start = off = ov[1];
    }
    ps[n] = start, pe[n] = e, n++;
    return n;
}

/* Baselines of the accepted ratio claims of one sentence: the rule's own base
 * group, else the first cue after the number, else the last cue before it;
 * "A and B ..., respectively" pairs a cue's list with the claims sharing it. */
static void attach_baselines(scanner *s, const char *text, size_t sb, size_t se,
                             cand **cl, size_t n, char **bases)
{
    bcue cues[32];
    size_t ncue = baseline_cues(s, text, sb, se, cues, 32);
    int pick[64];
    for (size_t i = 0; i < n && i < 64; i++) {
        cand *c = cl[i];
        pick[i] = -1;
        bases[i] = NULL;
        if (!CS_KIND_IS_RATIO(c->kind))
            continue;
        if (c->be > c->bs) {
            bases[i] = trimmed(text, c->bs, c->be);
            continue;
        }
        /* a cue right after the claim ("9.95x higher throughput than X"),
         * else one that opens the sentence ("Compared to X, ..."), else the
         * first after the number, else the last before it */
        for (size_t k = 0; k < ncue && pick[i] < 0; k++)
            if (cues[k].cs >= c->ve && cues[k].cs <= c->me + 30)
                pick[i] = (int)k;
        if (pick[i] < 0 && ncue && cues[0].cs <= sb + 4 && cues[0].be <= c->vs)
            pick[i] = 0;
        for (size_t k = 0; k < ncue && pick[i] < 0; k++)
            if (cues[k].cs >= c->ve)
                pick[i] = (int)k;
        for (size_t k = ncue; k-- > 0 && pick[i] < 0;)
            if (cues[k].cs < c->vs && cues[k].be <= c->vs)
                pick[i] = (int)k;
        if (pick[i] >= 0)
            bases[i] = trimmed(text, cues[pick[i]].bs, cues[pick[i]].be);
    }
    if (ncue == 0 || n > 64 || match(s, s->rs->respectively.re, "respectively", text, sb, se, 0) != 1)
        return;
    for (size_t k = 0; k < ncue; k++) {
        size_t members[16], m = 0;
        for (size_t i = 0; i < n && m < 16; i++)
            if (pick[i] == (int)k)
                members[m++] = i;
        if (m < 2)
            continue;
        size_t ps[16], pe[16];
        size_t end = cues[k].be;
        size_t parts = split_list(s, text, cues[k].bs, end, ps, pe, 16);
        /* "against A, B, C and D, ...": the list runs on past the commas that
         * stopped the cue's phrase */
        size_t limit = se;      /* the list ends before the claims it names */
        for (size_t j = 0; j < m; j++)
            if (cl[members[j]]->ms > cues[k].cs && cl[members[j]]->ms < limit)
                limit = cl[members[j]]->ms;
        while (parts < m && match(s, s->rs->listsep.re, "listsep", text, end, limit, PCRE2_ANCHORED) == 1) {
            size_t p = pcre2_get_ovector_pointer(s->md)[1], q = p;
            while (q < limit && !strchr(",;()", text[q]) && !(text[q] == '.' && (q + 1 >= limit || text[q + 1] == ' ')))
                q++;
            if (q == p || q >= limit || match(s, s->rs->respectively.re, "respectively", text, p, q, 0) == 1)
                break;
            end = q;
            parts = split_list(s, text, cues[k].bs, end, ps, pe, 16);
        }
        /* as many claims as parts, or several lists of as many ("speedups of
         * a, b and energy gains of c, d over X and Y, respectively") */
        if (parts < 2 || m % parts)
            parts = split_list(s, text, cues[k].bs, cues[k].be, ps, pe, 16);   /* as the cue had it */
        if (parts < 2 || m % parts)
            continue;
        for (size_t j = 0; j < m; j++) {
            free(bases[members[j]]);
            bases[members[j]] = trimmed(text, ps[j % parts], pe[j % parts]);
        }
    }
}

/* a is b, or the first whole words of b: "NVIDIA Jetson" of "NVIDIA Jetson AGX Orin" */
static int same_or_family(const char *a, const char *b)
{
    size_t n = strlen(a);
    return !strcmp(a, b) || (!strncmp(a, b, n) && b[n] == ' ');
}

/* The catalog name to report for an occurrence: the most specific found. */
static const char *hw_name(const cs_result *out, const char *name)
{
    for (size_t i = 0; i < out->nhw; i++)
        if (same_or_family(name, out->hw[i].hardware))
            return out->hw[i].hardware;
    return name;
}

/* The hardware a claim was measured on: "... on A100" right after it, else
 * the one platform of its sentence, else the one platform of the abstract.
 * Hardware named as what is compared against does not count. */
static const char *hardware_for(scanner *s, const cand *c, const char *text, const cs_result *out)
{
    size_t si = sentence_of(s, c->vs);
    size_t sb = SENT_B(s, si), se = SENT_E(s, si);
    for (size_t i = first_occ_from(s, c->me); i < s->nocc; i++) {
        const cs_hw *o = &s->occ[i];
        if (o->as_baseline || o->start > c->me + 60 || o->start >= se)
            continue;
        if (match(s, s->rs->hw_on.re, "hw-on", text, c->me, o->start, PCRE2_ANCHORED) == 1)
            return hw_name(out, o->hardware);
        break;
    }
    /* the one platform of the sentence, else of the abstract (the same for
     * every claim: found once per document) */
    for (int scope = 0; scope < 2; scope++) {
        if (scope == 1 && s->doc_hw_known)
            return s->doc_hw;
        const char *one = NULL;
        int many = 0;
        for (size_t i = scope == 0 ? first_occ_from(s, sb) : 0; i < s->nocc && !many; i++) {
            const cs_hw *o = &s->occ[i];
            if (scope == 0 && o->start >= se)
                break;
            if (o->as_baseline)
                continue;
            const char *name = hw_name(out, o->hardware);
            if (one && strcmp(one, name))
                many = 1;
            one = name;
        }
        if (scope == 1) {
            s->doc_hw_known = 1;
            s->doc_hw = many ? NULL : one;
        }
        if (one && !many)
            return one;
        if (many)
            return NULL;
    }
    return NULL;
}

static double ratio_factor(const cand *c)
{
    double v = isnan(c->hi) ? c->value : c->hi;
    if (strcmp(c->unit->name, "%"))
        return v;
    switch (c->pct) {
    case PCT_REDUCTION:
        return v < 100 ? 1 / (1 - v / 100) : NAN;
    case PCT_OF:
        return v > 0 ? 100 / v : NAN;
    default:
        return 1 + v / 100;
    }
}

static int claim_order(const void *pa, const void *pb)
{
    const cs_claim *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->vstart != b->vstart)
        return a->vstart < b->vstart ? -1 : 1;
    return a->kind - b->kind;
}

static int accepted_pos(const void *pa, const void *pb)
{
    const cand *a = *(cand *const *)pa, *b = *(cand *const *)pb;
    if (a->vs != b->vs)
        return a->vs < b->vs ? -1 : 1;
    return a->kind - b->kind;
}

/* Start positions of the matches of re in text[b..e), stored in s->num
 * after its first keep entries; returns how many. */
static size_t positions(scanner *s, const ctx_re *re, const char *what, const char *text, size_t b,
                        size_t e, size_t keep)
{
    size_t n = 0;
    for (size_t off = b; off < e && find(s, re, what, text, off, e) == 1;) {
        size_t at = pcre2_get_ovector_pointer(s->md)[0];
        if (keep + n == s->capnum) {
            s->capnum = s->capnum ? 2 * s->capnum : 32;
            s->num = xrealloc(s->num, s->capnum * sizeof *s->num);
        }
        s->num[keep + n++] = at;
        off = next_char(text, at, e);
    }
    return n;
}

/* The body of scan_doc over text[0..len).  Returns len, or, when the text
 * holds more than SCAN_MAX_MENTIONS hardware mentions or gives more than
 * SCAN_MAX_MATCHES rule matches, an offset before which it does not
 * (s->cut_why says which): scan_doc then scans again, up to there. */
static size_t scan_text(scanner *s, const char *text, size_t len, cs_result *out)
{
    const ruleset *rs = s->rs;
    s->nc = 0;
    s->nocc = 0;
    s->nacc = 0;
    s->acclong = 0;
    s->nsent = 0;
    s->doc_hw_known = 0;
    double t1 = s->prof ? now() : 0;
    char *hwerr = NULL;
    size_t cut;
    if (hwcat_scan(rs->hw, s->hws, text, len, &s->occ, &s->nocc, &s->capocc, SCAN_MAX_MENTIONS, &cut, &hwerr) &&
        !s->err)
        s->err = hwerr;
    else
        free(hwerr);
    if (s->prof)
        PROF(s, P_HARDWARE) += now() - t1;
    if (cut < len) {
        s->cut_why = "hardware mentions";
        s->cut_max = SCAN_MAX_MENTIONS;
        return cut;
    }
    for (size_t i = 0; i < s->nocc; i++) {
        cs_hw *o = &s->occ[i];
        size_t b = o->start > 48 ? o->start - 48 : 0;
        o->as_baseline = match(s, rs->hw_baseline.re, "hw-baseline", text, b, o->start, 0) == 1;
        /* "over NVIDIA A100 and H100 GPUs": the rest of the list is compared against too */
        if (!o->as_baseline && i > 0 && s->occ[i - 1].as_baseline && s->occ[i - 1].end <= o->start &&
            match(s, rs->listsep.re, "listsep", text, s->occ[i - 1].end, o->start, PCRE2_ANCHORED) == 1 &&
            pcre2_get_ovector_pointer(s->md)[1] == o->start)
            o->as_baseline = 1;
    }
    size_t hw0 = out->nhw;
    hw_distinct(s->occ, s->nocc, out);
    for (size_t i = hw0; i < out->nhw; i++)
        out->hw[i].as_baseline = 0;

    for (size_t sb = 0, se; sb < len; sb = se) {
        double ts = s->prof ? now() : 0;
        se = sentence_end(s, text, sb, len);
        if (s->prof)
            PROF(s, P_SENTENCES) += now() - ts;
        size_t nc0 = s->nc;
        double tc = s->prof ? now() : 0;
        /* a sentence without a digit can only hold a number word: a cheaper test */
        int digit = 0;
        for (size_t i = sb; i < se && !digit; i++)
            digit = text[i] >= '0' && text[i] <= '9';
        int cand = digit ? find(s, &rs->candidate, "candidate", text, sb, se) == 1
                         : find(s, &rs->candidate_words, "candidate-words", text, sb, se) == 1;
        if (s->prof)
            PROF(s, P_CANDIDATES) += now() - tc;
        if (!cand)
            continue;
        /* where numbers and cue words start: "start number" and "start cue"
         * rules are tried there only */
        double tp = s->prof ? now() : 0;
        s->nnum = positions(s, &rs->numstart, "numstart", text, sb, se, 0);
        s->ncue = positions(s, &rs->cuestart, "cuestart", text, sb, se, s->nnum);
        if (s->prof)
            PROF(s, P_POSITIONS) += now() - tp;
        size_t npos = s->nnum + s->ncue + 1;   /* the last slot: the whole sentence */
        size_t nb = (rs->nrules + 7) / 8;
        if (!s->pass || rs->nprefilters * npos > s->cappass) {  /* (a rule set may have none) */
            s->cappass = 2 * rs->nprefilters * npos + 1;
            free(s->pass);
            s->pass = xmalloc(s->cappass);
        }
        if (!s->bits || nb * npos > s->capbits) {
            s->capbits = 2 * nb * npos + 1;
            free(s->bits);
            s->bits = xmalloc(s->capbits);
        }
        memset(s->pass, 0, rs->nprefilters * npos);
        memset(s->bits, 0, nb * npos);
        for (size_t k = 0; k < rs->nrules; k++) {
            const rule *r = &rs->rules[k];
            if (r->follow)
                continue;
            double t0 = s->prof ? now() : 0;
            if (!r->numfirst && !r->cuefirst && !may_match(s, k, npos - 1, npos, text, sb, se)) {
                if (s->prof)
                    s->prof[k] += now() - t0;
                continue;
            }
            /* a rule that needs a word of context in its sentence */
            if (r->requires && match(s, r->requires, r->id, text, sb, se, 0) != 1) {
                if (s->prof)
                    s->prof[k] += now() - t0;
                continue;
            }
            if (r->numfirst || r->cuefirst) {
                size_t done = sb;
                size_t nat = r->numfirst ? s->nnum : s->ncue;
                const size_t *at = nat ? (r->numfirst ? s->num : s->num + s->nnum) : NULL;
                size_t base = r->numfirst ? 0 : s->nnum;
                for (size_t n = 0; n < nat; n++) {
                    if (at[n] < done || !may_match(s, k, base + n, npos, text, at[n], se) ||
                        match(s, r->re, r->id, text, at[n], se, 0) != 1)
                        continue;
                    done = pcre2_get_ovector_pointer(s->md)[1];
                    take_match(s, r, text);
                    at = r->numfirst ? s->num : s->num + s->nnum;    /* s->num may have moved */
                }
            } else {
                size_t off = sb;
                while (off < se && match(s, r->re, r->id, text, off, se, 0) == 1) {
                    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
                    size_t next = ov[1] > ov[0] ? ov[1] : next_char(text, ov[0], se);
                    take_match(s, r, text);
                    off = next;
                }
            }
            if (s->prof)
                s->prof[k] += now() - t0;
        }
        if (s->nc == nc0)
            continue;
        if (s->nc > SCAN_MAX_MATCHES) {
            s->cut_why = "rule matches";
            s->cut_max = SCAN_MAX_MATCHES;
            return sb;
        }
        if (2 * s->nsent + 2 > s->capsent) {   /* kept for its candidates */
            s->capsent = s->capsent ? 2 * s->capsent : 32;
            s->sent = xrealloc(s->sent, s->capsent * sizeof *s->sent);
        }
        s->sent[2 * s->nsent] = sb;
        s->sent[2 * s->nsent + 1] = se;
        s->nsent++;
    }

    double ta = s->prof ? now() : 0;
    if (s->nc)
        qsort(s->c, s->nc, sizeof *s->c, cand_order);
    for (size_t i = 0; i < s->nc; i++)
        if (s->c[i].r->kind != KIND_INHERIT && free_for(s, &s->c[i]))
            accept(s, &s->c[i]);
    run_followers(s, text);
    if (s->nc > SCAN_MAX_MATCHES) {
        /* too many with the followers: cut before the sentence of the
         * first match past the limit, in text order */
        size_t *vs = xmalloc(s->nc * sizeof *vs);
        for (size_t i = 0; i < s->nc; i++)
            vs[i] = s->c[i].vs;
        qsort(vs, s->nc, sizeof *vs, cmp_size);
        size_t cut = SENT_B(s, sentence_of(s, vs[SCAN_MAX_MATCHES]));
        free(vs);
        s->cut_why = "rule matches";
        s->cut_max = SCAN_MAX_MATCHES;
        return cut;
    }
    resolve_inherit(s);

    /* accepted claims in text order, sentence by sentence */
    cand **acc = xmalloc((s->nc + 1) * sizeof *acc);
    size_t nacc = 0;
    for (size_t i = 0; i < s->nc; i++)
        if (s->c[i].accepted && s->c[i].kind >= 0)
            acc[nacc++] = &s->c[i];
    if (nacc)
        qsort(acc, nacc, sizeof *acc, accepted_pos);
    char **bases = xcalloc(nacc + 1, sizeof *bases);
    for (size_t i = 0; i < nacc;) {
        size_t si = sentence_of(s, acc[i]->vs), j = i;
        while (j < nacc && sentence_of(s, acc[j]->vs) == si)
            j++;
        if (j - i <= 64)
            attach_baselines(s, text, SENT_B(s, si), SENT_E(s, si), acc + i, j - i, bases + i);
        i = j;
    }
    size_t c0 = out->nclaims;
    for (size_t i = 0; i < nacc; i++) {
        cand *c = acc[i];
        size_t si = sentence_of(s, c->vs);
        cs_claim *cl = cs_result_add_claim(out);
        cl->kind = c->kind;
        cl->value = c->value;
        cl->lo = c->lo;
        cl->hi = c->hi;
        cl->unit = c->unit->name;
        if (CS_KIND_IS_RATIO(c->kind)) {
            cl->factor = ratio_factor(c);
            cl->baseline = bases[i];
            bases[i] = NULL;
        } else {
            cl->norm = (isnan(c->hi) ? c->value : c->hi) * c->unit->scale;
            cl->norm_unit = c->unit->base;
        }
        int q = c->follower && c->qual >= 0 ? c->qual : qualifier_of(s, c, text, SENT_B(s, si), SENT_E(s, si));
        /* "up to 7.3x higher throughput and 49.59x better energy efficiency":
         * one qualifier covers both numbers of a coordinated pair */
        if (q == Q_EXACT && c->qual < 0 && i > 0 && out->nclaims >= c0 + 2 && acc[i - 1]->me <= c->ms &&
            sentence_of(s, acc[i - 1]->vs) == si && out->claims[out->nclaims - 2].qualifier != Q_EXACT &&
            match(s, s->rs->qual_share.re, "qual-share", text, acc[i - 1]->me, c->ms, PCRE2_ANCHORED) == 1 &&
            pcre2_get_ovector_pointer(s->md)[1] == c->ms)
            q = out->claims[out->nclaims - 2].qualifier;
        if (c->r->flip)
            q = q == Q_AT_MOST ? Q_AT_LEAST : q == Q_AT_LEAST ? Q_AT_MOST : q;
        cl->qualifier = q;
        cl->hardware = hardware_for(s, c, text, out);
        cl->subject_baseline = c->r->subject_baseline;
        cl->start = c->ss;
        cl->end = c->se;
        cl->vstart = c->vs;
        cl->vend = c->ve;
        cl->rule = c->r->id;
    }
    for (size_t i = 0; i < nacc; i++)
        free(bases[i]);
    free(bases);
    free(acc);
    if (out->nclaims > c0)
        qsort(out->claims + c0, out->nclaims - c0, sizeof *out->claims, claim_order);
    if (s->prof)
        PROF(s, P_RESOLVE) += now() - ta;
    return len;
}

int scan_doc(scanner *s, const char *text, size_t len, cs_result *out, char **err)
{
    free(s->err);
    s->err = NULL;
    size_t c0 = out->nclaims, h0 = out->nhw, lim = len;
    size_t cut = scan_text(s, text, len, out);
    /* too dense: scanned again as if it ended at cut, where the limits hold
     * (each pass ends earlier than the one before) */
    while (cut < lim) {
        for (size_t i = c0; i < out->nclaims; i++)
            free(out->claims[i].baseline);
        out->nclaims = c0;
        out->nhw = h0;
        free(s->err);
        s->err = NULL;
        lim = cut;
        cut = scan_text(s, text, lim, out);
    }
    if (lim < len) {
        char *msg = xasprintf("%s%smore than %d %s: the text from offset %zu on was not scanned",
                              s->err ? s->err : "", s->err ? "; " : "",
                              s->cut_max, s->cut_why, lim);
        free(s->err);
        s->err = msg;
    }
    if (s->err) {
        *err = s->err;
        s->err = NULL;
        return -1;
    }
    return 0;
}

void scan_title(scanner *s, const char *title, cs_result *out)
{
    if (!title || !*title)
        return;
    size_t len = strlen(title);
    if (utf8_invalid_at(title, len) >= 0)
        return;
    char *err = NULL;
    s->nocc = 0;
    size_t cut;     /* (a title with more mentions than that: the first ones) */
    if (hwcat_scan(s->rs->hw, s->hws, title, len, &s->occ, &s->nocc, &s->capocc, SCAN_MAX_MENTIONS, &cut, &err)) {
        free(err);
        return;
    }
    cs_result t = {0};
    hw_distinct(s->occ, s->nocc, &t);
    size_t n0 = out->nhw;
    for (size_t i = 0; i < t.nhw; i++) {
        int known = 0;
        for (size_t k = 0; k < n0 && !known; k++)
            known = same_or_family(t.hw[i].hardware, out->hw[k].hardware) ||
                    same_or_family(out->hw[k].hardware, t.hw[i].hardware);
        if (known)
            continue;
        cs_hw *h = cs_result_add_hw(out);
        *h = t.hw[i];
        h->as_baseline = 0;
        h->in_title = 1;
    }
    cs_result_free(&t);
}

/* ---- rule examples ---------------------------------------------------- */

static int num_eq(double want, double got)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    return fabs(want - got) <= 1e-6 * fmax(1, fabs(want));
}

/* Does claim cl have every field the example names?  On a mismatch, *why
 * says which (static buffer). */
static int claim_fits(const cs_claim *cl, const rf_example *ex, const char *text, char *why, size_t whysz)
{
    for (size_t i = 0; i < ex->nkv; i++) {
        const char *k = ex->keys[i], *v = ex->vals[i];
        int isnull = !strcmp(v, "null");
        double want = isnull ? NAN : strtod(v, NULL);
        int ok;
        char got[128];
        if (!strcmp(k, "value") || !strcmp(k, "lo") || !strcmp(k, "hi") || !strcmp(k, "factor") ||
            !strcmp(k, "norm")) {
            double g = k[0] == 'v' ? cl->value : k[0] == 'l' ? cl->lo : k[0] == 'h' ? cl->hi
                     : k[0] == 'f' ? cl->factor : cl->norm;
            ok = k[0] == 'f' ? (isnan(want) ? isnan(g) : fabs(want - g) <= 1e-4 * fmax(1, fabs(want)))
                             : num_eq(want, g);
            fmt_num(got, sizeof got, g);
        } else if (!strcmp(k, "unit")) {
            ok = !strcmp(v, cl->unit);
            snprintf(got, sizeof got, "%s", cl->unit);
        } else if (!strcmp(k, "norm_unit")) {
            ok = isnull ? !cl->norm_unit : cl->norm_unit && !strcmp(v, cl->norm_unit);
            snprintf(got, sizeof got, "%s", cl->norm_unit ? cl->norm_unit : "null");
        } else if (!strcmp(k, "kind")) {
            ok = !strcmp(v, cs_kind_name(cl->kind));
            snprintf(got, sizeof got, "%s", cs_kind_name(cl->kind));
        } else if (!strcmp(k, "qualifier")) {
            ok = !strcmp(v, cs_qual_name(cl->qualifier));
            snprintf(got, sizeof got, "%s", cs_qual_name(cl->qualifier));
        } else if (!strcmp(k, "baseline")) {
            ok = isnull ? !cl->baseline : cl->baseline && !strcmp(v, cl->baseline);
            snprintf(got, sizeof got, "%s", cl->baseline ? cl->baseline : "null");
        } else if (!strcmp(k, "hardware")) {
            ok = isnull ? !cl->hardware : cl->hardware && !strcmp(v, cl->hardware);
            snprintf(got, sizeof got, "%s", cl->hardware ? cl->hardware : "null");
        } else if (!strcmp(k, "subject")) {
            const char *sub = cl->subject_baseline ? "baseline" : "self";
            ok = !strcmp(v, sub);
            snprintf(got, sizeof got, "%s", sub);
        } else if (!strcmp(k, "text")) {
            ok = strlen(v) == cl->end - cl->start && !memcmp(v, text + cl->start, cl->end - cl->start);
            snprintf(got, sizeof got, "%.*s", (int)(cl->end - cl->start), text + cl->start);
        } else {
            snprintf(why, whysz, "unknown example field '%s'", k);
            return -1;
        }
        if (!ok) {
            snprintf(why, whysz, "%s: expected %s, got %s", k, v, got);
            return 0;
        }
    }
    return 1;
}

static void describe(sbuf *b, const cs_result *res, const char *text)
{
    if (res->nclaims == 0)
        sb_puts(b, " (no claims)");
    for (size_t i = 0; i < res->nclaims; i++) {
        const cs_claim *c = &res->claims[i];
        char v[40], f[40];
        fmt_num(v, sizeof v, isnan(c->value) ? c->hi : c->value);
        fmt_num(f, sizeof f, c->factor);
        sb_printf(b, "\n    got %s %s%s factor=%s qualifier=%s baseline=%s hardware=%s rule=%s text=\"%.*s\"",
                  cs_kind_name(c->kind), v, c->unit, f, cs_qual_name(c->qualifier),
                  c->baseline ? c->baseline : "null", c->hardware ? c->hardware : "null", c->rule,
                  (int)(c->end - c->start), text + c->start);
    }
}

int scan_check_examples(scanner *s, scan_report_fn fn, void *ud)
{
    const ruleset *rs = s->rs;
    int fails = 0;
    cs_result res = {0};
    for (size_t i = 0; i < rs->nrules; i++) {
        const rule *r = &rs->rules[i];
        int npos = 0, nneg = 0;
        for (size_t k = 0; k < r->nexamples; k++) {
            const rule_example *ex = &r->examples[k];
            const char *text = ex->ex.text;
            char *err = NULL;
            cs_result_clear(&res);
            scan_doc(s, text, strlen(text), &res, &err);
            int hit = 0, bad = 0;
            char why[300] = "";
            if (r->kind == KIND_NONE) {
                for (size_t c = 0; c < s->nc; c++)
                    if (s->c[c].accepted && s->c[c].r == r)
                        hit = 1;
                snprintf(why, sizeof why, "the trap did not match");
            } else {
                for (size_t c = 0; c < res.nclaims && !hit; c++) {
                    if (strcmp(res.claims[c].rule, r->id))
                        continue;
                    int fit = claim_fits(&res.claims[c], &ex->ex, text, why, sizeof why);
                    if (fit < 0)
                        bad = 1;
                    hit = fit > 0 || (!ex->positive && fit == 0) ? 1 : hit;
                }
                if (!hit && !why[0])
                    snprintf(why, sizeof why, "no claim from this rule");
            }
            ex->positive ? npos++ : nneg++;
            int ok = !bad && (ex->positive ? hit : !hit);
            if (err) {
                ok = 0;
                snprintf(why, sizeof why, "%s", err);
                free(err);
            }
            sbuf b = {0};
            if (!ok) {
                if (ex->positive)
                    sb_printf(&b, "example \"%s\" failed: %s", text, why);
                else
                    sb_printf(&b, "counter \"%s\" matched", text);
                describe(&b, &res, text);
                fails++;
            }
            fn(ud, r->file, ex->lineno, r->id, ok, b.s);
            sb_free(&b);
        }
        if (npos == 0 || nneg == 0) {
            fails++;
            fn(ud, r->file, r->line, r->id, 0, "needs at least one example and one counter");
        }
    }
    cs_result_free(&res);
    return fails;
}

/* Two candidates that claim the same number differently. */
static int differ(const cand *a, const cand *b)
{
    if (a->kind != b->kind || a->unit != b->unit)
        return 1;
    return !(num_eq(a->value, b->value) && num_eq(a->lo, b->lo) && num_eq(a->hi, b->hi));
}

int scan_check_overlaps(scanner *s, scan_report_fn fn, void *ud)
{
    const ruleset *rs = s->rs;
    int fails = 0;
    cs_result res = {0};
    for (size_t i = 0; i < rs->nrules; i++) {
        const rule *r = &rs->rules[i];
        for (size_t k = 0; k < r->nexamples; k++) {
            const rule_example *ex = &r->examples[k];
            if (!ex->positive)
                continue;
            const char *text = ex->ex.text;
            char *err = NULL;
            cs_result_clear(&res);
            scan_doc(s, text, strlen(text), &res, &err);
            free(err);
            sbuf b = {0};
            for (size_t x = 0; x < s->nc; x++) {
                for (size_t y = x + 1; y < s->nc; y++) {
                    const cand *p = &s->c[x], *q = &s->c[y];
                    if (p->r == q->r || p->kind < 0 || q->kind < 0 || p->r->share || q->r->share ||
                        p->r->follow || q->r->follow || p->r->priority != q->r->priority || !overlaps(p, q) ||
                        !differ(p, q))
                        continue;
                    const cand *u = p->r < q->r ? p : q, *v = p->r < q->r ? q : p;
                    char v1[40], v2[40];
                    fmt_num(v1, sizeof v1, isnan(u->value) ? u->hi : u->value);
                    fmt_num(v2, sizeof v2, isnan(v->value) ? v->hi : v->value);
                    sb_printf(&b, "%srules '%s' and '%s' (both priority %d) claim \"%.*s\" as %s %s%s and %s %s%s",
                              b.len ? "; " : "", u->r->id, v->r->id, u->r->priority, (int)(u->ve - u->vs),
                              text + u->vs, cs_kind_name(u->kind), v1, u->unit ? u->unit->name : "",
                              cs_kind_name(v->kind), v2, v->unit ? v->unit->name : "");
                }
            }
            if (b.len)
                fails++;
            fn(ud, r->file, ex->lineno, r->id, b.len == 0, b.s);
            sb_free(&b);
        }
    }
    cs_result_free(&res);
    return fails;
}

/* Subjects that make careless patterns backtrack. */
static char *adversarial(int which, size_t *len)
{
    size_t n = 1u << 20;
    char *t = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        switch (which) {
        case 0: t[i] = (char)('0' + i % 10); break;                 /* one long digit run */
        case 1: t[i] = "1.1."[i % 4]; break;                         /* 1.1.1.1... */
        case 2: t[i] = "1, "[i % 3]; break;                          /* repeated separators */
        case 3: t[i] = 'a'; break;                                   /* 1 MB of one character */
        case 4: t[i] = " "[0]; break;                                /* 1 MB of blanks */
        default: t[i] = "2x faster and "[i % 14]; break;            /* a claim repeated */
        }
    }
    t[n] = '\0';
    *len = n;
    return t;
}

int scan_check_backtracking(scanner *s, double budget_ms, scan_report_fn fn, void *ud)
{
    const ruleset *rs = s->rs;
    static const char *const names[] = {"a 1 MB digit run", "1.1.1.1...", "repeated \"1, \"",
                                        "1 MB of 'a'", "1 MB of blanks", "a claim repeated"};
    int fails = 0;
    size_t len[6];
    char *subj[6];
    for (int w = 0; w < 6; w++)
        subj[w] = adversarial(w, &len[w]);
    for (size_t i = 0; i < rs->nrules; i++) {
        const rule *r = &rs->rules[i];
        sbuf b = {0};
        for (int w = 0; w < 6; w++) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            size_t off = 0;
            int rc = 0;
            free(s->err);
            s->err = NULL;
            while (off < len[w] && (rc = match(s, r->re, r->id, subj[w], off, len[w], 0)) == 1) {
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
                off = ov[1] > ov[0] ? ov[1] : next_char(subj[w], ov[0], len[w]);
                clock_gettime(CLOCK_MONOTONIC, &t1);
                if ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6 > budget_ms)
                    break;
            }
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
            if (rc < 0)
                sb_printf(&b, "%s%s: %s", b.len ? "; " : "", names[w], s->err ? s->err : "match error");
            else if (ms > budget_ms)
                sb_printf(&b, "%s%s: over the time budget of %.0f ms", b.len ? "; " : "", names[w], budget_ms);
        }
        free(s->err);
        s->err = NULL;
        if (b.len)
            fails++;
        fn(ud, r->file, r->line, r->id, b.len == 0, b.s);
        sb_free(&b);
    }
    for (int w = 0; w < 6; w++)
        free(subj[w]);
    return fails;
}

int scan_check_screens(scanner *s, scan_report_fn fn, void *ud, void (*note)(const char *msg))
{
    const ruleset *rs = s->rs;
    const struct {
        const char *name;
        const ctx_re *c;
    } ctx[] = {{"candidate", &rs->candidate}, {"candidate-words", &rs->candidate_words},
               {"numstart", &rs->numstart}, {"cuestart", &rs->cuestart}};
    int fails = 0;
    for (size_t i = 0; i < sizeof ctx / sizeof *ctx + rs->nprefilters; i++) {
        const screen *scr;
        const pcre2_code *re, *anch;
        const char *file = "(prefilter)", *why = NULL;
        int line = 0;
        char name[64];
        if (i < sizeof ctx / sizeof *ctx) {
            const ctx_re *c = ctx[i].c;
            scr = c->scr, re = c->re, anch = c->anch, file = c->file, line = c->line, why = c->noscreen;
            snprintf(name, sizeof name, "%s", ctx[i].name);
        } else {
            const prefilter *pf = &rs->prefilters[i - sizeof ctx / sizeof *ctx];
            if (pf->start != 'a' || !pf->re)
                continue;
            scr = pf->scr, re = pf->re, anch = pf->anch;
            snprintf(name, sizeof name, "prefilter of %zu rules starting anywhere", pf->nrules);
            why = pf->noscreen;
        }
        if (!scr) {
            if (note) {
                char *msg = xasprintf("%s:%d: %s has no screen: %s; it is searched at every place (the same "
                                      "output, slower)", file, line, name, why ? why : "?");
                note(msg);
                free(msg);
            }
            continue;
        }
        sbuf b = {0};
        size_t texts = 0;
        for (size_t k = 0; k < rs->nrules && !b.len; k++)
            for (size_t e = 0; e < rs->rules[k].nexamples && !b.len; e++) {
                const char *text = rs->rules[k].examples[e].ex.text;
                size_t where;
                texts++;
                if (screen_verify(scr, re, anch, text, strlen(text), &where))
                    sb_printf(&b, "screen and PCRE2 differ from offset %zu of \"%s\" (%s:%d)", where, text,
                              rs->rules[k].file, rs->rules[k].examples[e].lineno);
            }
        char what[96];
        snprintf(what, sizeof what, "%s (%zu texts)", name, texts);
        fn(ud, file, line, what, !b.len, b.len ? b.s : NULL);
        fails += b.len != 0;
        sb_free(&b);
    }
    return fails;
}
