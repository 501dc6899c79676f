/* tests/unit.c: data-driven unit tests (jq's habit: the cases live in text
 * files, the runner prints each failure with its file:line and ends with one
 * summary line).  Runs tests/numbers.test, tests/normalize.test, and every
 * example and counter of the rule set and of the hardware catalog. */
#include "cs.h"
#include "hardware.h"
#include "number.h"
#include "rules.h"
#include "scan.h"
#include "screen.h"

#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void result(int ok, const char *file, int line, const char *fmt, const char *a, const char *b)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL %s:%d: ", file, line);
    printf(fmt, a, b);
    putchar('\n');
}

static void run_numbers(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        result(0, path, 0, "cannot open %s%s", path, "");
        return;
    }
    char line[8192];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            result(0, path, lineno, "no tab in '%s'%s", line, "");
            continue;
        }
        *tab = '\0';
        const char *want = tab + 1;
        double v;
        char got[64];
        if (parse_number(line, strlen(line), &v))
            snprintf(got, sizeof got, "error");
        else
            fmt_num(got, sizeof got, v);
        result(!strcmp(got, want), path, lineno, "expected %s, got %s", want, got);
    }
    fclose(f);
}

static int field_eq(const char *want, double got, int rel)
{
    if (!strcmp(want, "-"))
        return isnan(got);
    if (isnan(got))
        return 0;
    double w = strtod(want, NULL);
    return rel ? fabs(w - got) <= 1e-6 * fmax(1, fabs(w)) : w == got;
}

static void describe_claim(char *buf, size_t n, const cs_claim *c)
{
    char v[32], lo[32], hi[32], f[32], no[32];
    fmt_num(v, sizeof v, c->value);
    fmt_num(lo, sizeof lo, c->lo);
    fmt_num(hi, sizeof hi, c->hi);
    fmt_num(f, sizeof f, c->factor);
    fmt_num(no, sizeof no, c->norm);
    snprintf(buf, n, "%s %s %s %s %s %s %s %s", cs_kind_name(c->kind), v, lo, hi, c->unit, f, no,
             cs_qual_name(c->qualifier));
}

/* Checks the claims of one case against its expected lines. */
static void check_case(scanner *sc, const char *path, int line, const char *text, char **want, int nwant)
{
    cs_result res = {0};
    char *err = NULL;
    scan_doc(sc, text, strlen(text), &res, &err);
    if (err) {
        result(0, path, line, "scan error: %s%s", err, "");
        free(err);
    }
    char got[2048] = "";
    for (size_t i = 0; i < res.nclaims; i++) {
        char one[256];
        describe_claim(one, sizeof one, &res.claims[i]);
        strncat(got, "\n    got ", sizeof got - strlen(got) - 1);
        strncat(got, one, sizeof got - strlen(got) - 1);
    }
    int ok = (int)res.nclaims == nwant;
    for (int i = 0; ok && i < nwant; i++) {
        char kind[32], v[32], lo[32], hi[32], unit[32], f[32], no[32], q[32];
        if (sscanf(want[i], "%31s %31s %31s %31s %31s %31s %31s %31s", kind, v, lo, hi, unit, f, no, q) != 8) {
            ok = 0;
            break;
        }
        const cs_claim *c = &res.claims[i];
        ok = !strcmp(kind, cs_kind_name(c->kind)) && field_eq(v, c->value, 0) && field_eq(lo, c->lo, 0) &&
             field_eq(hi, c->hi, 0) && !strcmp(unit, c->unit) && field_eq(f, c->factor, 1) &&
             field_eq(no, c->norm, 1) && !strcmp(q, cs_qual_name(c->qualifier));
    }
    char exp[2048] = "";
    for (int i = 0; i < nwant; i++) {
        strncat(exp, "\n    want ", sizeof exp - strlen(exp) - 1);
        strncat(exp, want[i], sizeof exp - strlen(exp) - 1);
    }
    if (!ok) {
        failed++;
        printf("FAIL %s:%d: \"%s\"%s%s%s\n", path, line, text, exp, got[0] ? got : "\n    got no claims", "");
    } else {
        passed++;
    }
    cs_result_free(&res);
}

