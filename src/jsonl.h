/* jsonl.h: reading claims tables and gold files (JSON Lines), with errors
 * that name the place ("claimscan: FILE:LINE: claims[2]: message"), and the
 * doc order and quoting their listings share.  Used by `eval` and `diff`.
 *
 *     static int on_line(void *ud, const cJSON *o, jl_loc *at) { ... }
 *     if (jl_read(path, &state, on_line)) return CS_EXIT_USAGE;
 */
#ifndef JSONL_H
#define JSONL_H

#include "cs.h"

#include <cJSON.h>

/* Where a line came from; where is "" or a prefix such as "claims[2]: ". */
typedef struct jl_loc {
    const char *file;
    size_t line;
    char where[48];
} jl_loc;

/* Prints "claimscan: FILE:LINE: <where><fmt with arg>" and returns -1. */
int jl_error(const jl_loc *at, const char *fmt, const char *arg);

/* Calls fn for each non-blank line of path ("-" = stdin, named "<stdin>")
 * parsed as one JSON object (a UTF-8 BOM on line 1 is skipped).  Stops at the
 * first line that is not, or at the first nonzero return of fn.  Returns 0,
 * or -1 after an error was reported. */
typedef int (*jl_line_fn)(void *ud, const cJSON *o, jl_loc *at);
int jl_read(const char *path, void *ud, jl_line_fn fn);

/* Typed fields; each returns 0, or -1 after reporting what is wrong.
 * A string absent or null gives NULL (an error when required; malloc'd
 * otherwise); a number absent or null gives NAN; a byte offset (a whole
 * number >= 0) absent or null gives -1; kind must name a cs_kind. */
int jl_get_str(const cJSON *o, const char *name, int required, char **out, const jl_loc *at);
int jl_get_num(const cJSON *o, const char *name, double *out, const jl_loc *at);
int jl_get_off(const cJSON *o, const char *name, long *out, const jl_loc *at);
int jl_get_kind(const cJSON *o, int *kind, const jl_loc *at);

/* Doc ids in a natural order: all-digit ids first, numerically ("2" before
 * "10"), then every other id (arXiv ids, names) as strings.  A total order,
 * zero only for equal strings. */
int jl_doc_cmp(const char *a, const char *b);

/* A number as fmt_num() writes it; a string as a JSON string literal ("null"
 * for NULL), so that spans with quotes or newlines stay on one line. */
void jl_put_num(sbuf *b, double v);
void jl_put_quoted(sbuf *b, const char *s);

#endif
