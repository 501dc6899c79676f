/* jsonl.c: reading claims tables and gold files line by line, with errors
 * that name FILE:LINE, and the formatting their listings share (jsonl.h). */
#include "jsonl.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int jl_error(const jl_loc *at, const char *fmt, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    cs_error("%s:%zu: %s%s", at->file, at->line, at->where, msg);
    return -1;
}

/* A string field: absent or null gives NULL unless required. */
int jl_get_str(const cJSON *o, const char *name, int required, char **out, const jl_loc *at)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v || (cJSON_IsNull(v) && !required)) {
        if (required)
            return jl_error(at, "missing field '%s'", name);
        return 0;
    }
    if (!cJSON_IsString(v) || !v->valuestring)
        return jl_error(at, "field '%s' is not a string", name);
    *out = xstrdup(v->valuestring);
    return 0;
}

/* A number field: absent or null gives NAN. */
int jl_get_num(const cJSON *o, const char *name, double *out, const jl_loc *at)
{
    *out = NAN;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v))
        return jl_error(at, "field '%s' is not a number", name);
    *out = v->valuedouble;
    return 0;
}

/* A byte offset: absent or null gives -1. */
int jl_get_off(const cJSON *o, const char *name, long *out, const jl_loc *at)
{
    *out = -1;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v || cJSON_IsNull(v))
        return 0;
    double d = v->valuedouble;
    if (!cJSON_IsNumber(v) || d < 0 || d > (double)LONG_MAX / 2 || d != floor(d))
        return jl_error(at, "field '%s' is not a byte offset", name);
    *out = (long)d;
    return 0;
}

int jl_get_kind(const cJSON *o, int *kind, const jl_loc *at)
{
    char *s;
    if (jl_get_str(o, "kind", 1, &s, at))
        return -1;
    *kind = cs_kind_parse(s);
    int rc = *kind < 0 ? jl_error(at, "unknown kind '%s'", s) : 0;
    free(s);
    return rc;
}

/* Calls fn for each non-blank line of path ("-" = stdin) parsed as a JSON
 * object.  Returns 0, or -1 after an error was reported. */
int jl_read(const char *path, void *ud, jl_line_fn fn)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cs_error("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    jl_loc at = {is_stdin ? "<stdin>" : path, 0, ""};
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&buf, &cap, f)) >= 0) {
        at.line++;
        at.where[0] = '\0';
        const char *s = buf;
        size_t len = (size_t)n;
        if (at.line == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
            s += 3;
            len -= 3;
        }
        size_t k = 0;
        while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n'))
            k++;
        if (k == len)
            continue;
        const char *end = NULL;
        cJSON *o = cJSON_ParseWithLengthOpts(s, len, &end, 0);
        if (o && end) {
            while (end < s + len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
                end++;
            if (end != s + len) {
                cJSON_Delete(o);
                o = NULL;
            }
        }
        if (!o)
            rc = jl_error(&at, "%s", json_refusal(s, len));
        else if (!cJSON_IsObject(o))
            rc = jl_error(&at, "%s", "not a JSON object");
        else
            rc = fn(ud, o, &at);
        cJSON_Delete(o);
    }
    if (rc == 0 && ferror(f)) {
        cs_error("cannot read '%s': %s", at.file, strerror(errno));
        rc = -1;
    }
    free(buf);
    if (!is_stdin)
        fclose(f);
    return rc;
}

/* Doc ids in a natural order: all-digit ids first, numerically ("2" before
 * "10"), then every other id (arXiv ids, names) as strings.  A total order. */
static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int jl_doc_cmp(const char *a, const char *b)
{
    int da = all_digits(a), db = all_digits(b);
    if (da != db)
        return da ? -1 : 1;
    if (da) {
        const char *x = a, *y = b;
        while (*x == '0' && x[1])
            x++;
        while (*y == '0' && y[1])
            y++;
        size_t nx = strlen(x), ny = strlen(y);
        if (nx != ny)
            return nx < ny ? -1 : 1;
        int c = strcmp(x, y);
        if (c)
            return c;
    }
    return strcmp(a, b);
}

void jl_put_num(sbuf *b, double v)
{
    char num[40];
    fmt_num(num, sizeof num, v);
    sb_puts(b, num);
}

/* A string as a JSON string literal (so spans with quotes stay one line). */
void jl_put_quoted(sbuf *b, const char *s)
{
    if (!s) {
        sb_puts(b, "null");
        return;
    }
    sb_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)c);
        } else if (c == '\n') {
            sb_puts(b, "\\n");
        } else if (c < 0x20) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}
