/* cmd_plot.c: `claimscan plot`, gnuplot charts of a claims table.
 *
 * Safety: gnuplot runs backquoted text as shell commands and expands
 * @macros and system(), so no document-derived string ever enters a .gp
 * script.  Labels (hardware names) go into the .dat file only, quoted and
 * reduced to a small set of harmless characters, and are read back with
 * xticlabels().  Everything written in a script is a constant of this file
 * or a number.  gnuplot is run with fork/execvp, never through a shell, in
 * the output directory, so not even the directory name reaches the script. */
#include "claimtab.h"
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Hardware classes of the schema, in legend order, with their colours.
 * Index 0 is unused (gnuplot linetypes start at 1). */
static const char *const classes[] = {
    NULL, "gpu", "cpu", "fpga", "npu", "tpu", "soc", "mcu", "asic", "system", "other", "unspecified",
};
static const char *const class_rgb[] = {
    NULL, "#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e", "#1f78b4", "#a6761d", "#e31a1c",
    "#6a3d9a", "#b15928", "#999999",
};
#define NCLASSES ((int)(sizeof classes / sizeof *classes))
#define CLASS_OTHER 10
#define CLASS_NONE 11

static int class_index(const claimtab *t, const char *hardware)
{
    if (!hardware || !*hardware)
        return CLASS_NONE;
    const ct_hw *h = claimtab_hw_info(t, hardware);
    for (int i = 1; h && h->hwclass && i < CLASS_OTHER; i++)
        if (!strcmp(h->hwclass, classes[i]))
            return i;
    return CLASS_OTHER;
}

/* A label for a .dat file: printable ASCII letters, digits and a few
 * punctuation marks only (no quotes, backslashes, backquotes, @, $, {}, ^,
 * _, &, ~ or #, which gnuplot or its enhanced text would interpret), runs of
 * anything else squeezed to one space, at most 32 characters. */
static void dat_label(sbuf *b, const char *s)
{
    char out[40];
    size_t n = 0;
    int space = 0;
    for (; s && *s && n < 32; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            (c && strchr(".,:;/()+%=-", c))) {
            if (space && n)
                out[n++] = ' ';
            space = 0;
            if (n < 32)
                out[n++] = (char)c;
        } else {
            space = 1;
        }
    }
    if (!n)
        out[n++] = '?';
    sb_putc(b, '"');
    sb_putn(b, out, n);
    sb_putc(b, '"');
}

static int write_file(const char *dir, const char *name, const sbuf *b)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    int rc = 0;
    if (!f || (b->len && fwrite(b->s, 1, b->len, f) != b->len) || fclose(f) != 0) {
        cs_error("cannot write '%s': %s", p, strerror(errno));
        if (f && errno == 0)
            fclose(f);
        rc = -1;
    }
    free(p);
    return rc;
}

/* Runs `gnuplot NAME.gp` in dir.  0 ok, -1 failed (printed), -2 not installed. */
static int run_gnuplot(const char *dir, const char *script)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        cs_error("cannot run gnuplot: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        cs_error("cannot run gnuplot: %s", strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        int err = 0;
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        if (chdir(dir) != 0)
            err = errno;
        else {
            char *args[] = {"gnuplot", (char *)script, NULL};
            execvp("gnuplot", args);
            err = errno;
        }
        if (write(pfd[1], &err, sizeof err) < 0)
            _exit(126);
        _exit(127);
    }
    close(pfd[1]);
    int err = 0;
    ssize_t got = read(pfd[0], &err, sizeof err);
    close(pfd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got == (ssize_t)sizeof err) {
        if (err == ENOENT)
            return -2;
        cs_error("cannot run gnuplot in '%s': %s", dir, strerror(err));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            cs_error("gnuplot failed on '%s/%s' (exit status %d)", dir, script, WEXITSTATUS(status));
        else
            cs_error("gnuplot failed on '%s/%s' (killed by signal %d)", dir, script, WTERMSIG(status));
        return -1;
    }
    return 0;
}

