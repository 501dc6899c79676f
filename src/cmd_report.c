/* cmd_report.c: `claimscan report`, comparison tables from a claims table.
 *
 * Each report is first built as a format-free table whose cells are lists
 * of parts, a part being plain text optionally tied to the claim it came
 * from (or carrying a note saying how it was computed).  The Markdown, CSV
 * and HTML writers then only differ in how they escape text and show the
 * trace: Markdown footnotes, HTML hover titles and links to a sources table. */
#include "claimtab.h"
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- format-free tables ---- */

typedef struct part {
    char *text;
    long claim;     /* -1, or the claim the number was read from */
    char *note;     /* for computed numbers: how (median of ...) */
} part;

typedef struct cell {
    part *p;
    size_t n, cap;
    char *raw;      /* CSV value when it differs from the text (bare number) */
} cell;

typedef struct rtable {
    char *title;
    char *caption;
    int ncols;
    const char *const *head;
    cell *cells;    /* nrows * ncols */
    size_t nrows, cap;
} rtable;

static cell *rt_row(rtable *r)
{
    if (r->nrows == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->cells = xrealloc(r->cells, r->cap * (size_t)r->ncols * sizeof *r->cells);
    }
    cell *row = &r->cells[r->nrows++ * (size_t)r->ncols];
    memset(row, 0, (size_t)r->ncols * sizeof *row);
    return row;
}

/* Appends a part; takes ownership of text and note. */
static void cell_add(cell *c, char *text, long claim, char *note)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 4;
        c->p = xrealloc(c->p, c->cap * sizeof *c->p);
    }
    c->p[c->n++] = (part){text, claim, note};
}

static void cell_text(cell *c, const char *s)
{
    cell_add(c, xstrdup(s ? s : ""), -1, NULL);
}

static void rt_free(rtable *r)
{
    for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++) {
        for (size_t k = 0; k < r->cells[i].n; k++) {
            free(r->cells[i].p[k].text);
            free(r->cells[i].p[k].note);
        }
        free(r->cells[i].p);
        free(r->cells[i].raw);
    }
    free(r->cells);
    free(r->title);
    free(r->caption);
}

/* ---- numbers ---- */

static char *fmt_g(double v)
{
    return xasprintf("%.4g", v);
}

static char *raw_num(double v)
{
    return isnan(v) ? xstrdup("") : xasprintf("%.6g", v);
}

static char *fmt_factor(double v)
{
    return xasprintf("%.4gx", v);
}

/* A base-unit quantity for people: bytes and ops with k/M/G/T prefixes,
 * seconds and watts with m/u/n. */
static char *fmt_quantity(double v, const char *unit)
{
    static const char *const big[] = {"", "K", "M", "G", "T", "P", "E"};
    static const char *const small[] = {"", "m", "u", "n", "p"};
    if (!unit)
        return fmt_g(v);
    if (!strcmp(unit, "B") || !strncmp(unit, "ops/", 4)) {
        int i = 0;
        while (fabs(v) >= 1000 && i < 6)
            v /= 1000, i++;
        return !strcmp(unit, "B") ? xasprintf("%.4g %sB", v, big[i])
                                  : xasprintf("%.4g %s%s", v, big[i], unit);
    }
    if (!strcmp(unit, "s") || !strcmp(unit, "W")) {
        int i = 0;
        while (v != 0 && fabs(v) < 1 && i < 4)
            v *= 1000, i++;
        return xasprintf("%.4g %s%s", v, small[i], unit);
    }
    return xasprintf("%.4g %s", v, unit);
}

static char *fmt_num_of(const ct_claim *c)
{
    return CS_KIND_IS_RATIO(c->kind) ? fmt_factor(c->factor) : fmt_quantity(c->norm, c->norm_unit);
}

static const char *qual_words(const char *q)
{
    static const char *const map[][2] = {
        {"up_to", "up to "}, {"average", "avg "}, {"geomean", "geomean "},
        {"at_least", ">"}, {"at_most", "<"}, {"about", "~"},
    };
    for (size_t i = 0; q && i < sizeof map / sizeof *map; i++)
        if (!strcmp(q, map[i][0]))
            return map[i][1];
    return "";
}

/* The claim as the paper states it: "up to 2.6x", "2-3x", "4039 tokens/s". */
static void stated(sbuf *b, const ct_claim *c)
{
    const char *u = c->unit ? c->unit : "";
    const char *sep = (!strcmp(u, "x") || !strcmp(u, "%")) ? "" : " ";
    sb_puts(b, qual_words(c->qualifier));
    if (!isnan(c->lo) && !isnan(c->hi))
        sb_printf(b, "%.6g-%.6g%s%s", c->lo, c->hi, sep, u);
    else if (!isnan(c->value))
        sb_printf(b, "%.6g%s%s", c->value, sep, u);
    else
        sb_printf(b, "%s", "?");
}

