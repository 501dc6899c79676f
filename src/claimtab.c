/* claimtab.c: loads claims tables (JSON Lines, SQLite, or documents extracted
 * on the fly) into memory, and the grouping and statistics that `report`
 * and `plot` share, so that both always agree on the numbers. */
#include "claimtab.h"
#include "extract.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a small string -> index map (open addressing), for keys and ids ---- */

typedef struct smap {
    const char **k;
    size_t *v;
    size_t n, cap;
} smap;

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Returns a pointer to the value slot of k, inserting it (value SIZE_MAX)
 * when absent.  Keys are borrowed, not copied. */
static size_t *smap_slot(smap *m, const char *k)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        const char **nk = xcalloc(cap, sizeof *nk);
        size_t *nv = xcalloc(cap, sizeof *nv);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->k[i])
                continue;
            size_t j = hash_str(m->k[i]) & (cap - 1);
            while (nk[j])
                j = (j + 1) & (cap - 1);
            nk[j] = m->k[i];
            nv[j] = m->v[i];
        }
        free(m->k);
        free(m->v);
        m->k = nk;
        m->v = nv;
        m->cap = cap;
    }
    size_t j = hash_str(k) & (m->cap - 1);
    while (m->k[j] && strcmp(m->k[j], k) != 0)
        j = (j + 1) & (m->cap - 1);
    if (!m->k[j]) {
        m->k[j] = k;
        m->v[j] = SIZE_MAX;
        m->n++;
    }
    return &m->v[j];
}

