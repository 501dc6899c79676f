/* read.c: the input readers (page, hf-json, jsonl, text) behind one
 * streaming interface.  Input goes through a small buffer of our own, so
 * that the format can be detected from the first bytes even on stdin, and
 * so that an over-long line is skipped in chunks instead of being held. */
#include "read.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IN_CHUNK ((size_t)64 << 10)
#define DETECT_WINDOW ((size_t)256 << 10)
#define ABSTRACT_MIN 200        /* a paragraph this long is an abstract */
#define ABSTRACT_MIN_SENT 100   /* ...or this long with two sentences */

struct cs_reader {
    FILE *f;
    int own;                /* f was opened here */
    char *name;             /* path as given, or "stdin": sources and messages */
    char *base;             /* id of a text document */
    cs_infmt fmt;
    char *text_field;
    size_t max_doc;
    int done;

    /* buffered input: unread bytes are buf[beg..end) */
    char *buf;
    size_t cap, beg, end;
    int eof, ioerr;
    unsigned long lineno;   /* lines consumed so far */
    sbuf line;

    /* page: the paragraph read last, and the short one before it */
    sbuf para, title;
    int have_title;
    unsigned long ndocs;

    /* hf-json */
    int hf_started;         /* the array's '[' is read */
    size_t hf_off;          /* bytes read from the file (after a BOM): error offsets */
    long idx;
};

static const char *const infmt_names[] = {"auto", "page", "hf-json", "jsonl", "text"};

const char *infmt_name(cs_infmt f)
{
    return (unsigned)f < sizeof infmt_names / sizeof *infmt_names ? infmt_names[f] : "?";
}

int infmt_parse(const char *s)
{
    for (size_t i = 0; i < sizeof infmt_names / sizeof *infmt_names; i++)
        if (strcmp(s, infmt_names[i]) == 0)
            return (int)i;
    return -1;
}

cs_infmt reader_format(const cs_reader *r)
{
    return r->fmt;
}

/* ---- buffered input ---- */

/* Appends what the next read gives after the unread bytes; the buffer grows
 * only when it is full of unread bytes (detection peeks).  Returns the bytes
 * added, 0 at end of input or on a read error (r->ioerr). */
static size_t in_fill(cs_reader *r)
{
    if (r->eof || r->ioerr)
        return 0;
    if (r->beg == r->end) {
        r->beg = r->end = 0;
    } else if (r->end == r->cap && r->beg > 0) {
        memmove(r->buf, r->buf + r->beg, r->end - r->beg);
        r->end -= r->beg;
        r->beg = 0;
    }
    if (r->end == r->cap) {
        r->cap = r->cap ? 2 * r->cap : IN_CHUNK;
        r->buf = xrealloc(r->buf, r->cap);
    }
    errno = 0;
    size_t n = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
    r->end += n;
    if (n == 0) {
        if (ferror(r->f))
            r->ioerr = errno ? errno : EIO;
        else
            r->eof = 1;
    }
    return n;
}

/* Makes at least `want` unread bytes available, or all that is left. */
static void in_peek(cs_reader *r, size_t want)
{
    while (r->end - r->beg < want && in_fill(r))
        ;
}

/* Reads one line, without its '\n', into *out.  At most max bytes are kept:
 * the rest of a longer line is read and dropped, and *toolong set, so a
 * hostile line never sits in memory.  1: a line, 0: end of input, -1: error. */
static int in_line(cs_reader *r, sbuf *out, size_t max, int *toolong)
{
    out->len = 0;
    sb_putn(out, "", 0);
    *toolong = 0;
    int any = 0;
    for (;;) {
        if (r->beg == r->end && !in_fill(r)) {
            if (r->ioerr)
                return -1;
            if (!any)
                return 0;
            break;
        }
        any = 1;
        const char *p = r->buf + r->beg;
        size_t n = r->end - r->beg;
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) : n;
        if (!*toolong) {
            if (out->len + take > max)
                *toolong = 1;
            else
                sb_putn(out, p, take);
        }
        r->beg += take + (nl != NULL);
        if (nl)
            break;
    }
    r->lineno++;
    return 1;
}

/* Reads the rest of the input into *out, up to max bytes.  1: all of it,
 * 0: more than max (out holds max + 1 bytes), -1: read error. */