/* A note listing the claims behind a computed number. */
static char *note_of(const claimtab *t, const char *what, const size_t *idx, size_t n)
{
    sbuf b = {0};
    sb_printf(&b, "%s of %zu claim%s:", what, n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n && i < 12; i++) {
        const ct_claim *c = &t->claims[idx[i]];
        char *v = fmt_num_of(c);
        sb_printf(&b, "%s %s (doc %s)", i ? "," : "", v, t->docs[c->d].label);
        free(v);
    }
    if (n > 12)
        sb_printf(&b, ", ... (%zu more)", n - 12);
    return b.s;
}

static int is_self(const ct_claim *c)
{
    return !(c->subject && !strcmp(c->subject, "baseline"));
}

/* Median and max of the claims of kind k among idx[0..n), into cells. */
static void stat_cells(const claimtab *t, const size_t *idx, size_t n, int k, cell *med, cell *max)
{
    size_t *sel = xmalloc((n ? n : 1) * sizeof *sel);
    double *v = xmalloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        const ct_claim *c = &t->claims[idx[i]];
        if (c->kind != k || isnan(ct_claim_num(c)))
            continue;
        sel[m] = idx[i];
        v[m++] = ct_claim_num(c);
        if (best < 0 || ct_claim_num(c) > ct_claim_num(&t->claims[best]))
            best = (long)idx[i];
    }
    if (m) {
        double md = ct_median(v, m);
        cell_add(med, fmt_factor(md), -1, note_of(t, "median", sel, m));
        med->raw = raw_num(md);
        cell_add(max, fmt_num_of(&t->claims[best]), best, NULL);
        max->raw = raw_num(ct_claim_num(&t->claims[best]));
    }
    free(sel);
    free(v);
}

/* The largest norm in the given base unit among the claims, as two cells:
 * the number (traced) and the document it is from. */
static void best_cells(const claimtab *t, const size_t *idx, size_t n, const char *nu, cell *num, cell *doc)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        const ct_claim *c = &t->claims[idx[i]];
        if (c->kind != K_THROUGHPUT || isnan(c->norm) || !c->norm_unit || strcmp(c->norm_unit, nu))
            continue;
        if (best < 0 || c->norm > t->claims[best].norm)
            best = (long)idx[i];
    }
    if (best >= 0) {
        cell_add(num, fmt_quantity(t->claims[best].norm, nu), best, NULL);
        num->raw = raw_num(t->claims[best].norm);
        cell_text(doc, t->docs[t->claims[best].d].label);
    }
}

/* A list of document labels, each once, in table order, at most 8 shown. */
typedef struct doclist {
    size_t *d;
    size_t n, cap;
} doclist;

static void dl_add(doclist *l, size_t d)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->d[i] == d)
            return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->d = xrealloc(l->d, l->cap * sizeof *l->d);
    }
    l->d[l->n++] = d;
}

static void dl_cell(const claimtab *t, doclist *l, cell *c)
{
    /* table order, whatever order they were added in */
    for (size_t i = 1; i < l->n; i++)
        for (size_t j = i; j > 0 && l->d[j - 1] > l->d[j]; j--) {
            size_t x = l->d[j];
            l->d[j] = l->d[j - 1];
            l->d[j - 1] = x;
        }
    sbuf b = {0};
    for (size_t i = 0; i < l->n && i < 8; i++)
        sb_printf(&b, "%s%s", i ? ", " : "", t->docs[l->d[i]].label);
    if (l->n > 8)
        sb_printf(&b, ", ... (+%zu)", l->n - 8);
    cell_add(c, b.s ? b.s : xstrdup(""), -1, NULL);
}

static char *count_str(size_t n)
{
    return xasprintf("%zu", n);
}

/* ---- the four reports ---- */

static const char *const hw_head[] = {
    "hardware", "class", "vendor", "papers", "claims",
    "speedup median", "speedup max", "best tokens/s", "tokens/s doc",
    "best frames/s", "frames/s doc", "memory reduction median", "memory reduction max", "docs",
};

typedef struct hwrow {
    const char *name;       /* "" = no hardware */
    size_t *idx;
    size_t n, cap;
    doclist docs;
} hwrow;

static int cmp_hwrow(const void *a, const void *b)
{
    const hwrow *x = a, *y = b;
    if (!*x->name != !*y->name)
        return *x->name ? -1 : 1;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    if (x->docs.n != y->docs.n)
        return x->docs.n > y->docs.n ? -1 : 1;
    return strcmp(x->name, y->name);
}

