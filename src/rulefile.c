/* rulefile.c: reads the shared line format of rule and catalog files. */
#include "rulefile.h"
#include "cs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int rf_read(const char *path, rf_file *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        cs_error("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    out->path = xstrdup(path);
    size_t cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    int lineno = 0, rc = 0;
    while ((n = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        if (memchr(line, '\0', (size_t)n)) {
            fprintf(stderr, "%s:%d: error: NUL byte in rule file\n", path, lineno);
            rc = -1;
            break;
        }
        if (utf8_invalid_at(line, (size_t)n) >= 0) {
            fprintf(stderr, "%s:%d: error: invalid UTF-8\n", path, lineno);
            rc = -1;
            break;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        char *k = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t klen = (size_t)(p - k);
        while (*p == ' ' || *p == '\t')
            p++;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            out->lines = xrealloc(out->lines, cap * sizeof *out->lines);
        }
        rf_line *l = &out->lines[out->n++];
        l->lineno = lineno;
        l->indented = k != line;
        l->key = xstrndup(k, klen);
        l->val = xstrdup(p);
    }
    if (rc == 0 && ferror(f)) {
        cs_error("cannot read '%s': %s", path, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc)
        rf_free(out);
    return rc;
}

void rf_free(rf_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->lines[i].key);
        free(f->lines[i].val);
    }
    free(f->lines);
    free(f->path);
    memset(f, 0, sizeof *f);
}

static int is_macro_name(const char *s, size_t n)
{
    if (n == 0 || !(isupper((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static int expand(const rf_macros *m, const char *pat, char **out, unsigned char *used, char **err);

int rf_expand(const rf_macros *m, const char *pat, char **out, char **err)
{
    return expand(m, pat, out, NULL, err);
}

int rf_expand_calls(const rf_macros *m, const char *pat, char **out, char **err)
{
    unsigned char *used = xcalloc(m->n + 1, 1);
    char *body;
    if (expand(m, pat, &body, used, err)) {
        free(used);
        return -1;
    }
    sbuf b = {0};
    sb_puts(&b, body);
    free(body);
    int any = 0;
    for (size_t i = 0; i < m->n; i++)
        if (used[i]) {
            sb_printf(&b, "%s(?<csm%zu>%s)", any ? "" : "(?(DEFINE)", i, m->vals[i]);
            any = 1;
        }
    if (any)
        sb_putc(&b, ')');
    free(used);
    *out = b.s ? b.s : xstrdup("");
    return 0;
}

/* Expands {NAME}: inline in a group, or, with used, as a call "(?&csmN)"
 * of the definition N (marked in used). */
static int expand(const rf_macros *m, const char *pat, char **out, unsigned char *used, char **err)
{
    sbuf b = {0};
    const char *p = pat;
    while (*p) {
        if (*p == '\\' && p[1]) {       /* an escaped char, e.g. \{ stays as is */
            const char *e;
            if (strchr("xopPNgk", p[1]) && p[2] == '{' && (e = strchr(p + 3, '}'))) {
                sb_putn(&b, p, (size_t)(e - p + 1));   /* \x{2009}, \p{L}, \g{-1} */
                p = e + 1;
                continue;
            }
            sb_putn(&b, p, 2);
            p += 2;
            continue;
        }
        if (*p == '{') {
            const char *e = strchr(p + 1, '}');
            if (e && is_macro_name(p + 1, (size_t)(e - p - 1))) {
                size_t n = (size_t)(e - p - 1);
                size_t i;
                for (i = 0; i < m->n; i++)
                    if (strlen(m->names[i]) == n && !memcmp(m->names[i], p + 1, n))
                        break;
                if (i == m->n) {
                    *err = xasprintf("unknown macro {%.*s}", (int)n, p + 1);
                    sb_free(&b);
                    return -1;
                }
                if (used) {
                    used[i] = 1;
                    sb_printf(&b, "(?&csm%zu)", i);
                } else {
                    sb_puts(&b, "(?:");
                    sb_puts(&b, m->vals[i]);
                    sb_putc(&b, ')');
                }
                p = e + 1;
                continue;
            }
        }
        sb_putc(&b, *p++);
    }
    *out = b.s ? b.s : xstrdup("");
    return 0;
}

int rf_define(rf_macros *m, const char *name, const char *val, char **err)
{
    if (!is_macro_name(name, strlen(name))) {
        *err = xasprintf("macro name '%s' must be upper case letters, digits and _", name);
        return -1;
    }
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->names[i], name)) {
            *err = xasprintf("macro '%s' defined twice", name);
            return -1;
        }
    char *exp;
    if (rf_expand(m, val, &exp, err))
        return -1;
    m->names = xrealloc(m->names, (m->n + 1) * sizeof *m->names);
    m->vals = xrealloc(m->vals, (m->n + 1) * sizeof *m->vals);
    m->names[m->n] = xstrdup(name);
    m->vals[m->n] = exp;
    m->n++;
    return 0;
}

void rf_macros_free(rf_macros *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->names[i]);
        free(m->vals[i]);
    }
    free(m->names);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Reads a quoted string at *pp (which points at the opening quote). */
static int read_quoted(const char **pp, char **out, char **err)
{
    const char *p = *pp + 1;
    sbuf b = {0};
    for (;;) {
        if (*p == '\0') {
            *err = xstrdup("unterminated quoted string");
            sb_free(&b);
            return -1;
        }
        if (*p == '"')
            break;
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
            sb_putc(&b, p[1]);
            p += 2;
            continue;
        }
        sb_putc(&b, *p++);
    }
    *pp = p + 1;
    *out = b.s ? b.s : xstrdup("");
    return 0;
}

int rf_parse_example(const char *val, rf_example *ex, char **err)
{
    memset(ex, 0, sizeof *ex);
    const char *p = val;
    if (*p != '"') {
        *err = xstrdup("example text must be a quoted string");
        return -1;
    }
    if (read_quoted(&p, &ex->text, err))
        return -1;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *k = p;
        while (*p && *p != '=' && *p != ' ' && *p != '\t')
            p++;
        if (*p != '=' || p == k) {
            *err = xasprintf("expected key=value after the example text, at '%.20s'", k);
            rf_example_free(ex);
            return -1;
        }
        char *key = xstrndup(k, (size_t)(p - k));
        p++;
        char *v;
        if (*p == '"') {
            if (read_quoted(&p, &v, err)) {
                free(key);
                rf_example_free(ex);
                return -1;
            }
        } else {
            const char *s = p;
            while (*p && *p != ' ' && *p != '\t')
                p++;
            v = xstrndup(s, (size_t)(p - s));
        }
        ex->keys = xrealloc(ex->keys, (ex->nkv + 1) * sizeof *ex->keys);
        ex->vals = xrealloc(ex->vals, (ex->nkv + 1) * sizeof *ex->vals);
        ex->keys[ex->nkv] = key;
        ex->vals[ex->nkv] = v;
        ex->nkv++;
    }
    return 0;
}

void rf_example_free(rf_example *ex)
{
    free(ex->text);
    for (size_t i = 0; i < ex->nkv; i++) {
        free(ex->keys[i]);
        free(ex->vals[i]);
    }
    free(ex->keys);
    free(ex->vals);
    memset(ex, 0, sizeof *ex);
}