static void run_normalize(const char *path, scanner *sc)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        result(0, path, 0, "cannot open %s%s", path, "");
        return;
    }
    char line[1024];
    int lineno = 0, case_line = 0, nwant = 0;
    char *text = NULL, *want[16];
    while (1) {
        char *got = fgets(line, sizeof line, f);
        if (got) {
            lineno++;
            line[strcspn(line, "\n")] = '\0';
            if (line[0] == '#' || !line[0])
                continue;
        }
        if (!got || !strncmp(line, "> ", 2)) {
            if (text)
                check_case(sc, path, case_line, text, want, nwant);
            free(text);
            for (int i = 0; i < nwant; i++)
                free(want[i]);
            text = NULL;
            nwant = 0;
            if (!got)
                break;
            text = xstrdup(line + 2);
            case_line = lineno;
        } else if (text && nwant < 16) {
            want[nwant++] = xstrdup(line);
        } else {
            result(0, path, lineno, "stray line '%s'%s", line, "");
        }
    }
    fclose(f);
}

/* tests/screen.test: "pattern REGEX", then "screen on|off [why]", then
 * "text TEXT" lines, each optionally followed by "starts N N ..." (every
 * match start, as extract lists positions).  Each text is also compared
 * with PCRE2 from every start offset (screen_verify). */
static pcre2_code *scr_re, *scr_anch;
static screen scr;
static const char *scr_why;

static void screen_case_end(void)
{
    pcre2_code_free(scr_re);
    pcre2_code_free(scr_anch);
    screen_free(&scr);
    scr_re = scr_anch = NULL;
}

static void run_screens(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        result(0, path, 0, "cannot open %s%s", path, "");
        return;
    }
    char line[4096], text[4096] = "";
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        if (!strncmp(line, "pattern ", 8)) {
            screen_case_end();
            scr_re = rules_compile(line + 8, 0, path, lineno);
            scr_anch = rules_compile(line + 8, PCRE2_ANCHORED, path, lineno);
            screen_build(&scr, line + 8, &scr_why);
            result(scr_re && scr_anch, path, lineno, "pattern does not compile: %s%s", line + 8, "");
        } else if (!strncmp(line, "screen ", 7)) {
            /* "screen on", "screen on skip", or "screen off REASON" */
            char got[128];
            snprintf(got, sizeof got, "%s%s%s", scr.on ? "on" : "off ", scr.on ? (scr.skip_word ? " skip" : "") : "",
                     scr.on ? "" : scr_why ? scr_why : "?");
            result(!strcmp(got, line + 7), path, lineno, "want screen %s, got %s", line + 7, got);
        } else if (!strncmp(line, "text ", 5)) {
            snprintf(text, sizeof text, "%s", line + 5);
            size_t where = 0;
            if (scr_re && scr_anch && scr.on) {
                int bad = screen_verify(&scr, scr_re, scr_anch, text, strlen(text), &where);
                char at[32];
                snprintf(at, sizeof at, "%zu", where);
                result(!bad, path, lineno, "screen and PCRE2 differ from offset %s in \"%s\"", at, text);
            }
        } else if (!strncmp(line, "starts", 6)) {
            char got[512] = "";
            const unsigned char *t = (const unsigned char *)text;
            size_t len = strlen(text);
            pcre2_match_data *md = pcre2_match_data_create(1, NULL);
            for (size_t off = 0; scr.on && off < len;) {
                if (screen_match(&scr, scr_anch, t, off, len, md, NULL) < 0)
                    break;
                size_t p = pcre2_get_ovector_pointer(md)[0];
                snprintf(got + strlen(got), sizeof got - strlen(got), " %zu", p);
                off = p + 1;
            }
            pcre2_match_data_free(md);
            result(!strcmp(got, line + 6), path, lineno, "starts: want%s, got%s", line + 6, got);
        } else {
            result(0, path, lineno, "stray line '%s'%s", line, "");
        }
    }
    screen_case_end();
    fclose(f);
}

static void report(void *ud, const char *file, int line, const char *name, int ok, const char *msg)
{
    (void)ud;
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL %s:%d: rule '%s': %s\n", file, line, name, msg);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "rules";
    run_numbers("tests/numbers.test");
    run_screens("tests/screen.test");
    ruleset *rs;
    if (ruleset_load(dir, &rs)) {
        printf("FAIL rules in '%s' do not load\n", dir);
        failed++;
    } else {
        scanner *sc = scanner_new(rs);
        run_normalize("tests/normalize.test", sc);
        int p = 0;
        scan_check_examples(sc, report, NULL);
        hwscan *hs = hwscan_new(rs->hw);
        failed += hwcat_check_examples(rs->hw, hs, stdout, &p);
        passed += p;
        hwscan_free(hs);
        scanner_free(sc);
        ruleset_free(rs);
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