static void smap_free(smap *m)
{
    free(m->k);
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* ---- the table ---- */

static char *dupnull(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

char *ct_doc_key(const char *doc, const char *source)
{
    int positional = *doc != '\0';
    for (const char *p = doc; *p; p++)
        if (!isdigit((unsigned char)*p))
            positional = 0;
    if (!positional)
        return xstrdup(doc);
    /* the file part of "file:line" or "file[index]" */
    const char *src = source ? source : "";
    size_t n = strlen(src);
    size_t e = n;
    if (e && src[e - 1] == ']') {
        const char *b = strrchr(src, '[');
        if (b)
            e = (size_t)(b - src);
    } else {
        size_t k = e;
        while (k && isdigit((unsigned char)src[k - 1]))
            k--;
        if (k < e && k && src[k - 1] == ':')
            e = k - 1;
    }
    return xasprintf("%.*s#%s", (int)e, src, doc);
}

size_t claimtab_add_doc(claimtab *t, const char *doc, const char *source)
{
    if (t->ndocs == t->docs_cap) {
        t->docs_cap = t->docs_cap ? 2 * t->docs_cap : 64;
        t->docs = xrealloc(t->docs, t->docs_cap * sizeof *t->docs);
    }
    size_t i = t->ndocs++;
    ct_doc *d = &t->docs[i];
    memset(d, 0, sizeof *d);
    d->doc = xstrdup(doc);
    d->source = dupnull(source);
    d->key = ct_doc_key(doc, source);
    d->nclaims = -1;
    return i;
}

ct_claim *claimtab_add_claim(claimtab *t, size_t d)
{
    if (t->nclaims == t->claims_cap) {
        t->claims_cap = t->claims_cap ? 2 * t->claims_cap : 256;
        t->claims = xrealloc(t->claims, t->claims_cap * sizeof *t->claims);
    }
    ct_claim *c = &t->claims[t->nclaims++];
    memset(c, 0, sizeof *c);
    c->d = d;
    c->value = c->lo = c->hi = c->factor = c->norm = NAN;
    c->start = c->end = -1;
    return c;
}

ct_hw *claimtab_add_hw(claimtab *t, size_t d)
{
    if (t->nhw == t->hw_cap) {
        t->hw_cap = t->hw_cap ? 2 * t->hw_cap : 64;
        t->hw = xrealloc(t->hw, t->hw_cap * sizeof *t->hw);
    }
    ct_hw *h = &t->hw[t->nhw++];
    memset(h, 0, sizeof *h);
    h->d = d;
    h->count = -1;
    h->start = h->end = -1;
    return h;
}

void claimtab_free(claimtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ndocs; i++) {
        ct_doc *d = &t->docs[i];
        free(d->doc), free(d->key), free(d->label), free(d->title), free(d->source), free(d->error);
    }
    for (size_t i = 0; i < t->nclaims; i++) {
        ct_claim *c = &t->claims[i];
        free(c->unit), free(c->norm_unit), free(c->qualifier), free(c->hardware);
        free(c->baseline), free(c->subject), free(c->text), free(c->rule);
    }
    for (size_t i = 0; i < t->nhw; i++) {
        ct_hw *h = &t->hw[i];
        free(h->hardware), free(h->hwclass), free(h->vendor), free(h->text);
    }
    free(t->docs);
    free(t->claims);
    free(t->hw);
    memset(t, 0, sizeof *t);
}

/* ---- JSON Lines claims tables ---- */

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static char *jdup(const cJSON *o, const char *k)
{
    return dupnull(jstr(o, k));
}

/* The document of this input named id: the most recent one (claims follow
 * their document record), else any earlier one, else a new one. */
static size_t doc_for(claimtab *t, smap *ids, const char *id, const char *path)
{
    size_t *slot = smap_slot(ids, id);
    if (*slot == SIZE_MAX) {
        size_t d = claimtab_add_doc(t, id, path);
        *slot = d;
        /* ids borrows the key from the document, which outlives the map */
        ids->k[slot - ids->v] = t->docs[d].doc;
    }
    return *slot;
}

static int load_jsonl_buf(claimtab *t, const char *path, const char *buf, size_t len)
{
    smap ids = {0};
    int rc = CS_EXIT_OK;
    size_t line = 0;
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(buf + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - buf) : len;
        line++;
        size_t b = p;
        p = e + 1;
        while (b < e && isspace((unsigned char)buf[b]))
            b++;
        if (b == e)
            continue;
        cJSON *o = cJSON_ParseWithLength(buf + b, e - b);
        const char *rec = o ? jstr(o, "record") : NULL;
        const char *id = o ? jstr(o, "doc") : NULL;
        if (!o || !cJSON_IsObject(o) || !rec || !id) {
            cs_error("'%s':%zu: not a claims record (a JSON object with \"record\" and \"doc\")", path, line);
            cJSON_Delete(o);
            rc = CS_EXIT_DOCERR;
            continue;
        }
        if (!strcmp(rec, "document")) {
            const char *src = jstr(o, "source");
            char *fallback = src ? NULL : xasprintf("%s:%zu", path, line);
            size_t d = claimtab_add_doc(t, id, src ? src : fallback);
            free(fallback);
            size_t *slot = smap_slot(&ids, t->docs[d].doc);
            *slot = d;
            t->docs[d].title = jdup(o, "title");
            t->docs[d].error = jdup(o, "error");
            double n = jnum(o, "claims");
            t->docs[d].nclaims = isnan(n) ? -1 : (long)n;
        } else if (!strcmp(rec, "claim")) {
            const char *k = jstr(o, "kind");
            int kind = k ? cs_kind_parse(k) : -1;
            if (kind < 0) {
                cs_warn("'%s':%zu: unknown kind '%s', claim skipped", path, line, k ? k : "null");
                cJSON_Delete(o);
                continue;
            }
            ct_claim *c = claimtab_add_claim(t, doc_for(t, &ids, id, path));
            c->kind = kind;
            c->value = jnum(o, "value");
            c->lo = jnum(o, "lo");
            c->hi = jnum(o, "hi");
            c->factor = jnum(o, "factor");
            c->norm = jnum(o, "norm");
            c->unit = jdup(o, "unit");
            c->norm_unit = jdup(o, "norm_unit");
            c->qualifier = jdup(o, "qualifier");
            c->hardware = jdup(o, "hardware");
            c->baseline = jdup(o, "baseline");
            c->subject = jdup(o, "subject");
            c->text = jdup(o, "text");
            c->rule = jdup(o, "rule");
            double s = jnum(o, "start"), en = jnum(o, "end");
            c->start = isnan(s) ? -1 : (long)s;
            c->end = isnan(en) ? -1 : (long)en;
        } else if (!strcmp(rec, "hardware")) {
            const char *name = jstr(o, "hardware");
            if (name) {
                ct_hw *h = claimtab_add_hw(t, doc_for(t, &ids, id, path));
                h->hardware = xstrdup(name);
                h->hwclass = jdup(o, "class");
                h->vendor = jdup(o, "vendor");
                h->text = jdup(o, "text");
                double n = jnum(o, "count"), s = jnum(o, "start"), en = jnum(o, "end");
                h->count = isnan(n) ? -1 : (long long)n;
                h->start = isnan(s) ? -1 : (long)s;
                h->end = isnan(en) ? -1 : (long)en;
            }
        } else {
            cs_warn("'%s':%zu: unknown record '%s', skipped", path, line, rec);
        }
        cJSON_Delete(o);
    }
    smap_free(&ids);
    return rc;
}