static int in_slurp(cs_reader *r, sbuf *out, size_t max)
{
    sb_putn(out, "", 0);
    for (;;) {
        size_t n = r->end - r->beg;
        if (n > max + 1 - out->len)
            n = max + 1 - out->len;
        sb_putn(out, r->buf + r->beg, n);
        r->beg += n;
        if (out->len > max)
            return 0;
        if (!in_fill(r))
            return r->ioerr ? -1 : 1;
    }
}

static char *read_error(const cs_reader *r)
{
    return xasprintf("cannot read '%s': %s", r->name, strerror(r->ioerr));
}

/* ---- shared document checks ---- */

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' &&
            s[i] != '\v')
            return 0;
    return 1;
}

/* The one check of a document's text: the engine matches with
 * PCRE2_NO_UTF_CHECK, so a bad text must never reach it. */
static void check_text(cs_doc *d)
{
    if (d->error || !d->text)
        return;
    const char *z = memchr(d->text, '\0', d->len);
    if (z) {
        d->error = xasprintf("NUL byte at offset %zu", (size_t)(z - d->text));
    } else {
        long bad = utf8_invalid_at(d->text, d->len);
        if (bad >= 0)
            d->error = xasprintf("invalid UTF-8 at offset %ld", bad);
    }
    if (d->error) {
        free(d->text);
        d->text = NULL;
        d->len = 0;
    }
}

static char *ulong_str(unsigned long v)
{
    return xasprintf("%lu", v);
}

/* Moves the contents of b into the document's text. */
static void take_text(cs_doc *d, sbuf *b)
{
    d->text = b->s ? b->s : xstrdup("");
    d->len = b->s ? b->len : 0;
    memset(b, 0, sizeof *b);
}

/* ---- page: a Daily Papers page saved as text ---- */

/* Sentence ends: [.?!] followed by a blank or the end of the paragraph. */
static int sentences(const char *s, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '.' || s[i] == '?' || s[i] == '!') &&
            (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\n' || s[i + 1] == '\r'))
            k++;
    return k;
}

/* An abstract is a long paragraph (titles here are at most ~180 bytes, the
 * page header lines under 50), or a shorter one of several sentences. */
static int is_abstract(const char *s, size_t n)
{
    return n >= ABSTRACT_MIN || (n >= ABSTRACT_MIN_SENT && sentences(s, n) >= 2);
}

/* Reads the next paragraph (lines up to a blank line, joined with '\n',
 * CRs dropped) into r->para.  *first = its first line number.  Keeps at most
 * max_doc bytes (*toolong).  1: a paragraph, 0: end of input, -1: error. */
static int page_para(cs_reader *r, unsigned long *first, int *toolong)
{
    int tl, rc;
    r->para.len = 0;
    *toolong = 0;
    do {        /* skip blank lines */
        rc = in_line(r, &r->line, r->max_doc, &tl);
        if (rc <= 0)
            return rc;
    } while (!tl && is_blank(r->line.s, r->line.len));
    *first = r->lineno;
    for (;;) {
        size_t n = r->line.len;
        if (n > 0 && r->line.s[n - 1] == '\r')
            n--;
        if (tl || r->para.len + (r->para.len > 0) + n > r->max_doc)
            *toolong = 1;
        if (!*toolong) {
            if (r->para.len > 0)
                sb_putc(&r->para, '\n');
            sb_putn(&r->para, r->line.s, n);
        }
        rc = in_line(r, &r->line, r->max_doc, &tl);
        if (rc < 0)
            return -1;
        if (rc == 0 || (!tl && is_blank(r->line.s, r->line.len)))
            return 1;
    }
}

