/* cmd_diff.c: `claimscan diff OLD.jsonl NEW.jsonl`, what a rule change did to
 * a claims table: claims and hardware mentions added, removed and changed,
 * by document, with counts per kind and per rule.
 *
 * Both tables are read whole, every record is sorted into a canonical order
 * (doc, kind, span, then every field), and records are paired inside each
 * (doc, kind) group by pair_assign() (pair.h), as `eval` pairs gold with
 * predictions.  Because the order is canonical, the output does not depend
 * on the order of the input lines. */
#include "cs.h"
#include "cmd.h"
#include "diff.h"
#include "jsonl.h"
#include "pair.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Records and their fields                                            */

typedef struct df_claim {
    char *doc;
    size_t d;               /* index into the doc table */
    int kind;
    double value, lo, hi, factor, norm;
    char *unit, *norm_unit, *qualifier, *hardware, *baseline, *subject, *text, *rule;
    long start, end;        /* -1: null */
} df_claim;

typedef struct df_hw {
    char *doc;
    size_t d;
    char *hardware, *hwclass, *vendor, *text;
    double count;
    long start, end;
} df_hw;

/* How a field is read, compared and shown: numbers, vocabulary words (shown
 * bare), free text (shown quoted) and byte offsets. */
enum { FT_NUM, FT_WORD, FT_TEXT, FT_OFF };

typedef struct df_field {
    const char *name;
    int type;
    size_t off;
} df_field;

#define CF(name, type, m) {name, type, offsetof(df_claim, m)}
#define HF(name, type, m) {name, type, offsetof(df_hw, m)}

/* Schema order; the fields compared when a pair is "changed". */
static const df_field claim_fields[] = {
    CF("value", FT_NUM, value), CF("lo", FT_NUM, lo), CF("hi", FT_NUM, hi),
    CF("unit", FT_WORD, unit), CF("factor", FT_NUM, factor), CF("norm", FT_NUM, norm),
    CF("norm_unit", FT_WORD, norm_unit), CF("qualifier", FT_WORD, qualifier),
    CF("hardware", FT_TEXT, hardware), CF("baseline", FT_TEXT, baseline),
    CF("subject", FT_WORD, subject), CF("text", FT_TEXT, text),
    CF("start", FT_OFF, start), CF("end", FT_OFF, end), CF("rule", FT_WORD, rule),
};
#define N_CLAIM_FIELDS (sizeof claim_fields / sizeof *claim_fields)
#define CF_UNIT 3       /* the first four fields are the number and its unit */
#define CF_TEXT 11

/* hardware first: it is the key the mentions are paired by. */
static const df_field hw_fields[] = {
    HF("hardware", FT_TEXT, hardware), HF("class", FT_WORD, hwclass),
    HF("vendor", FT_TEXT, vendor), HF("count", FT_NUM, count),
    HF("text", FT_TEXT, text), HF("start", FT_OFF, start), HF("end", FT_OFF, end),
};
#define N_HW_FIELDS (sizeof hw_fields / sizeof *hw_fields)

#define FIELD(rec, f, type) ((type *)((char *)(rec) + (f)->off))

static int field_read(const cJSON *o, void *rec, const df_field *f, const jl_loc *at)
{
    switch (f->type) {
    case FT_NUM: return jl_get_num(o, f->name, FIELD(rec, f, double), at);
    case FT_OFF: return jl_get_off(o, f->name, FIELD(rec, f, long), at);
    default: return jl_get_str(o, f->name, 0, FIELD(rec, f, char *), at);
    }
}

static void fields_free(void *rec, const df_field *fs, size_t n)
{
    free(*(char **)rec);        /* doc, the first member of both records */
    for (size_t i = 0; i < n; i++)
        if (fs[i].type == FT_WORD || fs[i].type == FT_TEXT)
            free(*FIELD(rec, &fs[i], char *));
}

/* A total order on one field: null first, numbers by value, strings by
 * bytes.  Zero exactly when the values are the same. */
static int field_cmp(const void *a, const void *b, const df_field *f)
{
    if (f->type == FT_NUM) {
        double x = *FIELD(a, f, const double), y = *FIELD(b, f, const double);
        if (isnan(x) || isnan(y))
            return isnan(y) - isnan(x);
        return x < y ? -1 : x > y;
    }
    if (f->type == FT_OFF) {
        long x = *FIELD(a, f, const long), y = *FIELD(b, f, const long);
        return x < y ? -1 : x > y;
    }
    const char *x = *FIELD(a, f, char *const), *y = *FIELD(b, f, char *const);
    if (!x || !y)
        return (x != NULL) - (y != NULL);
    return strcmp(x, y);
}

