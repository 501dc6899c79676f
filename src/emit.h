/* emit.h: output writers.  Each call appends to an sbuf, so worker threads
 * can format documents in parallel and the caller writes them in input
 * order; the bytes depend only on the document and its result.
 *
 * jsonl: one record per line, exactly per the schema (document, then its
 *   claims, then its hardware).  Strings are escaped here: " \ and control
 *   characters, and each invalid UTF-8 byte becomes U+FFFD, so the output is
 *   always valid UTF-8 JSON.
 * tsv, csv, md: one table, the union of all record fields (EMIT_COLUMNS),
 *   an empty cell for null.  tsv escapes tab, LF, CR and backslash as \t \n
 *   \r \\ (other control bytes as \xHH); csv follows RFC 4180 (CRLF rows,
 *   quoted cells when needed) and prefixes text cells starting with = + - @
 *   tab or CR with ' against spreadsheet formulas (numeric cells are never
 *   touched); md escapes | as \| and writes control characters as a space. */
#ifndef EMIT_H
#define EMIT_H

#include "cs.h"

#include <stdio.h>

typedef enum { OUT_JSONL, OUT_TSV, OUT_CSV, OUT_MD } cs_outfmt;

#define EMIT_COLUMNS "record,doc,kind,value,lo,hi,unit,factor,norm,norm_unit,qualifier," \
    "hardware,class,vendor,count,baseline,subject,text,start,end,rule,title,source,claims,error"

/* "jsonl", "tsv", "csv", "md"; -1 when unknown. */
int outfmt_parse(const char *s);
const char *outfmt_name(cs_outfmt f);

/* The column header of a table format; nothing for jsonl. */
void emit_header(sbuf *b, cs_outfmt f);

/* The document record, then its claim records, then its hardware records.
 * r may be NULL (no claims, no hardware).  With out not NULL, b is written
 * there and emptied whenever it reaches 64 KiB, between records, so that
 * memory does not grow with a document's claims; -1 on a write error. */
int emit_doc(sbuf *b, cs_outfmt f, const cs_doc *d, const cs_result *r, FILE *out);

/* A JSON string literal (with quotes) for s[0..n), as emit_doc writes them;
 * s NULL gives null.  Exported for other JSON writers. */
void emit_json_str(sbuf *b, const char *s, size_t n);

#endif