/* Content, not name, tells a claims table: JSON Lines whose first object
 * has a "record" field.  Anything else is documents. */
static int is_claims_table(const char *buf, size_t len)
{
    size_t b = 0;
    while (b < len && isspace((unsigned char)buf[b]))
        b++;
    if (b == len || buf[b] != '{')
        return 0;
    const char *nl = memchr(buf + b, '\n', len - b);
    size_t e = nl ? (size_t)(nl - buf) : len;
    cJSON *o = cJSON_ParseWithLength(buf + b, e - b);
    int yes = o && cJSON_IsObject(o) && cJSON_GetObjectItemCaseSensitive(o, "record");
    cJSON_Delete(o);
    return yes;
}

void claimtab_add_result(claimtab *t, const cs_doc *doc, const cs_result *res)
{
    size_t d = claimtab_add_doc(t, doc->id ? doc->id : "", doc->source);
    t->docs[d].title = dupnull(doc->title);
    t->docs[d].error = dupnull(doc->error);
    t->docs[d].nclaims = (long)res->nclaims;
    for (size_t i = 0; i < res->nclaims; i++) {
        const cs_claim *s = &res->claims[i];
        ct_claim *c = claimtab_add_claim(t, d);
        c->kind = s->kind;
        c->value = s->value, c->lo = s->lo, c->hi = s->hi;
        c->factor = s->factor, c->norm = s->norm;
        c->unit = dupnull(s->unit);
        c->norm_unit = dupnull(s->norm_unit);
        c->qualifier = xstrdup(cs_qual_name(s->qualifier));
        c->hardware = dupnull(s->hardware);
        c->baseline = dupnull(s->baseline);
        c->subject = xstrdup(s->subject_baseline ? "baseline" : "self");
        if (doc->text && s->end <= doc->len && s->start <= s->end)
            c->text = xstrndup(doc->text + s->start, s->end - s->start);
        c->start = (long)s->start, c->end = (long)s->end;
        c->rule = dupnull(s->rule);
    }
    for (size_t i = 0; i < res->nhw; i++) {
        const cs_hw *s = &res->hw[i];
        ct_hw *h = claimtab_add_hw(t, d);
        h->hardware = xstrdup(s->hardware ? s->hardware : "");
        h->hwclass = dupnull(s->hwclass);
        h->vendor = dupnull(s->vendor);
        if (doc->text && s->end <= doc->len && s->start <= s->end)
            h->text = xstrndup(doc->text + s->start, s->end - s->start);
        h->count = s->count;
        h->start = (long)s->start, h->end = (long)s->end;
    }
}

static int add_result_cb(const cs_doc *doc, const cs_result *res, void *ud)
{
    claimtab_add_result(ud, doc, res);
    return 0;
}

/* Marks every document but the last of each key dead, and names documents
 * for reports: the id, or the key when two live documents share an id. */
void claimtab_resolve(claimtab *t)
{
    smap keys = {0}, ids = {0};
    for (size_t i = 0; i < t->ndocs; i++) {
        size_t *slot = smap_slot(&keys, t->docs[i].key);
        if (*slot != SIZE_MAX)
            t->docs[*slot].dead = 1;
        *slot = i;
    }
    for (size_t i = 0; i < t->ndocs; i++) {
        if (t->docs[i].dead)
            continue;
        size_t *slot = smap_slot(&ids, t->docs[i].doc);
        *slot = *slot == SIZE_MAX ? 1 : *slot + 1;
    }
    for (size_t i = 0; i < t->ndocs; i++) {
        ct_doc *d = &t->docs[i];
        free(d->label);
        d->label = xstrdup(*smap_slot(&ids, d->doc) > 1 ? d->key : d->doc);
    }
    smap_free(&keys);
    smap_free(&ids);
}