static hwrow *hwrow_get(hwrow **rows, size_t *n, size_t *cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*rows)[i].name, name))
            return &(*rows)[i];
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        *rows = xrealloc(*rows, *cap * sizeof **rows);
    }
    hwrow *r = &(*rows)[(*n)++];
    memset(r, 0, sizeof *r);
    r->name = name;
    return r;
}

static void report_hardware(const claimtab *t, int kindf, rtable *r)
{
    hwrow *rows = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < t->nclaims; i++) {
        const ct_claim *c = &t->claims[i];
        if (!ct_claim_counts(t, c, kindf))
            continue;
        hwrow *h = hwrow_get(&rows, &n, &cap, c->hardware ? c->hardware : "");
        if (h->n == h->cap) {
            h->cap = h->cap ? 2 * h->cap : 8;
            h->idx = xrealloc(h->idx, h->cap * sizeof *h->idx);
        }
        h->idx[h->n++] = i;
        dl_add(&h->docs, c->d);
    }
    for (size_t i = 0; i < t->nhw; i++) {
        const ct_hw *m = &t->hw[i];
        if (t->docs[m->d].dead || !*m->hardware)
            continue;
        hwrow *h = NULL;
        if (kindf < 0)
            h = hwrow_get(&rows, &n, &cap, m->hardware);
        else
            for (size_t k = 0; k < n; k++)
                if (!strcmp(rows[k].name, m->hardware))
                    h = &rows[k];
        if (h)
            dl_add(&h->docs, m->d);
    }
    if (n)
        qsort(rows, n, sizeof *rows, cmp_hwrow);

    r->title = xstrdup("Claims by hardware");
    r->head = hw_head;
    r->ncols = (int)(sizeof hw_head / sizeof *hw_head);
    for (size_t i = 0; i < n; i++) {
        hwrow *h = &rows[i];
        cell *row = rt_row(r);
        const ct_hw *info = claimtab_hw_info(t, h->name);
        cell_text(&row[0], *h->name ? h->name : "(no hardware)");
        cell_text(&row[1], info ? info->hwclass : NULL);
        cell_text(&row[2], info ? info->vendor : NULL);
        cell_add(&row[3], count_str(h->docs.n), -1, NULL);
        cell_add(&row[4], count_str(h->n), -1, NULL);
        stat_cells(t, h->idx, h->n, K_SPEEDUP, &row[5], &row[6]);
        best_cells(t, h->idx, h->n, "tokens/s", &row[7], &row[8]);
        best_cells(t, h->idx, h->n, "frames/s", &row[9], &row[10]);
        stat_cells(t, h->idx, h->n, K_MEMORY_REDUCTION, &row[11], &row[12]);
        dl_cell(t, &h->docs, &row[13]);
        free(h->idx);
        free(h->docs.d);
    }
    free(rows);
    r->caption = xstrdup("papers: documents that name the hardware or have a claim measured on it; "
                         "claims: claims measured on it. Factors are improvements (>= 1); "
                         "numbers a paper reports for a competitor are left out of every statistic.");
}

static const char *const kind_head[] = {"kind", "unit", "claims", "papers", "min", "median", "max", "docs"};

static void report_kind(const claimtab *t, int kindf, rtable *r)
{
    r->title = xstrdup("Claims by kind");
    r->head = kind_head;
    r->ncols = (int)(sizeof kind_head / sizeof *kind_head);
    for (int k = 0; k < K__COUNT; k++) {
        if (kindf >= 0 && k != kindf)
            continue;
        /* absolute kinds: one row per base unit, in order of first appearance */
        const char *units[32];
        size_t nu = 0;
        if (CS_KIND_IS_RATIO(k)) {
            units[nu++] = NULL;
        } else {
            for (size_t i = 0; i < t->nclaims && nu < 32; i++) {
                const ct_claim *c = &t->claims[i];
                if (c->kind != k || !ct_claim_counts(t, c, kindf) || !c->norm_unit)
                    continue;
                size_t j = 0;
                while (j < nu && strcmp(units[j], c->norm_unit))
                    j++;
                if (j == nu)
                    units[nu++] = c->norm_unit;
            }
        }
        for (size_t u = 0; u < nu; u++) {
            size_t *idx = xmalloc((t->nclaims ? t->nclaims : 1) * sizeof *idx);
            double *v = xmalloc((t->nclaims ? t->nclaims : 1) * sizeof *v);
            size_t m = 0;
            long lo = -1, hi = -1;
            doclist docs = {0};
            for (size_t i = 0; i < t->nclaims; i++) {
                const ct_claim *c = &t->claims[i];
                if (c->kind != k || !ct_claim_counts(t, c, kindf) || isnan(ct_claim_num(c)))
                    continue;
                if (units[u] && (!c->norm_unit || strcmp(c->norm_unit, units[u])))
                    continue;
                idx[m] = i;
                v[m++] = ct_claim_num(c);
                dl_add(&docs, c->d);
                if (lo < 0 || ct_claim_num(c) < ct_claim_num(&t->claims[lo]))
                    lo = (long)i;
                if (hi < 0 || ct_claim_num(c) > ct_claim_num(&t->claims[hi]))
                    hi = (long)i;
            }
            if (m) {
                cell *row = rt_row(r);
                cell_text(&row[0], cs_kind_name(k));
                cell_text(&row[1], units[u] ? units[u] : "factor");
                cell_add(&row[2], count_str(m), -1, NULL);
                cell_add(&row[3], count_str(docs.n), -1, NULL);
                cell_add(&row[4], fmt_num_of(&t->claims[lo]), lo, NULL);
                row[4].raw = raw_num(ct_claim_num(&t->claims[lo]));
                double md = ct_median(v, m);
                cell_add(&row[5], units[u] ? fmt_quantity(md, units[u]) : fmt_factor(md), -1,
                         note_of(t, "median", idx, m));
                row[5].raw = raw_num(md);
                cell_add(&row[6], fmt_num_of(&t->claims[hi]), hi, NULL);
                row[6].raw = raw_num(ct_claim_num(&t->claims[hi]));
                dl_cell(t, &docs, &row[7]);
            }
            free(docs.d);
            free(idx);
            free(v);
        }
    }
    r->caption = xstrdup("Ratio kinds are compared by factor (the improvement as a factor >= 1, "
                         "the high end of a range); absolute kinds by value in the base unit. "
                         "Numbers a paper reports for a competitor are left out.");
}