static int fields_cmp(const void *a, const void *b, const df_field *fs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = field_cmp(a, b, &fs[i]);
        if (c)
            return c;
    }
    return 0;
}

/* Bit i set when field i differs. */
static unsigned fields_diff(const void *a, const void *b, const df_field *fs, size_t n)
{
    unsigned m = 0;
    for (size_t i = 0; i < n; i++)
        if (field_cmp(a, b, &fs[i]))
            m |= 1u << i;
    return m;
}

static void put_field(sbuf *b, const void *rec, const df_field *f)
{
    const char *s;
    switch (f->type) {
    case FT_NUM:
        jl_put_num(b, *FIELD(rec, f, const double));
        break;
    case FT_OFF:
        if (*FIELD(rec, f, const long) < 0)
            sb_puts(b, "null");
        else
            sb_printf(b, "%ld", *FIELD(rec, f, const long));
        break;
    case FT_WORD:
        s = *FIELD(rec, f, char *const);
        sb_puts(b, s ? s : "null");
        break;
    default:
        jl_put_quoted(b, *FIELD(rec, f, char *const));
        break;
    }
}

static void field_json(cJSON *o, const void *rec, const df_field *f)
{
    if (f->type == FT_NUM || f->type == FT_OFF) {
        double v = f->type == FT_NUM ? *FIELD(rec, f, const double) : (double)*FIELD(rec, f, const long);
        if (isnan(v) || v < 0)
            cJSON_AddNullToObject(o, f->name);
        else
            cJSON_AddNumberToObject(o, f->name, v);
        return;
    }
    const char *s = *FIELD(rec, f, char *const);
    if (s)
        cJSON_AddStringToObject(o, f->name, s);
    else
        cJSON_AddNullToObject(o, f->name);
}

/* ------------------------------------------------------------------ */
/* Reading both tables                                                 */

typedef struct df_docrec {
    char *doc, *title;
} df_docrec;

typedef struct df_side {
    df_claim *c;
    size_t nc, capc;
    df_hw *h;
    size_t nh, caph;
    df_docrec *r;
    size_t nr, capr;
} df_side;

/* One document of either table, in the union of both. */
typedef struct df_doc {
    const char *id;
    const char *title[2];   /* from the document records, or NULL */
    unsigned char in[2];    /* named by a record of OLD, of NEW */
} df_doc;

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 64;
    return xrealloc(v, *cap * size);
}

static int side_line(void *ud, const cJSON *o, jl_loc *at)
{
    df_side *s = ud;
    char *rec, *doc;
    if (jl_get_str(o, "record", 1, &rec, at))
        return -1;
    int type = !strcmp(rec, "claim") ? 1 : !strcmp(rec, "hardware") ? 2 : !strcmp(rec, "document") ? 3 : 0;
    free(rec);
    if (type == 0)
        return 0;       /* other record types are not compared */
    if (jl_get_str(o, "doc", 1, &doc, at))
        return -1;
    if (type == 1) {
        s->c = grow(s->c, &s->capc, s->nc, sizeof *s->c);
        df_claim *c = &s->c[s->nc++];
        memset(c, 0, sizeof *c);
        c->doc = doc;
        if (jl_get_kind(o, &c->kind, at))
            return -1;
        for (size_t i = 0; i < N_CLAIM_FIELDS; i++)
            if (field_read(o, c, &claim_fields[i], at))
                return -1;
    } else if (type == 2) {
        s->h = grow(s->h, &s->caph, s->nh, sizeof *s->h);
        df_hw *h = &s->h[s->nh++];
        memset(h, 0, sizeof *h);
        h->doc = doc;
        for (size_t i = 0; i < N_HW_FIELDS; i++)
            if (field_read(o, h, &hw_fields[i], at))
                return -1;
        if (!h->hardware)
            return jl_error(at, "missing field '%s'", "hardware");
    } else {
        s->r = grow(s->r, &s->capr, s->nr, sizeof *s->r);
        df_docrec *r = &s->r[s->nr++];
        r->doc = doc;
        r->title = NULL;
        if (jl_get_str(o, "title", 0, &r->title, at))
            return -1;
    }
    return 0;
}

