/* hardware.h: the hardware catalog (rules/hardware.catalog) and its matcher.
 *
 * The catalog is loaded and compiled once into an immutable hwcat that any
 * number of threads share; each thread scans with its own hwscan (match data,
 * match context, JIT stack).
 *
 *     hwcat *cat;
 *     if (hwcat_load("rules/hardware.catalog", &cat))
 *         return CS_EXIT_RULES;
 *     hwscan *s = hwscan_new(cat);
 *     cs_hw *occ = NULL; size_t nocc = 0, cap = 0; char *err = NULL;
 *     if (hwcat_scan(cat, s, text, len, &occ, &nocc, &cap, &err) == 0)
 *         hw_distinct(occ, nocc, &result);
 *     free(occ); hwscan_free(s); hwcat_free(cat);
 *
 * The file format is described at the top of rules/hardware.catalog. */
#ifndef HARDWARE_H
#define HARDWARE_H

#include "cs.h"

#include <stdio.h>

typedef struct hwcat hwcat;     /* immutable after load; shared by threads */
typedef struct hwscan hwscan;   /* per thread: match data, match context, JIT stack */

/* Reads and compiles a catalog.  Returns 0, or -1 after printing
 * "path:line: error: ..." on stderr (PCRE2 errors with their offset). */
int hwcat_load(const char *path, hwcat **out);
void hwcat_free(hwcat *c);                      /* accepts NULL */
size_t hwcat_size(const hwcat *c);              /* number of entries */

hwscan *hwscan_new(const hwcat *c);
void hwscan_free(hwscan *s);                    /* accepts NULL */

/* Finds every mention in text (valid UTF-8, len bytes), in text order,
 * non-overlapping, leftmost-longest over all aliases of all entries ("Jetson
 * AGX Orin" wins over "Jetson", "DGX H100" over "H100").  Each occurrence has
 * hardware/vendor/hwclass pointing into the catalog, start/end byte offsets
 * of the alias as matched, and count (-1 = none) read from the words just
 * before it ("8x ", "2,048 ", "a single ") or just after it (" x8"), or, for
 * entries with a "unit" line, from "eight RDU sockets" elsewhere in the text.
 * Appends to *occ (growing *cap), at most max occurrences: where one more
 * begins, the scan stops as if the text ended there, and *cut is that
 * offset (else len).  Returns 0, or -1 when PCRE2 failed (match limit, ...)
 * with a malloc'd message in *err. */
int hwcat_scan(const hwcat *c, hwscan *s, const char *text, size_t len,
               cs_hw **occ, size_t *nocc, size_t *cap, size_t max, size_t *cut, char **err);

/* Adds one record per distinct hardware to r: the first occurrence's span,
 * the first count that is not null.  When one found name is a word-prefix
 * family of another found name ("NVIDIA Jetson" and "NVIDIA Jetson AGX
 * Orin"), only the specific one is kept. */
void hw_distinct(const cs_hw *occ, size_t nocc, cs_result *r);

/* Runs every example, counter and none line of the catalog; prints each
 * failure as "path:line: example failed: expected ..., got ..." to f.
 * Returns the number of failures; *npassed (when not NULL) gets the number
 * that passed. */
int hwcat_check_examples(const hwcat *c, hwscan *s, FILE *f, int *npassed);

#endif
