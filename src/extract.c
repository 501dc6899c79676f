/* extract.c: the pipeline reader -> scanner -> caller behind every command
 * that reads documents.  With more than one job, a reader thread (the
 * caller's) fills batches of documents, worker threads scan them, each with
 * its own scanner over the shared rule set, and the caller's callback gets
 * every document in input order; at most a few batches are in flight, so
 * memory does not grow with the input. */
#include "extract.h"
#include "read.h"
#include "rules.h"
#include "scan.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char rules_hash[17];

const char *extract_rules_hash(void)
{
    return rules_hash;
}

/* $CLAIMSCAN_RULES, else rules/ beside the binary, else ./rules. */
static char *default_rules_dir(void)
{
    const char *env = getenv("CLAIMSCAN_RULES");
    if (env && *env)
        return xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *dir = xasprintf("%s/rules", exe);
            char *probe = xasprintf("%s/units.map", dir);
            int ok = access(probe, R_OK) == 0;
            free(probe);
            if (ok)
                return dir;
            free(dir);
        }
    }
    return xstrdup("rules");
}

int extract_load_rules(const char *dir, ruleset **out)
{
    char *d = dir ? xstrdup(dir) : default_rules_dir();
    int rc = ruleset_load(d, out);
    free(d);
    if (rc == 0)
        memcpy(rules_hash, (*out)->hash, sizeof rules_hash);
    return rc;
}

int extract_run(const extract_opts *o, char **files, int nfiles, extract_cb cb, void *ud)
{
    ruleset *rs;
    if (extract_load_rules(o->rules_dir, &rs))
        return CS_EXIT_RULES;
    int rc = extract_run_with(rs, o, files, nfiles, cb, ud);
    ruleset_free(rs);
    return rc;
}

/* Scans one document into res.  A rule that hits a PCRE2 limit becomes the
 * document's error; what the other rules found is kept. */
static void extract_one(scanner *sc, cs_doc *doc, cs_result *res)
{
    cs_result_clear(res);
    if (doc->error || !doc->text)
        return;
    char *err = NULL;
    if (scan_doc(sc, doc->text, doc->len, res, &err)) {
        doc->error = xasprintf("%s (document %s)", err, doc->id ? doc->id : "?");
        free(err);
    }
    scan_title(sc, doc->title, res);
}

/* A batch is handed on at BATCH documents or BATCH_BYTES of text, and the
 * reader waits for the workers while more than INFLIGHT_BYTES are read but
 * not yet delivered: memory stays bounded when documents are large (up to
 * READ_MAX_DOC_DEFAULT each), not only when they are many. */
#define BATCH 64
#define BATCH_BYTES ((size_t)1 << 20)
#define INFLIGHT_BYTES ((size_t)8 << 20)

typedef struct batch {
    cs_doc doc[BATCH];
    cs_result res[BATCH];
    int n;
    size_t bytes;           /* text and titles of doc[0..n) */
    int state;              /* 0 free, 1 queued, 2 scanning, 3 done */
} batch;

typedef struct pool {
    const ruleset *rs;
    batch *b;
    int nb;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    int quit;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    scanner *sc = scanner_new(p->rs);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        batch *b = NULL;
        for (int i = 0; i < p->nb && !b; i++)
            if (p->b[i].state == 1)
                b = &p->b[i];
        if (!b) {
            if (p->quit)
                break;
            pthread_cond_wait(&p->work, &p->mu);
            continue;
        }
        b->state = 2;
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < b->n; i++)
            extract_one(sc, &b->doc[i], &b->res[i]);
        pthread_mutex_lock(&p->mu);
        b->state = 3;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    scanner_free(sc);
    return NULL;
}

/* Hands a filled batch to the workers, or scans it here with one job. */
static void submit(pool *p, batch *b, scanner *sc)
{
    if (!sc) {
        pthread_mutex_lock(&p->mu);
        b->state = 1;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->mu);
        return;
    }
    for (int k = 0; k < b->n; k++)
        extract_one(sc, &b->doc[k], &b->res[k]);
    b->state = 3;
}

typedef struct progress {
    int on;
    double t0, last;
    size_t docs;
    double bytes;
} progress;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void progress_tick(progress *pg, const cs_doc *d, int final)
{
    if (!pg->on)
        return;
    pg->docs += d != NULL;
    pg->bytes += d && d->text ? (double)d->len : 0;
    double t = now();
    if (!final && t - pg->last < 0.5)
        return;
    pg->last = t;
    double mb = pg->bytes / 1e6, secs = t - pg->t0 > 1e-9 ? t - pg->t0 : 1e-9;
    fprintf(stderr, "\rclaimscan: %zu documents, %.1f MB, %.1f MB/s%s", pg->docs, mb, mb / secs,
            final ? "\n" : "");
}