static void side_free(df_side *s)
{
    for (size_t i = 0; i < s->nc; i++)
        fields_free(&s->c[i], claim_fields, N_CLAIM_FIELDS);
    for (size_t i = 0; i < s->nh; i++)
        fields_free(&s->h[i], hw_fields, N_HW_FIELDS);
    for (size_t i = 0; i < s->nr; i++) {
        free(s->r[i].doc);
        free(s->r[i].title);
    }
    free(s->c);
    free(s->h);
    free(s->r);
}

static int cmp_id_ptr(const void *a, const void *b)
{
    return jl_doc_cmp(*(char *const *)a, *(char *const *)b);
}

static size_t doc_index(const df_doc *docs, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = jl_doc_cmp(id, docs[mid].id);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    abort();            /* every id was put in the table */
}

/* The union of the docs both tables name, in natural order; sets d on every
 * record.  A title comes from a document record (the smallest, should one
 * table hold several records for one doc). */
static df_doc *build_docs(df_side s[2], size_t *ndocs)
{
    size_t n = 0;
    for (int k = 0; k < 2; k++)
        n += s[k].nc + s[k].nh + s[k].nr;
    const char **ids = xcalloc(n, sizeof *ids);
    n = 0;
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < s[k].nc; i++)
            ids[n++] = s[k].c[i].doc;
        for (size_t i = 0; i < s[k].nh; i++)
            ids[n++] = s[k].h[i].doc;
        for (size_t i = 0; i < s[k].nr; i++)
            ids[n++] = s[k].r[i].doc;
    }
    if (n > 1)
        qsort(ids, n, sizeof *ids, cmp_id_ptr);
    df_doc *docs = xcalloc(n, sizeof *docs);
    size_t nd = 0;
    for (size_t i = 0; i < n; i++)
        if (nd == 0 || strcmp(docs[nd - 1].id, ids[i]) != 0)
            docs[nd++].id = ids[i];
    free(ids);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < s[k].nc; i++) {
            s[k].c[i].d = doc_index(docs, nd, s[k].c[i].doc);
            docs[s[k].c[i].d].in[k] = 1;
        }
        for (size_t i = 0; i < s[k].nh; i++) {
            s[k].h[i].d = doc_index(docs, nd, s[k].h[i].doc);
            docs[s[k].h[i].d].in[k] = 1;
        }
        for (size_t i = 0; i < s[k].nr; i++) {
            df_doc *d = &docs[doc_index(docs, nd, s[k].r[i].doc)];
            const char *t = s[k].r[i].title;
            d->in[k] = 1;
            if (t && (!d->title[k] || strcmp(t, d->title[k]) < 0))
                d->title[k] = t;
        }
    }
    *ndocs = nd;
    return docs;
}

/* ------------------------------------------------------------------ */
/* Pairing                                                             */

enum { W_DEL, W_ADD, W_CHG, W__COUNT };     /* also the count columns */
static const char *const what_sign = "-+~";
static const char *const what_name[W__COUNT] = {"removed", "added", "changed"};

/* One line of the listing. */
typedef struct df_item {
    size_t d;
    int doc_line;           /* 1: the document itself is only in one table */
    int what;               /* W_* */
    int hw;                 /* 0 claim, 1 hardware mention */
    long start;
    size_t seq;             /* index in the canonical order of its side */
    const void *old, *new;  /* NULL where there is none */
    unsigned fields;        /* W_CHG: bit i = field i differs */
} df_item;

typedef struct df_diff {
    df_side side[2];
    df_doc *docs;
    size_t ndocs;
    df_item *it;
    size_t nit, capit;
    size_t claims[W__COUNT], hw[W__COUNT], docs_only[2];
    size_t kind[K__COUNT][W__COUNT];
} df_diff;

static void add_item(df_diff *x, df_item item)
{
    x->it = grow(x->it, &x->capit, x->nit, sizeof *x->it);
    x->it[x->nit++] = item;
}

static int claim_order(const void *pa, const void *pb)
{
    const df_claim *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return fields_cmp(a, b, claim_fields, N_CLAIM_FIELDS);
}

static int hw_order(const void *pa, const void *pb)
{
    const df_hw *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return fields_cmp(a, b, hw_fields, N_HW_FIELDS);
}

/* The same number: value, lo, hi and unit all equal, and not all null. */
static int same_number(const df_claim *a, const df_claim *b)
{
    if (isnan(a->value) && isnan(a->lo) && isnan(a->hi))
        return 0;
    return fields_cmp(a, b, claim_fields, CF_UNIT + 1) == 0;
}