/* The terminal line and output name, the same for every plot. */
static void gp_terminal(sbuf *gp, const char *format, const char *name, int w, int h)
{
    sb_puts(gp, "# written by claimscan; re-run with: gnuplot ");
    sb_printf(gp, "%s.gp\n", name);
    if (!strcmp(format, "svg"))
        sb_printf(gp, "set terminal svg size %d,%d font \"sans,13\" noenhanced background \"white\"\n", w, h);
    else
        sb_printf(gp, "set terminal pngcairo size %d,%d font \"sans,10\" noenhanced\n", w, h);
    sb_printf(gp, "set output \"%s.%s\"\n", name, format);
    sb_puts(gp, "set encoding utf8\nset datafile missing \"NaN\"\nset grid ytics lc rgb \"#dddddd\"\n");
    for (int i = 1; i < NCLASSES; i++)
        sb_printf(gp, "set linetype %d lc rgb \"%s\" pt 7 ps 1.1\n", i, class_rgb[i]);
    sb_puts(gp, "set border 3\nset tics nomirror\n");
}

/* Writes name.dat and name.gp, runs gnuplot, and records the image name. */
typedef struct plotset {
    const char *dir, *format;
    char **names;
    size_t n;
    int rc;             /* worst result so far */
} plotset;

static void emit(plotset *ps, const char *name, const sbuf *dat, const sbuf *gp)
{
    char *datn = xasprintf("%s.dat", name), *gpn = xasprintf("%s.gp", name);
    if (write_file(ps->dir, datn, dat) || write_file(ps->dir, gpn, gp)) {
        ps->rc = -1;
    } else if (ps->rc != -2) {
        /* once gnuplot is known missing, the rest only get their files */
        int r = run_gnuplot(ps->dir, gpn);
        if (r == 0) {
            ps->names = xrealloc(ps->names, (ps->n + 1) * sizeof *ps->names);
            ps->names[ps->n++] = xasprintf("%s.%s", name, ps->format);
        } else if (r == -2 || ps->rc == 0) {
            ps->rc = r;
        }
    }
    free(datn);
    free(gpn);
}

/* Norm of the low end of an absolute range, like ct_lo_factor for ratios. */
static double lo_num(const ct_claim *c)
{
    if (CS_KIND_IS_RATIO(c->kind))
        return ct_lo_factor(c);
    if (isnan(c->lo) || isnan(c->hi) || c->hi == 0)
        return c->norm;
    return c->norm * c->lo / c->hi;
}

/* One point per claim, per hardware (x), on a log axis; ranges as bars from
 * lo to hi; hardware sorted by median and coloured by class; a grey dash at
 * each median. */
