/* cs.h: the records every claimscan module shares.
 *
 * Data flows one way: reader -> cs_doc -> scanner -> cs_result (claims and
 * hardware mentions) -> writer.  Field names and vocabulary follow
 * ../shared/claims-schema.md (copied as docs in README); a missing value is NAN
 * for numbers and NULL for strings, written as JSON null. */
#ifndef CS_H
#define CS_H

#include <math.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses, documented in --help and the README. */
enum {
    CS_EXIT_OK = 0,        /* success */
    CS_EXIT_DOCERR = 1,    /* some documents (or gates) failed */
    CS_EXIT_USAGE = 2,     /* bad command line, unreadable input file */
    CS_EXIT_RULES = 3      /* rule files could not be loaded */
};

/* Claim kinds, in schema order.  Ratio kinds first. */
typedef enum {
    K_SPEEDUP,
    K_MEMORY_REDUCTION,
    K_ENERGY_GAIN,
    K_COST_REDUCTION,
    K_THROUGHPUT,
    K_LATENCY,
    K_MEMORY,
    K_POWER,
    K_EFFICIENCY,
    K__COUNT
} cs_kind;

#define CS_KIND_IS_RATIO(k) ((k) <= K_COST_REDUCTION)

typedef enum {
    Q_EXACT,
    Q_UP_TO,
    Q_AVERAGE,
    Q_GEOMEAN,
    Q_AT_LEAST,
    Q_AT_MOST,
    Q_ABOUT,
    Q__COUNT
} cs_qual;

const char *cs_kind_name(int kind);     /* "speedup", ... */
int cs_kind_parse(const char *s);       /* -1 when unknown */
const char *cs_qual_name(int q);        /* "up_to", ... */
int cs_qual_parse(const char *s);       /* -1 when unknown */

/* One document as a reader yields it.  All strings are malloc'd and owned by
 * the document; text is NUL-terminated, len excludes the NUL.  When error is
 * set the document could not be read (text may be NULL) and it still gets a
 * document record so that nothing read is silently dropped. */
typedef struct cs_doc {
    char *id;
    char *title;
    char *text;
    size_t len;
    char *source;   /* "file:line" or "file[index]" */
    char *error;    /* NULL, or why the document could not be read */
} cs_doc;

void cs_doc_clear(cs_doc *d);   /* frees the fields, leaves a zeroed doc */

/* One claim record.  Offsets are bytes into cs_doc.text, end exclusive. */
typedef struct cs_claim {
    int kind;
    double value, lo, hi;        /* NAN = null */
    const char *unit;            /* canonical spelling (static / rule-owned) */
    double factor;               /* ratio kinds only, else NAN */
    double norm;                 /* absolute kinds only, else NAN */
    const char *norm_unit;       /* absolute kinds only, else NULL */
    int qualifier;               /* cs_qual */
    const char *hardware;        /* canonical name owned by the catalog, or NULL */
    char *baseline;              /* malloc'd, or NULL */
    int subject_baseline;        /* 0: "self", 1: "baseline" */
    size_t start, end;           /* span of text */
    size_t vstart, vend;         /* span of the number itself (internal) */
    const char *rule;            /* rule id owned by the rule set */
} cs_claim;

/* One hardware mention (first mention of each distinct hardware). */
typedef struct cs_hw {
    const char *hardware;        /* canonical name, owned by the catalog */
    const char *vendor;
    const char *hwclass;         /* "gpu", "fpga", ... */
    long long count;             /* -1 = null */
    size_t start, end;
    int as_baseline;             /* internal: named as what is compared against */
    int in_title;                /* named only in the title: text is the title's, start/end are null */
} cs_hw;

typedef struct cs_result {
    cs_claim *claims;
    size_t nclaims, claims_cap;
    cs_hw *hw;
    size_t nhw, hw_cap;
} cs_result;

void cs_result_clear(cs_result *r);         /* frees owned strings, keeps arrays */
void cs_result_free(cs_result *r);
cs_claim *cs_result_add_claim(cs_result *r);    /* zeroed, numbers NAN */
cs_hw *cs_result_add_hw(cs_result *r);

/* Every string that xstrndup/xstrdup or an sbuf makes has CS_SLACK zero
 * bytes after its NUL: PCRE2's JIT code reads ahead in whole vector words
 * (up to 16 bytes past the subject's end), and a document or title is
 * scanned where it was read. */
#define CS_SLACK 64

/* util.c */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cs_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* "claimscan: ...\n" on stderr */
void cs_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;
void sb_putc(sbuf *b, char c);
void sb_putn(sbuf *b, const char *s, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(sbuf *b);

/* Reads a whole file ("-" = stdin), NUL-terminated; NULL after printing
 * "claimscan: cannot open/read 'path': ..." on stderr. */
char *read_file(const char *path, size_t *len);

/* Validates UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
 * Returns -1 when valid, else the byte offset of the first bad byte. */
long utf8_invalid_at(const char *s, size_t n);
/* Why cJSON refused s[0..n): "JSON nested deeper than N levels" when its
 * arrays and objects go deeper than cJSON's limit, else json_malformed
 * ("malformed JSON", the same pointer, so a caller can tell the two). */
extern const char json_malformed[];
const char *json_refusal(const char *s, size_t n);

/* Whether a regex means the same inside a larger alternation as alone:
 * no numbered or named back reference, condition, subroutine call or
 * recursion (they would point at other groups there), no backtracking
 * verb (it would stop the alternatives after it) and no callout of its own.
 * Conservative: escaped or inside a class, these still count.  Used to
 * join rules into prefilters and catalog aliases into one pass. */
int regex_joinable(const char *src);

/* Formats a double as JSON would want it: shortest "%.15g"/"%.17g" form that
 * round-trips; "null" for NAN or infinities.  Deterministic. */
void fmt_num(char *buf, size_t size, double v);

#endif
