/* read.h: input readers.  Every format yields the same cs_doc, one document
 * at a time, so memory stays flat however long the input (hf-json too: its
 * array is read one element at a time).
 *
 * Formats (cs_infmt, from extract.h):
 *   page     a Hugging Face Daily Papers page saved as text: blank-line
 *            separated paragraphs; each abstract paragraph (>= 200 bytes, or
 *            >= 100 bytes with two sentences) is a document, titled by the
 *            short paragraph just before it; other short paragraphs (page
 *            header) are skipped.  id "1".."N", source "file:LINE".
 *   hf-json  the daily_papers API: a JSON array; id paper.id, title
 *            paper.title, text paper.summary, source "file[INDEX]" (0-based).
 *   jsonl    one JSON object per line; id from "id"/"arxiv_id"/"doc", else the
 *            line number; text from text_field, else "abstract", "summary";
 *            source "file:LINE".
 *   text     the whole input is one document; id the base name (or "stdin").
 *
 * A document that cannot be read is still returned, with doc->error set and
 * doc->text NULL; reading goes on with the next one. */
#ifndef READ_H
#define READ_H

#include "cs.h"
#include "extract.h"

#define READ_MAX_DOC_DEFAULT ((size_t)8 << 20)      /* bytes per document */

typedef struct cs_reader cs_reader;

/* path NULL or "-" = stdin.  fmt FMT_AUTO detects the format from the
 * content (see reader_format).  text_field: JSON Lines field holding the text
 * (NULL: "abstract", then "summary").  max_doc: bytes per document, 0 = 8 MiB.
 * Returns 0, or -1 with *err = "cannot open 'x': No such file or directory"
 * (malloc'd, caller frees). */
int reader_open(const char *path, cs_infmt fmt, const char *text_field, size_t max_doc,
                cs_reader **out, char **err);

/* 1: *doc filled (caller frees it with cs_doc_clear; doc->error may be set,
 * the document still counts), 0: end of input, -1: read error (*err set,
 * malloc'd).  *doc must be zeroed (or cleared) on entry. */
int reader_next(cs_reader *r, cs_doc *doc, char **err);

/* The format in use: the one asked for, or the one detected. */
cs_infmt reader_format(const cs_reader *r);

void reader_close(cs_reader *r);   /* accepts NULL */

/* "auto", "page", "hf-json", "jsonl", "text"; infmt_parse returns -1 when unknown. */
const char *infmt_name(cs_infmt f);
int infmt_parse(const char *s);

#endif