int claimtab_load(claimtab *t, const ct_inputs *in)
{
    int rc = CS_EXIT_OK;
    char **docfiles = xcalloc((size_t)in->nfiles + 1, sizeof *docfiles);
    int ndocfiles = 0;
    char *tmp = NULL;
    if (in->db && store_load(in->db, t) != 0)
        rc = CS_EXIT_USAGE;
    for (int i = 0; i < in->nfiles && rc != CS_EXIT_USAGE; i++) {
        size_t len = 0;
        char *buf = read_file(in->files[i], &len);
        if (!buf) {
            rc = CS_EXIT_USAGE;
            break;
        }
        if (is_claims_table(buf, len)) {
            int r = load_jsonl_buf(t, in->files[i], buf, len);
            if (r > rc)
                rc = r;
        } else if (!strcmp(in->files[i], "-")) {
            /* stdin was consumed to look at it: hand the extractor a copy */
            tmp = xstrdup("/tmp/claimscan-stdin-XXXXXX");
            int fd = mkstemp(tmp);
            if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
                cs_error("cannot write a temporary copy of standard input: %s", strerror(errno));
                rc = CS_EXIT_USAGE;
            }
            if (fd >= 0)
                close(fd);
            docfiles[ndocfiles++] = tmp;
        } else {
            docfiles[ndocfiles++] = in->files[i];
        }
        free(buf);
    }
    if (ndocfiles && rc != CS_EXIT_USAGE) {
        extract_opts o = {0};
        o.rules_dir = in->rules_dir;
        o.infmt = FMT_AUTO;
        o.quiet = 1;
        int r = extract_run(&o, docfiles, ndocfiles, add_result_cb, t);
        if (r > rc)
            rc = r;
    }
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(docfiles);
    claimtab_resolve(t);
    return rc;
}

/* ---- statistics shared by report and plot ---- */

const ct_hw *claimtab_hw_info(const claimtab *t, const char *hardware)
{
    if (!hardware)
        return NULL;
    for (size_t i = 0; i < t->nhw; i++)
        if (!t->docs[t->hw[i].d].dead && !strcmp(t->hw[i].hardware, hardware))
            return &t->hw[i];
    return NULL;
}

int ct_claim_counts(const claimtab *t, const ct_claim *c, int kindf)
{
    if (t->docs[c->d].dead || (kindf >= 0 && c->kind != kindf))
        return 0;
    return !(c->subject && !strcmp(c->subject, "baseline"));
}

double ct_claim_num(const ct_claim *c)
{
    return CS_KIND_IS_RATIO(c->kind) ? c->factor : c->norm;
}

double ct_lo_factor(const ct_claim *c)
{
    if (isnan(c->lo) || isnan(c->hi) || isnan(c->factor))
        return c->factor;
    if (c->unit && !strcmp(c->unit, "%")) {
        /* a reduction "by p%" has factor 1/(1-p/100), a gain 1+p/100 */
        double red = c->hi < 100 ? 1.0 / (1.0 - c->hi / 100.0) : NAN;
        if (!isnan(red) && fabs(red - c->factor) < 1e-6 * c->factor)
            return c->lo < 100 ? 1.0 / (1.0 - c->lo / 100.0) : c->factor;
        return 1.0 + c->lo / 100.0;
    }
    return c->hi != 0 ? c->factor * c->lo / c->hi : c->factor;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ct_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void group_add(ct_group *g, size_t i)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 8;
        g->idx = xrealloc(g->idx, g->cap * sizeof *g->idx);
    }
    g->idx[g->n++] = i;
}

static int cmp_group(const void *a, const void *b)
{
    const ct_group *x = a, *y = b;
    if (!*x->name != !*y->name)
        return *x->name ? -1 : 1;
    if (x->median != y->median)
        return x->median < y->median ? -1 : 1;
    return strcmp(x->name, y->name);
}

ct_group *ct_group_by_hardware(const claimtab *t, int kindf, const char *norm_unit, size_t *ngroups)
{
    ct_group *g = NULL;
    size_t n = 0, cap = 0;
    smap names = {0};
    for (size_t i = 0; i < t->nclaims; i++) {
        const ct_claim *c = &t->claims[i];
        if (!ct_claim_counts(t, c, kindf) || isnan(ct_claim_num(c)))
            continue;
        if (norm_unit && (!c->norm_unit || strcmp(c->norm_unit, norm_unit)))
            continue;
        const char *name = c->hardware ? c->hardware : "";
        size_t *slot = smap_slot(&names, name);
        if (*slot == SIZE_MAX) {
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                g = xrealloc(g, cap * sizeof *g);
            }
            memset(&g[n], 0, sizeof g[n]);
            g[n].name = xstrdup(name);
            *slot = n++;
        }
        group_add(&g[*slot], i);
    }
    smap_free(&names);
    for (size_t k = 0; k < n; k++) {
        double *v = xmalloc(g[k].n * sizeof *v);
        for (size_t j = 0; j < g[k].n; j++)
            v[j] = ct_claim_num(&t->claims[g[k].idx[j]]);
        g[k].median = ct_median(v, g[k].n);
        free(v);
    }
    if (n)
        qsort(g, n, sizeof *g, cmp_group);
    *ngroups = n;
    return g;
}

void ct_groups_free(ct_group *g, size_t n)
{
    if (!g)
        return;
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        free(g[i].idx);
    }
    free(g);
}