/* Title text of a short paragraph: lines joined with a space, trimmed. */
static char *para_title(const sbuf *p)
{
    size_t b = 0, e = p->len;
    while (b < e && (p->s[b] == ' ' || p->s[b] == '\t' || p->s[b] == '\n'))
        b++;
    while (e > b && (p->s[e - 1] == ' ' || p->s[e - 1] == '\t' || p->s[e - 1] == '\n'))
        e--;
    char *t = xstrndup(p->s + b, e - b);
    for (char *c = t; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return t;
}

/* Every abstract paragraph is a document, titled by the paragraph just
 * before it when that one is short; short paragraphs not followed by an
 * abstract (the page header) are dropped.  Holds one title + one abstract. */
static int page_next(cs_reader *r, cs_doc *doc, char **err)
{
    for (;;) {
        unsigned long first;
        int toolong;
        int rc = page_para(r, &first, &toolong);
        if (rc < 0) {
            *err = read_error(r);
            return -1;
        }
        if (rc == 0)
            return 0;
        if (!toolong && !is_abstract(r->para.s, r->para.len)) {
            sbuf t = r->title;      /* swap: no copy */
            r->title = r->para;
            r->para = t;
            r->have_title = 1;
            continue;
        }
        doc->id = ulong_str(++r->ndocs);
        doc->title = r->have_title ? para_title(&r->title) : NULL;
        doc->source = xasprintf("%s:%lu", r->name, first);
        r->have_title = 0;
        if (toolong) {
            doc->error = xasprintf("line %lu: longer than %zu bytes", first, r->max_doc);
        } else {
            take_text(doc, &r->para);
            check_text(doc);
        }
        return 1;
    }
}

/* Page or plain text?  A page has at least two title/abstract pairs (a
 * short paragraph followed by a one-line abstract), and at least three
 * quarters of its abstracts have a title.  Short header paragraphs do not
 * count against it; wrapped prose (multi-line paragraphs), prose with one
 * heading per several paragraphs, and a single "Title\n\nAbstract" file stay
 * text.  Only complete paragraphs in the window count. */
static int looks_like_page(const char *s, size_t n, int complete)
{
    long abstracts = 0, pairs = 0;
    int prev_title = 0;
    size_t i = 0;
    for (;;) {
        while (i < n) {     /* skip blank lines */
            const char *nl = memchr(s + i, '\n', n - i);
            size_t e = nl ? (size_t)(nl - s) : n;
            if (!is_blank(s + i, e - i))
                break;
            i = nl ? e + 1 : n;
        }
        if (i >= n)
            break;
        size_t b = i, e = i;
        int lines = 0, ended = 0;
        while (i < n) {     /* paragraph: lines up to a blank one */
            const char *nl = memchr(s + i, '\n', n - i);
            size_t le = nl ? (size_t)(nl - s) : n;
            if (is_blank(s + i, le - i)) {
                ended = 1;
                break;
            }
            lines++;
            e = le;
            i = nl ? le + 1 : n;
        }
        if (!ended && !complete)
            break;
        int abs = is_abstract(s + b, e - b);
        if (abs) {
            abstracts++;
            if (prev_title && lines == 1)
                pairs++;
        }
        prev_title = !abs;
    }
    return pairs >= 2 && 4 * pairs >= 3 * abstracts;
}

/* ---- text: the whole input is one document ---- */

static int text_next(cs_reader *r, cs_doc *doc, char **err)
{
    if (r->done)
        return 0;
    r->done = 1;
    sbuf t = {0};
    int rc = in_slurp(r, &t, r->max_doc);
    if (rc < 0) {
        sb_free(&t);
        *err = read_error(r);
        return -1;
    }
    doc->id = xstrdup(r->base);
    doc->source = xasprintf("%s:1", r->name);
    if (rc == 0) {
        sb_free(&t);
        doc->error = xasprintf("longer than %zu bytes", r->max_doc);
        return 1;
    }
    take_text(doc, &t);
    check_text(doc);
    return 1;
}

/* ---- jsonl ---- */

/* A JSON id: a string as is, a number formatted; else NULL. */
static char *json_id(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v) && v->valuestring)
        return xstrdup(v->valuestring);
    if (cJSON_IsNumber(v)) {
        char nb[40];
        fmt_num(nb, sizeof nb, v->valuedouble);
        return xstrdup(nb);
    }
    return NULL;
}

/* cJSON ends a string at an escaped NUL (\u0000), silently cutting the text:
 * such a line is refused instead.  Counts backslashes so "\\u0000" passes. */
static int has_nul_escape(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 6 <= n) {
        const char *b = memchr(s + i, '\\', n - 6 - i + 1);
        if (!b)
            break;
        i = (size_t)(b - s);
        if (memcmp(s + i + 1, "u0000", 5) == 0)
            return 1;
        i += 2;     /* the backslash and the character it escapes */
    }
    return 0;
}