static const char *const paper_head[] = {"doc", "title", "claims", "claims stated"};

static void report_paper(const claimtab *t, int kindf, rtable *r)
{
    r->title = xstrdup("Claims by paper");
    r->head = paper_head;
    r->ncols = (int)(sizeof paper_head / sizeof *paper_head);
    size_t ci = 0;
    for (size_t d = 0; d < t->ndocs; d++) {
        const ct_doc *doc = &t->docs[d];
        if (doc->dead)
            continue;
        /* claims of one document are contiguous when loaded from one input;
         * scan all to be safe with mixed inputs */
        size_t n = 0;
        cell stated_cell = {0};
        for (ci = 0; ci < t->nclaims; ci++) {
            const ct_claim *c = &t->claims[ci];
            if (c->d != d || (kindf >= 0 && c->kind != kindf))
                continue;
            sbuf b = {0};
            if (n)
                cell_text(&stated_cell, "; ");
            if (!is_self(c))
                sb_puts(&b, "(competitor) ");
            stated(&b, c);
            cell_add(&stated_cell, b.s, (long)ci, NULL);
            b = (sbuf){0};
            sb_printf(&b, " %s", cs_kind_name(c->kind));
            if (c->hardware)
                sb_printf(&b, " on %s", c->hardware);
            if (c->baseline)
                sb_printf(&b, " vs %s", c->baseline);
            cell_add(&stated_cell, b.s, -1, NULL);
            n++;
        }
        if (kindf >= 0 && n == 0) {
            free(stated_cell.p);
            continue;
        }
        cell *row = rt_row(r);
        cell_text(&row[0], doc->label);
        cell_text(&row[1], doc->title);
        cell_add(&row[2], count_str(n), -1, NULL);
        if (doc->error) {
            char *e = xasprintf("error: %s", doc->error);
            cell_add(&stated_cell, e, -1, NULL);
        }
        row[3] = stated_cell;
    }
    r->caption = xstrdup("Each number as the paper states it (factors of ratio claims are in the "
                         "other reports); \"(competitor)\" marks a number reported for another system.");
}

static const char *const base_head[] = {"baseline", "papers", "claims", "factors claimed against it", "docs"};

typedef struct baserow {
    const char *name;   /* first spelling seen */
    size_t *idx;
    size_t n, cap;
    doclist docs;
} baserow;

static int cmp_baserow(const void *a, const void *b)
{
    const baserow *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    if (x->docs.n != y->docs.n)
        return x->docs.n > y->docs.n ? -1 : 1;
    int c = strcasecmp(x->name, y->name);
    return c ? c : strcmp(x->name, y->name);
}

