/* rules.h: a compiled, immutable rule set (YARA's habit: compile once, scan
 * many times; every worker gets a cheap scanner that shares it). */
#ifndef RULES_H
#define RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rulefile.h"
#include "units.h"

struct hwcat;

/* Group names the engine understands in a claim rule's pattern. */
enum {
    G_VALUE,    /* the number */
    G_LO,       /* both ends of a range */
    G_HI,
    G_UNIT,     /* the unit as written, looked up in units.map */
    G_QUAL,     /* a qualifier cue ("up to"), classified by the qualifier blocks */
    G_BASE,     /* what the claim is relative to */
    G_LIST,     /* "1.69times and 1.48times": split into one claim per number */
    G_SPAN,     /* the claim's text, when it is not the whole match */
    G_METRICS,  /* "latency, energy, and area": a kind for each number of the list, in order */
    G__COUNT
};
#define MAX_DUP 24  /* groups of one name (alternatives of a pattern) */

enum { PCT_GAIN, PCT_REDUCTION, PCT_OF };
enum { KIND_AUTO = -2, KIND_NONE = -3, KIND_INHERIT = -4, KIND_METRIC = -5 };

typedef struct rule_example {
    int lineno;
    int positive;
    rf_example ex;
} rule_example;

typedef struct rule {
    char *id;
    char *file;
    int line;
    int kind;               /* cs_kind, or KIND_AUTO (from the unit), KIND_NONE (a trap), KIND_INHERIT */
    int pct;                /* how a percentage becomes a factor */
    int priority;
    int follow;             /* matched anchored right after an accepted claim, inherits its kind */
    int numfirst;           /* "start number": matched anchored at the numstart positions only */
    int cuefirst;           /* "start cue": matched anchored at the cuestart positions only */
    pcre2_code *requires;   /* the claim's sentence must also match this */
    int share;              /* may give a number a second kind ("10x faster and lower energy") */
    int flip;               /* the qualifier bounds the reciprocal: "less than 1/1000 of" -> at_least */
    int subject_baseline;
    int qualifier;          /* fixed qualifier, or -1 */
    const cs_unit *unit;    /* fixed unit when the pattern has no unit group */
    char *source;           /* the pattern after macro expansion */
    char **lines;           /* the pattern lines as written (for the prefilters) */
    size_t nlines;
    pcre2_code *re;
    int groups[G__COUNT][MAX_DUP];  /* group numbers, 0-terminated */
    size_t prefilter;       /* its entry in ruleset.prefilters */
    rule_example *examples;
    size_t nexamples;
} rule;

/* Rules of one start class ("start number", "start cue", or anywhere) whose
 * patterns are joined into one alternation, each line ending in a callout
 * that names its rules and then fails: one call, exploring every line,
 * tells which rules can match (there, or for 'a' anywhere in the sentence),
 * and only those are then tried for their groups.  re is NULL for a rule
 * alone or one that cannot be joined (backreferences, verbs): it is then
 * always tried. */
typedef struct prefilter {
    pcre2_code *re;
    int start;              /* 'n' number, 'c' cue, 'a' anywhere in the sentence */
    uint8_t first[32];      /* bytes a match can start with (all, when PCRE2 cannot say) */
    size_t *rules;          /* indexes into ruleset.rules */
    size_t nrules;
    struct screen *scr;     /* for 'a': where a line can start (screen.h), or NULL */
    pcre2_code *anch;       /* for 'a': re compiled PCRE2_ANCHORED, run where scr says */
    const char *noscreen;   /* for 'a': why there is no screen (for `check`), or NULL */
} prefilter;

/* A context regex with the file:line it came from. */
typedef struct ctx_re {
    pcre2_code *re;
    int qual;               /* for qualifier cues; for metrics, the kind (or KIND_NONE) */
    int pct;                /* for metrics */
    int base_group;         /* for baseline cues: number of the group "base" */
    char *file;
    int line;
    struct screen *scr;     /* where a match can start (screen.h), or NULL: anywhere */
    pcre2_code *anch;       /* re compiled PCRE2_ANCHORED, run where scr says */
    const char *noscreen;   /* why there is no screen (for `check`), or NULL */
} ctx_re;

typedef struct ruleset {
    char *dir;
    rule *rules;
    size_t nrules;
    units units;
    rf_macros macros;
    ctx_re *qual_before, *qual_after, *qual_opens, *baseline;    /* see rules/10-context.rules */
    size_t nqual_before, nqual_after, nqual_opens, nbaseline;
    ctx_re sentence;        /* matches a sentence break */
    ctx_re candidate;       /* a sentence with a digit worth scanning (a number with a unit) */
    ctx_re candidate_words; /* a sentence without a digit worth scanning ("seven times") */
    ctx_re listitem;        /* one number of a G_LIST group: groups value (or lo, hi), unit */
    int listitem_groups[G__COUNT][MAX_DUP];
    ctx_re respectively;    /* a sentence that pairs lists "respectively" */
    ctx_re listsep;         /* the separator between parts of a list (", ", " and ") */
    ctx_re hw_baseline;     /* text before a hardware mention that makes it a baseline */
    ctx_re hw_on;           /* text between a claim and the hardware it ran on */
    ctx_re qual_share;      /* text between two claims that share one qualifier */
    ctx_re numstart;        /* where a number starts (for "start number" rules) */
    ctx_re cuestart;        /* where a cue word starts (for "start cue" rules) */
    ctx_re *metric;         /* "metric KIND PCT REGEX": what a named metric measures */
    size_t nmetric;
    prefilter *prefilters;  /* rules that start alike, tried as one alternation first */
    size_t nprefilters;
    struct hwcat *hw;
    uint32_t match_limit, depth_limit;
    int max_groups;
    char hash[17];
} ruleset;

/* Loads DIR/units.map, DIR/context.rules, every other DIR/NAME.rules (in name
 * order) and DIR/hardware.catalog; compiles and JITs every pattern.  Errors
 * are printed as "file:line: error: ..." (with the PCRE2 offset); returns -1
 * when any. */
int ruleset_load(const char *dir, ruleset **out);
void ruleset_free(ruleset *rs);
const rule *ruleset_find(const ruleset *rs, const char *id);

/* Compiles one pattern for the engine (UTF, JIT); on error prints
 * "file:line: error: offset N: message" and returns NULL. */
pcre2_code *rules_compile(const char *pat, uint32_t flags, const char *file, int line);

#endif