/* s[0..n) as one JSON value with only white space after it, or NULL; *end
 * is where cJSON stopped (NULL when it did not say). */
static cJSON *parse_whole(const char *s, size_t n, const char **end)
{
    *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(s, n, end, 0);
    if (v && *end && !is_blank(*end, (size_t)(s + n - *end))) {
        cJSON_Delete(v);
        v = NULL;
    }
    return v;
}

/* Makes the string item v the document's text, taken from the tree, not
 * copied (cJSON allocates with malloc: no hooks are set), so a large
 * document is held once; then checks it. */
static void take_string(cs_doc *doc, cJSON *v)
{
    doc->text = v->valuestring;
    v->valuestring = NULL;
    doc->len = strlen(doc->text);
    check_text(doc);
}

/* The string item holding the text of one JSON Lines object, or NULL and
 * an error message (malloc'd). */
static cJSON *jsonl_text(const cJSON *o, const char *field, unsigned long ln, char **msg)
{
    static const char *const dflt[] = {"abstract", "summary"};
    const char *const *keys = field ? &field : dflt;
    size_t nkeys = field ? 1 : 2;
    const char *wrong = NULL;
    for (size_t i = 0; i < nkeys; i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
        if (cJSON_IsString(v) && v->valuestring)
            return v;
        if (v && !cJSON_IsNull(v) && !wrong)
            wrong = keys[i];
    }
    if (wrong)
        *msg = xasprintf("line %lu: field '%s' is not a string", ln, wrong);
    else if (field)
        *msg = xasprintf("line %lu: no '%s' field", ln, field);
    else
        *msg = xasprintf("line %lu: no 'abstract' or 'summary' field", ln);
    return NULL;
}

static int jsonl_next(cs_reader *r, cs_doc *doc, char **err)
{
    for (;;) {
        int toolong;
        int rc = in_line(r, &r->line, r->max_doc, &toolong);
        if (rc < 0) {
            *err = read_error(r);
            return -1;
        }
        if (rc == 0)
            return 0;
        unsigned long ln = r->lineno;
        const char *s = r->line.s;
        size_t n = r->line.len;
        if (!toolong && is_blank(s, n))
            continue;
        doc->source = xasprintf("%s:%lu", r->name, ln);
        if (toolong) {
            doc->id = ulong_str(ln);
            doc->error = xasprintf("line %lu: longer than %zu bytes", ln, r->max_doc);
            return 1;
        }
        const char *z = memchr(s, '\0', n);
        if (z) {
            doc->id = ulong_str(ln);
            doc->error = xasprintf("line %lu: NUL byte at offset %zu", ln, (size_t)(z - s));
            return 1;
        }
        const char *end;
        cJSON *o = parse_whole(s, n, &end);
        if (!o) {
            doc->id = ulong_str(ln);
            doc->error = xasprintf("line %lu: %s", ln, json_refusal(s, n));
            return 1;
        }
        if (!cJSON_IsObject(o)) {
            cJSON_Delete(o);
            doc->id = ulong_str(ln);
            doc->error = xasprintf("line %lu: not a JSON object", ln);
            return 1;
        }
        doc->id = json_id(o, "id");
        if (!doc->id)
            doc->id = json_id(o, "arxiv_id");
        if (!doc->id)
            doc->id = json_id(o, "doc");
        if (!doc->id)
            doc->id = ulong_str(ln);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "title");
        if (cJSON_IsString(t) && t->valuestring)
            doc->title = xstrdup(t->valuestring);
        char *msg = NULL;
        cJSON *text = jsonl_text(o, r->text_field, ln, &msg);
        if (!text) {
            doc->error = msg;
        } else if (has_nul_escape(s, n)) {
            doc->error = xasprintf("line %lu: NUL byte (\\u0000) in a JSON string", ln);
        } else {
            take_string(doc, text);
        }
        cJSON_Delete(o);
        return 1;
    }
}

/* ---- hf-json: the daily_papers API, one array element at a time ---- */

/* A document for the rest of the file when it cannot be read on: the
 * documents before it are kept. */
static int hfjson_file_error(cs_reader *r, cs_doc *doc, char *msg)
{
    r->done = 1;
    doc->id = xstrdup(r->base);
    doc->source = xstrdup(r->name);
    doc->error = msg;
    return 1;
}

