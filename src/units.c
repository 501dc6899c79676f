/* units.c: unit spellings live in rules/units.map, not in C.
 *
 *   unit ms                 canonical spelling (the schema's list)
 *     base s 0.001          base unit and scale; absent for ratio units
 *     kind latency          the absolute kind measured in this unit
 *     spell msec            further spellings (the canonical one is implied)
 */
#include "units.h"
#include "cs.h"
#include "rulefile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *collapse(const char *s, size_t n)
{
    sbuf b = {0};
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = b.len > 0;
            continue;
        }
        if (space)
            sb_putc(&b, ' ');
        space = 0;
        sb_putc(&b, c);
    }
    return b.s ? b.s : xstrdup("");
}

static void add_spelling(units *u, const char *s, size_t unit)
{
    u->spell = xrealloc(u->spell, (u->nspell + 1) * sizeof *u->spell);
    u->spell_unit = xrealloc(u->spell_unit, (u->nspell + 1) * sizeof *u->spell_unit);
    u->spell[u->nspell] = collapse(s, strlen(s));
    u->spell_unit[u->nspell] = unit;
    u->nspell++;
}

int units_load(const char *path, units *out)
{
    memset(out, 0, sizeof *out);
    rf_file f;
    if (rf_read(path, &f))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < f.n && rc == 0; i++) {
        rf_line *l = &f.lines[i];
        if (!l->indented) {
            if (strcmp(l->key, "unit") || !*l->val) {
                fprintf(stderr, "%s:%d: error: expected 'unit NAME', got '%s'\n", path, l->lineno, l->key);
                rc = -1;
                break;
            }
            if (units_find(out, l->val)) {
                fprintf(stderr, "%s:%d: error: unit '%s' defined twice\n", path, l->lineno, l->val);
                rc = -1;
                break;
            }
            out->u = xrealloc(out->u, (out->n + 1) * sizeof *out->u);
            cs_unit *u = &out->u[out->n++];
            u->name = xstrdup(l->val);
            u->base = NULL;
            u->scale = 1;
            u->kind = -1;
            add_spelling(out, l->val, out->n - 1);
            continue;
        }
        if (out->n == 0) {
            fprintf(stderr, "%s:%d: error: '%s' outside a unit block\n", path, l->lineno, l->key);
            rc = -1;
            break;
        }
        cs_unit *u = &out->u[out->n - 1];
        if (!strcmp(l->key, "spell")) {
            add_spelling(out, l->val, out->n - 1);
        } else if (!strcmp(l->key, "base")) {
            char name[64];
            double scale;
            char extra;
            if (sscanf(l->val, "%63s %lf %c", name, &scale, &extra) != 2 || !(scale > 0)) {
                fprintf(stderr, "%s:%d: error: expected 'base UNIT SCALE'\n", path, l->lineno);
                rc = -1;
                break;
            }
            free(u->base);
            u->base = xstrdup(name);
            u->scale = scale;
        } else if (!strcmp(l->key, "kind")) {
            u->kind = cs_kind_parse(l->val);
            if (u->kind < 0 || CS_KIND_IS_RATIO(u->kind)) {
                fprintf(stderr, "%s:%d: error: '%s' is not an absolute kind\n", path, l->lineno, l->val);
                rc = -1;
                break;
            }
        } else {
            fprintf(stderr, "%s:%d: error: unknown field '%s' in unit block\n", path, l->lineno, l->key);
            rc = -1;
            break;
        }
    }
    for (size_t i = 0; rc == 0 && i < out->n; i++) {
        if ((out->u[i].base == NULL) != (out->u[i].kind < 0)) {
            fprintf(stderr, "%s: error: unit '%s' needs both 'base' and 'kind' (or neither, for a ratio)\n",
                    path, out->u[i].name);
            rc = -1;
        }
    }
    rf_free(&f);
    if (rc)
        units_free(out);
    return rc;
}

void units_free(units *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->u[i].name);
        free(u->u[i].base);
    }
    for (size_t i = 0; i < u->nspell; i++)
        free(u->spell[i]);
    free(u->u);
    free(u->spell);
    free(u->spell_unit);
    memset(u, 0, sizeof *u);
}

const cs_unit *units_find(const units *u, const char *canonical)
{
    for (size_t i = 0; i < u->n; i++)
        if (!strcmp(u->u[i].name, canonical))
            return &u->u[i];
    return NULL;
}

const cs_unit *units_lookup(const units *u, const char *s, size_t n)
{
    char *k = collapse(s, n);
    const cs_unit *hit = NULL;
    for (size_t i = 0; i < u->nspell && !hit; i++)
        if (!strcmp(u->spell[i], k))
            hit = &u->u[u->spell_unit[i]];
    if (!hit) {
        for (size_t i = 0; i < u->nspell; i++) {
            if (strcasecmp(u->spell[i], k))
                continue;
            if (hit && hit != &u->u[u->spell_unit[i]]) {
                hit = NULL;     /* ambiguous without case: "MB" vs "Mb" */
                break;
            }
            hit = &u->u[u->spell_unit[i]];
        }
    }
    free(k);
    return hit;
}