/* One group to pair, old against new: n[k] records from base[k].  fits(a, b)
 * says whether two records may be the same one. */
typedef struct df_group {
    const char *base[2];    /* the first record of the group on each side */
    size_t size;            /* sizeof one record */
    size_t first[2];        /* index of base in its side, for seq */
    size_t n[2];
    int hw;
    int (*fits)(const void *, const void *);
    void (*span)(const void *, long *start, long *end);
    const df_field *fs;
    size_t nfs;
} df_group;

static int claim_fits(const void *a, const void *b)
{
    const df_claim *x = a, *y = b;
    if (x->start >= 0 && x->end >= 0 && y->start >= 0 && y->end >= 0 &&
        x->start < y->end && y->start < x->end)
        return 1;
    return same_number(x, y);
}

static int hw_fits(const void *a, const void *b)
{
    return strcmp(((const df_hw *)a)->hardware, ((const df_hw *)b)->hardware) == 0;
}

static void claim_span(const void *a, long *start, long *end)
{
    *start = ((const df_claim *)a)->start;
    *end = ((const df_claim *)a)->end;
}

static void hw_span(const void *a, long *start, long *end)
{
    *start = ((const df_hw *)a)->start;
    *end = ((const df_hw *)a)->end;
}

static void pair_group(df_diff *x, const df_group *g, size_t d)
{
    size_t no = g->n[0], nn = g->n[1], nc = 0;
    pair_cand *cv = xcalloc(no * nn, sizeof *cv);
    for (size_t a = 0; a < no; a++)
        for (size_t b = 0; b < nn; b++) {
            const void *o = g->base[0] + a * g->size, *n = g->base[1] + b * g->size;
            if (!g->fits(o, n))
                continue;
            pair_cand *c = &cv[nc++];
            c->g = a;
            c->p = b;
            /* identical first, then (claims) the same number */
            c->same = fields_cmp(o, n, g->fs, g->nfs) == 0 ? 2 : !g->hw && same_number(o, n);
            long os, oe, ns, ne;
            g->span(o, &os, &oe);
            g->span(n, &ns, &ne);
            pair_span_keys(c, os, oe, ns, ne);
        }
    size_t *o2n = xcalloc(no, sizeof *o2n), *n2o = xcalloc(nn, sizeof *n2o);
    pair_assign(cv, nc, no, nn, o2n, n2o);
    for (size_t a = 0; a < no; a++) {
        const void *o = g->base[0] + a * g->size;
        long start, end;
        g->span(o, &start, &end);
        df_item it = {d, 0, W_DEL, g->hw, start, g->first[0] + a, o, NULL, 0};
        if (o2n[a] != PAIR_NONE) {
            it.new = g->base[1] + o2n[a] * g->size;
            it.fields = fields_diff(o, it.new, g->fs, g->nfs);
            if (!it.fields)
                continue;
            it.what = W_CHG;
        }
        add_item(x, it);
    }
    for (size_t b = 0; b < nn; b++) {
        if (n2o[b] != PAIR_NONE)
            continue;
        const void *n = g->base[1] + b * g->size;
        long start, end;
        g->span(n, &start, &end);
        add_item(x, (df_item){d, 0, W_ADD, g->hw, start, g->first[1] + b, NULL, n, 0});
    }
    free(cv);
    free(o2n);
    free(n2o);
}

/* Sorts both sides into the canonical order and pairs them group by group:
 * claims by (doc, kind), hardware mentions by doc. */
