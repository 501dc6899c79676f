/* cmd_eval.c: `claimscan eval`, scoring a claims table against a gold file
 * (../shared/claims-schema.md, "How a prediction is scored against gold").
 *
 * The scoring itself (eval_files and its printers, eval.h) is separate from
 * the command so that `claimscan check` can run it as a CI gate.  Both files
 * are read whole into arrays; claims are then grouped by (doc, kind) and
 * matched one-to-one inside each group, hardware mentions by doc. */
#include "cs.h"
#include "cmd.h"
#include "eval.h"
#include "jsonl.h"
#include "pair.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NONE SIZE_MAX

/* qsort, but an empty (possibly NULL) array is fine. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* ------------------------------------------------------------------ */
/* Scores                                                              */

static double ratio_or_vacuous(size_t num, size_t den, const eval_prf *c)
{
    if (den)
        return (double)num / (double)den;
    return c->tp + c->fp + c->fn == 0 ? 1.0 : 0.0;
}

double eval_precision(const eval_prf *c)
{
    return ratio_or_vacuous(c->tp, c->tp + c->fp, c);
}

double eval_recall(const eval_prf *c)
{
    return ratio_or_vacuous(c->tp, c->tp + c->fn, c);
}

double eval_f1(const eval_prf *c)
{
    return ratio_or_vacuous(2 * c->tp, 2 * c->tp + c->fp + c->fn, c);
}

static const char *const attr_names[EA__COUNT] = {
    "factor", "unit", "qualifier", "hardware", "baseline",
};

const char *eval_attr_name(int a)
{
    return a >= 0 && a < EA__COUNT ? attr_names[a] : "?";
}

/* Scores are shown, put in JSON and gated to 3 decimals, all the same way. */
static double round3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

/* ------------------------------------------------------------------ */
/* Comparisons                                                         */

/* "Agree within 0.5% relative", symmetric in a and b. */
static int num_close(double a, double b)
{
    if (isnan(a) || isnan(b))
        return 0;
    return a == b || fabs(a - b) <= 0.005 * fmax(fabs(a), fabs(b));
}

/* null == null, else within 0.5%. */
static int num_agree(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 1;
    return num_close(a, b);
}