static void report_baseline(const claimtab *t, int kindf, rtable *r)
{
    baserow *rows = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < t->nclaims; i++) {
        const ct_claim *c = &t->claims[i];
        if (!ct_claim_counts(t, c, kindf) || !c->baseline || !*c->baseline ||
            !CS_KIND_IS_RATIO(c->kind) || isnan(c->factor))
            continue;
        baserow *b = NULL;
        for (size_t k = 0; k < n && !b; k++)
            if (!strcasecmp(rows[k].name, c->baseline))
                b = &rows[k];
        if (!b) {
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                rows = xrealloc(rows, cap * sizeof *rows);
            }
            b = &rows[n++];
            memset(b, 0, sizeof *b);
            b->name = c->baseline;
        }
        if (b->n == b->cap) {
            b->cap = b->cap ? 2 * b->cap : 8;
            b->idx = xrealloc(b->idx, b->cap * sizeof *b->idx);
        }
        b->idx[b->n++] = i;
        dl_add(&b->docs, c->d);
    }
    if (n)
        qsort(rows, n, sizeof *rows, cmp_baserow);
    r->title = xstrdup("Claims by baseline");
    r->head = base_head;
    r->ncols = (int)(sizeof base_head / sizeof *base_head);
    for (size_t i = 0; i < n; i++) {
        baserow *b = &rows[i];
        cell *row = rt_row(r);
        cell_text(&row[0], b->name);
        cell_add(&row[1], count_str(b->docs.n), -1, NULL);
        cell_add(&row[2], count_str(b->n), -1, NULL);
        int first_kind = 1;
        for (int k = 0; k <= K_COST_REDUCTION; k++) {
            int first = 1;
            for (size_t j = 0; j < b->n; j++) {
                const ct_claim *c = &t->claims[b->idx[j]];
                if (c->kind != k)
                    continue;
                if (first) {
                    char *h = xasprintf("%s%s ", first_kind ? "" : "; ", cs_kind_name(k));
                    cell_add(&row[3], h, -1, NULL);
                    first = first_kind = 0;
                } else {
                    cell_text(&row[3], ", ");
                }
                cell_add(&row[3], fmt_factor(c->factor), (long)b->idx[j], NULL);
            }
        }
        dl_cell(t, &b->docs, &row[4]);
        free(b->idx);
        free(b->docs.d);
    }
    free(rows);
    r->caption = xstrdup("Baselines are grouped ignoring case; factors are improvements over the baseline.");
}

/* ---- writers ---- */

typedef struct trace {
    long *fn;           /* per claim: footnote / source number, 0 = none yet */
    long *order;        /* claims in order of first reference */
    long n;
} trace;

static long trace_ref(trace *tr, long claim)
{
    if (!tr->fn[claim]) {
        tr->order[tr->n++] = claim;
        tr->fn[claim] = tr->n;
    }
    return tr->fn[claim];
}

/* Markdown text: one line, punctuation that means something escaped. */
static void md_esc(sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            sb_putc(b, ' ');
        else if (strchr("\\`*[]<>|&~", c))
            sb_putc(b, '\\'), sb_putc(b, (char)c);
        else
            sb_putc(b, (char)c);
    }
}

static void trace_line(sbuf *b, const claimtab *t, const ct_claim *c, void (*esc)(sbuf *, const char *))
{
    sbuf tmp = {0};
    sb_printf(&tmp, "doc %s", t->docs[c->d].label);
    if (c->start >= 0)
        sb_printf(&tmp, ", bytes %ld-%ld", c->start, c->end);
    sb_printf(&tmp, ", rule %s: \"%s\"", c->rule ? c->rule : "?", c->text ? c->text : "");
    esc(b, tmp.s);
    sb_free(&tmp);
}

static void write_md(FILE *out, const claimtab *t, rtable *tabs, int ntabs)
{
    trace tr = {xcalloc(t->nclaims + 1, sizeof *tr.fn), xcalloc(t->nclaims + 1, sizeof *tr.order), 0};
    sbuf b = {0};
    for (int k = 0; k < ntabs; k++) {
        rtable *r = &tabs[k];
        sb_printf(&b, "%s## %s\n\n|", k ? "\n" : "", r->title);
        for (int c = 0; c < r->ncols; c++)
            sb_printf(&b, " %s |", r->head[c]);
        sb_puts(&b, "\n|");
        for (int c = 0; c < r->ncols; c++)
            sb_puts(&b, "---|");
        sb_putc(&b, '\n');
        for (size_t i = 0; i < r->nrows; i++) {
            sb_putc(&b, '|');
            for (int c = 0; c < r->ncols; c++) {
                cell *cl = &r->cells[i * (size_t)r->ncols + (size_t)c];
                sb_putc(&b, ' ');
                for (size_t p = 0; p < cl->n; p++) {
                    md_esc(&b, cl->p[p].text);
                    if (cl->p[p].claim >= 0)
                        sb_printf(&b, "[^%ld]", trace_ref(&tr, cl->p[p].claim));
                }
                sb_puts(&b, " |");
            }
            sb_putc(&b, '\n');
        }
        if (!r->nrows)
            sb_puts(&b, "\n(no claims)\n");
        sb_puts(&b, "\n");
        md_esc(&b, r->caption);
        sb_putc(&b, '\n');
    }
    if (tr.n)
        sb_putc(&b, '\n');
    for (long i = 0; i < tr.n; i++) {
        sb_printf(&b, "[^%ld]: ", i + 1);
        trace_line(&b, t, &t->claims[tr.order[i]], md_esc);
        sb_putc(&b, '\n');
    }
    if (b.s)
        fwrite(b.s, 1, b.len, out);
    sb_free(&b);
    free(tr.fn);
    free(tr.order);
}

