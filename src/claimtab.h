/* claimtab.h: a claims table in memory, shared by `report` and `plot`.
 *
 * It is loaded from any mix of inputs: claims JSON Lines written by
 * `extract` ("record": "claim" | "hardware" | "document"), a SQLite store
 * (store.h), or documents, which are extracted on the fly.  Every claim and
 * hardware mention points at its document by index, so documents with the
 * same 1-based id in different inputs never mix. */
#ifndef CLAIMTAB_H
#define CLAIMTAB_H

#include "cs.h"

typedef struct ct_doc {
    char *doc;          /* id as written */
    char *key;          /* unique key, see ct_doc_key() */
    char *label;        /* how reports name it: doc, or "file#doc" when ids collide */
    char *title, *source, *error;
    long nclaims;       /* as declared by the document record, -1 = unknown */
    int dead;           /* replaced by a later input holding the same key */
} ct_doc;

typedef struct ct_claim {
    size_t d;           /* index into claimtab.docs */
    int kind;           /* cs_kind */
    double value, lo, hi, factor, norm;     /* NAN = null */
    char *unit, *norm_unit, *qualifier, *hardware, *baseline, *subject, *text, *rule;
    long start, end;    /* -1 = unknown */
} ct_claim;

typedef struct ct_hw {
    size_t d;
    char *hardware, *hwclass, *vendor, *text;
    long long count;    /* -1 = null */
    long start, end;
} ct_hw;

typedef struct claimtab {
    ct_doc *docs;
    size_t ndocs, docs_cap;
    ct_claim *claims;
    size_t nclaims, claims_cap;
    ct_hw *hw;
    size_t nhw, hw_cap;
} claimtab;

/* What the input options of `report` and `plot` hold. */
typedef struct ct_inputs {
    const char *db;         /* --db FILE, or NULL */
    const char *rules_dir;  /* --rules DIR for documents extracted on the fly */
    char **files;
    int nfiles;
} ct_inputs;

/* Loads every input into t (which starts zeroed).  Returns a CS_EXIT_* status;
 * errors are printed.  Claims of unknown kind are skipped with a warning. */
int claimtab_load(claimtab *t, const ct_inputs *in);
void claimtab_free(claimtab *t);

/* Appending records, for loaders (store.c).  Numbers start NAN, offsets and
 * counts -1.  claimtab_resolve() then marks replaced documents dead and names
 * documents; claimtab_load() calls it. */
size_t claimtab_add_doc(claimtab *t, const char *doc, const char *source);
ct_claim *claimtab_add_claim(claimtab *t, size_t d);
ct_hw *claimtab_add_hw(claimtab *t, size_t d);
void claimtab_resolve(claimtab *t);

/* Appends one extracted document and its result (for documents read on the
 * fly).  The caller's strings are copied. */
void claimtab_add_result(claimtab *t, const cs_doc *doc, const cs_result *res);

/* The key a document is stored under.  An id holding anything but digits
 * (an arXiv id, a DOI) names the paper wherever it appears, so it is the key
 * and a later copy replaces an earlier one.  An all-digit id is a 1-based
 * position in its input, so the key is "<source file>#<id>".  Malloc'd. */
char *ct_doc_key(const char *doc, const char *source);

/* Class and vendor of a canonical hardware name, from the hardware records
 * (the first record naming it wins); NULL when no record names it. */
const ct_hw *claimtab_hw_info(const claimtab *t, const char *hardware);

/* Does claim c count in statistics?  Live document, kind matching kindf
 * (-1 = any), and about the paper's own system (numbers a paper reports for
 * a competitor, subject "baseline", are listed but never aggregated). */
int ct_claim_counts(const claimtab *t, const ct_claim *c, int kindf);

/* The factor of the low end of a range claim (ratio kinds), derived the way
 * the schema derives `factor` from `hi`; factor itself when not a range. */
double ct_lo_factor(const ct_claim *c);

/* Median of v[0..n) (sorts v); NAN when n = 0. */
double ct_median(double *v, size_t n);

/* One group of claims (per hardware, per kind, per baseline) with the
 * statistics reports and plots share. */
typedef struct ct_group {
    char *name;             /* hardware, baseline, ... ("" = none) */
    size_t *idx;            /* claim indexes, in table order */
    size_t n, cap;
    double median;          /* of the values the grouping was asked for */
} ct_group;

/* Groups the counting claims of kind kindf (-1 = all) by hardware; claims
 * with no hardware form a group named "".  Sorted by ascending median factor
 * (ratio kinds) or norm (absolute), "" last; norm_unit restricts absolute
 * claims to one base unit (NULL = any). */
ct_group *ct_group_by_hardware(const claimtab *t, int kindf, const char *norm_unit, size_t *ngroups);
void ct_groups_free(ct_group *g, size_t n);

/* The number a claim is compared by: factor for ratio kinds, norm otherwise. */
double ct_claim_num(const ct_claim *c);

/* Plots, written by cmd_plot.c and embedded by `report --format html`.
 * Writes <name>.dat, <name>.gp and <name>.<format> for every plot that has
 * data into dir, and runs gnuplot on each.  Returns 0; -1 after printing an
 * error (a file not written, gnuplot failing); -2, printing nothing, when
 * gnuplot is not installed (the .dat and .gp files are written).  When names is not NULL it receives
 * the image file names written (malloc'd array of malloc'd strings). */
int plot_write_all(const claimtab *t, const char *dir, const char *format, int kindf,
                   char ***names, size_t *nnames);

#endif