static int str_agree(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Length of the whitespace-delimited word at s (s not at a space). */
static size_t word_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t')
        n++;
    return n;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int eval_hw_match(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t words = 0;
    a = skip_space(a);
    b = skip_space(b);
    while (*a && *b) {
        size_t na = word_len(a), nb = word_len(b);
        if (na != nb || strncasecmp(a, b, na) != 0)
            return 0;
        words++;
        a = skip_space(a + na);
        b = skip_space(b + nb);
    }
    if (!*a && !*b)
        return words > 0;
    /* One ran out first: it is a family of the other, when it names more
     * than a bare vendor. */
    return words >= 2;
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    for (s = skip_space(s); *s; s = skip_space(s + word_len(s)))
        n++;
    return n;
}

/* Equal as names: the same words, case-insensitive. */
static int hw_same(const char *a, const char *b)
{
    return eval_hw_match(a, b) && count_words(a) == count_words(b);
}

static int baseline_agree(const char *g, const char *p)
{
    if (!g || !p)
        return g == p;
    return strcasestr(g, p) != NULL || strcasestr(p, g) != NULL;
}

static int hardware_agree(const char *g, const char *p)
{
    if (!g || !p)
        return g == p;
    return eval_hw_match(g, p);
}

/* ------------------------------------------------------------------ */
/* Records as read                                                     */

typedef struct ev_claim {
    size_t doc;             /* index into the gold doc table */
    int kind;
    double value, lo, hi, factor, norm;
    char *unit, *norm_unit, *qualifier, *hardware, *baseline, *text, *rule;
    long start, end;        /* -1: absent */
    size_t seq;             /* input order */
} ev_claim;

typedef struct ev_hwm {
    size_t doc;
    char *hardware, *text;
    long start, end;
    size_t seq;
} ev_hwm;

typedef struct ev_side {
    ev_claim *c;
    size_t nc, capc;
    ev_hwm *h;
    size_t nh, caph;
} ev_side;

typedef struct ev_state {
    /* gold docs, in file order */
    char **doc;
    size_t *doc_line;
    unsigned char *doc_seen;        /* a document record was predicted */
    size_t ndoc, capdoc;
    size_t *by_id;                  /* doc indices sorted by strcmp, for lookup */
    size_t *rank;                   /* natural-order rank of each doc */
    ev_side gold, pred;
    /* predicted docs not in the gold */
    char **unknown;
    size_t nunknown, capunknown;
    size_t unknown_records;
    size_t pred_docs, pred_doc_errors;
} ev_state;

static void claim_free(ev_claim *c)
{
    free(c->unit);
    free(c->norm_unit);
    free(c->qualifier);
    free(c->hardware);
    free(c->baseline);
    free(c->text);
    free(c->rule);
}

static void side_free(ev_side *s)
{
    for (size_t i = 0; i < s->nc; i++)
        claim_free(&s->c[i]);
    for (size_t i = 0; i < s->nh; i++) {
        free(s->h[i].hardware);
        free(s->h[i].text);
    }
    free(s->c);
    free(s->h);
}

static void state_free(ev_state *st)
{
    for (size_t i = 0; i < st->ndoc; i++)
        free(st->doc[i]);
    free(st->doc);
    free(st->doc_line);
    free(st->doc_seen);
    free(st->by_id);
    free(st->rank);
    side_free(&st->gold);
    side_free(&st->pred);
    for (size_t i = 0; i < st->nunknown; i++)
        free(st->unknown[i]);
    free(st->unknown);
}

static ev_claim *side_add_claim(ev_side *s)
{
    if (s->nc == s->capc) {
        s->capc = s->capc ? 2 * s->capc : 64;
        s->c = xrealloc(s->c, s->capc * sizeof *s->c);
    }
    ev_claim *c = &s->c[s->nc];
    memset(c, 0, sizeof *c);
    c->value = c->lo = c->hi = c->factor = c->norm = NAN;
    c->start = c->end = -1;
    c->seq = s->nc++;
    return c;
}

static ev_hwm *side_add_hw(ev_side *s)
{
    if (s->nh == s->caph) {
        s->caph = s->caph ? 2 * s->caph : 32;
        s->h = xrealloc(s->h, s->caph * sizeof *s->h);
    }
    ev_hwm *h = &s->h[s->nh];
    memset(h, 0, sizeof *h);
    h->start = h->end = -1;
    h->seq = s->nh++;
    return h;
}

/* ------------------------------------------------------------------ */
/* Reading fields, with "FILE:LINE: where: message" errors             */

/* The fields of a claim that scoring uses; doc is looked up by the caller. */
static int read_claim(const cJSON *o, ev_claim *c, const jl_loc *at)
{
    if (jl_get_kind(o, &c->kind, at) ||
        jl_get_num(o, "value", &c->value, at) || jl_get_num(o, "lo", &c->lo, at) ||
        jl_get_num(o, "hi", &c->hi, at) || jl_get_num(o, "factor", &c->factor, at) ||
        jl_get_num(o, "norm", &c->norm, at) ||
        jl_get_str(o, "unit", 0, &c->unit, at) || jl_get_str(o, "norm_unit", 0, &c->norm_unit, at) ||
        jl_get_str(o, "qualifier", 0, &c->qualifier, at) ||
        jl_get_str(o, "hardware", 0, &c->hardware, at) ||
        jl_get_str(o, "baseline", 0, &c->baseline, at) ||
        jl_get_str(o, "text", 0, &c->text, at) || jl_get_str(o, "rule", 0, &c->rule, at) ||
        jl_get_off(o, "start", &c->start, at) || jl_get_off(o, "end", &c->end, at))
        return -1;
    return 0;
}

static int read_hw(const cJSON *o, ev_hwm *h, const jl_loc *at)
{
    if (jl_get_str(o, "hardware", 1, &h->hardware, at) || jl_get_str(o, "text", 0, &h->text, at) ||
        jl_get_off(o, "start", &h->start, at) || jl_get_off(o, "end", &h->end, at))
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reading files                                                       */

static int gold_line(void *ud, const cJSON *o, jl_loc *at)
{
    ev_state *st = ud;
    char *doc;
    if (jl_get_str(o, "doc", 1, &doc, at))
        return -1;
    const cJSON *claims = cJSON_GetObjectItemCaseSensitive(o, "claims");
    const cJSON *hw = cJSON_GetObjectItemCaseSensitive(o, "hardware");
    const char *bad = !claims ? "missing field '%s'" : !cJSON_IsArray(claims) ? "field '%s' is not an array" : NULL;
    const char *badhw = !hw ? "missing field '%s'" : !cJSON_IsArray(hw) ? "field '%s' is not an array" : NULL;
    if (bad || badhw) {
        free(doc);
        return bad ? jl_error(at, bad, "claims") : jl_error(at, badhw, "hardware");
    }
    if (st->ndoc == st->capdoc) {
        st->capdoc = st->capdoc ? 2 * st->capdoc : 64;
        st->doc = xrealloc(st->doc, st->capdoc * sizeof *st->doc);
        st->doc_line = xrealloc(st->doc_line, st->capdoc * sizeof *st->doc_line);
    }
    size_t d = st->ndoc++;
    st->doc[d] = doc;
    st->doc_line[d] = at->line;

    const char *lists[2] = {"claims", "hardware"};
    const cJSON *arr[2] = {claims, hw};
    for (int l = 0; l < 2; l++) {
        size_t i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, arr[l]) {
            snprintf(at->where, sizeof at->where, "%s[%zu]: ", lists[l], i++);
            if (!cJSON_IsObject(e))
                return jl_error(at, "%s", "not a JSON object");
            char *inner;
            if (jl_get_str(e, "doc", 0, &inner, at))
                return -1;
            int differs = inner && strcmp(inner, doc) != 0;
            free(inner);
            if (differs)
                return jl_error(at, "field 'doc' differs from the line's doc '%s'", doc);
            if (l == 0) {
                ev_claim *c = side_add_claim(&st->gold);
                c->doc = d;
                if (read_claim(e, c, at))
                    return -1;
            } else {
                ev_hwm *h = side_add_hw(&st->gold);
                h->doc = d;
                if (read_hw(e, h, at))
                    return -1;
            }
        }
    }
    return 0;
}

static int cmp_by_id(const void *a, const void *b, void *arg)
{
    char **doc = arg;
    return strcmp(doc[*(const size_t *)a], doc[*(const size_t *)b]);
}

static int cmp_by_natural(const void *a, const void *b, void *arg)
{
    char **doc = arg;
    return jl_doc_cmp(doc[*(const size_t *)a], doc[*(const size_t *)b]);
}

/* Builds the lookup and order tables; a doc listed twice is an error. */
static int index_gold(ev_state *st, const char *file)
{
    size_t n = st->ndoc;
    st->by_id = xcalloc(n, sizeof *st->by_id);
    st->rank = xcalloc(n, sizeof *st->rank);
    st->doc_seen = xcalloc(n, 1);
    size_t *nat = xcalloc(n, sizeof *nat);
    for (size_t i = 0; i < n; i++)
        st->by_id[i] = nat[i] = i;
    qsort_r(st->by_id, n, sizeof *st->by_id, cmp_by_id, st->doc);
    qsort_r(nat, n, sizeof *nat, cmp_by_natural, st->doc);
    for (size_t i = 0; i < n; i++)
        st->rank[nat[i]] = i;
    free(nat);
    for (size_t i = 1; i < n; i++) {
        size_t a = st->by_id[i - 1], b = st->by_id[i];
        if (strcmp(st->doc[a], st->doc[b]) == 0) {
            size_t first = a < b ? a : b, second = a < b ? b : a;
            cs_error("%s:%zu: doc '%s' is already on line %zu", file,
                     st->doc_line[second], st->doc[second], st->doc_line[first]);
            return -1;
        }
    }
    return 0;
}

static size_t find_doc(const ev_state *st, const char *id)
{
    size_t lo = 0, hi = st->ndoc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, st->doc[st->by_id[mid]]);
        if (c == 0)
            return st->by_id[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NONE;
}

static void note_unknown(ev_state *st, char *doc)
{
    if (st->nunknown == st->capunknown) {
        st->capunknown = st->capunknown ? 2 * st->capunknown : 16;
        st->unknown = xrealloc(st->unknown, st->capunknown * sizeof *st->unknown);
    }
    st->unknown[st->nunknown++] = doc;
}

static int pred_line(void *ud, const cJSON *o, jl_loc *at)
{
    ev_state *st = ud;
    char *rec, *doc = NULL;
    if (!cJSON_GetObjectItemCaseSensitive(o, "record") && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "claims")))
        return jl_error(at, "%s", "missing field 'record' (a gold line? the gold goes after --gold)");
    if (jl_get_str(o, "record", 1, &rec, at))
        return -1;
    int type = !strcmp(rec, "claim") ? 1 : !strcmp(rec, "hardware") ? 2 : !strcmp(rec, "document") ? 3 : 0;
    free(rec);
    if (type == 0)
        return 0;       /* other record types (provenance, ...) are not scored */
    if (jl_get_str(o, "doc", 1, &doc, at))
        return -1;
    size_t d = find_doc(st, doc);
    int rc = 0;
    if (type == 3) {
        char *err;
        if (jl_get_str(o, "error", 0, &err, at)) {
            rc = -1;
        } else {
            st->pred_docs++;
            st->pred_doc_errors += err != NULL;
            if (d != NONE)
                st->doc_seen[d] = 1;
            free(err);
        }
    } else if (type == 1) {
        ev_claim *c = side_add_claim(&st->pred);
        c->doc = d;
        rc = read_claim(o, c, at);
        if (d == NONE) {        /* read (so that errors show), then dropped */
            claim_free(c);
            st->pred.nc--;
        }
    } else {
        ev_hwm *h = side_add_hw(&st->pred);
        h->doc = d;
        rc = read_hw(o, h, at);
        if (d == NONE) {
            free(h->hardware);
            free(h->text);
            st->pred.nh--;
        }
    }
    if (d == NONE) {
        st->unknown_records += type != 3;
        note_unknown(st, doc);
    } else {
        free(doc);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* One-to-one matching inside a group                                  */

static int claim_fits(const ev_claim *g, const ev_claim *p)
{
    if (CS_KIND_IS_RATIO(g->kind)) {
        if (!str_agree(g->unit, p->unit))
            return 0;
        if (!isnan(g->value))
            return num_close(g->value, p->value);
        if (isnan(g->lo) && isnan(g->hi))
            return 0;
        return num_close(g->lo, p->lo) && num_close(g->hi, p->hi);
    }
    return g->norm_unit && p->norm_unit && !strcmp(g->norm_unit, p->norm_unit) &&
           num_close(g->norm, p->norm);
}

/* ------------------------------------------------------------------ */
/* The -v listing                                                      */

typedef struct ev_item {
    size_t rank;
    long start;
    int what;       /* 0 miss, 1 extra, 2 + attribute for a disagreement */
    size_t seq;
    char *msg;
} ev_item;

typedef struct ev_list {
    ev_item *v;
    size_t n, cap;
} ev_list;

static void list_add(ev_list *l, size_t rank, long start, int what, char *msg)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n] = (ev_item){rank, start, what, l->n, msg};
    l->n++;
}

