/* pair.c: one-to-one pairing of two lists of records inside a group (pair.h),
 * shared by `eval` (gold against predictions) and `diff` (old against new). */
#include "pair.h"
#include "cs.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int cand_cmp(const void *pa, const void *pb)
{
    const pair_cand *a = pa, *b = pb;
    if (a->same != b->same)
        return a->same > b->same ? -1 : 1;
    if (a->overlap != b->overlap)
        return a->overlap > b->overlap ? -1 : 1;
    if (a->dist != b->dist)
        return a->dist < b->dist ? -1 : 1;
    if (a->g != b->g)
        return a->g < b->g ? -1 : 1;
    return a->p < b->p ? -1 : a->p > b->p;
}

void pair_span_keys(pair_cand *c, long gs, long ge, long ps, long pe)
{
    if (gs < 0 || ge < 0 || ps < 0 || pe < 0) {
        c->overlap = 0;
        c->dist = ULONG_MAX;
        return;
    }
    long lo = gs > ps ? gs : ps, hi = ge < pe ? ge : pe;
    c->overlap = hi > lo ? hi - lo : 0;
    c->dist = (unsigned long)(gs > ps ? gs - ps : ps - gs);
}

typedef struct pair_match {
    pair_cand *cv;
    size_t nc;
    size_t *g2p, *p2g;
    unsigned char *seen;
} pair_match;

/* Kuhn's augmenting path from record g of the first list, trying its
 * candidates best first. */
static int augment(pair_match *m, size_t g)
{
    for (size_t k = 0; k < m->nc; k++) {
        const pair_cand *c = &m->cv[k];
        if (c->g != g || m->seen[c->p])
            continue;
        m->seen[c->p] = 1;
        if (m->p2g[c->p] == PAIR_NONE || augment(m, m->p2g[c->p])) {
            m->g2p[g] = c->p;
            m->p2g[c->p] = g;
            return 1;
        }
    }
    return 0;
}

/* Greedy by preference, then augmenting paths so that a record never goes
 * unmatched because a better-placed one took the only partner that fitted it: the number of matches is the largest possible, and among the
 * ways to reach it the preferred pairs are kept where they can be. */
void pair_assign(pair_cand *cv, size_t nc, size_t ng, size_t np, size_t *g2p, size_t *p2g)
{
    for (size_t i = 0; i < ng; i++)
        g2p[i] = PAIR_NONE;
    for (size_t j = 0; j < np; j++)
        p2g[j] = PAIR_NONE;
    qsort(cv, nc, sizeof *cv, cand_cmp);
    for (size_t k = 0; k < nc; k++)
        if (g2p[cv[k].g] == PAIR_NONE && p2g[cv[k].p] == PAIR_NONE) {
            g2p[cv[k].g] = cv[k].p;
            p2g[cv[k].p] = cv[k].g;
        }
    pair_match m = {cv, nc, g2p, p2g, xcalloc(np ? np : 1, 1)};
    for (size_t i = 0; i < ng; i++) {
        if (g2p[i] != PAIR_NONE)
            continue;
        memset(m.seen, 0, np ? np : 1);
        augment(&m, i);
    }
    free(m.seen);
}
