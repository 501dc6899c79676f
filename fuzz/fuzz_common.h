/* fuzz_common.h: shared by the libFuzzer targets in fuzz/.  A finding is any
 * sanitizer report, a timeout, or an abort() here: output that is not valid
 * UTF-8, a JSON Lines record that does not parse as one object on one line,
 * a document that went missing. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include "cs.h"
#include "emit.h"
#include "read.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_CHECK(cond, ...)                                   \
    do {                                                        \
        if (!(cond)) {                                          \
            fprintf(stderr, "fuzz: check failed: %s: ", #cond); \
            fprintf(stderr, __VA_ARGS__);                       \
            fputc('\n', stderr);                                \
            abort();                                            \
        }                                                       \
    } while (0)

/* The rules directory: $CLAIMSCAN_RULES, else ./rules (make runs from the
 * project root). */
static inline const char *fuzz_rules_dir(void)
{
    const char *e = getenv("CLAIMSCAN_RULES");
    return e && *e ? e : "rules";
}

/* The input as a file the reader can open by path: a memfd, so nothing
 * touches the disk.  Returns the fd (the caller closes it) and the path in
 * path[]. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char path[64])
{
    int fd = memfd_create("fuzz-input", 0);
    FUZZ_CHECK(fd >= 0, "memfd_create");
    size_t off = 0;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        FUZZ_CHECK(n > 0, "write");
        off += (size_t)n;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

/* Every line of a JSON Lines buffer is one JSON object with a string
 * "record"; the whole buffer is valid UTF-8 and ends with a newline. */
static inline size_t fuzz_check_jsonl(const sbuf *b)
{
    size_t records = 0;
    if (!b->len)
        return 0;
    FUZZ_CHECK(utf8_invalid_at(b->s, b->len) < 0, "jsonl output is not valid UTF-8");
    FUZZ_CHECK(b->s[b->len - 1] == '\n', "jsonl output does not end with a newline");
    const char *p = b->s, *end = b->s + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = NULL;
        cJSON *o = cJSON_ParseWithLengthOpts(p, (size_t)(nl - p), &stop, 0);
        FUZZ_CHECK(o && cJSON_IsObject(o) && stop == nl, "record is not one JSON object: %.200s", p);
        FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "record")), "record without 'record'");
        cJSON_Delete(o);
        records++;
        p = nl + 1;
    }
    return records;
}

/* Table output: valid UTF-8, and exactly rows+1 lines (the header), so no
 * cell broke a row. */
static inline void fuzz_check_table(const sbuf *b, cs_outfmt f, size_t rows)
{
    FUZZ_CHECK(utf8_invalid_at(b->s, b->len) < 0, "%s output is not valid UTF-8", outfmt_name(f));
    size_t lines = 0;
    int quoted = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (f == OUT_CSV && b->s[i] == '"')
            quoted = !quoted;
        if (b->s[i] == '\n' && !quoted)
            lines++;
    }
    size_t want = rows + (f == OUT_MD ? 2 : 1);
    FUZZ_CHECK(lines == want, "%s output has %zu lines, expected %zu", outfmt_name(f), lines, want);
}

/* Writes one document (and its result) in every format and checks each. */
static inline void fuzz_emit_all(const cs_doc *d, const cs_result *r)
{
    sbuf j = {0};
    emit_doc(&j, OUT_JSONL, d, r, NULL);
    size_t records = fuzz_check_jsonl(&j);
    size_t want = 1 + (r ? r->nclaims + r->nhw : 0);
    FUZZ_CHECK(records == want, "%zu records, expected %zu", records, want);
    sb_free(&j);
    for (cs_outfmt f = OUT_TSV; f <= OUT_MD; f++) {
        sbuf t = {0};
        emit_header(&t, f);
        emit_doc(&t, f, d, r, NULL);
        fuzz_check_table(&t, f, records);
        sb_free(&t);
    }
}

/* Reads every document of the input in one format and writes each; a
 * reader must end (0 or -1) and every document must carry an id and a
 * source. */
static inline void fuzz_reader(const uint8_t *data, size_t size, cs_infmt fmt, size_t max_doc)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    cs_reader *r;
    char *err = NULL;
    if (reader_open(path, fmt, NULL, max_doc, &r, &err)) {
        free(err);
        close(fd);
        return;
    }
    cs_doc d = {0};
    int rc;
    size_t docs = 0;
    while ((rc = reader_next(r, &d, &err)) == 1) {
        docs++;
        FUZZ_CHECK(d.id && d.source, "document without id or source");
        FUZZ_CHECK(d.error || d.text, "document without text or error");
        if (d.text) {
            FUZZ_CHECK(strlen(d.text) == d.len, "text length");
            FUZZ_CHECK(utf8_invalid_at(d.text, d.len) < 0, "text handed on is not valid UTF-8");
        }
        FUZZ_CHECK(docs <= size + 1, "more documents than bytes: the reader does not advance");
        fuzz_emit_all(&d, NULL);
        cs_doc_clear(&d);
    }
    cs_doc_clear(&d);
    free(err);
    reader_close(r);
    close(fd);
}

#endif