static int item_cmp(const void *pa, const void *pb)
{
    const ev_item *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->what != b->what)
        return a->what < b->what ? -1 : 1;
    int c = strcmp(a->msg, b->msg);     /* independent of input order */
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void put_span(sbuf *b, long start, long end, const char *text)
{
    if (start >= 0 || end >= 0)
        sb_printf(b, "  [%ld,%ld)", start, end);
    if (text) {
        sb_puts(b, " ");
        jl_put_quoted(b, text);
    }
}

/* "speedup 2.6 x", "speedup 2-3 x", "latency 85 ms = 0.085 s" */
static void put_claim(sbuf *b, const ev_claim *c)
{
    sb_printf(b, "%s ", cs_kind_name(c->kind));
    if (isnan(c->value) && !(isnan(c->lo) && isnan(c->hi))) {
        jl_put_num(b, c->lo);
        sb_putc(b, '-');
        jl_put_num(b, c->hi);
    } else {
        jl_put_num(b, c->value);
    }
    sb_printf(b, " %s", c->unit ? c->unit : "null");
    if (!CS_KIND_IS_RATIO(c->kind)) {
        sb_puts(b, " = ");
        jl_put_num(b, c->norm);
        sb_printf(b, " %s", c->norm_unit ? c->norm_unit : "null");
    }
}

