/* cmd_check.c: `claimscan check`, the rule maintainers' CI gate.
 *
 * Conventions people already trust: tests live inside the rules (Vale,
 * semgrep --test), the runner lives inside the binary and ends with "N of M
 * passed" (jq), failures name file:line.  Six classes of checks: the rule
 * files load; every example and counter holds; no two rules of equal
 * priority claim one number differently; the fixture snapshots still hold;
 * the gold gates pass; no rule backtracks out of bounds. */
#include "cmd.h"
#include "cs.h"
#include "diff.h"
#include "emit.h"
#include "eval.h"
#include "extract.h"
#include "hardware.h"
#include "rules.h"
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


typedef struct result {
    char *suite, *name, *file, *msg;
    int line, ok;
} result;

typedef struct checker {
    result *r;
    size_t n, cap;
    const char *suite;
    int quiet, github;
} checker;

static void checker_free(checker *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->r[i].suite);
        free(k->r[i].name);
        free(k->r[i].file);
        free(k->r[i].msg);
    }
    free(k->r);
}

static void github_escape(const char *s, FILE *f)
{
    for (; *s; s++) {
        if (*s == '%')
            fputs("%25", f);
        else if (*s == '\n')
            fputs("%0A", f);
        else if (*s == '\r')
            fputs("%0D", f);
        else
            fputc(*s, f);
    }
}

static void print_note(const char *msg)
{
    printf("note: %s\n", msg);
}

static void record(void *ud, const char *file, int line, const char *name, int ok, const char *msg)
{
    checker *k = ud;
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 256;
        k->r = xrealloc(k->r, k->cap * sizeof *k->r);
    }
    result *r = &k->r[k->n++];
    r->suite = xstrdup(k->suite);
    r->name = xstrdup(name);
    r->file = xstrdup(file ? file : "");
    r->msg = msg ? xstrdup(msg) : NULL;
    r->line = line;
    r->ok = ok;
    if (ok)
        return;
    if (line > 0)
        printf("%s:%d: %s: %s: %s\n", r->file, line, k->suite, name, msg ? msg : "failed");
    else
        printf("%s: %s: %s: %s\n", r->file[0] ? r->file : "check", k->suite, name, msg ? msg : "failed");
    if (k->github) {
        printf("::error file=%s,line=%d::", r->file, line > 0 ? line : 1);
        github_escape(k->suite, stdout);
        fputs(": ", stdout);
        github_escape(name, stdout);
        fputs(": ", stdout);
        github_escape(msg ? msg : "failed", stdout);
        putchar('\n');
    }
}

static void xml_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc(' ', f);
            else
                fputc(*s, f);
        }
    }
}

