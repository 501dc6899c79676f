/* eval.h: score a claims table (extractor output) against a gold file, as
 * ../shared/claims-schema.md "How a prediction is scored against gold" says.
 * Used by `claimscan eval` and, as a CI gate, by `claimscan check`.
 *
 *     eval_scores s;
 *     int rc = eval_files("gold.jsonl", "claims.jsonl", &s, verbose ? stdout : NULL);
 *     if (rc == CS_EXIT_OK) {
 *         eval_print_text(stdout, &s);
 *         bad = eval_gates_check(&s, gates, ngates, stderr);
 *     }
 *
 * eval_scores owns no memory: nothing to free. */
#ifndef EVAL_H
#define EVAL_H

#include "cs.h"

#include <cJSON.h>

/* True/false positives and false negatives of one table (or one kind). */
typedef struct eval_prf {
    size_t tp, fp, fn;
} eval_prf;

/* Precision, recall and F1.  A denominator of 0 gives 1.0 when the table is
 * empty on both sides (tp = fp = fn = 0: nothing to find, nothing found) and
 * 0.0 otherwise; F1 = 2tp / (2tp + fp + fn). */
double eval_precision(const eval_prf *c);
double eval_recall(const eval_prf *c);
double eval_f1(const eval_prf *c);

/* Attributes compared on matched claim pairs, in display order. */
enum {
    EA_FACTOR,      /* ratio kinds: within 0.5% relative, null == null */
    EA_UNIT,        /* absolute kinds: exact string */
    EA_QUALIFIER,   /* exact string, null == null */
    EA_HARDWARE,    /* null == null, else same name or family (eval_hw_match) */
    EA_BASELINE,    /* null == null, else case-insensitive, one containing the other */
    EA__COUNT
};
const char *eval_attr_name(int a);      /* "factor", ... */

typedef struct eval_attr {
    size_t agree, total;    /* share = agree / total; total 0 = not applicable */
} eval_attr;

typedef struct eval_scores {
    eval_prf claims;                /* all kinds together */
    eval_prf kind[K__COUNT];        /* per kind; a kind "appears" when tp+fp+fn > 0 */
    size_t matched;                 /* = claims.tp */
    eval_attr attr[EA__COUNT];
    eval_prf hardware;              /* hardware mentions */
    size_t gold_docs;               /* lines of the gold file */
    size_t pred_docs;               /* document records among the predictions */
    size_t pred_doc_errors;         /* ... of which carry a non-null "error" */
    size_t gold_docs_unseen;        /* gold docs with no document record (when any document record was read) */
    size_t unknown_docs;            /* distinct predicted docs not in the gold (not scored) */
    size_t unknown_records;         /* claim/hardware records for them */
} eval_scores;

/* Reads the gold and the predictions ("-" = stdin, for one of them at most),
 * matches and counts.  Errors (unopenable file, malformed JSON, a missing or
 * mistyped field, an unknown kind) are reported as "claimscan: FILE:LINE:
 * message" on stderr and return CS_EXIT_USAGE; otherwise *out is filled and
 * CS_EXIT_OK is returned.  Predictions for docs not in the gold get one
 * warning on stderr.  When verbose is not NULL, every miss, every extra and
 * every attribute disagreement of a matched pair is written to it, ordered
 * by doc (numeric ids numerically, others as strings) and start offset. */
int eval_files(const char *gold, const char *pred, eval_scores *out, FILE *verbose);

/* The summary as aligned text, scores to 3 decimals. */
void eval_print_text(FILE *f, const eval_scores *s);

/* The summary as a JSON object (scores rounded to 3 decimals, all 9 kinds);
 * the caller owns it (cJSON_Delete). */
cJSON *eval_to_json(const eval_scores *s);

/* Gates: a minimum on one F1.  Scores are compared as printed (rounded to 3
 * decimals), so a gate never fails on a score that prints as its minimum. */
typedef enum { EG_CLAIMS, EG_HARDWARE, EG_KIND } eval_gate_what;
typedef struct eval_gate {
    eval_gate_what what;
    int kind;       /* EG_KIND only */
    double min;
} eval_gate;

/* Parses the argument of --min-f1 / --min-hardware-f1 (what = EG_CLAIMS /
 * EG_HARDWARE: "0.9") or --min-kind-f1 (EG_KIND: "speedup=0.9").  Returns 0,
 * or -1 after printing why on stderr. */
int eval_gate_parse(eval_gate *g, eval_gate_what what, const char *arg);

/* The F1 a gate looks at, and whether it passes. */
double eval_gate_value(const eval_scores *s, const eval_gate *g);
int eval_gate_ok(const eval_scores *s, const eval_gate *g);

/* Checks every gate; for each failing one writes "claimscan: gate failed:
 * ..." to err (when not NULL).  Returns the number that failed. */
int eval_gates_check(const eval_scores *s, const eval_gate *g, size_t n, FILE *err);

/* The schema's family rule: equal, or the shorter name (at least two words)
 * is the first words of the other; whole words, case-insensitive.
 * "Raspberry Pi" ~ "Raspberry Pi 5"; "NVIDIA A10" !~ "NVIDIA A100". */
int eval_hw_match(const char *a, const char *b);

#endif