static char *claim_line(const char *what, const char *doc, const ev_claim *c)
{
    sbuf b = {0};
    sb_printf(&b, "%-6s doc %s  ", what, doc);
    put_claim(&b, c);
    put_span(&b, c->start, c->end, c->text);
    if (c->rule)
        sb_printf(&b, "  rule %s", c->rule);
    return b.s;
}

static char *hw_line(const char *what, const char *doc, const ev_hwm *h)
{
    sbuf b = {0};
    sb_printf(&b, "%-6s doc %s  hardware ", what, doc);
    jl_put_quoted(&b, h->hardware);
    put_span(&b, h->start, h->end, h->text);
    return b.s;
}

static void put_attr_value(sbuf *b, int attr, const ev_claim *c)
{
    switch (attr) {
    case EA_FACTOR: jl_put_num(b, c->factor); break;
    case EA_UNIT: jl_put_quoted(b, c->unit); break;
    case EA_QUALIFIER: jl_put_quoted(b, c->qualifier); break;
    case EA_HARDWARE: jl_put_quoted(b, c->hardware); break;
    default: jl_put_quoted(b, c->baseline); break;
    }
}

static char *differ_line(const char *doc, const ev_claim *g, const ev_claim *p, int attr)
{
    sbuf b = {0};
    sb_printf(&b, "%-6s doc %s  ", "differ", doc);
    put_claim(&b, g);
    put_span(&b, g->start, g->end, g->text);
    sb_printf(&b, "  %s: gold ", eval_attr_name(attr));
    put_attr_value(&b, attr, g);
    sb_puts(&b, ", got ");
    put_attr_value(&b, attr, p);
    return b.s;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */

static int claim_group_cmp(const void *pa, const void *pb)
{
    const ev_claim *a = pa, *b = pb;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int hw_group_cmp(const void *pa, const void *pb)
{
    const ev_hwm *a = pa, *b = pb;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void score_pair(eval_scores *s, const ev_state *st, const ev_claim *g, const ev_claim *p, ev_list *vl)
{
    int agree[EA__COUNT];
    int applies[EA__COUNT] = {0};
    applies[CS_KIND_IS_RATIO(g->kind) ? EA_FACTOR : EA_UNIT] = 1;
    applies[EA_QUALIFIER] = applies[EA_HARDWARE] = applies[EA_BASELINE] = 1;
    agree[EA_FACTOR] = num_agree(g->factor, p->factor);
    agree[EA_UNIT] = str_agree(g->unit, p->unit);
    agree[EA_QUALIFIER] = str_agree(g->qualifier, p->qualifier);
    agree[EA_HARDWARE] = hardware_agree(g->hardware, p->hardware);
    agree[EA_BASELINE] = baseline_agree(g->baseline, p->baseline);
    for (int a = 0; a < EA__COUNT; a++) {
        if (!applies[a])
            continue;
        s->attr[a].total++;
        s->attr[a].agree += agree[a] != 0;
        if (!agree[a] && vl)
            list_add(vl, st->rank[g->doc], g->start, 2 + a, differ_line(st->doc[g->doc], g, p, a));
    }
}

static void score_claims(ev_state *st, eval_scores *s, ev_list *vl)
{
    ev_side *G = &st->gold, *P = &st->pred;
    sort_n(G->c, G->nc, sizeof *G->c, claim_group_cmp);
    sort_n(P->c, P->nc, sizeof *P->c, claim_group_cmp);
    size_t i = 0, j = 0;
    while (i < G->nc || j < P->nc) {
        const ev_claim *key;
        if (i == G->nc)
            key = &P->c[j];
        else if (j == P->nc)
            key = &G->c[i];
        else
            key = claim_group_cmp(&G->c[i], &P->c[j]) <= 0 ? &G->c[i] : &P->c[j];
        size_t doc = key->doc;
        int kind = key->kind;
        size_t i2 = i, j2 = j;
        while (i2 < G->nc && G->c[i2].doc == doc && G->c[i2].kind == kind)
            i2++;
        while (j2 < P->nc && P->c[j2].doc == doc && P->c[j2].kind == kind)
            j2++;
        size_t ng = i2 - i, np = j2 - j, nc = 0;
        pair_cand *cv = xcalloc(ng * np, sizeof *cv);
        for (size_t a = 0; a < ng; a++)
            for (size_t b = 0; b < np; b++) {
                const ev_claim *g = &G->c[i + a], *p = &P->c[j + b];
                if (!claim_fits(g, p))
                    continue;
                pair_cand *c = &cv[nc++];
                c->g = a;
                c->p = b;
                c->same = 0;
                pair_span_keys(c, g->start, g->end, p->start, p->end);
            }
        size_t *g2p = xcalloc(ng, sizeof *g2p), *p2g = xcalloc(np, sizeof *p2g);
        pair_assign(cv, nc, ng, np, g2p, p2g);
        eval_prf *k = &s->kind[kind];
        for (size_t a = 0; a < ng; a++) {
            const ev_claim *g = &G->c[i + a];
            if (g2p[a] == NONE) {
                k->fn++;
                if (vl)
                    list_add(vl, st->rank[doc], g->start, 0, claim_line("miss", st->doc[doc], g));
            } else {
                k->tp++;
                score_pair(s, st, g, &P->c[j + g2p[a]], vl);
            }
        }
        for (size_t b = 0; b < np; b++) {
            const ev_claim *p = &P->c[j + b];
            if (p2g[b] == NONE) {
                k->fp++;
                if (vl)
                    list_add(vl, st->rank[doc], p->start, 1, claim_line("extra", st->doc[doc], p));
            }
        }
        free(cv);
        free(g2p);
        free(p2g);
        i = i2;
        j = j2;
    }
    for (int k = 0; k < K__COUNT; k++) {
        s->claims.tp += s->kind[k].tp;
        s->claims.fp += s->kind[k].fp;
        s->claims.fn += s->kind[k].fn;
    }
    s->matched = s->claims.tp;
}

static void score_hardware(ev_state *st, eval_scores *s, ev_list *vl)
{
    ev_side *G = &st->gold, *P = &st->pred;
    sort_n(G->h, G->nh, sizeof *G->h, hw_group_cmp);
    sort_n(P->h, P->nh, sizeof *P->h, hw_group_cmp);
    size_t i = 0, j = 0;
    while (i < G->nh || j < P->nh) {
        size_t doc;
        if (i == G->nh)
            doc = P->h[j].doc;
        else if (j == P->nh)
            doc = G->h[i].doc;
        else
            doc = G->h[i].doc < P->h[j].doc ? G->h[i].doc : P->h[j].doc;
        size_t i2 = i, j2 = j;
        while (i2 < G->nh && G->h[i2].doc == doc)
            i2++;
        while (j2 < P->nh && P->h[j2].doc == doc)
            j2++;
        size_t ng = i2 - i, np = j2 - j, nc = 0;
        pair_cand *cv = xcalloc(ng * np, sizeof *cv);
        for (size_t a = 0; a < ng; a++)
            for (size_t b = 0; b < np; b++) {
                const ev_hwm *g = &G->h[i + a], *p = &P->h[j + b];
                if (!eval_hw_match(g->hardware, p->hardware))
                    continue;
                pair_cand *c = &cv[nc++];
                c->g = a;
                c->p = b;
                c->same = hw_same(g->hardware, p->hardware);
                pair_span_keys(c, g->start, g->end, p->start, p->end);
            }
        size_t *g2p = xcalloc(ng, sizeof *g2p), *p2g = xcalloc(np, sizeof *p2g);
        pair_assign(cv, nc, ng, np, g2p, p2g);
        for (size_t a = 0; a < ng; a++) {
            if (g2p[a] != NONE) {
                s->hardware.tp++;
                continue;
            }
            s->hardware.fn++;
            if (vl)
                list_add(vl, st->rank[doc], G->h[i + a].start, 0, hw_line("miss", st->doc[doc], &G->h[i + a]));
        }
        for (size_t b = 0; b < np; b++) {
            if (p2g[b] != NONE)
                continue;
            s->hardware.fp++;
            if (vl)
                list_add(vl, st->rank[doc], P->h[j + b].start, 1, hw_line("extra", st->doc[doc], &P->h[j + b]));
        }
        free(cv);
        free(g2p);
        free(p2g);
        i = i2;
        j = j2;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One warning for every prediction about docs the gold does not have. */
static void warn_unknown(ev_state *st, eval_scores *s, const char *gold)
{
    if (!st->nunknown)
        return;
    qsort(st->unknown, st->nunknown, sizeof *st->unknown, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < st->nunknown; i++)
        distinct += i == 0 || strcmp(st->unknown[i], st->unknown[i - 1]) != 0;
    s->unknown_docs = distinct;
    s->unknown_records = st->unknown_records;
    cs_warn("predictions for %zu document%s not in '%s' are not scored (%zu claim/hardware record%s; e.g. doc '%s')",
            distinct, distinct == 1 ? "" : "s", gold, st->unknown_records,
            st->unknown_records == 1 ? "" : "s", st->unknown[0]);
}

int eval_files(const char *gold, const char *pred, eval_scores *out, FILE *verbose)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(gold, "-") && !strcmp(pred, "-")) {
        cs_error("the gold and the predictions cannot both be read from standard input");
        return CS_EXIT_USAGE;
    }
    ev_state st = {0};
    int rc = CS_EXIT_USAGE;
    const char *gold_name = strcmp(gold, "-") ? gold : "<stdin>";
    if (jl_read(gold, &st, gold_line) || index_gold(&st, gold_name) ||
        jl_read(pred, &st, pred_line))
        goto done;
    if (st.ndoc == 0)
        cs_warn("'%s' has no documents: every score is vacuous", gold_name);
    ev_list vl = {0};
    score_claims(&st, out, verbose ? &vl : NULL);
    score_hardware(&st, out, verbose ? &vl : NULL);
    out->gold_docs = st.ndoc;
    out->pred_docs = st.pred_docs;
    out->pred_doc_errors = st.pred_doc_errors;
    if (st.pred_docs)
        for (size_t d = 0; d < st.ndoc; d++)
            out->gold_docs_unseen += !st.doc_seen[d];
    warn_unknown(&st, out, gold_name);
    if (verbose) {
        sort_n(vl.v, vl.n, sizeof *vl.v, item_cmp);
        for (size_t k = 0; k < vl.n; k++) {
            fprintf(verbose, "%s\n", vl.v[k].msg);
            free(vl.v[k].msg);
        }
        free(vl.v);
    }
    rc = CS_EXIT_OK;
done:
    state_free(&st);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

static void print_prf(FILE *f, const char *label, const eval_prf *c)
{
    fprintf(f, "%-18s P %.3f  R %.3f  F1 %.3f   (tp %zu, fp %zu, fn %zu)\n", label,
            round3(eval_precision(c)), round3(eval_recall(c)), round3(eval_f1(c)),
            c->tp, c->fp, c->fn);
}

void eval_print_text(FILE *f, const eval_scores *s)
{
    print_prf(f, "claims", &s->claims);
    for (int k = 0; k < K__COUNT; k++) {
        const eval_prf *c = &s->kind[k];
        if (c->tp + c->fp + c->fn == 0)
            continue;
        char label[32];
        snprintf(label, sizeof label, "  %s", cs_kind_name(k));
        print_prf(f, label, c);
    }
    fprintf(f, "attributes on %zu matched claim%s\n", s->matched, s->matched == 1 ? "" : "s");
    for (int a = 0; a < EA__COUNT; a++) {
        const eval_attr *t = &s->attr[a];
        if (t->total)
            fprintf(f, "  %-16s %.3f  (%zu/%zu)\n", eval_attr_name(a),
                    round3((double)t->agree / (double)t->total), t->agree, t->total);
        else
            fprintf(f, "  %-16s   n/a  (0/0)\n", eval_attr_name(a));
    }
    print_prf(f, "hardware", &s->hardware);
    fprintf(f, "%-18s gold %zu, predicted %zu", "documents", s->gold_docs, s->pred_docs);
    if (s->pred_docs && s->gold_docs_unseen)
        fprintf(f, ", %zu gold without a record", s->gold_docs_unseen);
    if (s->pred_doc_errors)
        fprintf(f, ", %zu with an error", s->pred_doc_errors);
    if (s->unknown_docs)
        fprintf(f, ", %zu not in the gold (not scored)", s->unknown_docs);
    fputc('\n', f);
}

static cJSON *prf_json(const eval_prf *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "precision", round3(eval_precision(c)));
    cJSON_AddNumberToObject(o, "recall", round3(eval_recall(c)));
    cJSON_AddNumberToObject(o, "f1", round3(eval_f1(c)));
    cJSON_AddNumberToObject(o, "tp", (double)c->tp);
    cJSON_AddNumberToObject(o, "fp", (double)c->fp);
    cJSON_AddNumberToObject(o, "fn", (double)c->fn);
    return o;
}

cJSON *eval_to_json(const eval_scores *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "claims", prf_json(&s->claims));
    cJSON *kinds = cJSON_AddObjectToObject(o, "kinds");
    for (int k = 0; k < K__COUNT; k++)
        cJSON_AddItemToObject(kinds, cs_kind_name(k), prf_json(&s->kind[k]));
    cJSON *attrs = cJSON_AddObjectToObject(o, "attributes");
    cJSON_AddNumberToObject(attrs, "matched", (double)s->matched);
    for (int a = 0; a < EA__COUNT; a++) {
        const eval_attr *t = &s->attr[a];
        cJSON *x = cJSON_AddObjectToObject(attrs, eval_attr_name(a));
        if (t->total)
            cJSON_AddNumberToObject(x, "share", round3((double)t->agree / (double)t->total));
        else
            cJSON_AddNullToObject(x, "share");
        cJSON_AddNumberToObject(x, "agree", (double)t->agree);
        cJSON_AddNumberToObject(x, "total", (double)t->total);
    }
    cJSON_AddItemToObject(o, "hardware", prf_json(&s->hardware));
    cJSON *docs = cJSON_AddObjectToObject(o, "documents");
    cJSON_AddNumberToObject(docs, "gold", (double)s->gold_docs);
    cJSON_AddNumberToObject(docs, "predicted", (double)s->pred_docs);
    cJSON_AddNumberToObject(docs, "gold_without_record", (double)s->gold_docs_unseen);
    cJSON_AddNumberToObject(docs, "with_error", (double)s->pred_doc_errors);
    cJSON_AddNumberToObject(docs, "not_in_gold", (double)s->unknown_docs);
    cJSON_AddNumberToObject(docs, "not_in_gold_records", (double)s->unknown_records);
    return o;
}

/* ------------------------------------------------------------------ */
/* Gates                                                               */

static const char *gate_option(eval_gate_what w)
{
    return w == EG_CLAIMS ? "--min-f1" : w == EG_HARDWARE ? "--min-hardware-f1" : "--min-kind-f1";
}

int eval_gate_parse(eval_gate *g, eval_gate_what what, const char *arg)
{
    g->what = what;
    g->kind = -1;
    const char *num = arg;
    if (what == EG_KIND) {
        const char *eq = strchr(arg, '=');
        if (!eq) {
            cs_error("--min-kind-f1 wants KIND=F1, e.g. speedup=0.9, not '%s'", arg);
            return -1;
        }
        char *name = xstrndup(arg, (size_t)(eq - arg));
        g->kind = cs_kind_parse(name);
        if (g->kind < 0) {
            cs_error("unknown kind '%s' in --min-kind-f1 (kinds: speedup, memory_reduction, "
                     "energy_gain, cost_reduction, throughput, latency, memory, power, efficiency)",
                     name);
            free(name);
            return -1;
        }
        free(name);
        num = eq + 1;
    }
    char *end;
    errno = 0;
    g->min = strtod(num, &end);
    if (end == num || *end || errno || !(g->min >= 0.0 && g->min <= 1.0)) {
        cs_error("%s wants a number from 0 to 1, not '%s'", gate_option(what), num);
        return -1;
    }
    return 0;
}

double eval_gate_value(const eval_scores *s, const eval_gate *g)
{
    const eval_prf *c = g->what == EG_CLAIMS ? &s->claims
                      : g->what == EG_HARDWARE ? &s->hardware
                      : &s->kind[g->kind];
    return round3(eval_f1(c));
}

int eval_gate_ok(const eval_scores *s, const eval_gate *g)
{
    return eval_gate_value(s, g) + 1e-9 >= g->min;
}

int eval_gates_check(const eval_scores *s, const eval_gate *g, size_t n, FILE *err)
{
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (eval_gate_ok(s, &g[i]))
            continue;
        failed++;
        if (!err)
            continue;
        const char *what = g[i].what == EG_CLAIMS ? "claim" : g[i].what == EG_HARDWARE ? "hardware" : cs_kind_name(g[i].kind);
        fprintf(err, "claimscan: gate failed: %s F1 %.3f is below %g (%s %s%s%g)\n", what,
                eval_gate_value(s, &g[i]), g[i].min, gate_option(g[i].what),
                g[i].what == EG_KIND ? what : "", g[i].what == EG_KIND ? "=" : "", g[i].min);
    }
    return failed;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */

static void eval_usage(FILE *f)
{
    fputs("usage: claimscan eval --gold GOLD.jsonl [-v] [--json] [--min-f1 X]\n"
          "                      [--min-hardware-f1 X] [--min-kind-f1 KIND=X]... [CLAIMS.jsonl]\n"
          "\n"
          "Scores a claims table (the JSON Lines output of 'claimscan extract'; '-' or\n"
          "none = standard input) against a gold file, as the claims schema says: a\n"
          "predicted claim matches a gold claim of the same doc and kind whose value\n"
          "(or lo and hi) agrees within 0.5% with the same unit (ratio kinds), or whose\n"
          "norm agrees within 0.5% with the same norm_unit (absolute kinds); one to one.\n"
          "Prints precision, recall and F1 over claims (all kinds, then each kind),\n"
          "the share of matched claims whose factor, unit, qualifier, hardware and\n"
          "baseline agree, and P/R/F1 over hardware mentions.\n"
          "\n"
          "options:\n"
          "  --gold FILE            the gold file (one JSON line per document)\n"
          "  -v, --verbose          list every miss, extra and attribute disagreement\n"
          "                         (to standard error with --json)\n"
          "  --json                 print the scores as one JSON object\n"
          "  --min-f1 X             fail (exit 1) when the claim F1 is below X\n"
          "  --min-hardware-f1 X    fail when the hardware-mention F1 is below X\n"
          "  --min-kind-f1 KIND=X   fail when the F1 of one kind is below X (repeatable)\n"
          "                         (gates compare scores as printed, to 3 decimals)\n"
          "\n"
          "exit status: 0 scored and every gate passed; 1 a gate failed;\n"
          "2 usage error, unreadable file or malformed line\n", f);
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *opt_value(const char *opt, int argc, char **argv, int *i, int *bad)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        cs_error("option '%s' needs a value (see 'claimscan eval --help')", opt);
        *bad = 1;
        return NULL;
    }
    return argv[++*i];
}

int cmd_eval(int argc, char **argv)
{
    const char *gold = NULL, *pred = NULL;
    int verbose = 0, json = 0, bad = 0, only_args = 0;
    eval_gate *gates = xcalloc((size_t)argc, sizeof *gates);
    size_t ngates = 0;
    int rc = CS_EXIT_USAGE;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i], *v;
        if (only_args || a[0] != '-' || !strcmp(a, "-")) {
            if (pred) {
                cs_error("eval reads one claims file, got '%s' and '%s'", pred, a);
                goto out;
            }
            pred = a;
        } else if (!strcmp(a, "--")) {
            only_args = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            eval_usage(stdout);
            rc = CS_EXIT_OK;
            goto out;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 1;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if ((v = opt_value("--gold", argc, argv, &i, &bad))) {
            gold = v;
        } else if ((v = opt_value("--min-f1", argc, argv, &i, &bad))) {
            bad = eval_gate_parse(&gates[ngates++], EG_CLAIMS, v) != 0;
        } else if ((v = opt_value("--min-hardware-f1", argc, argv, &i, &bad))) {
            bad = eval_gate_parse(&gates[ngates++], EG_HARDWARE, v) != 0;
        } else if ((v = opt_value("--min-kind-f1", argc, argv, &i, &bad))) {
            bad = eval_gate_parse(&gates[ngates++], EG_KIND, v) != 0;
        } else if (!bad) {
            cs_error("unknown option '%s' (see 'claimscan eval --help')", a);
            goto out;
        }
    }
    if (bad)
        goto out;
    if (!gold) {
        cs_error("eval needs --gold FILE (see 'claimscan eval --help')");
        goto out;
    }
    if (!pred)
        pred = "-";

    eval_scores s;
    rc = eval_files(gold, pred, &s, verbose ? (json ? stderr : stdout) : NULL);
    if (rc != CS_EXIT_OK)
        goto out;
    if (json) {
        cJSON *o = eval_to_json(&s);
        cJSON *arr = cJSON_AddArrayToObject(o, "gates");
        for (size_t i = 0; i < ngates; i++) {
            cJSON *g = cJSON_CreateObject();
            cJSON_AddStringToObject(g, "gate", gate_option(gates[i].what));
            if (gates[i].what == EG_KIND)
                cJSON_AddStringToObject(g, "kind", cs_kind_name(gates[i].kind));
            cJSON_AddNumberToObject(g, "min", gates[i].min);
            cJSON_AddNumberToObject(g, "f1", eval_gate_value(&s, &gates[i]));
            cJSON_AddBoolToObject(g, "ok", eval_gate_ok(&s, &gates[i]));
            cJSON_AddItemToArray(arr, g);
        }
        char *text = cJSON_PrintUnformatted(o);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(o);
    } else {
        if (verbose)
            fputc('\n', stdout);
        eval_print_text(stdout, &s);
    }
    fflush(stdout);
    rc = eval_gates_check(&s, gates, ngates, stderr) ? CS_EXIT_DOCERR : CS_EXIT_OK;
out:
    free(gates);
    return rc;
}
