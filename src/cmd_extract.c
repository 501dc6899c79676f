/* cmd_extract.c: `claimscan extract`: documents in, the claims table out
 * (standard output in any table format, or a SQLite store). */
#include "cmd.h"
#include "cs.h"
#include "emit.h"
#include "extract.h"
#include "read.h"
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct sink {
    cs_outfmt fmt;
    store *db;
    sbuf buf;
    int failed;
} sink;

static int write_doc(const cs_doc *doc, const cs_result *res, void *ud)
{
    sink *k = ud;
    if (k->db) {
        if (store_put(k->db, doc, res, extract_rules_hash())) {
            k->failed = 1;
            return 1;
        }
        return 0;
    }
    /* (emit_doc writes the buffer out each time it reaches 64 KiB) */
    if (emit_doc(&k->buf, k->fmt, doc, res, stdout)) {
        k->failed = 1;
        return 1;
    }
    return 0;
}

static void extract_usage(FILE *f)
{
    fputs("usage: claimscan extract [options] [FILE|-]...\n"
          "\n"
          "Reads abstracts and writes the claims table (see the README and the schema):\n"
          "a document record for every document read, then its claim and hardware\n"
          "records.  No FILE, or -, reads standard input.\n"
          "\n"
          "options:\n"
          "  --format F        jsonl (default), tsv, csv or md\n"
          "  --input-format F  page, hf-json, jsonl or text (default: detected per file:\n"
          "                    '[' hf-json, '{' jsonl, title/abstract paragraphs page, else text)\n"
          "  --text-field F    JSON Lines field holding the text (default: abstract, summary)\n"
          "  --rules DIR       rule directory (default: $CLAIMSCAN_RULES, else rules/ beside\n"
          "                    the binary, else ./rules)\n"
          "  --db FILE         write into a SQLite store instead of standard output;\n"
          "                    documents already stored are replaced\n"
          "  -j N              worker threads (default: the number of cores); the output is\n"
          "                    the same bytes, in input order, for any N\n"
          "  -q                no progress output (shown on stderr only when it is a terminal)\n"
          "  -h, --help        this help\n"
          "\n"
          "environment:\n"
          "  CLAIMSCAN_RULES           the default rule directory\n"
          "  CLAIMSCAN_PROFILE=1       print the seconds spent per step, prefilter and rule\n"
          "  CLAIMSCAN_NO_PREFILTER=1  try every rule everywhere (same output, slower)\n"
          "  CLAIMSCAN_NO_SCREEN=1     try candidate, numstart, cuestart and rules without\n"
          "                            'start' at every place, not only where their screen\n"
          "                            says a match can begin (same output, slower)\n"
          "\n"
          "exit status: 0 success; 1 some documents had errors (each still gets a document\n"
          "record with its error); 2 usage error or unreadable file; 3 rule errors\n", f);
}

int cmd_extract(int argc, char **argv)
{
    extract_opts o = {0};
    cs_outfmt fmt = OUT_JSONL;
    const char *db = NULL;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || !strcmp(a, "-"))
            break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            extract_usage(stdout);
            return CS_EXIT_OK;
        }
        if (!strcmp(a, "-q")) {
            o.quiet = 1;
            continue;
        }
        if (!strncmp(a, "-j", 2) && a[2] && a[2] != '=') {
            static char jbuf[32];
            snprintf(jbuf, sizeof jbuf, "-j=%s", a + 2);     /* "-j2" as "-j 2" */
            a = jbuf;
        }
        static const char *const with_arg[] = {"--format", "--input-format", "--text-field", "--rules", "--db", "-j"};
        int known = 0;
        for (size_t k = 0; k < sizeof with_arg / sizeof *with_arg; k++) {
            size_t n = strlen(with_arg[k]);
            if (!strncmp(a, with_arg[k], n) && (a[n] == '=' || a[n] == '\0')) {
                known = 1;
                if (a[n] == '=')
                    val = a + n + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    cs_error("option '%s' needs a value", a);
                    return CS_EXIT_USAGE;
                }
                a = with_arg[k];
                break;
            }
        }
        if (!known) {
            cs_error("unknown option '%s' (see 'claimscan extract --help')", a);
            return CS_EXIT_USAGE;
        }
        if (!strcmp(a, "--format")) {
            int f = outfmt_parse(val);
            if (f < 0) {
                cs_error("unknown output format '%s' (jsonl, tsv, csv, md)", val);
                return CS_EXIT_USAGE;
            }
            fmt = (cs_outfmt)f;
        } else if (!strcmp(a, "--input-format")) {
            int f = infmt_parse(val);
            if (f < 0) {
                cs_error("unknown input format '%s' (page, hf-json, jsonl, text)", val);
                return CS_EXIT_USAGE;
            }
            o.infmt = (cs_infmt)f;
        } else if (!strcmp(a, "--text-field")) {
            o.text_field = val;
        } else if (!strcmp(a, "--rules")) {
            o.rules_dir = val;
        } else if (!strcmp(a, "--db")) {
            db = val;
        } else if (!strcmp(a, "-j")) {
            char *end;
            long j = strtol(val, &end, 10);
            if (*end || j < 0 || j > 256) {
                cs_error("-j takes a number of threads from 0 to 256, not '%s'", val);
                return CS_EXIT_USAGE;
            }
            o.jobs = (int)j;
        }
    }
    sink k = {.fmt = fmt};
    if (db && store_open(db, &k.db))
        return CS_EXIT_USAGE;
    if (!db)
        emit_header(&k.buf, fmt);
    int rc = extract_run(&o, argv + i, argc - i, write_doc, &k);
    if (k.buf.len && fwrite(k.buf.s, 1, k.buf.len, stdout) != k.buf.len)
        k.failed = 1;
    sb_free(&k.buf);
    if (k.db && store_close(k.db))
        k.failed = 1;
    if (k.failed) {
        if (!db)
            cs_error("cannot write standard output: %s", strerror(errno));
        if (rc == CS_EXIT_OK)
            rc = CS_EXIT_DOCERR;
    }
    return rc;
}