static void pair_all(df_diff *x, int hw)
{
    df_side *O = &x->side[0], *N = &x->side[1];
    size_t size = hw ? sizeof(df_hw) : sizeof(df_claim);
    size_t len[2] = {hw ? O->nh : O->nc, hw ? N->nh : N->nc};
    char *arr[2] = {hw ? (char *)O->h : (char *)O->c, hw ? (char *)N->h : (char *)N->c};
    int (*order)(const void *, const void *) = hw ? hw_order : claim_order;
    for (int k = 0; k < 2; k++)
        if (len[k] > 1)
            qsort(arr[k], len[k], size, order);
    size_t i[2] = {0, 0};
    while (i[0] < len[0] || i[1] < len[1]) {
        /* the smaller head opens the group */
        const void *key;
        if (i[0] == len[0])
            key = arr[1] + i[1] * size;
        else if (i[1] == len[1])
            key = arr[0] + i[0] * size;
        else
            key = order(arr[0] + i[0] * size, arr[1] + i[1] * size) <= 0 ? arr[0] + i[0] * size
                                                                          : arr[1] + i[1] * size;
        df_group g = {{arr[0] + i[0] * size, arr[1] + i[1] * size}, size, {i[0], i[1]}, {0, 0}, hw,
                      hw ? hw_fits : claim_fits, hw ? hw_span : claim_span,
                      hw ? hw_fields : claim_fields, hw ? N_HW_FIELDS : N_CLAIM_FIELDS};
        size_t d = hw ? ((const df_hw *)key)->d : ((const df_claim *)key)->d;
        for (int k = 0; k < 2; k++) {
            while (i[k] < len[k]) {
                const char *r = arr[k] + i[k] * size;
                int same = hw ? ((const df_hw *)r)->d == d
                              : ((const df_claim *)r)->d == d && ((const df_claim *)r)->kind == ((const df_claim *)key)->kind;
                if (!same)
                    break;
                i[k]++;
                g.n[k]++;
            }
        }
        pair_group(x, &g, d);
    }
}

static int item_order(const void *pa, const void *pb)
{
    const df_item *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    if (a->doc_line != b->doc_line)
        return a->doc_line ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->hw != b->hw)
        return a->hw < b->hw ? -1 : 1;
    if (a->what != b->what)
        return a->what < b->what ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const df_claim *item_claim(const df_item *it)
{
    return it->what == W_ADD ? it->new : it->old;
}

/* The rule a listed claim counts under: the new record's, except for a
 * removed claim. */
static const char *item_rule(const df_item *it)
{
    return ((const df_claim *)(it->new ? it->new : it->old))->rule;
}

static void count_items(df_diff *x)
{
    for (size_t k = 0; k < x->nit; k++) {
        const df_item *it = &x->it[k];
        if (it->doc_line)
            x->docs_only[it->what == W_ADD]++;
        else if (it->hw)
            x->hw[it->what]++;
        else {
            x->claims[it->what]++;
            x->kind[item_claim(it)->kind][it->what]++;
        }
    }
}

static int diff_files(df_diff *x, const char *oldf, const char *newf)
{
    if (jl_read(oldf, &x->side[0], side_line) || jl_read(newf, &x->side[1], side_line))
        return -1;
    x->docs = build_docs(x->side, &x->ndocs);
    for (size_t d = 0; d < x->ndocs; d++)
        if (x->docs[d].in[0] != x->docs[d].in[1])
            add_item(x, (df_item){d, 1, x->docs[d].in[1] ? W_ADD : W_DEL, 0, -1, 0, NULL, NULL, 0});
    pair_all(x, 0);
    pair_all(x, 1);
    if (x->nit > 1)
        qsort(x->it, x->nit, sizeof *x->it, item_order);
    count_items(x);
    return 0;
}

static void diff_free(df_diff *x)
{
    side_free(&x->side[0]);
    side_free(&x->side[1]);
    free(x->docs);
    free(x->it);
}

/* ------------------------------------------------------------------ */
/* Per-rule counts                                                     */

typedef struct df_rule {
    const char *rule;       /* NULL: claims without a rule */
    size_t n[W__COUNT];
} df_rule;

static int rule_name_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int rule_order(const void *pa, const void *pb)
{
    return rule_name_cmp(((const df_rule *)pa)->rule, ((const df_rule *)pb)->rule);
}

/* Rules in name order, each with its counts; the caller frees. */
static df_rule *count_rules(const df_diff *x, size_t *nrules)
{
    df_rule *r = xcalloc(x->nit, sizeof *r);
    size_t n = 0;
    for (size_t k = 0; k < x->nit; k++)
        if (!x->it[k].doc_line && !x->it[k].hw) {
            r[n].rule = item_rule(&x->it[k]);
            r[n++].n[x->it[k].what] = 1;
        }
    if (n > 1)
        qsort(r, n, sizeof *r, rule_order);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (m && rule_name_cmp(r[m - 1].rule, r[k].rule) == 0) {
            for (int w = 0; w < W__COUNT; w++)
                r[m - 1].n[w] += r[k].n[w];
        } else {
            r[m++] = r[k];
        }
    }
    *nrules = m;
    return r;
}

/* ------------------------------------------------------------------ */
/* Text output                                                         */

