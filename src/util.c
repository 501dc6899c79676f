/* util.c: allocation that never returns NULL, buffers, messages, UTF-8. */
#include "cs.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static void oom(void)
{
    fputs("claimscan: out of memory\n", stderr);
    exit(CS_EXIT_DOCERR);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1 + CS_SLACK);
    memcpy(p, s, n);
    memset(p + n, 0, 1 + CS_SLACK);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void cs_error(const char *fmt, ...)
{
    va_list ap;
    fputs("claimscan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cs_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("claimscan: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void sb_grow(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 + CS_SLACK <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1 + CS_SLACK)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    memset(b->s + b->len, 0, cap - b->len);    /* the slack past the NUL is readable */
    b->cap = cap;
}

void sb_putc(sbuf *b, char c)
{
    sb_grow(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void sb_putn(sbuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    sb_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_free(sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cs_error("cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    sbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_putn(&b, chunk, n);
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        cs_error("cannot read '%s': %s", path, strerror(errno));
        sb_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.s ? b.s : xstrdup("");
}

#define CS_STR_(x) #x
#define CS_STR(x) CS_STR_(x)

const char json_malformed[] = "malformed JSON";

const char *json_refusal(const char *s, size_t n)
{
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > CJSON_NESTING_LIMIT)
                return "JSON nested deeper than " CS_STR(CJSON_NESTING_LIMIT) " levels";
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return json_malformed;
}

long utf8_invalid_at(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            /* ASCII eight bytes at a time */
            uint64_t w;
            while (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u)))
                i += 8;
            if (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        size_t need;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            min = 0x10000;
        } else {
            return (long)i;
        }
        if (need >= n - i)
            return (long)i;
        unsigned cp = c & (0x3F >> need);
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return (long)i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (long)i;
        i += need + 1;
    }
    return -1;
}

void fmt_num(char *buf, size_t size, double v)
{
    if (isnan(v) || isinf(v)) {
        snprintf(buf, size, "null");
        return;
    }
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

static const char *const kind_names[K__COUNT] = {
    "speedup", "memory_reduction", "energy_gain", "cost_reduction",
    "throughput", "latency", "memory", "power", "efficiency",
};

static const char *const qual_names[Q__COUNT] = {
    "exact", "up_to", "average", "geomean", "at_least", "at_most", "about",
};

const char *cs_kind_name(int kind)
{
    return kind >= 0 && kind < K__COUNT ? kind_names[kind] : "?";
}

int cs_kind_parse(const char *s)
{
    for (int i = 0; i < K__COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0)
            return i;
    return -1;
}

const char *cs_qual_name(int q)
{
    return q >= 0 && q < Q__COUNT ? qual_names[q] : "?";
}

int cs_qual_parse(const char *s)
{
    for (int i = 0; i < Q__COUNT; i++)
        if (strcmp(s, qual_names[i]) == 0)
            return i;
    return -1;
}

void cs_doc_clear(cs_doc *d)
{
    free(d->id);
    free(d->title);
    free(d->text);
    free(d->source);
    free(d->error);
    memset(d, 0, sizeof *d);
}

void cs_result_clear(cs_result *r)
{
    for (size_t i = 0; i < r->nclaims; i++)
        free(r->claims[i].baseline);
    r->nclaims = 0;
    r->nhw = 0;
}

void cs_result_free(cs_result *r)
{
    cs_result_clear(r);
    free(r->claims);
    free(r->hw);
    memset(r, 0, sizeof *r);
}

cs_claim *cs_result_add_claim(cs_result *r)
{
    if (r->nclaims == r->claims_cap) {
        r->claims_cap = r->claims_cap ? 2 * r->claims_cap : 16;
        r->claims = xrealloc(r->claims, r->claims_cap * sizeof *r->claims);
    }
    cs_claim *c = &r->claims[r->nclaims++];
    memset(c, 0, sizeof *c);
    c->value = c->lo = c->hi = c->factor = c->norm = NAN;
    return c;
}

cs_hw *cs_result_add_hw(cs_result *r)
{
    if (r->nhw == r->hw_cap) {
        r->hw_cap = r->hw_cap ? 2 * r->hw_cap : 8;
        r->hw = xrealloc(r->hw, r->hw_cap * sizeof *r->hw);
    }
    cs_hw *h = &r->hw[r->nhw++];
    memset(h, 0, sizeof *h);
    h->count = -1;
    return h;
}

int regex_joinable(const char *src)
{
    for (const char *p = src; *p; p++) {
        if (p[0] == '\\' && p[1]) {
            char c = p[1];
            if ((c >= '1' && c <= '9') || c == 'g' || c == 'k')
                return 0;
            p++;
        } else if (p[0] == '(' && (p[1] == '*' || (p[1] == '?' && (p[2] == '&' || p[2] == 'R' || p[2] == 'P' || p[2] == '(' || p[2] == 'C' ||
                                                                   p[2] == '+' || (p[2] >= '0' && p[2] <= '9') ||
                                                                   (p[2] == '-' && p[3] >= '0' && p[3] <= '9'))))) {
            return 0;
        }
    }
    return 1;
}
