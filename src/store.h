/* store.h: the SQLite store behind `extract --db` and `report/plot --db`.
 *
 * Tables documents, claims and hardware carry the schema's columns under the
 * schema's names, plus doc_key, the unique key of a document (see
 * ct_doc_key() in claimtab.h: the id when it is an arXiv id or any id with a
 * non-digit, else "<source file>#<id>", because 1-based positions collide
 * across files).  Putting a document already stored replaces its rows, so
 * overlapping daily pages never duplicate a paper.  Each document records
 * the hash of the rule set that produced its rows (rules_hash). */
#ifndef STORE_H
#define STORE_H

#include "cs.h"

typedef struct store store;
struct claimtab;

/* All return 0 = ok, -1 = error already printed as "claimscan: 'path': message". */

/* Opens (creating when needed) the store at path for writing. */
int store_open(const char *path, store **out);

/* Replaces the rows of one document.  Writes are batched into transactions;
 * store_close commits the last one. */
int store_put(store *s, const cs_doc *doc, const cs_result *res, const char *rules_hash);

/* Commits and closes; accepts NULL.  Returns -1 when the commit failed. */
int store_close(store *s);

/* Reads every document, claim and hardware row of the store at path into t,
 * in insertion order.  The file must exist. */
int store_load(const char *path, struct claimtab *t);

#endif
