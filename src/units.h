/* units.h: unit spellings (rules/units.map) -> canonical unit, base unit, scale. */
#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>

typedef struct cs_unit {
    char *name;      /* canonical spelling: "x", "%", "tokens/s", "ms", "GB" */
    char *base;      /* base unit ("s", "B", "ops/J"); NULL for ratio units */
    double scale;    /* value * scale = norm in base */
    int kind;        /* the absolute kind this unit measures, or -1 (ratio) */
} cs_unit;

typedef struct units {
    cs_unit *u;
    size_t n;
    char **spell;        /* spellings, whitespace-collapsed */
    size_t *spell_unit;  /* index into u */
    size_t nspell;
} units;

/* Loads a units file; prints "path:line: error: ..." and returns -1 on error. */
int units_load(const char *path, units *out);
void units_free(units *u);
/* Exact spelling first, then a case-insensitive match; NULL when unknown. */
const cs_unit *units_lookup(const units *u, const char *s, size_t n);
const cs_unit *units_find(const units *u, const char *canonical);

#endif
