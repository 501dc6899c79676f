/* scan.h: a per-thread scanner over a shared, immutable rule set. */
#ifndef SCAN_H
#define SCAN_H

#include "cs.h"
#include "rules.h"

typedef struct scanner scanner;

scanner *scanner_new(const ruleset *rs);
void scanner_free(scanner *s);      /* accepts NULL */

/* Limits that keep the memory of one document's scan bounded whatever its
 * text (a document may be up to 8 MiB): a document with more hardware
 * mentions or rule matches (claims, traps, and the numbers two rules both
 * match) is scanned as if it ended before the one that went over, and gets
 * an error saying so; a run of text with no sentence break is scanned in
 * sentences of at most SCAN_MAX_SENTENCE bytes. */
#ifndef SCAN_MAX_MENTIONS       /* (the fuzz build sets small ones, to reach the cuts) */
#define SCAN_MAX_MENTIONS 10000
#endif
#ifndef SCAN_MAX_MATCHES
#define SCAN_MAX_MATCHES 10000
#endif
#ifndef SCAN_MAX_SENTENCE
#define SCAN_MAX_SENTENCE 32768
#endif

/* Finds the claims and hardware of one document (text: valid UTF-8, len
 * bytes) and appends them to out, claims in text order.  Returns 0, or -1
 * when a rule hit the PCRE2 match or depth limit or the document went over
 * a limit above: *err then says which (malloc'd); the other findings are
 * still in out. */
int scan_doc(scanner *s, const char *text, size_t len, cs_result *out, char **err);

/* One test result of the rule checks: name is what was tested (a rule id),
 * msg says why it failed (NULL when ok). */
typedef void (*scan_report_fn)(void *ud, const char *file, int line, const char *name, int ok, const char *msg);

/* Adds a record for each hardware the title names that the abstract does
 * not (neither it nor a member or family of it): "title included", as the
 * schema says.  The title must be valid UTF-8; it is skipped otherwise. */
void scan_title(scanner *s, const char *title, cs_result *out);

/* Runs every rule's example and counter lines through the whole engine and
 * checks that each rule has both; one report per example.  Returns the
 * number of failures. */
int scan_check_examples(scanner *s, scan_report_fn fn, void *ud);

/* Runs the whole rule set over every example and reports numbers that two
 * rules of equal priority claim as different kinds or values (the winner
 * would depend on match length or file order).  Returns the failures. */
int scan_check_overlaps(scanner *s, scan_report_fn fn, void *ud);

/* Runs every rule alone over adversarial subjects (long digit runs,
 * repeated separators, 1 MB of one character, "1.1.1..."), failing a rule
 * that hits the PCRE2 match or depth limit or takes more than budget_ms on
 * one subject.  Returns the failures. */
int scan_check_backtracking(scanner *s, double budget_ms, scan_report_fn fn, void *ud);

/* For each regex with a screen (candidate, candidate-words, numstart,
 * cuestart, the anywhere prefilters): the screen finds the same first match
 * as PCRE2 from every start offset of every example and counter text.  A
 * regex without a screen is reported through note (its file:line and why;
 * it is searched at every place: the same output, slower).  Returns the
 * failures. */
int scan_check_screens(scanner *s, scan_report_fn fn, void *ud, void (*note)(const char *msg));

#endif