static void plot_by_hardware(plotset *ps, const claimtab *t, int kind, const char *norm_unit,
                             const char *name, const char *title, const char *ylabel)
{
    size_t ng = 0;
    ct_group *g = ct_group_by_hardware(t, kind, norm_unit, &ng);
    if (!ng) {
        ct_groups_free(g, ng);
        return;
    }
    sbuf dat = {0}, gp = {0};
    size_t npoints = 0, nranges = 0, nclaims = 0;
    int used[NCLASSES] = {0};
    double ymin = INFINITY, ymax = -INFINITY;
    sb_printf(&dat, "# claimscan: %s\n", title);
    sb_puts(&dat, "# block 0, single values: x value class\n");
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            sb_puts(&dat, "# ranges: x value(hi) lo hi class\n");
        size_t wrote = 0;
        for (size_t i = 0; i < ng; i++) {
            int cls = class_index(t, g[i].name);
            for (size_t j = 0; j < g[i].n; j++) {
                const ct_claim *c = &t->claims[g[i].idx[j]];
                double v = ct_claim_num(c), lo = lo_num(c);
                int range = !isnan(c->lo) && !isnan(c->hi) && !isnan(lo) && lo > 0;
                if (range != pass || !(v > 0))
                    continue;
                /* deterministic jitter so equal values stay visible */
                double x = (double)i + ((double)(j % 7) - 3.0) * 0.07;
                if (range)
                    sb_printf(&dat, "%.3f %.10g %.10g %.10g %d\n", x, v, lo, v, cls);
                else
                    sb_printf(&dat, "%.3f %.10g %d\n", x, v, cls);
                used[cls] = 1;
                ymin = fmin(ymin, range ? lo : v);
                ymax = fmax(ymax, v);
                wrote++;
            }
        }
        if (pass == 0)
            npoints = wrote;
        else
            nranges = wrote;
        nclaims += wrote;
        if (wrote)
            sb_puts(&dat, "\n\n");
    }
    sb_puts(&dat, "# hardware: x median label\n");
    for (size_t i = 0; i < ng; i++) {
        sb_printf(&dat, "%zu %.10g ", i, g[i].median);
        if (*g[i].name)
            dat_label(&dat, g[i].name);
        else
            sb_puts(&dat, "\"(unspecified)\"");
        sb_putc(&dat, '\n');
    }
    if (!nclaims) {
        sb_free(&dat);
        ct_groups_free(g, ng);
        return;
    }
    int w = 170 + (int)ng * 26;
    if (w < 900)
        w = 900;
    gp_terminal(&gp, ps->format, name, w, 640);
    sb_printf(&gp, "set title \"%s (%zu claims, %zu hardware)\"\n", title, nclaims, ng);
    sb_printf(&gp, "set ylabel \"%s\"\nset xlabel \"hardware (sorted by median)\"\n", ylabel);
    sb_puts(&gp, "set logscale y 10\nset format y \"%g\"\n");
    /* whole decades, so that even a narrow range has labelled ticks */
    double lo = ymin > 0 ? pow(10, floor(log10(ymin / 1.2))) : 0.5;
    double hi = ymax > 0 ? pow(10, ceil(log10(ymax * 1.2))) : 10;
    sb_printf(&gp, "set yrange [%.6g:%.6g]\n", lo, hi);
    sb_printf(&gp, "set xrange [-0.7:%.1f]\n", (double)ng - 0.3);
    sb_puts(&gp, "set xtics rotate by 45 right font \",9\" scale 0\n");
    sb_puts(&gp, "set key outside top center horizontal samplen 2 spacing 1.1\nset bars small\n");
    /* room at the left for the first rotated label */
    sb_puts(&gp, "set lmargin 20\n");
    sb_puts(&gp, "plot \\\n");
    int block = 0;
    if (npoints)
        sb_printf(&gp, "  \"%s.dat\" index %d using 1:2:3 with points lc variable pt 7 notitle, \\\n", name, block++);
    if (nranges)
        sb_printf(&gp, "  \"%s.dat\" index %d using 1:2:3:4:5 with yerrorbars lc variable pt 7 notitle, \\\n",
                  name, block++);
    sb_printf(&gp, "  \"%s.dat\" index %d using 1:2:(0.32):xticlabels(3) with xerrorbars "
                   "lc rgb \"#333333\" lw 2 pt 0 ps 0 title \"median\"", name, block);
    for (int i = 1; i < NCLASSES; i++)
        if (used[i])
            sb_printf(&gp, ", \\\n  NaN with points lt %d pt 7 title \"%s\"", i, classes[i]);
    if (nranges)
        sb_puts(&gp, ", \\\n  NaN with lines lc rgb \"#555555\" lw 1 title \"bar: range lo-hi\"");
    sb_putc(&gp, '\n');
    emit(ps, name, &dat, &gp);
    sb_free(&dat);
    sb_free(&gp);
    ct_groups_free(g, ng);
}

static void plot_kinds(plotset *ps, const claimtab *t, int kindf)
{
    size_t count[K__COUNT] = {0}, total = 0;
    for (size_t i = 0; i < t->nclaims; i++)
        if (ct_claim_counts(t, &t->claims[i], kindf))
            count[t->claims[i].kind]++, total++;
    if (!total)
        return;
    sbuf dat = {0}, gp = {0};
    sb_puts(&dat, "# claimscan: claims per kind: x count kind\n");
    int x = 0;
    size_t max = 0;
    for (int k = 0; k < K__COUNT; k++) {
        if (kindf >= 0 && k != kindf)
            continue;
        sb_printf(&dat, "%d %zu \"%s\"\n", x++, count[k], cs_kind_name(k));
        if (count[k] > max)
            max = count[k];
    }
    gp_terminal(&gp, ps->format, "claims_by_kind", 900, 520);
    sb_printf(&gp, "set title \"Claims per kind (%zu claims)\"\n", total);
    sb_puts(&gp, "set ylabel \"claims\"\nset xlabel \"kind\"\n");
    sb_printf(&gp, "set yrange [0:%zu]\nset xrange [-0.6:%d.4]\n", max + max / 8 + 1, x - 1);
    sb_puts(&gp, "set xtics rotate by 30 right scale 0\nset style fill solid 0.75 border -1\nset boxwidth 0.7\n");
    sb_puts(&gp, "plot \"claims_by_kind.dat\" using 1:2:xticlabels(3) with boxes lc rgb \"#1f78b4\" notitle, \\\n"
                "  \"\" using 1:2:2 with labels offset 0,0.7 notitle\n");
    emit(ps, "claims_by_kind", &dat, &gp);
    sb_free(&dat);
    sb_free(&gp);
}