/* The next byte that is not JSON white space, left unread; -1 at the end
 * of input or on a read error. */
static int hf_blank(cs_reader *r)
{
    for (;;) {
        if (r->beg == r->end && !in_fill(r))
            return -1;
        char c = r->buf[r->beg];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return (unsigned char)c;
        r->beg++;
        r->hf_off++;
    }
}

static int hf_malformed(cs_reader *r, cs_doc *doc, size_t off, char **err)
{
    if (r->ioerr) {
        *err = read_error(r);
        return -1;
    }
    return hfjson_file_error(r, doc, xasprintf("%s near byte %zu", json_malformed, off));
}

/* Reads one array element (up to the ',' or ']' after it, which is left
 * unread) into e, keeping at most max bytes: *toolong is set when more were
 * read and dropped, so a hostile element is never held. */
static void hf_element(cs_reader *r, sbuf *e, size_t max, int *toolong)
{
    size_t depth = 0;
    int in_str = 0, esc = 0, stop = 0;
    e->len = 0;
    sb_putn(e, "", 0);
    *toolong = 0;
    while (!stop) {
        if (r->beg == r->end && !in_fill(r))
            break;
        const char *p = r->buf + r->beg;
        size_t n = r->end - r->beg, i;
        for (i = 0; i < n && !stop; i++) {
            char c = p[i];
            if (in_str) {
                if (esc)
                    esc = 0;
                else if (c == '\\')
                    esc = 1;
                else if (c == '"')
                    in_str = 0;
            } else if (c == '"') {
                in_str = 1;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {           /* the array's end: not ours */
                    stop = 1;
                    i--;
                } else if (--depth == 0) {
                    stop = 1;
                }
            } else if (c == ',' && depth == 0) {
                stop = 1;
                i--;
            }
        }
        size_t keep = e->len < max ? (max - e->len < i ? max - e->len : i) : 0;
        if (keep < i)
            *toolong = 1;
        sb_putn(e, p, keep);
        r->beg += i;
        r->hf_off += i;
    }
}

static int hfjson_next(cs_reader *r, cs_doc *doc, char **err)
{
    if (r->done)
        return 0;
    int c = hf_blank(r);
    if (!r->hf_started) {
        if (c != '[') {
            if (c >= 0 && strchr("{\"-0123456789tfn", c))
                return hfjson_file_error(r, doc, xstrdup("not a JSON array"));
            return hf_malformed(r, doc, r->hf_off, err);
        }
        r->beg++;
        r->hf_off++;
        r->hf_started = 1;
        c = hf_blank(r);
    } else if (c == ',') {
        r->beg++;
        r->hf_off++;
        c = hf_blank(r);
        if (c == ']')                               /* "[1,]" */
            return hf_malformed(r, doc, r->hf_off, err);
    } else if (c != ']') {
        return hf_malformed(r, doc, r->hf_off, err);
    }
    if (c == ']') {
        r->beg++;
        r->hf_off++;
        if (hf_blank(r) >= 0)                       /* something after the array */
            return hf_malformed(r, doc, r->hf_off, err);
        if (r->ioerr) {
            *err = read_error(r);
            return -1;
        }
        r->done = 1;
        return 0;
    }
    if (c < 0)
        return hf_malformed(r, doc, r->hf_off, err);

    size_t at = r->hf_off;
    int toolong;
    hf_element(r, &r->line, r->max_doc, &toolong);
    if (r->ioerr) {
        *err = read_error(r);
        return -1;
    }
    long i = r->idx++;
    const char *s = r->line.s;
    size_t n = r->line.len;
    const char *z = toolong ? NULL : memchr(s, '\0', n);    /* cJSON would cut a string there */
    if (toolong || z) {
        doc->source = xasprintf("%s[%ld]", r->name, i);
        doc->id = ulong_str((unsigned long)i + 1);
        doc->error = toolong ? xasprintf("element %ld: longer than %zu bytes", i, r->max_doc)
                             : xasprintf("element %ld: NUL byte at offset %zu", i, (size_t)(z - s));
        return 1;
    }
    const char *end;
    cJSON *e = parse_whole(s, n, &end);
    if (!e) {
        size_t off = end && end >= s && end <= s + n ? (size_t)(end - s) : 0;
        const char *why = json_refusal(s, n);
        return hfjson_file_error(r, doc, why == json_malformed ? xasprintf("%s near byte %zu", why, at + off)
                                                               : xstrdup(why));
    }
    doc->source = xasprintf("%s[%ld]", r->name, i);
    const cJSON *paper = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "paper") : NULL;
    if (!cJSON_IsObject(paper))
        paper = NULL;
    cJSON *sum = cJSON_GetObjectItemCaseSensitive(paper, "summary");
    doc->id = json_id(paper, "id");
    if (!doc->id)
        doc->id = ulong_str((unsigned long)i + 1);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(paper, "title");
    if (cJSON_IsString(t) && t->valuestring)
        doc->title = xstrdup(t->valuestring);
    if (!cJSON_IsObject(e)) {
        doc->error = xasprintf("element %ld: not a JSON object", i);
    } else if (!cJSON_IsString(sum) || !sum->valuestring) {
        doc->error = xasprintf("element %ld: no paper.summary string", i);
    } else if (has_nul_escape(s, n)) {
        doc->error = xasprintf("element %ld: NUL byte (\\u0000) in a JSON string", i);
    } else {
        take_string(doc, sum);
    }
    cJSON_Delete(e);
    return 1;
}

