/* pair.h: pairs the records of two lists one to one, inside one group (one
 * doc and kind, say): gold with predictions in `eval`, old with new in `diff`.
 * The caller lists the pairs that may go together, each with the keys that
 * rank it; pair_assign() keeps the largest number of pairs, preferring the
 * better-ranked ones where it has a choice. */
#ifndef PAIR_H
#define PAIR_H

#include <stddef.h>
#include <stdint.h>

#define PAIR_NONE SIZE_MAX

/* A pair that fits: g indexes the first list (gold, old), p the second
 * (predictions, new).  Ranked by same (higher first: the caller's own
 * preference, e.g. the same name), then the most span overlap, the closest
 * start, then g and p. */
typedef struct pair_cand {
    size_t g, p;
    int same;
    long overlap;
    unsigned long dist;
} pair_cand;

/* Sets overlap and dist from two spans [gs,ge) and [ps,pe); an unknown span
 * (-1) overlaps nothing and is farthest. */
void pair_span_keys(pair_cand *c, long gs, long ge, long ps, long pe);

/* Fills g2p[0..ng) and p2g[0..np) with the partner's index or PAIR_NONE.
 * Sorts cv. */
void pair_assign(pair_cand *cv, size_t nc, size_t ng, size_t np, size_t *g2p, size_t *p2g);

#endif