/* RFC 4180, and a leading ' on cells a spreadsheet would run as a formula. */
static void csv_cell(sbuf *b, const char *s)
{
    if (s && *s && strchr("=+-@\t\r", *s)) {
        /* a bare number ("-3") is data, not a formula */
        char *end;
        strtod(s, &end);
        if (*end != '\0' || *s == '=' || *s == '@') {
            sbuf t = {0};
            sb_putc(&t, '\'');
            sb_puts(&t, s);
            csv_cell(b, t.s);
            sb_free(&t);
            return;
        }
    }
    if (s && strpbrk(s, ",\"\r\n")) {
        sb_putc(b, '"');
        for (; *s; s++) {
            if (*s == '"')
                sb_putc(b, '"');
            sb_putc(b, *s);
        }
        sb_putc(b, '"');
    } else if (s) {
        sb_puts(b, s);
    }
}

static void write_csv(FILE *out, rtable *r)
{
    sbuf b = {0};
    for (int c = 0; c < r->ncols; c++) {
        if (c)
            sb_putc(&b, ',');
        csv_cell(&b, r->head[c]);
    }
    sb_puts(&b, "\r\n");
    for (size_t i = 0; i < r->nrows; i++) {
        for (int c = 0; c < r->ncols; c++) {
            cell *cl = &r->cells[i * (size_t)r->ncols + (size_t)c];
            if (c)
                sb_putc(&b, ',');
            if (cl->raw) {
                csv_cell(&b, cl->raw);
            } else {
                sbuf v = {0};
                for (size_t p = 0; p < cl->n; p++)
                    sb_puts(&v, cl->p[p].text);
                csv_cell(&b, v.s ? v.s : "");
                sb_free(&v);
            }
        }
        sb_puts(&b, "\r\n");
    }
    if (b.s)
        fwrite(b.s, 1, b.len, out);
    sb_free(&b);
}

static void html_esc(sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&#39;"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                sb_putc(b, ' ');
            else
                sb_putc(b, (char)c);
        }
    }
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>claimscan report</title>\n<style>\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;"
    "max-width:1400px;padding:0 1em;color:#1b1b1b;background:#fff}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}\n"
    "table{border-collapse:collapse;font-size:.88em;margin:.5em 0}\n"
    "th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}\n"
    "th{background:#f0f3f7;position:sticky;top:0}\n"
    "tr:nth-child(even) td{background:#fafafa}\n"
    "a.n{color:#0645ad;text-decoration:none;border-bottom:1px dotted #0645ad}\n"
    "span.m{border-bottom:1px dashed #888;cursor:help}\n"
    "p.cap{color:#555;font-size:.85em;max-width:70em}\n"
    ".plots{display:flex;flex-wrap:wrap;gap:1em}.plots figure{flex:1 1 600px}\n"
    ".plots figure{margin:0;border:1px solid #ddd;padding:.5em;max-width:100%}\n"
    ".plots img{max-width:100%;height:auto}\n"
    "td.src{font-family:ui-monospace,monospace;font-size:.95em}\n"
    ":target{background:#fff3b0 !important}\n"
    "</style>\n</head>\n<body>\n<h1>claimscan report</h1>\n";

static void b64(sbuf *b, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        sb_putc(b, tab[(v >> 18) & 63]);
        sb_putc(b, tab[(v >> 12) & 63]);
        sb_putc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
        sb_putc(b, i + 2 < n ? tab[v & 63] : '=');
    }
}

/* Renders the plots as SVG into a scratch directory and embeds each one as a
 * data: URI image (keeps the SVGs' element ids apart, and runs no script). */
