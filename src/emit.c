/* emit.c: the output writers (jsonl, tsv, csv, md).  Output must be valid
 * UTF-8 and safe to open whatever the input held, so every string goes
 * through one of the cell/string escapers below; JSON is escaped by hand
 * because the writer runs on every record (cJSON would allocate per value). */
#include "emit.h"

#include <string.h>

static const char *const outfmt_names[] = {"jsonl", "tsv", "csv", "md"};

int outfmt_parse(const char *s)
{
    for (size_t i = 0; i < sizeof outfmt_names / sizeof *outfmt_names; i++)
        if (strcmp(s, outfmt_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *outfmt_name(cs_outfmt f)
{
    return (unsigned)f < sizeof outfmt_names / sizeof *outfmt_names ? outfmt_names[f] : "?";
}

/* Room for extra bytes plus the NUL sbuf keeps after its contents. */
static void reserve(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

/* Length of the valid UTF-8 sequence starting at s (n bytes left), 0 when
 * the byte at s does not start one (same rules as utf8_invalid_at). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0;   /* overlong, surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;   /* overlong, > U+10FFFF */
        return 4;
    }
    return 0;
}

static const char hex[] = "0123456789abcdef";

void emit_json_str(sbuf *b, const char *str, size_t n)
{
    if (!str) {
        sb_putn(b, "null", 4);
        return;
    }
    reserve(b, 6 * n + 2);      /* worst case: every byte a \u00XX */
    const unsigned char *s = (const unsigned char *)str, *e = s + n;
    char *o = b->s + b->len;
    *o++ = '"';
    while (s < e) {
        const unsigned char *run = s;
        while (s < e && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        memcpy(o, run, (size_t)(s - run));
        o += s - run;
        if (s == e)
            break;
        unsigned c = *s;
        if (c >= 0x80) {
            size_t k = utf8_seq(s, (size_t)(e - s));
            if (k) {
                memcpy(o, s, k);
                o += k;
                s += k;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);   /* U+FFFD for the bad byte */
                o += 3;
                s++;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\t': *o++ = 't'; break;
        case '\r': *o++ = 'r'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
        s++;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->s);
    b->s[b->len] = '\0';
}

/* The span [start, end) of the document text, clamped to it. */
static const char *span(const cs_doc *d, size_t start, size_t end, size_t *n)
{
    if (!d->text) {
        *n = 0;
        return "";
    }
    if (start > d->len)
        start = d->len;
    if (end < start)
        end = start;
    if (end > d->len)
        end = d->len;
    *n = end - start;
    return d->text + start;
}

/* A hardware mention's text: from the title when it is named only there. */
static const char *hw_text(const cs_doc *d, const cs_hw *h, size_t *n)
{
    if (!h->in_title)
        return span(d, h->start, h->end, n);
    size_t tl = d->title ? strlen(d->title) : 0;
    if (!d->title || h->start > h->end || h->end > tl) {
        *n = 0;
        return "";
    }
    *n = h->end - h->start;
    return d->title + h->start;
}

/* ---- jsonl ---- */

static void j_key(sbuf *b, const char *key)
{
    sb_putc(b, ',');
    sb_putc(b, '"');
    sb_puts(b, key);
    sb_putn(b, "\":", 2);
}

static void j_str(sbuf *b, const char *key, const char *s)
{
    j_key(b, key);
    emit_json_str(b, s, s ? strlen(s) : 0);
}

static void j_num(sbuf *b, const char *key, double v)
{
    char nb[40];
    fmt_num(nb, sizeof nb, v);
    j_key(b, key);
    sb_puts(b, nb);
}

static void j_size(sbuf *b, const char *key, size_t v)
{
    char nb[24];
    int k = snprintf(nb, sizeof nb, "%zu", v);
    j_key(b, key);
    sb_putn(b, nb, (size_t)k);
}

/* Writes b out and empties it once it holds EMIT_FLUSH bytes, when out is
 * not NULL: a document with tens of thousands of claims is not held whole.
 * -1 on a write error. */
#define EMIT_FLUSH ((size_t)1 << 16)

static int flush_if(sbuf *b, FILE *out)
{
    if (!out || b->len < EMIT_FLUSH)
        return 0;
    if (fwrite(b->s, 1, b->len, out) != b->len)
        return -1;
    b->len = 0;
    return 0;
}

static int jsonl_doc(sbuf *b, const cs_doc *d, const cs_result *r, FILE *out)
{
    size_t nclaims = r ? r->nclaims : 0, nhw = r ? r->nhw : 0;
    sb_puts(b, "{\"record\":\"document\"");
    j_str(b, "doc", d->id);
    j_str(b, "title", d->title);
    j_str(b, "source", d->source);
    j_size(b, "claims", nclaims);
    j_str(b, "error", d->error);
    sb_putn(b, "}\n", 2);
    if (flush_if(b, out))
        return -1;
    for (size_t i = 0; i < nclaims; i++) {
        const cs_claim *c = &r->claims[i];
        size_t tn;
        const char *t = span(d, c->start, c->end, &tn);
        sb_puts(b, "{\"record\":\"claim\"");
        j_str(b, "doc", d->id);
        j_str(b, "kind", cs_kind_name(c->kind));
        j_num(b, "value", c->value);
        j_num(b, "lo", c->lo);
        j_num(b, "hi", c->hi);
        j_str(b, "unit", c->unit);
        j_num(b, "factor", c->factor);
        j_num(b, "norm", c->norm);
        j_str(b, "norm_unit", c->norm_unit);
        j_str(b, "qualifier", cs_qual_name(c->qualifier));
        j_str(b, "hardware", c->hardware);
        j_str(b, "baseline", c->baseline);
        j_str(b, "subject", c->subject_baseline ? "baseline" : "self");
        j_key(b, "text");
        emit_json_str(b, t, tn);
        j_size(b, "start", c->start);
        j_size(b, "end", c->end);
        j_str(b, "rule", c->rule);
        sb_putn(b, "}\n", 2);
        if (flush_if(b, out))
            return -1;
    }
    for (size_t i = 0; i < nhw; i++) {
        const cs_hw *h = &r->hw[i];
        size_t tn;
        const char *t = hw_text(d, h, &tn);
        sb_puts(b, "{\"record\":\"hardware\"");
        j_str(b, "doc", d->id);
        j_str(b, "hardware", h->hardware);
        j_str(b, "class", h->hwclass);
        j_str(b, "vendor", h->vendor);
        j_key(b, "count");
        if (h->count < 0)
            sb_putn(b, "null", 4);
        else
            sb_printf(b, "%lld", h->count);
        j_key(b, "text");
        emit_json_str(b, t, tn);
        if (h->in_title) {
            sb_puts(b, ",\"start\":null,\"end\":null");
        } else {
            j_size(b, "start", h->start);
            j_size(b, "end", h->end);
        }
        sb_putn(b, "}\n", 2);
        if (flush_if(b, out))
            return -1;
    }
    return 0;
}

/* ---- tables ---- */

enum {
    C_RECORD, C_DOC, C_KIND, C_VALUE, C_LO, C_HI, C_UNIT, C_FACTOR, C_NORM, C_NORM_UNIT,
    C_QUALIFIER, C_HARDWARE, C_CLASS, C_VENDOR, C_COUNT, C_BASELINE, C_SUBJECT, C_TEXT,
    C_START, C_END, C_RULE, C_TITLE, C_SOURCE, C_CLAIMS, C_ERROR, C__COUNT
};

static const char *const col_names[C__COUNT] = {
    "record", "doc", "kind", "value", "lo", "hi", "unit", "factor", "norm", "norm_unit",
    "qualifier", "hardware", "class", "vendor", "count", "baseline", "subject", "text",
    "start", "end", "rule", "title", "source", "claims", "error",
};

typedef struct row {
    const char *s[C__COUNT];    /* NULL: empty cell */
    size_t n[C__COUNT];
    unsigned char num[C__COUNT];        /* a number: never formula-escaped */
    char nbuf[C__COUNT][40];
} row;

static void cell(row *w, int c, const char *s)
{
    w->s[c] = s;
    w->n[c] = s ? strlen(s) : 0;
}

static void cell_num(row *w, int c, double v)
{
    if (isnan(v) || isinf(v))
        return;
    fmt_num(w->nbuf[c], sizeof w->nbuf[c], v);
    cell(w, c, w->nbuf[c]);
    w->num[c] = 1;
}

static void cell_int(row *w, int c, long long v)
{
    snprintf(w->nbuf[c], sizeof w->nbuf[c], "%lld", v);
    cell(w, c, w->nbuf[c]);
    w->num[c] = 1;
}

/* Appends s[0..n) with bad UTF-8 bytes as U+FFFD, handing every ASCII
 * control byte (and '\\', '|', '"' as asked) to esc(). */
typedef void (*esc_fn)(sbuf *b, unsigned char c);

static void put_cell_text(sbuf *b, const char *str, size_t n, const char *special, esc_fn esc)
{
    const unsigned char *s = (const unsigned char *)str, *e = s + n;
    while (s < e) {
        const unsigned char *run = s;
        while (s < e && *s >= 0x20 && *s < 0x7F && !strchr(special, *s))
            s++;
        sb_putn(b, (const char *)run, (size_t)(s - run));
        if (s == e)
            break;
        if (*s >= 0x80) {
            size_t k = utf8_seq(s, (size_t)(e - s));
            if (k) {
                sb_putn(b, (const char *)s, k);
                s += k;
            } else {
                sb_putn(b, "\xEF\xBF\xBD", 3);
                s++;
            }
            continue;
        }
        esc(b, *s++);
    }
}

static void tsv_esc(sbuf *b, unsigned char c)
{
    switch (c) {
    case '\t': sb_putn(b, "\\t", 2); break;
    case '\n': sb_putn(b, "\\n", 2); break;
    case '\r': sb_putn(b, "\\r", 2); break;
    case '\\': sb_putn(b, "\\\\", 2); break;
    default: {
        char x[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        sb_putn(b, x, 4);
    }
    }
}

static void csv_esc(sbuf *b, unsigned char c)
{
    if (c == '"')
        sb_putc(b, '"');
    sb_putc(b, (char)c);    /* control bytes stay: the cell is quoted if needed */
}

static void md_esc(sbuf *b, unsigned char c)
{
    if (c == '|')
        sb_putn(b, "\\|", 2);
    else
        sb_putc(b, ' ');    /* newlines and other control bytes */
}

static void put_csv_cell(sbuf *b, const row *w, int c)
{
    const char *s = w->s[c];
    size_t n = w->n[c];
    if (!s)
        return;
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    int formula = !w->num[c] && n > 0 && strchr("=+-@\t\r", s[0]);
    if (quote)
        sb_putc(b, '"');
    if (formula)
        sb_putc(b, '\'');
    put_cell_text(b, s, n, "\"", csv_esc);
    if (quote)
        sb_putc(b, '"');
}

static void put_row(sbuf *b, cs_outfmt f, const row *w)
{
    for (int c = 0; c < C__COUNT; c++) {
        switch (f) {
        case OUT_TSV:
            if (c)
                sb_putc(b, '\t');
            if (w->s[c])
                put_cell_text(b, w->s[c], w->n[c], "\\", tsv_esc);
            break;
        case OUT_CSV:
            if (c)
                sb_putc(b, ',');
            put_csv_cell(b, w, c);
            break;
        default:
            sb_putn(b, c ? " | " : "| ", c ? 3 : 2);
            if (w->s[c])
                put_cell_text(b, w->s[c], w->n[c], "|", md_esc);
            break;
        }
    }
    if (f == OUT_CSV)
        sb_putn(b, "\r\n", 2);
    else if (f == OUT_MD)
        sb_putn(b, " |\n", 3);
    else
        sb_putc(b, '\n');
}

void emit_header(sbuf *b, cs_outfmt f)
{
    if (f == OUT_JSONL)
        return;
    row w;
    memset(&w, 0, sizeof w);
    for (int c = 0; c < C__COUNT; c++)
        cell(&w, c, col_names[c]);
    put_row(b, f, &w);
    if (f == OUT_MD) {
        sb_putc(b, '|');
        for (int c = 0; c < C__COUNT; c++)
            sb_putn(b, "---|", 4);
        sb_putc(b, '\n');
    }
}

static int table_doc(sbuf *b, cs_outfmt f, const cs_doc *d, const cs_result *r, FILE *out)
{
    size_t nclaims = r ? r->nclaims : 0, nhw = r ? r->nhw : 0;
    row w;
    memset(&w, 0, sizeof w);
    cell(&w, C_RECORD, "document");
    cell(&w, C_DOC, d->id);
    cell(&w, C_TITLE, d->title);
    cell(&w, C_SOURCE, d->source);
    cell_int(&w, C_CLAIMS, (long long)nclaims);
    cell(&w, C_ERROR, d->error);
    put_row(b, f, &w);
    if (flush_if(b, out))
        return -1;
    for (size_t i = 0; i < nclaims; i++) {
        const cs_claim *c = &r->claims[i];
        memset(&w, 0, sizeof w);
        cell(&w, C_RECORD, "claim");
        cell(&w, C_DOC, d->id);
        cell(&w, C_KIND, cs_kind_name(c->kind));
        cell_num(&w, C_VALUE, c->value);
        cell_num(&w, C_LO, c->lo);
        cell_num(&w, C_HI, c->hi);
        cell(&w, C_UNIT, c->unit);
        cell_num(&w, C_FACTOR, c->factor);
        cell_num(&w, C_NORM, c->norm);
        cell(&w, C_NORM_UNIT, c->norm_unit);
        cell(&w, C_QUALIFIER, cs_qual_name(c->qualifier));
        cell(&w, C_HARDWARE, c->hardware);
        cell(&w, C_BASELINE, c->baseline);
        cell(&w, C_SUBJECT, c->subject_baseline ? "baseline" : "self");
        w.s[C_TEXT] = span(d, c->start, c->end, &w.n[C_TEXT]);
        cell_int(&w, C_START, (long long)c->start);
        cell_int(&w, C_END, (long long)c->end);
        cell(&w, C_RULE, c->rule);
        put_row(b, f, &w);
        if (flush_if(b, out))
            return -1;
    }
    for (size_t i = 0; i < nhw; i++) {
        const cs_hw *h = &r->hw[i];
        memset(&w, 0, sizeof w);
        cell(&w, C_RECORD, "hardware");
        cell(&w, C_DOC, d->id);
        cell(&w, C_HARDWARE, h->hardware);
        cell(&w, C_CLASS, h->hwclass);
        cell(&w, C_VENDOR, h->vendor);
        if (h->count >= 0)
            cell_int(&w, C_COUNT, h->count);
        w.s[C_TEXT] = hw_text(d, h, &w.n[C_TEXT]);
        if (!h->in_title) {
            cell_int(&w, C_START, (long long)h->start);
            cell_int(&w, C_END, (long long)h->end);
        }
        put_row(b, f, &w);
        if (flush_if(b, out))
            return -1;
    }
    return 0;
}

int emit_doc(sbuf *b, cs_outfmt f, const cs_doc *d, const cs_result *r, FILE *out)
{
    return f == OUT_JSONL ? jsonl_doc(b, d, r, out) : table_doc(b, f, d, r, out);
}