/* Histogram of factors with four log-spaced bins per decade. */
static void plot_histogram(plotset *ps, const claimtab *t, int kind, const char *name, const char *what)
{
    int kmin = 1000, kmax = -1000;
    size_t n = 0;
    for (size_t i = 0; i < t->nclaims; i++) {
        const ct_claim *c = &t->claims[i];
        if (!ct_claim_counts(t, c, kind) || !(c->factor > 0))
            continue;
        int k = (int)floor(log10(c->factor) * 4 + 1e-9);
        if (k < kmin)
            kmin = k;
        if (k > kmax)
            kmax = k;
        n++;
    }
    if (!n)
        return;
    size_t nb = (size_t)(kmax - kmin + 1), max = 0;
    size_t *cnt = xcalloc(nb, sizeof *cnt);
    for (size_t i = 0; i < t->nclaims; i++) {
        const ct_claim *c = &t->claims[i];
        if (!ct_claim_counts(t, c, kind) || !(c->factor > 0))
            continue;
        size_t b = (size_t)((int)floor(log10(c->factor) * 4 + 1e-9) - kmin);
        if (++cnt[b] > max)
            max = cnt[b];
    }
    sbuf dat = {0}, gp = {0};
    sb_printf(&dat, "# claimscan: %s factors, 4 bins per decade: lo hi count\n", what);
    for (size_t b = 0; b < nb; b++)
        sb_printf(&dat, "%.6g %.6g %zu\n", pow(10, (kmin + (int)b) / 4.0), pow(10, (kmin + (int)b + 1) / 4.0), cnt[b]);
    gp_terminal(&gp, ps->format, name, 900, 520);
    sb_printf(&gp, "set title \"Distribution of %s factors (%zu claims)\"\n", what, n);
    sb_printf(&gp, "set xlabel \"%s factor (x, log scale; 4 bins per decade)\"\nset ylabel \"claims\"\n", what);
    sb_puts(&gp, "set logscale x 10\nset format x \"%gx\"\n");
    sb_printf(&gp, "set xrange [%.6g:%.6g]\nset yrange [0:%zu]\n", pow(10, kmin / 4.0) / 1.2,
              pow(10, (kmax + 1) / 4.0) * 1.2, max + max / 8 + 1);
    sb_puts(&gp, "set style fill solid 0.75 border -1\n");
    sb_printf(&gp, "plot \"%s.dat\" using (sqrt($1*$2)):3:1:2:(0):3 with boxxyerror lc rgb \"#d95f02\" notitle\n", name);
    emit(ps, name, &dat, &gp);
    sb_free(&dat);
    sb_free(&gp);
    free(cnt);
}

static int mkdirs(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            cs_error("cannot create '%s': %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        cs_error("cannot create '%s': %s", p, strerror(errno));
        rc = -1;
    }
    free(p);
    return rc;
}