static void html_plots(sbuf *b, const claimtab *t, int kindf)
{
    char dir[] = "/tmp/claimscan-report-XXXXXX";
    if (!mkdtemp(dir)) {
        cs_warn("cannot create a scratch directory for plots: %s", strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0;
    int rc = plot_write_all(t, dir, "svg", kindf, &names, &n);
    if (rc == -2) {
        cs_warn("gnuplot not found, the HTML report has no plots; install the Debian package gnuplot-nox");
        sb_puts(b, "<p class=\"cap\">No plots: gnuplot is not installed (Debian package gnuplot-nox).</p>\n");
    } else if (rc != 0) {
        sb_puts(b, "<p class=\"cap\">No plots: gnuplot failed (see the messages of claimscan).</p>\n");
    }
    if (n)
        sb_puts(b, "<h2>Plots</h2>\n<div class=\"plots\">\n");
    for (size_t i = 0; i < n; i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);
        size_t len;
        char *img = read_file(p, &len);
        if (img) {
            sb_puts(b, "<figure><img alt=\"");
            html_esc(b, names[i]);
            sb_puts(b, "\" src=\"data:image/svg+xml;base64,");
            b64(b, (const unsigned char *)img, len);
            sb_puts(b, "\"></figure>\n");
            free(img);
        }
        free(p);
    }
    if (n)
        sb_puts(b, "</div>\n");
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    /* the scratch directory holds only what plot_write_all wrote */
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    if (dh)
        closedir(dh);
    rmdir(dir);
}

static void write_html(FILE *out, const claimtab *t, rtable *tabs, int ntabs, int kindf)
{
    trace tr = {xcalloc(t->nclaims + 1, sizeof *tr.fn), xcalloc(t->nclaims + 1, sizeof *tr.order), 0};
    sbuf b = {0};
    size_t live = 0, nclaims = 0;
    for (size_t i = 0; i < t->ndocs; i++)
        live += !t->docs[i].dead;
    for (size_t i = 0; i < t->nclaims; i++)
        nclaims += !t->docs[t->claims[i].d].dead && (kindf < 0 || t->claims[i].kind == kindf);
    sb_puts(&b, html_head);
    sb_printf(&b, "<p>%zu documents, %zu claims%s%s. Every number links to the sentence it was read "
                  "from (hover for the source span, document and rule).</p>\n",
              live, nclaims, kindf >= 0 ? " of kind " : "", kindf >= 0 ? cs_kind_name(kindf) : "");
    html_plots(&b, t, kindf);
    for (int k = 0; k < ntabs; k++) {
        rtable *r = &tabs[k];
        sb_puts(&b, "<h2>");
        html_esc(&b, r->title);
        sb_puts(&b, "</h2>\n<table>\n<thead><tr>");
        for (int c = 0; c < r->ncols; c++) {
            sb_puts(&b, "<th>");
            html_esc(&b, r->head[c]);
            sb_puts(&b, "</th>");
        }
        sb_puts(&b, "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < r->nrows; i++) {
            sb_puts(&b, "<tr>");
            for (int c = 0; c < r->ncols; c++) {
                cell *cl = &r->cells[i * (size_t)r->ncols + (size_t)c];
                sb_puts(&b, "<td>");
                for (size_t p = 0; p < cl->n; p++) {
                    if (cl->p[p].claim >= 0) {
                        long id = trace_ref(&tr, cl->p[p].claim);
                        sb_printf(&b, "<a class=\"n\" href=\"#c%ld\" title=\"", id);
                        trace_line(&b, t, &t->claims[cl->p[p].claim], html_esc);
                        sb_puts(&b, "\">");
                        html_esc(&b, cl->p[p].text);
                        sb_puts(&b, "</a>");
                    } else if (cl->p[p].note) {
                        sb_puts(&b, "<span class=\"m\" title=\"");
                        html_esc(&b, cl->p[p].note);
                        sb_puts(&b, "\">");
                        html_esc(&b, cl->p[p].text);
                        sb_puts(&b, "</span>");
                    } else {
                        html_esc(&b, cl->p[p].text);
                    }
                }
                sb_puts(&b, "</td>");
            }
            sb_puts(&b, "</tr>\n");
        }
        sb_puts(&b, "</tbody>\n</table>\n");
        if (!r->nrows)
            sb_puts(&b, "<p>(no claims)</p>\n");
        sb_puts(&b, "<p class=\"cap\">");
        html_esc(&b, r->caption);
        sb_puts(&b, "</p>\n");
    }
    if (tr.n) {
        sb_puts(&b, "<h2>Sources</h2>\n<table>\n<thead><tr><th>#</th><th>doc</th><th>bytes</th>"
                    "<th>rule</th><th>text</th></tr></thead>\n<tbody>\n");
        for (long i = 0; i < tr.n; i++) {
            const ct_claim *c = &t->claims[tr.order[i]];
            sb_printf(&b, "<tr id=\"c%ld\"><td>%ld</td><td>", i + 1, i + 1);
            html_esc(&b, t->docs[c->d].label);
            sb_puts(&b, "</td><td>");
            if (c->start >= 0)
                sb_printf(&b, "%ld-%ld", c->start, c->end);
            sb_puts(&b, "</td><td>");
            html_esc(&b, c->rule ? c->rule : "?");
            sb_puts(&b, "</td><td class=\"src\">");
            html_esc(&b, c->text);
            sb_puts(&b, "</td></tr>\n");
        }
        sb_puts(&b, "</tbody>\n</table>\n");
    }
    sb_puts(&b, "</body>\n</html>\n");
    fwrite(b.s, 1, b.len, out);
    sb_free(&b);
    free(tr.fn);
    free(tr.order);
}

/* ---- command line ---- */

static void report_usage(FILE *f)
{
    fputs("usage: claimscan report [--by hardware|kind|paper|baseline|all] [--format md|csv|html]\n"
          "                        [--kind KIND] [--db FILE] [--rules DIR] [INPUT...]\n"
          "\n"
          "Comparison tables from a claims table, Markdown on standard output by default.\n"
          "INPUT is a claims JSON Lines file from 'claimscan extract' or documents, which\n"
          "are extracted on the fly (told apart by content; '-' is standard input);\n"
          "--db FILE reads a store written by 'claimscan extract --db'.\n"
          "\n"
          "  --by hardware  one row per hardware: papers, claims, speedup median and max,\n"
          "                 best tokens/s and frames/s, memory-reduction median and max (default)\n"
          "  --by kind      count, min, median, max per kind (absolute kinds per base unit)\n"
          "  --by paper     one row per document with its claims condensed\n"
          "  --by baseline  the systems most compared against, with the factors claimed\n"
          "  --by all       every report in turn (md and html)\n"
          "  --format       md (footnotes give the source text of each number), csv\n"
          "                 (RFC 4180), html (one self-contained page with the plots\n"
          "                 embedded; hover or follow a number to its source)\n"
          "  --kind KIND    only claims of this kind (speedup, throughput, ...)\n", f);
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},
        {"kind", required_argument, NULL, 'k'},
        {"db", required_argument, NULL, 'd'},
        {"rules", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const bys[] = {"hardware", "kind", "paper", "baseline"};
    int want[4] = {0}, any_by = 0, kindf = -1;
    const char *format = "md";
    ct_inputs in = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': {
            int ok = 0;
            for (int i = 0; i < 4; i++)
                if (!strcmp(optarg, bys[i]))
                    want[i] = ok = 1;
            if (!strcmp(optarg, "all"))
                want[0] = want[1] = want[2] = want[3] = ok = 1;
            if (!ok) {
                cs_error("unknown report '%s' (hardware, kind, paper, baseline or all)", optarg);
                return CS_EXIT_USAGE;
            }
            any_by = 1;
            break;
        }
        case 'f':
            if (strcmp(optarg, "md") && strcmp(optarg, "csv") && strcmp(optarg, "html")) {
                cs_error("unknown format '%s' (md, csv or html)", optarg);
                return CS_EXIT_USAGE;
            }
            format = optarg;
            break;
        case 'k':
            kindf = cs_kind_parse(optarg);
            if (kindf < 0) {
                cs_error("unknown kind '%s'", optarg);
                return CS_EXIT_USAGE;
            }
            break;
        case 'd': in.db = optarg; break;
        case 'r': in.rules_dir = optarg; break;
        case 'h': report_usage(stdout); return CS_EXIT_OK;
        default: report_usage(stderr); return CS_EXIT_USAGE;
        }
    }
    if (!any_by)
        want[0] = 1;
    in.files = argv + optind;
    in.nfiles = argc - optind;
    if (!in.db && in.nfiles == 0) {
        cs_error("report: no input (give claims files, documents, or --db FILE)");
        report_usage(stderr);
        return CS_EXIT_USAGE;
    }
    int ntabs = want[0] + want[1] + want[2] + want[3];
    if (!strcmp(format, "csv") && ntabs > 1) {
        cs_error("--format csv writes one table: choose one --by");
        return CS_EXIT_USAGE;
    }
    claimtab t = {0};
    int rc = claimtab_load(&t, &in);
    if (rc == CS_EXIT_USAGE || rc == CS_EXIT_RULES) {
        claimtab_free(&t);
        return rc;
    }
    rtable tabs[4];
    memset(tabs, 0, sizeof tabs);
    int n = 0;
    if (want[0])
        report_hardware(&t, kindf, &tabs[n++]);
    if (want[1])
        report_kind(&t, kindf, &tabs[n++]);
    if (want[2])
        report_paper(&t, kindf, &tabs[n++]);
    if (want[3])
        report_baseline(&t, kindf, &tabs[n++]);
    if (!strcmp(format, "md"))
        write_md(stdout, &t, tabs, n);
    else if (!strcmp(format, "csv"))
        write_csv(stdout, &tabs[0]);
    else
        write_html(stdout, &t, tabs, n, kindf);
    for (int i = 0; i < n; i++)
        rt_free(&tabs[i]);
    claimtab_free(&t);
    return rc;
}