/* JUnit XML: one testsuite per class of check, one testcase per result. */
static int write_junit(const checker *k, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        cs_error("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t fails = 0;
    for (size_t i = 0; i < k->n; i++)
        fails += !k->r[i].ok;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"claimscan check\" tests=\"%zu\" failures=\"%zu\">\n", k->n, fails);
    for (size_t i = 0; i < k->n;) {
        size_t j = i, sf = 0;
        while (j < k->n && !strcmp(k->r[j].suite, k->r[i].suite))
            sf += !k->r[j++].ok;
        fprintf(f, "  <testsuite name=\"");
        xml_escape(f, k->r[i].suite);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\">\n", j - i, sf);
        for (size_t t = i; t < j; t++) {
            const result *r = &k->r[t];
            fprintf(f, "    <testcase classname=\"");
            xml_escape(f, r->suite);
            fprintf(f, "\" name=\"");
            xml_escape(f, r->name);
            if (r->line > 0)
                fprintf(f, " (%s:%d)", r->file, r->line);
            fprintf(f, "\" file=\"");
            xml_escape(f, r->file);
            fprintf(f, "\" line=\"%d\"", r->line > 0 ? r->line : 0);
            if (r->ok) {
                fprintf(f, "/>\n");
                continue;
            }
            fprintf(f, ">\n      <failure message=\"");
            xml_escape(f, r->msg ? r->msg : "failed");
            fprintf(f, "\"/>\n    </testcase>\n");
        }
        fprintf(f, "  </testsuite>\n");
        i = j;
    }
    fprintf(f, "</testsuites>\n");
    if (fclose(f) != 0) {
        cs_error("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int emit_cb(const cs_doc *doc, const cs_result *res, void *ud)
{
    emit_doc(ud, OUT_JSONL, doc, res, NULL);
    return 0;
}

/* Extracts one input with the loaded rules into a JSON Lines buffer. */
static int extract_to(const ruleset *rs, const char *input, sbuf *out)
{
    extract_opts o = {.quiet = 1};
    char *files[] = {(char *)input};
    int rc = extract_run_with(rs, &o, files, 1, emit_cb, out);
    if (!out->s)
        sb_puts(out, "");
    return rc;
}

static int write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
        cs_error("cannot write '%s': %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    return 0;
}

/* The input a snapshot or gold file belongs to: the same stem with .txt,
 * .jsonl or .json. */
static char *input_for(const char *path, const char *suffix)
{
    size_t n = strlen(path), sl = strlen(suffix);
    if (n <= sl || strcmp(path + n - sl, suffix))
        return NULL;
    static const char *const exts[] = {".txt", ".jsonl", ".json"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("%.*s%s", (int)(n - sl), path, exts[i]);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

static void check_snapshot(checker *k, const ruleset *rs, const char *expected, int update)
{
    char *input = input_for(expected, ".expected.jsonl");
    if (!input) {
        record(k, expected, 0, expected, 0, "no input beside it (same name with .txt, .jsonl or .json)");
        return;
    }
    sbuf out = {0};
    extract_to(rs, input, &out);
    size_t len;
    char *want = read_file(expected, &len);
    if (update) {
        int ok = write_file(expected, out.s, out.len) == 0;
        record(k, expected, 0, input, ok, ok ? NULL : "cannot update the snapshot");
        if (ok && (!want || len != out.len || memcmp(want, out.s, len)))
            printf("updated %s\n", expected);
    } else if (!want) {
        record(k, expected, 0, input, 0, "cannot read the snapshot");
    } else if (len == out.len && !memcmp(want, out.s, len)) {
        record(k, expected, 0, input, 1, NULL);
    } else {
        /* what changed, as `claimscan diff` lists it */
        sbuf msg = {0};
        sb_printf(&msg, "output differs from the snapshot (run 'claimscan check --update' if intended)");
        char tmp[] = "/tmp/claimscan-snapshot-XXXXXX";
        int fd = mkstemp(tmp);
        char *listing = NULL;
        size_t llen = 0;
        FILE *mem = open_memstream(&listing, &llen);
        if (fd >= 0 && write(fd, out.s, out.len) == (ssize_t)out.len && mem && diff_tables(expected, tmp, mem) >= 0) {
            fclose(mem);
            mem = NULL;
            for (char *line = strtok(listing, "\n"); line; line = strtok(NULL, "\n"))
                sb_printf(&msg, "\n    %s", line);
        }
        if (mem)
            fclose(mem);
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(listing);
        record(k, expected, 0, input, 0, msg.s);
        sb_free(&msg);
    }
    free(want);
    free(input);
    sb_free(&out);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NAME.expected.jsonl in dir and its subdirectories, sorted. */
static void find_snapshots(const char *dir, char ***list, size_t *n, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        size_t len = strlen(e->d_name);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 3) {
            find_snapshots(p, list, n, depth + 1);
            free(p);
        } else if (len > 15 && !strcmp(e->d_name + len - 15, ".expected.jsonl")) {
            *list = xrealloc(*list, (*n + 1) * sizeof **list);
            (*list)[(*n)++] = p;
        } else {
            free(p);
        }
    }
    closedir(d);
}

static void check_gold(checker *k, const ruleset *rs, const char *gold, const char *input_arg,
                       const eval_gate *gates, size_t ngates)
{
    char *input = input_arg ? xstrdup(input_arg) : input_for(gold, ".gold.jsonl");
    if (!input) {
        record(k, gold, 0, gold, 0, "no input beside the gold file (give --gold-input FILE)");
        return;
    }
    sbuf out = {0};
    extract_to(rs, input, &out);
    char tmp[] = "/tmp/claimscan-check-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0 || write(fd, out.s, out.len) != (ssize_t)out.len) {
        record(k, gold, 0, gold, 0, "cannot write a temporary file");
        if (fd >= 0)
            close(fd), unlink(tmp);
        free(input);
        sb_free(&out);
        return;
    }
    close(fd);
    eval_scores sc;
    int rc = eval_files(gold, tmp, &sc, NULL);
    unlink(tmp);
    if (rc != CS_EXIT_OK) {
        record(k, gold, 0, gold, 0, "the gold file could not be scored");
    } else {
        if (!k->quiet)
            eval_print_text(stdout, &sc);
        for (size_t i = 0; i < ngates; i++) {
            char name[96], msg[200];
            const eval_gate *g = &gates[i];
            snprintf(name, sizeof name, "%s F1 >= %g",
                     g->what == EG_CLAIMS ? "claims" : g->what == EG_HARDWARE ? "hardware" : cs_kind_name(g->kind),
                     g->min);
            int ok = eval_gate_ok(&sc, g);
            snprintf(msg, sizeof msg, "F1 %.3f is below %g", eval_gate_value(&sc, g), g->min);
            record(k, gold, 0, name, ok, ok ? NULL : msg);
        }
    }
    free(input);
    sb_free(&out);
}

static void check_usage(FILE *f)
{
    fputs("usage: claimscan check [options]\n"
          "\n"
          "Tests the rule set; exits 1 when any check fails:\n"
          "  rules        the files load: patterns compile, ids are unique, kinds,\n"
          "               units, qualifiers and group names are the schema's\n"
          "  examples     every example yields its fields, every counter nothing;\n"
          "               every rule has at least one of each (also the hardware catalog)\n"
          "  overlaps     no number claimed differently by two rules of equal priority\n"
          "  backtracking every rule over adversarial subjects within the PCRE2 limits\n"
          "               and the time budget\n"
          "  screens      each screen (src/screen.h) finds what PCRE2 finds on every\n"
          "               example text; a regex without one is noted (not a failure)\n"
          "  snapshots    each FIXTURES/NAME.expected.jsonl is still what NAME.txt,\n"
          "               NAME.jsonl or NAME.json extracts to\n"
          "  gates        with --gold: the F1 thresholds\n"
          "\n"
          "options:\n"
          "  --rules DIR          rule directory (default as for extract)\n"
          "  --fixtures DIR       where the snapshots are (default: fixtures)\n"
          "  --gold FILE          score the extraction of FILE's input (same name without\n"
          "                       .gold.jsonl, with .txt, .jsonl or .json) against FILE\n"
          "  --gold-input FILE    the input for --gold, when it is elsewhere\n"
          "  --min-f1 X           gate on claims F1 (with --gold)\n"
          "  --min-hardware-f1 X  gate on hardware F1\n"
          "  --min-kind-f1 K=X    gate on one kind's F1 (repeatable)\n"
          "  --budget-ms N        time budget per rule and adversarial subject (default 2000)\n"
          "  --update             rewrite the snapshots instead of comparing them\n"
          "  --junit FILE         also write JUnit XML (one testcase per check)\n"
          "  --github             also print GitHub Actions ::error annotations\n"
          "  -q                   print failures and the summary only\n"
          "\n"
          "exit status: 0 all passed; 1 a check failed; 2 usage error; 3 the rules do not load\n", f);
}

int cmd_check(int argc, char **argv)
{
    const char *dir = NULL, *fixtures = "fixtures", *gold = NULL, *gold_input = NULL, *junit = NULL;
    int update = 0;
    double budget = 2000;
    eval_gate gates[32];
    size_t ngates = 0;
    checker k = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            check_usage(stdout);
            return CS_EXIT_OK;
        } else if (!strcmp(a, "--update")) {
            update = 1, takes = 0;
        } else if (!strcmp(a, "--github")) {
            k.github = 1, takes = 0;
        } else if (!strcmp(a, "-q")) {
            k.quiet = 1, takes = 0;
        } else if (!v) {
            cs_error("option '%s' needs a value or is unknown (see 'claimscan check --help')", a);
            return CS_EXIT_USAGE;
        } else if (!strcmp(a, "--rules")) {
            dir = v;
        } else if (!strcmp(a, "--fixtures")) {
            fixtures = v;
        } else if (!strcmp(a, "--gold")) {
            gold = v;
        } else if (!strcmp(a, "--gold-input")) {
            gold_input = v;
        } else if (!strcmp(a, "--junit")) {
            junit = v;
        } else if (!strcmp(a, "--budget-ms")) {
            char *end;
            budget = strtod(v, &end);
            if (*end || !(budget > 0)) {
                cs_error("--budget-ms takes a positive number of milliseconds, not '%s'", v);
                return CS_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--min-f1") || !strcmp(a, "--min-hardware-f1") || !strcmp(a, "--min-kind-f1")) {
            eval_gate_what w = a[6] == 'f' ? EG_CLAIMS : a[6] == 'h' ? EG_HARDWARE : EG_KIND;
            if (ngates == sizeof gates / sizeof *gates || eval_gate_parse(&gates[ngates], w, v)) {
                cs_error("bad value '%s' for %s", v, a);
                return CS_EXIT_USAGE;
            }
            ngates++;
        } else {
            cs_error("unknown option '%s' (see 'claimscan check --help')", a);
            return CS_EXIT_USAGE;
        }
        i += takes;
    }
    if (ngates && !gold) {
        cs_error("the F1 gates need --gold FILE");
        return CS_EXIT_USAGE;
    }

    ruleset *rs;
    k.suite = "rules";
    if (extract_load_rules(dir, &rs)) {
        record(&k, dir ? dir : "rules", 0, "load", 0, "the rule set does not load (errors above)");
        if (junit)
            write_junit(&k, junit);
        printf("check: 0 of 1 passed\n");
        checker_free(&k);
        return CS_EXIT_RULES;
    }
    record(&k, rs->dir, 0, "load", 1, NULL);
    scanner *sc = scanner_new(rs);

    k.suite = "examples";
    scan_check_examples(sc, record, &k);

    k.suite = "hardware catalog";
    hwscan *hs = hwscan_new(rs->hw);
    char *buf = NULL;
    size_t blen = 0;
    FILE *mem = open_memstream(&buf, &blen);
    int hwpassed = 0;
    int hwfails = hwcat_check_examples(rs->hw, hs, mem, &hwpassed);
    fclose(mem);
    hwscan_free(hs);
    if (buf && blen && buf[blen - 1] == '\n')
        buf[blen - 1] = '\0';
    char name[64];
    snprintf(name, sizeof name, "%d examples", hwpassed + hwfails);
    record(&k, "hardware.catalog", 0, name, hwfails == 0, hwfails ? buf : NULL);
    free(buf);

    k.suite = "overlaps";
    scan_check_overlaps(sc, record, &k);

    k.suite = "backtracking";
    scan_check_backtracking(sc, budget, record, &k);

    k.suite = "screens";
    scan_check_screens(sc, record, &k, k.quiet ? NULL : print_note);

    k.suite = "snapshots";
    char **snaps = NULL;
    size_t nsnaps = 0;
    find_snapshots(fixtures, &snaps, &nsnaps, 0);
    if (nsnaps > 1)
        qsort(snaps, nsnaps, sizeof *snaps, cmp_str);
    for (size_t i = 0; i < nsnaps; i++) {
        check_snapshot(&k, rs, snaps[i], update);
        free(snaps[i]);
    }
    free(snaps);

    if (gold) {
        k.suite = "gates";
        check_gold(&k, rs, gold, gold_input, gates, ngates);
    }
    scanner_free(sc);
    ruleset_free(rs);

    size_t fails = 0;
    for (size_t i = 0; i < k.n; i++)
        fails += !k.r[i].ok;
    int rc = fails ? CS_EXIT_DOCERR : CS_EXIT_OK;
    if (junit && write_junit(&k, junit))
        rc = CS_EXIT_USAGE;
    printf("check: %zu of %zu passed\n", k.n - fails, k.n);
    checker_free(&k);
    return rc;
}
