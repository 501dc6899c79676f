/* diff.h: comparing two claims tables (claimscan diff), for other commands. */
#ifndef DIFF_H
#define DIFF_H

#include <stdio.h>

/* Writes to out what `claimscan diff OLD NEW` prints: the claims and hardware
 * mentions added, removed and changed, by document, then counts per kind and
 * rule.  Returns 0 when the tables are the same, 1 when they differ, -1 when
 * a file cannot be read (the error is on stderr). */
int diff_tables(const char *oldf, const char *newf, FILE *out);

#endif