/* "speedup 2.6x", "speedup 2-3x", "latency 85 ms" */
static void put_claim(sbuf *b, const df_claim *c)
{
    sb_printf(b, "%s ", cs_kind_name(c->kind));
    if (isnan(c->value) && !(isnan(c->lo) && isnan(c->hi))) {
        jl_put_num(b, c->lo);
        sb_putc(b, '-');
        jl_put_num(b, c->hi);
    } else {
        jl_put_num(b, c->value);
    }
    if (c->unit)
        sb_printf(b, "%s%s", strcmp(c->unit, "x") && strcmp(c->unit, "%") ? " " : "", c->unit);
}

static void put_changes(sbuf *b, const df_item *it, const df_field *fs, size_t n)
{
    const char *sep = ": ";
    for (size_t i = 0; i < n; i++) {
        if (!(it->fields & (1u << i)))
            continue;
        sb_printf(b, "%s%s ", sep, fs[i].name);
        put_field(b, it->old, &fs[i]);
        sb_puts(b, " -> ");
        put_field(b, it->new, &fs[i]);
        sep = "; ";
    }
}

static void put_item(sbuf *b, const df_diff *x, const df_item *it)
{
    const df_doc *doc = &x->docs[it->d];
    sb_printf(b, "%c doc %s  ", what_sign[it->what], doc->id);
    if (it->doc_line) {
        const char *title = doc->title[it->what == W_ADD];
        sb_puts(b, "document");
        if (title) {
            sb_puts(b, "  ");
            jl_put_quoted(b, title);
        }
    } else if (it->hw) {
        const df_hw *h = it->old ? it->old : it->new;
        sb_puts(b, "hardware ");
        jl_put_quoted(b, h->hardware);
        if (it->what == W_CHG) {
            put_changes(b, it, hw_fields, N_HW_FIELDS);
        } else if (h->text) {
            sb_puts(b, "  ");
            jl_put_quoted(b, h->text);
        }
    } else {
        const df_claim *c = item_claim(it);
        put_claim(b, c);
        if (c->text && !(it->fields & (1u << CF_TEXT))) {   /* else said below */
            sb_puts(b, "  ");
            jl_put_quoted(b, c->text);
        }
        if (it->what == W_CHG)
            put_changes(b, it, claim_fields, N_CLAIM_FIELDS);
        else if (c->rule)
            sb_printf(b, "  rule %s", c->rule);
    }
    sb_putc(b, '\n');
}

static void print_counts_row(FILE *f, int width, const char *label, const size_t n[W__COUNT])
{
    fprintf(f, "  %-*s %8zu %8zu %8zu\n", width, label, n[W_ADD], n[W_DEL], n[W_CHG]);
}

static void print_summary(FILE *f, const df_diff *x)
{
    fprintf(f, "%-11s added %zu, removed %zu, changed %zu\n", "claims",
            x->claims[W_ADD], x->claims[W_DEL], x->claims[W_CHG]);
    fprintf(f, "%-11s added %zu, removed %zu, changed %zu\n", "hardware",
            x->hw[W_ADD], x->hw[W_DEL], x->hw[W_CHG]);
    fprintf(f, "%-11s added %zu, removed %zu\n", "documents", x->docs_only[1], x->docs_only[0]);
    size_t nrules;
    df_rule *r = count_rules(x, &nrules);
    int width = 16;
    for (size_t k = 0; k < nrules; k++)
        if (r[k].rule && (int)strlen(r[k].rule) > width)
            width = (int)strlen(r[k].rule);
    if (x->claims[W_ADD] + x->claims[W_DEL] + x->claims[W_CHG]) {
        fprintf(f, "\n%-*s %8s %8s %8s\n", width + 2, "kind", "added", "removed", "changed");
        for (int k = 0; k < K__COUNT; k++)
            if (x->kind[k][W_ADD] + x->kind[k][W_DEL] + x->kind[k][W_CHG])
                print_counts_row(f, width, cs_kind_name(k), x->kind[k]);
        fprintf(f, "\n%-*s %8s %8s %8s\n", width + 2, "rule", "added", "removed", "changed");
        for (size_t k = 0; k < nrules; k++)
            print_counts_row(f, width, r[k].rule ? r[k].rule : "(none)", r[k].n);
    }
    free(r);
}

static size_t side_docs(const df_diff *x, int k)
{
    size_t n = 0;
    for (size_t d = 0; d < x->ndocs; d++)
        n += x->docs[d].in[k];
    return n;
}