/* ---- open / next / close ---- */

/* The format of the input from its first bytes: '[' then '{' or ']' is an
 * hf-json array, '{' then '"' or '}' a JSON Lines file; else a page when it
 * looks like one (looks_like_page), else text. */
static cs_infmt detect(cs_reader *r)
{
    in_peek(r, DETECT_WINDOW);
    const char *s = r->buf + r->beg;
    size_t n = r->end - r->beg;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i < n && (s[i] == '[' || s[i] == '{')) {
        char open = s[i];
        size_t j = i + 1;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        if (open == '[' && (j == n || s[j] == '{' || s[j] == ']'))
            return FMT_HFJSON;
        if (open == '{' && (j == n || s[j] == '"' || s[j] == '}'))
            return FMT_JSONL;
    }
    return looks_like_page(s, n, r->eof) ? FMT_PAGE : FMT_TEXT;
}

int reader_open(const char *path, cs_infmt fmt, const char *text_field, size_t max_doc,
                cs_reader **out, char **err)
{
    *out = NULL;
    FILE *f = stdin;
    int own = 0;
    if (path && strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (!f) {
            *err = xasprintf("cannot open '%s': %s", path, strerror(errno));
            return -1;
        }
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
            fclose(f);
            *err = xasprintf("cannot open '%s': %s", path, strerror(EISDIR));
            return -1;
        }
        own = 1;
    } else {
        path = "stdin";
    }
    cs_reader *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->own = own;
    r->name = xstrdup(path);
    const char *slash = strrchr(path, '/');
    r->base = xstrdup(slash && slash[1] ? slash + 1 : path);
    r->text_field = text_field ? xstrdup(text_field) : NULL;
    r->max_doc = max_doc ? max_doc : READ_MAX_DOC_DEFAULT;

    in_peek(r, 3);
    if (r->end - r->beg >= 3 && memcmp(r->buf + r->beg, "\xEF\xBB\xBF", 3) == 0)
        r->beg += 3;    /* a byte order mark is not text */
    r->fmt = fmt == FMT_AUTO ? detect(r) : fmt;
    if (r->ioerr) {
        *err = read_error(r);
        reader_close(r);
        return -1;
    }
    *out = r;
    return 0;
}

int reader_next(cs_reader *r, cs_doc *doc, char **err)
{
    switch (r->fmt) {
    case FMT_PAGE:
        return page_next(r, doc, err);
    case FMT_HFJSON:
        return hfjson_next(r, doc, err);
    case FMT_JSONL:
        return jsonl_next(r, doc, err);
    case FMT_TEXT:
    default:
        return text_next(r, doc, err);
    }
}

void reader_close(cs_reader *r)
{
    if (!r)
        return;
    if (r->own)
        fclose(r->f);
    free(r->name);
    free(r->base);
    free(r->text_field);
    free(r->buf);
    sb_free(&r->line);
    sb_free(&r->para);
    sb_free(&r->title);
    free(r);
}