int plot_write_all(const claimtab *t, const char *dir, const char *format, int kindf,
                   char ***names, size_t *nnames)
{
    plotset ps = {dir, format, NULL, 0, 0};
    if (mkdirs(dir))
        return -1;
    /* the factor plots follow --kind when it is a ratio kind */
    int fk = kindf >= 0 ? kindf : K_SPEEDUP;
    if (CS_KIND_IS_RATIO(fk)) {
        const char *kn = cs_kind_name(fk);
        char *name = xasprintf("%s_by_hardware", kn);
        char *title = xasprintf("%s claims by hardware", fk == K_SPEEDUP ? "Speedup" : kn);
        char *ylabel = xasprintf("%s factor (x, log scale)", kn);
        plot_by_hardware(&ps, t, fk, NULL, name, title, ylabel);
        free(name), free(title), free(ylabel);
    }
    if (kindf < 0 || kindf == K_THROUGHPUT) {
        plot_by_hardware(&ps, t, K_THROUGHPUT, "tokens/s", "throughput_tokens",
                         "Throughput by hardware, tokens/s", "tokens/s (log scale)");
        plot_by_hardware(&ps, t, K_THROUGHPUT, "frames/s", "throughput_frames",
                         "Throughput by hardware, frames/s", "frames/s (log scale)");
    }
    plot_kinds(&ps, t, kindf);
    if (CS_KIND_IS_RATIO(fk)) {
        char *name = xasprintf("%s_histogram", cs_kind_name(fk));
        plot_histogram(&ps, t, fk, name, cs_kind_name(fk));
        free(name);
    }
    if (names) {
        *names = ps.names;
        *nnames = ps.n;
    } else {
        for (size_t i = 0; i < ps.n; i++)
            free(ps.names[i]);
        free(ps.names);
    }
    return ps.rc;
}

static void plot_usage(FILE *f)
{
    fputs("usage: claimscan plot [--out DIR] [--format png|svg] [--kind KIND] [--db FILE]\n"
          "                      [--rules DIR] [INPUT...]\n"
          "\n"
          "Charts of a claims table, drawn by gnuplot (Debian package gnuplot-nox):\n"
          "speedup factors by hardware (log scale, one point per claim, ranges as bars,\n"
          "hardware sorted by median and coloured by class), throughput by hardware in\n"
          "tokens/s and frames/s, claims per kind, and a histogram of speedup factors.\n"
          "With --kind set to a ratio kind the factor plots show that kind instead.\n"
          "Each image keeps its .dat and .gp beside it (re-run: cd DIR && gnuplot NAME.gp).\n"
          "INPUT is as for 'claimscan report'.  The image paths are printed.\n"
          "\n"
          "  --out DIR      where to write (default plots; created when missing)\n"
          "  --format       png (default) or svg\n", f);
}

int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"kind", required_argument, NULL, 'k'},
        {"db", required_argument, NULL, 'd'},
        {"rules", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = "plots", *format = "png";
    int kindf = -1, c;
    ct_inputs in = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'f':
            if (strcmp(optarg, "png") && strcmp(optarg, "svg")) {
                cs_error("unknown format '%s' (png or svg)", optarg);
                return CS_EXIT_USAGE;
            }
            format = optarg;
            break;
        case 'k':
            kindf = cs_kind_parse(optarg);
            if (kindf < 0) {
                cs_error("unknown kind '%s'", optarg);
                return CS_EXIT_USAGE;
            }
            break;
        case 'd': in.db = optarg; break;
        case 'r': in.rules_dir = optarg; break;
        case 'h': plot_usage(stdout); return CS_EXIT_OK;
        default: plot_usage(stderr); return CS_EXIT_USAGE;
        }
    }
    in.files = argv + optind;
    in.nfiles = argc - optind;
    if (!in.db && in.nfiles == 0) {
        cs_error("plot: no input (give claims files, documents, or --db FILE)");
        plot_usage(stderr);
        return CS_EXIT_USAGE;
    }
    claimtab t = {0};
    int rc = claimtab_load(&t, &in);
    if (rc == CS_EXIT_USAGE || rc == CS_EXIT_RULES) {
        claimtab_free(&t);
        return rc;
    }
    char **names = NULL;
    size_t n = 0;
    int r = plot_write_all(&t, dir, format, kindf, &names, &n);
    for (size_t i = 0; i < n; i++) {
        printf("%s/%s\n", dir, names[i]);
        free(names[i]);
    }
    free(names);
    if (r == -2)
        cs_error("gnuplot not found; install the Debian package gnuplot-nox (the .dat and .gp files are in %s)", dir);
    else if (r == 0 && n == 0)
        cs_warn("no claims to plot");
    if (r != 0)
        rc = CS_EXIT_DOCERR;
    claimtab_free(&t);
    return rc;
}