static void print_text(FILE *f, const df_diff *x, int summary_only)
{
    if (x->nit == 0) {
        fprintf(f, "no differences (%zu documents, %zu claims, %zu hardware mentions)\n",
                side_docs(x, 0), x->side[0].nc, x->side[0].nh);
        return;
    }
    if (!summary_only) {
        sbuf b = {0};
        for (size_t k = 0; k < x->nit; k++)
            put_item(&b, x, &x->it[k]);
        fwrite(b.s, 1, b.len, f);
        sb_free(&b);
        fputc('\n', f);
    }
    print_summary(f, x);
}

int diff_tables(const char *oldf, const char *newf, FILE *out)
{
    df_diff x;
    memset(&x, 0, sizeof x);
    int rc = -1;
    if (diff_files(&x, oldf, newf) == 0) {
        print_text(out, &x, 0);
        rc = x.nit != 0;
    }
    diff_free(&x);
    return rc;
}

/* ------------------------------------------------------------------ */
/* JSON output                                                         */

static cJSON *record_json(const df_diff *x, const df_item *it, const void *rec)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "record", it->hw ? "hardware" : "claim");
    cJSON_AddStringToObject(o, "doc", x->docs[it->d].id);
    if (!it->hw)
        cJSON_AddStringToObject(o, "kind", cs_kind_name(((const df_claim *)rec)->kind));
    const df_field *fs = it->hw ? hw_fields : claim_fields;
    size_t n = it->hw ? N_HW_FIELDS : N_CLAIM_FIELDS;
    for (size_t i = 0; i < n; i++)
        field_json(o, rec, &fs[i]);
    return o;
}

static cJSON *item_json(const df_diff *x, const df_item *it)
{
    if (it->what != W_CHG)
        return record_json(x, it, it->old ? it->old : it->new);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "doc", x->docs[it->d].id);
    const df_field *fs = it->hw ? hw_fields : claim_fields;
    size_t n = it->hw ? N_HW_FIELDS : N_CLAIM_FIELDS;
    cJSON *fields = cJSON_AddArrayToObject(o, "fields");
    for (size_t i = 0; i < n; i++)
        if (it->fields & (1u << i))
            cJSON_AddItemToArray(fields, cJSON_CreateString(fs[i].name));
    cJSON_AddItemToObject(o, "old", record_json(x, it, it->old));
    cJSON_AddItemToObject(o, "new", record_json(x, it, it->new));
    return o;
}

static cJSON *counts_json(const size_t n[W__COUNT], int with_changed)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "added", (double)n[W_ADD]);
    cJSON_AddNumberToObject(o, "removed", (double)n[W_DEL]);
    if (with_changed)
        cJSON_AddNumberToObject(o, "changed", (double)n[W_CHG]);
    return o;
}

static cJSON *lists_json(cJSON *parent, const char *name)
{
    cJSON *o = cJSON_AddObjectToObject(parent, name);
    for (int w = W_ADD; w >= 0; w--)        /* added, removed */
        cJSON_AddArrayToObject(o, what_name[w]);
    if (strcmp(name, "documents"))
        cJSON_AddArrayToObject(o, what_name[W_CHG]);
    return o;
}

