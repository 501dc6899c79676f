/* extract.h: the whole extraction pipeline behind one call, for `extract`
 * and for commands that extract documents on the fly (report, plot). */
#ifndef EXTRACT_H
#define EXTRACT_H

#include "cs.h"

typedef enum { FMT_AUTO, FMT_PAGE, FMT_HFJSON, FMT_JSONL, FMT_TEXT } cs_infmt;

typedef struct extract_opts {
    const char *rules_dir;    /* NULL: $CLAIMSCAN_RULES, else rules/ beside the binary, else ./rules */
    cs_infmt infmt;           /* FMT_AUTO: detected per file from its content */
    const char *text_field;   /* JSON Lines: field holding the text (NULL: abstract/summary) */
    int jobs;                 /* worker threads, 0 = number of cores */
    int quiet;
} extract_opts;

/* Called once per document, in input order, from the calling thread.  The
 * document and result are valid only during the call.  A non-zero return
 * stops the run. */
typedef int (*extract_cb)(const cs_doc *doc, const cs_result *res, void *ud);

/* Loads and compiles the rules once, reads every file ("-" = stdin) and calls
 * cb for every document.  Returns a CS_EXIT_* status: CS_EXIT_RULES when the
 * rules do not load, CS_EXIT_USAGE when a file cannot be opened,
 * CS_EXIT_DOCERR when some document carried an error. */
int extract_run(const extract_opts *o, char **files, int nfiles, extract_cb cb, void *ud);

struct ruleset;

/* Loads the rule set of dir (NULL: the default, as above).  Returns 0, or -1
 * after printing the errors. */
int extract_load_rules(const char *dir, struct ruleset **out);

/* extract_run with a rule set already loaded (check runs several inputs). */
int extract_run_with(const struct ruleset *rs, const extract_opts *o, char **files, int nfiles,
                     extract_cb cb, void *ud);

/* Hash (hex) of the rule set last loaded by extract_run, for provenance. */
const char *extract_rules_hash(void);

#endif
