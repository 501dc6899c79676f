/* scan.h: a per-thread scanner over a shared, immutable rule set. */
#ifndef SCAN_H
#define SCAN_H

#include "cs.h"
#include "rules.h"

typedef struct scanner scanner;

scanner *scanner_new(const ruleset *rs);
void scanner_free(scanner *s);      /* accepts NULL */

/* Finds the claims and hardware of one document (text: valid UTF-8, len
 * bytes) and appends them to out, claims in text order.  Returns 0, or -1
 * when a rule hit the PCRE2 match or depth limit: *err then names the rule
 * (malloc'd); the other rules' findings are still in out. */
int scan_doc(scanner *s, const char *text, size_t len, cs_result *out, char **err);

/* Runs every rule's example and counter lines through the whole engine.
 * Prints each failure as "file:line: ..." with expected and got to f;
 * returns the number of failures and sets *npassed. */
int scan_check_examples(scanner *s, FILE *f, int *npassed);

#endif