/* Hands a finished document to the caller, in input order. */
static int deliver(cs_doc *doc, cs_result *res, extract_cb cb, void *ud, int *status, progress *pg)
{
    if (doc->error) {
        pg->on ? fputc('\n', stderr) : 0;
        cs_error("%s: %s", doc->source ? doc->source : "?", doc->error);
        if (*status == CS_EXIT_OK)
            *status = CS_EXIT_DOCERR;
    }
    progress_tick(pg, doc, 0);
    return cb(doc, res, ud);
}

static int jobs_for(const extract_opts *o)
{
    if (o->jobs > 0)
        return o->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

int extract_run_with(const ruleset *rs, const extract_opts *o, char **files, int nfiles, extract_cb cb, void *ud)
{
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        files = stdin_only;
        nfiles = 1;
    }
    int jobs = jobs_for(o), status = CS_EXIT_OK, stop = 0;
    progress pg = {.on = !o->quiet && isatty(2), .t0 = now()};
    pool p = {.rs = rs, .nb = jobs > 1 ? 3 * jobs : 1};
    p.b = xcalloc((size_t)p.nb, sizeof *p.b);
    pthread_t *th = NULL;
    scanner *sc = NULL;
    if (jobs > 1) {
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.work, NULL);
        pthread_cond_init(&p.done, NULL);
        th = xcalloc((size_t)jobs, sizeof *th);
        for (int i = 0; i < jobs; i++)
            if (pthread_create(&th[i], NULL, worker, &p)) {
                cs_error("cannot start a worker thread");
                exit(CS_EXIT_DOCERR);
            }
    } else {
        sc = scanner_new(rs);
    }
    int fill = 0, next = 0;     /* batch being filled, oldest batch in flight */
    size_t inflight = 0;        /* bytes of the batches handed on, not yet delivered */

    /* Delivers finished batches in order; with wait, blocks for the oldest. */
#define DRAIN(wait)                                                                  \
    do {                                                                             \
        for (;;) {                                                                   \
            batch *b = &p.b[next];                                                   \
            if (jobs > 1) {                                                          \
                pthread_mutex_lock(&p.mu);                                           \
                while ((wait) && (b->state == 1 || b->state == 2))                   \
                    pthread_cond_wait(&p.done, &p.mu);                               \
                int ready = b->state == 3;                                           \
                pthread_mutex_unlock(&p.mu);                                         \
                if (!ready)                                                          \
                    break;                                                           \
            } else if (b->state != 3) {                                              \
                break;                                                               \
            }                                                                        \
            for (int i = 0; i < b->n; i++) {                                         \
                if (!stop && deliver(&b->doc[i], &b->res[i], cb, ud, &status, &pg))  \
                    stop = 1;                                                        \
                cs_doc_clear(&b->doc[i]);                                            \
            }                                                                        \
            b->n = 0;                                                                \
            inflight -= b->bytes;                                                    \
            b->bytes = 0;                                                            \
            b->state = 0;                                                            \
            next = (next + 1) % p.nb;                                                \
            if (next == fill)                                                        \
                break;                                                               \
        }                                                                            \
    } while (0)

    for (int i = 0; i < nfiles && !stop; i++) {
        cs_reader *rd;
        char *err = NULL;
        if (reader_open(files[i], o->infmt, o->text_field, 0, &rd, &err)) {
            cs_error("%s", err);
            free(err);
            status = CS_EXIT_USAGE;
            continue;
        }
        int rc;
        for (;;) {
            batch *b = &p.b[fill];
            rc = reader_next(rd, &b->doc[b->n], &err);
            if (rc != 1)
                break;
            const cs_doc *d = &b->doc[b->n];
            b->bytes += (d->text ? d->len : 0) + (d->title ? strlen(d->title) : 0);
            if (++b->n < BATCH && b->bytes < BATCH_BYTES)
                continue;
            submit(&p, b, sc);      /* a full batch */
            inflight += b->bytes;
            fill = (fill + 1) % p.nb;
            DRAIN(fill == next || inflight > INFLIGHT_BYTES);
            if (stop)
                break;
        }
        if (rc < 0) {
            cs_error("%s", err);
            free(err);
            if (status == CS_EXIT_OK)
                status = CS_EXIT_DOCERR;
        }
        reader_close(rd);
    }
    /* the last, partly filled batch */
    batch *b = &p.b[fill];
    if (b->n) {
        submit(&p, b, sc);
        inflight += b->bytes;
        fill = (fill + 1) % p.nb;
    }
    while (p.b[next].state != 0)
        DRAIN(1);
#undef DRAIN
    progress_tick(&pg, NULL, 1);
    if (jobs > 1) {
        pthread_mutex_lock(&p.mu);
        p.quit = 1;
        pthread_cond_broadcast(&p.work);
        pthread_mutex_unlock(&p.mu);
        for (int i = 0; i < jobs; i++)
            pthread_join(th[i], NULL);
        free(th);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.work);
        pthread_cond_destroy(&p.done);
    }
    for (int i = 0; i < p.nb; i++) {
        for (int k = 0; k < BATCH; k++) {
            cs_doc_clear(&p.b[i].doc[k]);
            cs_result_free(&p.b[i].res[k]);
        }
    }
    free(p.b);
    scanner_free(sc);
    return status;
}