static cJSON *diff_json(const df_diff *x, const char *oldf, const char *newf)
{
    cJSON *o = cJSON_CreateObject();
    const char *files[2] = {oldf, newf};
    for (int k = 0; k < 2; k++) {
        cJSON *s = cJSON_AddObjectToObject(o, k ? "new" : "old");
        cJSON_AddStringToObject(s, "file", strcmp(files[k], "-") ? files[k] : "<stdin>");
        cJSON_AddNumberToObject(s, "documents", (double)side_docs(x, k));
        cJSON_AddNumberToObject(s, "claims", (double)x->side[k].nc);
        cJSON_AddNumberToObject(s, "hardware", (double)x->side[k].nh);
    }
    cJSON_AddBoolToObject(o, "identical", x->nit == 0);
    cJSON *lists[3] = {lists_json(o, "documents"), lists_json(o, "claims"), lists_json(o, "hardware")};
    for (size_t k = 0; k < x->nit; k++) {
        const df_item *it = &x->it[k];
        cJSON *l = lists[it->doc_line ? 0 : it->hw ? 2 : 1];
        cJSON *arr = cJSON_GetObjectItemCaseSensitive(l, what_name[it->what]);
        cJSON_AddItemToArray(arr, it->doc_line ? cJSON_CreateString(x->docs[it->d].id) : item_json(x, it));
    }
    cJSON *c = cJSON_AddObjectToObject(o, "counts");
    cJSON_AddItemToObject(c, "claims", counts_json(x->claims, 1));
    cJSON_AddItemToObject(c, "hardware", counts_json(x->hw, 1));
    size_t docs[W__COUNT] = {x->docs_only[0], x->docs_only[1], 0};
    cJSON_AddItemToObject(c, "documents", counts_json(docs, 0));
    cJSON *kinds = cJSON_AddObjectToObject(c, "kinds");
    for (int k = 0; k < K__COUNT; k++)
        cJSON_AddItemToObject(kinds, cs_kind_name(k), counts_json(x->kind[k], 1));
    size_t nrules;
    df_rule *r = count_rules(x, &nrules);
    cJSON *rules = cJSON_AddArrayToObject(c, "rules");
    for (size_t k = 0; k < nrules; k++) {
        cJSON *e = counts_json(r[k].n, 1);
        if (r[k].rule)
            cJSON_AddStringToObject(e, "rule", r[k].rule);
        else
            cJSON_AddNullToObject(e, "rule");
        cJSON_AddItemToArray(rules, e);
    }
    free(r);
    return o;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */

static void diff_usage(FILE *f)
{
    fputs("usage: claimscan diff [--summary | --json] OLD.jsonl NEW.jsonl\n"
          "\n"
          "Compares two claims tables (the JSON Lines output of 'claimscan extract',\n"
          "e.g. before and after a rule change; '-' = standard input for one of them)\n"
          "and lists, by document, what was added (+), removed (-) and changed (~):\n"
          "\n"
          "  + doc 12  speedup 2.6x  \"2.6times speedup\"  rule speedup.n_faster\n"
          "  ~ doc 3  speedup 1.4x  \"1.4x faster\": qualifier exact -> up_to; rule a -> b\n"
          "  - doc 9  hardware \"NVIDIA A100\"  \"A100\"\n"
          "  + doc 14  document  \"Title\"          (a document only in NEW)\n"
          "\n"
          "then the totals and the counts per kind and per rule (a removed claim counts\n"
          "under its old rule, an added or changed one under its new rule).  Claims of\n"
          "the same doc and kind are the same claim when their spans overlap or they\n"
          "state the same value/lo/hi and unit; hardware mentions when they name the\n"
          "same hardware.  Documents are listed in natural order (\"2\" before \"10\").\n"
          "\n"
          "options:\n"
          "  --summary    print only the totals and the tables of counts\n"
          "  --json       print one JSON object: the lists and the counts\n"
          "  -h, --help   this help\n"
          "\n"
          "exit status: 0 the tables are identical; 1 they differ;\n"
          "2 usage error, unreadable file or malformed line\n", f);
}

int cmd_diff(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    int nfiles = 0, summary = 0, json = 0, only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || !strcmp(a, "-")) {
            if (nfiles == 2) {
                cs_error("diff compares two files, got a third: '%s' (see 'claimscan diff --help')", a);
                return CS_EXIT_USAGE;
            }
            files[nfiles++] = a;
        } else if (!strcmp(a, "--")) {
            only_args = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            diff_usage(stdout);
            return CS_EXIT_OK;
        } else if (!strcmp(a, "--summary")) {
            summary = 1;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else {
            cs_error("unknown option '%s' (see 'claimscan diff --help')", a);
            return CS_EXIT_USAGE;
        }
    }
    if (nfiles != 2) {
        cs_error("diff needs two files, OLD.jsonl NEW.jsonl (see 'claimscan diff --help')");
        return CS_EXIT_USAGE;
    }
    if (summary && json) {
        cs_error("--summary and --json cannot be used together");
        return CS_EXIT_USAGE;
    }
    if (!strcmp(files[0], "-") && !strcmp(files[1], "-")) {
        cs_error("OLD and NEW cannot both be read from standard input");
        return CS_EXIT_USAGE;
    }
    df_diff x = {0};
    int rc = CS_EXIT_USAGE;
    if (diff_files(&x, files[0], files[1]) == 0) {
        if (json) {
            cJSON *o = diff_json(&x, files[0], files[1]);
            char *text = cJSON_PrintUnformatted(o);
            puts(text);
            cJSON_free(text);
            cJSON_Delete(o);
        } else {
            print_text(stdout, &x, summary);
        }
        rc = x.nit ? CS_EXIT_DOCERR : CS_EXIT_OK;
    }
    diff_free(&x);
    return rc;
}
