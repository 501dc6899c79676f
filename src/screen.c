/* screen.c: the strings every match of a pattern begins with (see screen.h).
 *
 * The analysis is a small recursive-descent reading of PCRE2's syntax that
 * computes, for each piece of the pattern, a set of "strings": sequences of
 * byte sets, each marked complete (the piece matches exactly that many
 * bytes) or open (the piece may go on; only a prefix is known).  A sequence
 * joins the complete strings of its left part to every string of its right;
 * an alternation unites.  Strings are cut at SCREEN_MAXLIT bytes, and a set
 * grown past MAXSTR strings is cut shorter until it fits.  Cutting a string
 * only weakens what it requires, so the screen stays sound. */
#include "screen.h"
#include "cs.h"

#include <stdlib.h>
#include <string.h>

#define MAXSTR 256
#define SKIP_WORD "[a-z]++(*SKIP)(*FAIL)"

typedef struct str {
    uint8_t n, open;
    uint8_t set[SCREEN_MAXLIT][32];
} str;

typedef struct sset {
    str *v;
    size_t n, cap;
} sset;

typedef struct parser {
    const char *p;
    const char *why;    /* set: no screen */
    int skip_word;      /* the last top-level alternative is the word-skipping idiom */
} parser;

/* The first three bytes, lowercased, hashed to a bit of screen.tri. */
static unsigned tri_hash(unsigned c0, unsigned c1, unsigned c2)
{
    c0 |= ((unsigned char)((c0 | 32) - 'a') < 26) << 5;
    c1 |= ((unsigned char)((c1 | 32) - 'a') < 26) << 5;
    c2 |= ((unsigned char)((c2 | 32) - 'a') < 26) << 5;
    return ((c0 * 0x9E3779B1u) ^ (c1 * 0x85EBCA77u) ^ (c2 * 0xC2B2AE3Du)) >> 16 & 0xFFFF;
}

static void bit_set(uint8_t *set, unsigned b)
{
    set[b >> 3] |= (uint8_t)(1u << (b & 7));
}

static int bit_has(const uint8_t *set, unsigned b)
{
    return (set[b >> 3] >> (b & 7)) & 1;
}

static void ss_free(sset *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static str *ss_add(sset *a)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 4;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    str *s = &a->v[a->n++];
    memset(s, 0, sizeof *s);
    return s;
}

/* The empty string, complete: what an assertion matches. */
static sset ss_empty(void)
{
    sset a = {0};
    ss_add(&a);
    return a;
}

/* Nothing known: any byte may come next. */
static sset ss_any(void)
{
    sset a = {0};
    ss_add(&a)->open = 1;
    return a;
}

static int str_cmp(const void *pa, const void *pb)
{
    const str *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    if (a->open != b->open)
        return a->open < b->open ? -1 : 1;
    return memcmp(a->set, b->set, (size_t)a->n * 32);
}

static void ss_dedupe(sset *a)
{
    for (size_t i = 0; i < a->n; i++)     /* bytes past n take no part */
        memset(a->v[i].set[a->v[i].n], 0, (size_t)(SCREEN_MAXLIT - a->v[i].n) * 32);
    if (a->n > 1)
        qsort(a->v, a->n, sizeof *a->v, str_cmp);
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!k || str_cmp(&a->v[k - 1], &a->v[i]))
            a->v[k++] = a->v[i];
    a->n = k;
}

/* Keeps a within MAXSTR strings by cutting every string shorter. */
static void ss_limit(parser *P, sset *a)
{
    if (a->n <= MAXSTR)
        return;
    ss_dedupe(a);
    for (int len = SCREEN_MAXLIT - 1; a->n > MAXSTR && len >= 1; len--) {
        for (size_t i = 0; i < a->n; i++)
            if (a->v[i].n > len) {
                a->v[i].n = (uint8_t)len;
                a->v[i].open = 1;
            }
        ss_dedupe(a);
    }
    if (a->n > MAXSTR && !P->why)
        P->why = "too many first strings";
}

/* a then b (frees both). */
static sset ss_seq(parser *P, sset a, sset b)
{
    sset r = {0};
    for (size_t i = 0; i < a.n; i++) {
        const str *x = &a.v[i];
        if (x->open || x->n == SCREEN_MAXLIT) {
            str *y = ss_add(&r);
            *y = *x;
            y->open = 1;
            continue;
        }
        for (size_t j = 0; j < b.n; j++) {
            const str *z = &b.v[j];
            str *y = ss_add(&r);
            *y = *x;
            size_t k = 0;
            for (; k < z->n && y->n < SCREEN_MAXLIT; k++)
                memcpy(y->set[y->n++], z->set[k], 32);
            y->open = z->open || k < z->n;
        }
    }
    ss_free(&a);
    ss_free(&b);
    ss_limit(P, &r);
    return r;
}

/* a or b (frees b). */
static void ss_alt(parser *P, sset *a, sset b)
{
    for (size_t i = 0; i < b.n; i++)
        *ss_add(a) = b.v[i];
    ss_free(&b);
    ss_limit(P, a);
}

/* ---- characters -------------------------------------------------------- */

/* One piece of a class: ASCII bytes, whole multi-byte characters, and
 * whether any other non-ASCII character may match. */
typedef struct cls {
    uint8_t ascii[32];
    sset multi;
    int other;
} cls;

static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static uint32_t utf8_decode(const unsigned char *s, int n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (0xFF >> (n + 1));
    for (int i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    return cp;
}

static int utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Characters without case: caseless matching finds only themselves. */
static int caseless_plain(uint32_t cp)
{
    return (cp >= 0xA0 && cp <= 0xBF && cp != 0xB5) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x20FF) || (cp >= 0x2190 && cp <= 0x23FF) || (cp >= 0x2500 && cp <= 0x2BFF);
}

static void cls_char(cls *c, uint32_t cp)
{
    if (cp < 0x80) {
        bit_set(c->ascii, cp);
        if (cp >= 'a' && cp <= 'z')
            bit_set(c->ascii, cp - 32);
        else if (cp >= 'A' && cp <= 'Z')
            bit_set(c->ascii, cp + 32);
    } else if (caseless_plain(cp)) {
        unsigned char b[4];
        int n = utf8_encode(cp, b);
        str *s = ss_add(&c->multi);
        for (int i = 0; i < n; i++)
            bit_set(s->set[s->n++], b[i]);
    } else {
        c->other = 1;
    }
}

static void cls_range(cls *c, const char *chars)
{
    for (; *chars; chars++)
        cls_char(c, (unsigned char)*chars);
}

/* Every ASCII byte not in c, and every non-ASCII character. */
static void cls_negate(cls *c)
{
    for (int i = 0; i < 16; i++)
        c->ascii[i] = (uint8_t)~c->ascii[i];
    memset(c->ascii + 16, 0, 16);
    ss_free(&c->multi);
    c->other = 1;
}

static sset cls_strings(cls *c)
{
    sset r = c->multi;
    int any = 0;
    for (int i = 0; i < 32; i++)
        any |= c->ascii[i];
    if (any) {
        str *s = ss_add(&r);
        s->n = 1;
        memcpy(s->set[0], c->ascii, 32);
    }
    if (c->other) {     /* its first byte; the rest is not known */
        str *s = ss_add(&r);
        s->n = 1;
        s->open = 1;
        for (unsigned b = 0xC2; b <= 0xF4; b++)
            bit_set(s->set[0], b);
    }
    return r;
}

static const char DIGITS[] = "0123456789";
static const char WORD[] = "0123456789abcdefghijklmnopqrstuvwxyz_";
static const char SPACE[] = "\t\n\v\f\r ";

/* A backslash escape that stands for characters (in or out of a class),
 * read at P->p (after the backslash), into c.  Returns 1 if it was one, 0
 * for an assertion (out of a class), -1 when not understood. */
static int escape_chars(parser *P, cls *c, int in_class)
{
    if (!*P->p)
        return -1;      /* a backslash at the end */
    if (P->p[0] == 'N' && P->p[1] == '{')
        return -1;      /* \N{U+hh}: a character by number */
    char e = *P->p++;
    cls tmp = {0};
    switch (e) {
    case 'd': cls_range(c, DIGITS); return 1;
    case 'w': cls_range(c, WORD); return 1;
    case 's': cls_range(c, SPACE); return 1;
    case 'h': cls_range(c, "\t "); c->other = 1; return 1;
    case 'v': cls_range(c, "\n\v\f\r"); c->other = 1; return 1;
    case 'D': case 'W': case 'S': case 'H': case 'V': case 'N':
        cls_range(&tmp, e == 'D' ? DIGITS : e == 'W' ? WORD : e == 'S' ? SPACE : e == 'H' ? "\t " :
                  e == 'V' ? "\n\v\f\r" : "\n");
        cls_negate(&tmp);
        for (int i = 0; i < 32; i++)
            c->ascii[i] |= tmp.ascii[i];
        c->other = 1;
        return 1;
    case 'n': cls_char(c, '\n'); return 1;
    case 't': cls_char(c, '\t'); return 1;
    case 'r': cls_char(c, '\r'); return 1;
    case 'f': cls_char(c, '\f'); return 1;
    case 'e': cls_char(c, 27); return 1;
    case 'a': cls_char(c, 7); return 1;
    case 'x': {
        uint32_t cp = 0;
        if (*P->p == '{') {
            char *end;
            cp = (uint32_t)strtoul(P->p + 1, &end, 16);
            if (*end != '}')
                return -1;
            P->p = end + 1;
        } else {
            for (int i = 0; i < 2 && strchr("0123456789abcdefABCDEF", *P->p) && *P->p; i++, P->p++)
                cp = cp * 16 + (uint32_t)(*P->p <= '9' ? *P->p - '0' : (*P->p | 32) - 'a' + 10);
        }
        cls_char(c, cp);
        return 1;
    }
    case 'b':
        if (in_class) {
            cls_char(c, 8);
            return 1;
        }
        return 0;
    case 'B': case 'A': case 'Z': case 'z': case 'K':
        return in_class ? -1 : 0;
    case 'G':           /* where the search started: the screen would move it */
        return -1;
    default:
        if ((unsigned char)e < 0x80 && !(e >= '0' && e <= '9') && !(e >= 'a' && e <= 'z') &&
            !(e >= 'A' && e <= 'Z') && e) {
            cls_char(c, (unsigned char)e);
            return 1;
        }
        return -1;      /* \p, \X, \R, \Q, back references, \c, \o, ... */
    }
}

/* The character at P->p (a multi-byte one whole) into c. */
static uint32_t take_char(parser *P)
{
    const unsigned char *s = (const unsigned char *)P->p;
    int n = utf8_len(s[0]);
    for (int i = 1; i < n; i++)
        if (!s[i]) {
            n = i;
            break;
        }
    P->p += n;
    return utf8_decode(s, n);
}

static sset parse_class(parser *P)
{
    cls c = {0};
    int neg = 0;
    if (*P->p == '^') {
        neg = 1;
        P->p++;
    }
    int first = 1;
    while (*P->p && (*P->p != ']' || first)) {
        first = 0;
        if (P->p[0] == '[' && P->p[1] == ':') {
            P->why = "POSIX class";
            ss_free(&c.multi);
            return ss_any();
        }
        uint32_t lo;
        if (*P->p == '\\') {
            P->p++;
            int rc = escape_chars(P, &c, 1);
            if (rc < 0 || (P->p[0] == '-' && P->p[1] && P->p[1] != ']')) {
                P->why = "escape in a class";     /* (or a range from one: "[\x00-\x1f]") */
                ss_free(&c.multi);
                return ss_any();
            }
            continue;
        }
        lo = take_char(P);
        if (P->p[0] == '-' && P->p[1] && P->p[1] != ']') {
            P->p++;
            if (*P->p == '\\') {
                P->why = "range to an escape";
                ss_free(&c.multi);
                return ss_any();
            }
            uint32_t hi = take_char(P);
            if (hi >= 0x80 || hi < lo) {
                c.other = 1;    /* a non-ASCII range: some non-ASCII character */
                for (uint32_t k = lo; k < 0x80 && k <= hi; k++)
                    cls_char(&c, k);
            } else {
                for (uint32_t k = lo; k <= hi; k++)
                    cls_char(&c, k);
            }
            continue;
        }
        cls_char(&c, lo);
    }
    if (*P->p != ']') {
        P->why = "unterminated class";
        ss_free(&c.multi);
        return ss_any();
    }
    P->p++;
    if (neg)
        cls_negate(&c);
    return cls_strings(&c);
}

/* ---- structure --------------------------------------------------------- */

static sset parse_alt(parser *P, int depth);

/* Reads a quantifier at P->p if there is one: *min, *max (-1: unbounded). */
static int quantifier(parser *P, int *min, int *max)
{
    const char *p = P->p;
    if (*p == '?' || *p == '*' || *p == '+') {
        *min = *p == '+';
        *max = *p == '?' ? 1 : -1;
        p++;
    } else if (*p == '{') {
        const char *q = p + 1;
        if (q[0] == ',' && q[1] >= '0' && q[1] <= '9') {
            P->why = "a quantifier \"{,n}\"";   /* text before PCRE2 10.43, {0,n} since */
            return 0;
        }
        if (!(*q >= '0' && *q <= '9'))
            return 0;   /* a literal '{' */
        long lo = strtol(q, (char **)&q, 10), hi = lo;
        if (*q == ',') {
            q++;
            hi = (*q >= '0' && *q <= '9') ? strtol(q, (char **)&q, 10) : -1;
        }
        if (*q != '}')
            return 0;
        *min = (int)(lo > 1000 ? 1000 : lo);
        *max = (int)(hi > 1000 ? 1000 : hi);
        p = q + 1;
    } else {
        return 0;
    }
    if (*p == '?' || *p == '+')
        p++;
    P->p = p;
    return 1;
}

static sset repeat(parser *P, sset a, int min, int max)
{
    if (max == 0) {
        ss_free(&a);
        return ss_empty();
    }
    sset rest;
    if (max == 1) {
        rest = ss_empty();
    } else {
        sset copy = {0};
        for (size_t i = 0; i < a.n; i++)
            *ss_add(&copy) = a.v[i];
        rest = ss_seq(P, copy, ss_any());   /* one more, then not known */
        if (min < 2)
            ss_alt(P, &rest, ss_empty());
    }
    sset one = ss_seq(P, a, rest);
    if (min == 0)
        ss_alt(P, &one, ss_empty());
    return one;
}

/* Skips a callout's argument "(?C...)" from after the 'C'. */
static int skip_callout(parser *P)
{
    const char *p = P->p;
    if (*p >= '0' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
    } else if (*p && strchr("`'\"^%#${", *p)) {
        char close = *p == '{' ? '}' : *p;
        for (p++; *p; p++)
            if (*p == close) {
                if (p[1] == close)
                    p++;
                else
                    break;
            }
        if (!*p)
            return -1;
        p++;
    }
    if (*p != ')')
        return -1;
    P->p = p + 1;
    return 0;
}

/* After "(": the group, an assertion, an option setting or a verb. */
static sset parse_group(parser *P, int depth)
{
    const char *p = P->p;
    int assertion = 0;
    if (*p == '*') {
        size_t n = strcspn(p + 1, ":)");
        if (p[1 + n] == ')' && ((n == 4 && !strncmp(p + 1, "FAIL", 4)) || (n == 1 && p[1] == 'F'))) {
            P->p = p + 2 + n;
            return (sset){0};   /* matches nothing */
        }
        P->why = "a backtracking verb";
        return ss_any();
    }
    if (*p == '?') {
        p++;
        if (*p == '#') {
            const char *q = strchr(p, ')');
            if (!q) {
                P->why = "unterminated comment";
                return ss_any();
            }
            P->p = q + 1;
            return ss_empty();
        }
        if (*p == 'C') {
            P->p = p + 1;
            if (skip_callout(P)) {
                P->why = "a callout";
                return ss_any();
            }
            return ss_empty();
        }
        if (*p == ':' || *p == '>' || *p == '|') {
            p++;
        } else if (*p == '=' || *p == '!') {
            assertion = 1;
            p++;
        } else if (p[0] == '<' && (p[1] == '=' || p[1] == '!')) {
            assertion = 1;
            p += 2;
        } else if (*p == '<' || *p == '\'' || (p[0] == 'P' && p[1] == '<')) {
            char close = *p == '\'' ? '\'' : '>';
            const char *q = strchr(p + (*p == 'P' ? 2 : 1), close);
            if (!q) {
                P->why = "a group name";
                return ss_any();
            }
            p = q + 1;
        } else {
            const char *q = p;
            while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '-' || *q == '^')
                q++;
            if (q == p || (*q != ')' && *q != ':')) {
                P->why = "recursion, a condition or a reference";
                return ss_any();
            }
            for (const char *o = p; o < q; o++)
                if (*o == 'x') {
                    P->why = "extended syntax";
                    return ss_any();
                }
            p = q + 1;
            if (*q == ')') {        /* "(?-i)": options for the rest */
                P->p = p;
                return ss_empty();
            }
        }
    }
    P->p = p;
    sset in = parse_alt(P, depth + 1);
    if (*P->p != ')') {
        if (!P->why)
            P->why = "unbalanced parentheses";
        return in;
    }
    P->p++;
    if (assertion) {    /* zero width: it only narrows what matches */
        ss_free(&in);
        return ss_empty();
    }
    return in;
}

/* One atom, and whether it may take a quantifier. */
static sset parse_atom(parser *P, int depth, int *quantifiable)
{
    *quantifiable = 1;
    char c = *P->p;
    if (c == '(') {
        P->p++;
        return parse_group(P, depth);
    }
    if (c == '[') {
        P->p++;
        return parse_class(P);
    }
    if (c == '^' || c == '$') {
        P->p++;
        *quantifiable = 0;
        return ss_empty();
    }
    cls k = {0};
    if (c == '.') {
        P->p++;
        cls_negate(&k);     /* (with (?s) it also takes a newline: every ASCII byte) */
        memset(k.ascii, 0xff, 16);
        return cls_strings(&k);
    }
    if (c == '\\') {
        P->p++;
        if (*P->p == 'Q') {
            P->p++;
            sset r = ss_empty();
            while (*P->p && !(P->p[0] == '\\' && P->p[1] == 'E')) {
                cls one = {0};
                cls_char(&one, take_char(P));
                r = ss_seq(P, r, cls_strings(&one));
            }
            if (*P->p)
                P->p += 2;
            return r;
        }
        int rc = escape_chars(P, &k, 0);
        if (rc < 0) {
            P->why = "an escape it does not know";
            return ss_any();
        }
        if (rc == 0) {
            *quantifiable = 0;
            return ss_empty();
        }
        return cls_strings(&k);
    }
    cls_char(&k, take_char(P));
    return cls_strings(&k);
}

static sset parse_seq(parser *P, int depth)
{
    sset acc = ss_empty();
    while (*P->p && *P->p != '|' && *P->p != ')' && !P->why) {
        int q;
        sset a = parse_atom(P, depth, &q);
        int min, max;
        if (q && quantifier(P, &min, &max))
            a = repeat(P, a, min, max);
        acc = ss_seq(P, acc, a);
    }
    return acc;
}

static sset parse_alt(parser *P, int depth)
{
    if (depth > 200) {
        P->why = "nesting too deep";
        return ss_any();
    }
    sset acc = parse_seq(P, depth);
    while (*P->p == '|' && !P->why) {
        P->p++;
        /* "[a-z]++(*SKIP)(*FAIL)" last, at the top (as written, or as a
         * macro expands it): PCRE2 starts no match inside a run of letters */
        if (depth == 0 && (!strcmp(P->p, SKIP_WORD) || !strcmp(P->p, "(?:" SKIP_WORD ")"))) {
            P->skip_word = 1;
            P->p += strlen(P->p);
            break;
        }
        ss_alt(P, &acc, parse_seq(P, depth));
    }
    return acc;
}

/* ---- the screen -------------------------------------------------------- */

/* Whether every text that meets b also meets a (a asks no more than b). */
static int weaker(const str *a, const str *b)
{
    if (a->n > b->n)
        return 0;
    for (int j = 0; j < a->n; j++)
        for (int k = 0; k < 32; k++)
            if (b->set[j][k] & ~a->set[j][k])
                return 0;
    return 1;
}

/* The number of places where a and b (of one length) differ. */
static int differ(const str *a, const str *b)
{
    int d = 0;
    for (int j = 0; j < a->n; j++)
        d += memcmp(a->set[j], b->set[j], 32) != 0;
    return d;
}

/* Fewer strings for the same screen: drops a string when a weaker one is
 * kept, and joins two strings of one length that differ at one place (the
 * union there asks exactly what the two asked).  Then, while more than
 * MAXBUCKET strings can start with one byte, the longest of those are cut
 * by a byte (a weaker screen, never a wrong one). */
#define MAXBUCKET 8
static void simplify(sset *a)
{
    for (;;) {
        int changed;
        do {
            changed = 0;
            for (size_t i = 0; i < a->n; i++)
                for (size_t j = 0; j < a->n; j++) {
                    if (i == j)
                        continue;
                    int drop = weaker(&a->v[i], &a->v[j]);
                    if (!drop && a->v[i].n == a->v[j].n && differ(&a->v[i], &a->v[j]) == 1) {
                        for (int q = 0; q < a->v[i].n; q++)
                            for (int k = 0; k < 32; k++)
                                a->v[i].set[q][k] |= a->v[j].set[q][k];
                        drop = 1;
                    }
                    if (drop) {
                        a->v[j] = a->v[--a->n];
                        if (i == a->n)
                            i = j;
                        j--;
                        changed = 1;
                    }
                }
        } while (changed);
        int cut = 0;
        for (unsigned b = 0; b < 256 && !cut; b++) {
            size_t n = 0;
            uint8_t longest = 0;
            for (size_t i = 0; i < a->n; i++)
                if (bit_has(a->v[i].set[0], b)) {
                    n++;
                    if (a->v[i].n > longest)
                        longest = a->v[i].n;
                }
            if (n <= MAXBUCKET || longest <= 1)
                continue;
            for (size_t i = 0; i < a->n; i++)
                if (bit_has(a->v[i].set[0], b) && a->v[i].n == longest)
                    a->v[i].n--;
            cut = 1;
        }
        if (!cut)
            break;
    }
    ss_dedupe(a);
}


void screen_build(screen *s, const char *pattern, const char **why)
{
    memset(s, 0, sizeof *s);
    parser P = {.p = pattern};
    sset a = parse_alt(&P, 0);
    s->skip_word = P.skip_word;
    if (!P.why && *P.p)
        P.why = "unbalanced parentheses";
    for (size_t i = 0; i < a.n && !P.why; i++)
        if (!a.v[i].n)
            P.why = a.v[i].open ? "a match may start with any character" : "a match may be empty";
    if (!P.why && !a.n)
        P.why = "nothing can match";
    if (!P.why && !s->skip_word) {  /* a screen passing every letter costs more than it saves */
        int letters = 0;
        for (unsigned b = 'a'; b <= 'z'; b++) {
            int any = 0;
            for (size_t i = 0; i < a.n && !any; i++)
                any = bit_has(a.v[i].set[0], b);
            letters += any;
        }
        if (letters == 26)
            P.why = "a match may start with any letter";
    }
    if (why)
        *why = P.why;
    if (P.why) {
        ss_free(&a);
        s->skip_word = 0;
        return;
    }
    ss_dedupe(&a);
    simplify(&a);
    s->on = 1;
    s->lit = xmalloc(a.n * sizeof *s->lit);
    s->nlit = a.n;
    for (size_t i = 0; i < a.n; i++) {
        s->lit[i].n = a.v[i].n;
        memcpy(s->lit[i].set, a.v[i].set, sizeof s->lit[i].set);
    }
    ss_free(&a);
    size_t total = 0;
    for (unsigned b = 0; b < 256; b++)
        for (size_t i = 0; i < s->nlit; i++)
            total += bit_has(s->lit[i].set[0], b);
    s->by_first = xmalloc((total ? total : 1) * sizeof *s->by_first);
    total = 0;
    for (unsigned b = 0; b < 256; b++) {
        s->at[b] = (uint32_t)total;
        if ((unsigned char)((b | 32) - 'a') < 26)
            s->tab[b] |= SCREEN_LETTER;
        for (size_t i = 0; i < s->nlit; i++) {
            const screen_lit *l = &s->lit[i];
            if (!bit_has(l->set[0], b))
                continue;
            s->by_first[total++] = (uint32_t)i;
            s->tab[b] |= SCREEN_FIRST;
            if (bit_has(l->set[0], 'k') || bit_has(l->set[0], 's'))
                s->tab[0xC5] |= SCREEN_TWIN, s->tab[0xE2] |= SCREEN_TWIN;
            if (l->n == 1) {
                memset(s->pair[b], 0xff, 32);
                memset(s->pairok[b], 0xff, 32);
                continue;
            }
            for (int k = 0; k < 32; k++)
                s->pair[b][k] |= l->set[1][k];
            if (bit_has(l->set[1], 'k') || bit_has(l->set[1], 's')) {
                bit_set(s->pair[b], 0xC5);      /* a twin of k or s second: may_begin decides */
                bit_set(s->pair[b], 0xE2);
            }
            /* the third byte: every (second, third) pair into the hash,
             * unless there are too many to be worth it */
            unsigned m1[128], m2[128], n1 = 0, n2 = 0;
            for (unsigned c = 0; c < 128; c++) {    /* (the hash skips bytes above 0x7F) */
                if (bit_has(l->set[1], c))
                    m1[n1++] = c;
                if (l->n > 2 && bit_has(l->set[2], c))
                    m2[n2++] = c;
            }
            if (l->n == 2 || n1 * n2 > 512) {
                for (int k = 0; k < 32; k++)
                    s->pairok[b][k] |= l->set[1][k];
                continue;
            }
            for (unsigned i1 = 0; i1 < n1; i1++)
                for (unsigned i2 = 0; i2 < n2; i2++)
                    bit_set(s->tri, tri_hash(b, m1[i1], m2[i2]));
        }
    }
    s->at[256] = (uint32_t)total;
    s->tab[0xC5] |= SCREEN_LEAD;
    s->tab[0xE2] |= SCREEN_LEAD;
}

void screen_free(screen *s)
{
    free(s->lit);
    free(s->by_first);
    memset(s, 0, sizeof *s);
}

/* The length of a character [a-z] matches caselessly at p (a letter, or
 * U+017F or U+212A), or 0. */
static size_t letter_at(const unsigned char *t, size_t p, size_t end)
{
    if ((unsigned char)((t[p] | 32) - 'a') < 26)
        return 1;
    if (t[p] == 0xC5 && p + 1 < end && t[p + 1] == 0xBF)
        return 2;
    if (t[p] == 0xE2 && p + 2 < end && t[p + 1] == 0x84 && t[p + 2] == 0xAA)
        return 3;
    return 0;
}

static int letter_before(const unsigned char *t, size_t p)
{
    return (unsigned char)((t[p - 1] | 32) - 'a') < 26 || (p >= 2 && t[p - 2] == 0xC5 && t[p - 1] == 0xBF) ||
           (p >= 3 && t[p - 3] == 0xE2 && t[p - 2] == 0x84 && t[p - 1] == 0xAA);
}

/* The first byte at or after p that is not an ASCII letter, eight bytes
 * at a time: a byte z (bit 5 set, bit 7 clear) is a letter when z + 0x1F
 * reaches 0x80 and z + 0x05 does not, and neither sum carries into the next
 * byte. */
static size_t skip_letters(const uint8_t *tab, const unsigned char *t, size_t p, size_t end)
{
    const uint64_t hi = 0x8080808080808080u;
    for (; p + 8 <= end; p += 8) {
        uint64_t x;
        memcpy(&x, t + p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        x = __builtin_bswap64(x);
#endif
        uint64_t z = (x | 0x2020202020202020u) & 0x7F7F7F7F7F7F7F7Fu;
        uint64_t m = (z + 0x1F1F1F1F1F1F1F1Fu) & ~(z + 0x0505050505050505u) & ~x & hi;
        if (m != hi)
            return p + ((size_t)__builtin_ctzll(~m & hi) >> 3);
    }
    while (p < end && (tab[t[p]] & SCREEN_LETTER))
        p++;
    return p;
}

/* The end of the run of letters at p. */
static size_t skip_run(const screen *s, const unsigned char *t, size_t p, size_t end)
{
    for (;;) {
        p = skip_letters(s->tab, t, p, end);
        size_t n;
        if (p < end && (s->tab[t[p]] & SCREEN_LEAD) && (n = letter_at(t, p, end)) > 1)
            p += n;
        else
            return p;
    }
}

/* Whether a string of s may begin at p (s->tab[t[p]] has SCREEN_FIRST or
 * SCREEN_TWIN). */
static int may_begin(const screen *s, const unsigned char *t, size_t p, size_t end)
{
    unsigned c = t[p];
    if ((s->tab[c] & SCREEN_TWIN) && letter_at(t, p, end) > 1)
        return 1;       /* a twin of 'k' or 's': PCRE2 decides */
    if (!(s->tab[c] & SCREEN_FIRST))
        return 0;
    if (p + 1 < end) {
        unsigned c1 = t[p + 1];
        if (!bit_has(s->pair[c], c1))
            return 0;
        if (p + 2 < end && c1 < 0x80 && t[p + 2] < 0x80 && !bit_has(s->pairok[c], c1) &&
            !bit_has(s->tri, tri_hash(c, c1, t[p + 2])))
            return 0;
    }
    for (uint32_t i = s->at[c]; i < s->at[c + 1]; i++) {
        const screen_lit *l = &s->lit[s->by_first[i]];
        size_t j = 1;
        for (; j < l->n && p + j < end; j++) {
            unsigned b = t[p + j];
            if (bit_has(l->set[j], b))
                continue;
            if (b >= 0x80 && (bit_has(l->set[j], 'k') || bit_has(l->set[j], 's')))
                return 1;
            break;
        }
        if (j == l->n)
            return 1;
    }
    return 0;
}

size_t screen_next(const screen *s, const unsigned char *t, size_t from, size_t end, size_t off)
{
    if (!s->on)
        return from < end ? from : end;
    size_t p = from;
    if (!s->skip_word) {
        for (; p < end; p++)
            if ((s->tab[t[p]] & (SCREEN_FIRST | SCREEN_TWIN)) && may_begin(s, t, p, end))
                return p;
        return end;
    }
    /* PCRE2 tries its start offset, then no place inside a run of letters
     * (from the middle of a character: from its end, "nſ|ative") */
    while (p > off && p < end && (t[p] & 0xC0) == 0x80)
        p++;
    if (p > off && p < end && letter_at(t, p, end) && letter_before(t, p))
        p = skip_run(s, t, p, end);
    const uint8_t *tab = s->tab;
    while (p < end) {
        unsigned c = t[p], f = tab[c];
        if (f & SCREEN_LETTER) {
            /* a word: one test at its first letter, then over the rest */
            if ((f & SCREEN_FIRST) && (p + 1 == end || bit_has(s->pair[c], t[p + 1])) && may_begin(s, t, p, end))
                return p;
            p = skip_letters(tab, t, p + 1, end);
            if (p < end && (tab[t[p]] & SCREEN_LEAD))
                p = skip_run(s, t, p, end);
            continue;
        }
        if (f) {
            size_t n = (f & SCREEN_LEAD) ? letter_at(t, p, end) : 0;
            if (may_begin(s, t, p, end))
                return p;
            if (n) {
                p = skip_run(s, t, p + n, end);
                continue;
            }
        }
        p++;
    }
    return end;
}

int screen_match(const screen *s, const pcre2_code *anch, const unsigned char *t, size_t start, size_t end,
                 pcre2_match_data *md, pcre2_match_context *mc)
{
    int rc = PCRE2_ERROR_NOMATCH;
    for (size_t p = screen_next(s, t, start, end, start); p < end && rc == PCRE2_ERROR_NOMATCH;
         p = screen_next(s, t, p + 1, end, start))
        rc = pcre2_match(anch, t, end, p, PCRE2_NO_UTF_CHECK, md, mc);
    return rc;
}

/* ---- self-check -------------------------------------------------------- */

/* The match of re (unanchored) or, with s, of anch where s says, from off:
 * 1 with its start in *at, 0 for none, -1 for an error (a limit). */
static int first_match(const screen *s, const pcre2_code *re, const pcre2_code *anch, const unsigned char *t,
                       size_t len, size_t off, pcre2_match_data *md, pcre2_match_context *mc, size_t *at)
{
    int rc = s ? screen_match(s, anch, t, off, len, md, mc)
               : pcre2_match(re, t, len, off, PCRE2_NO_UTF_CHECK, md, mc);
    if (rc >= 0)
        *at = pcre2_get_ovector_pointer(md)[0];
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int screen_verify(const screen *s, const pcre2_code *re, const pcre2_code *anch, const char *text, size_t len,
                  size_t *where)
{
    const unsigned char *t = (const unsigned char *)text;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, 100000);     /* (a place where either stops is not compared) */
    pcre2_set_depth_limit(mc, 10000);
    int bad = 0;
    /* every match, as extract lists positions (the next search one byte on),
     * and the first match from every start offset that is a character's */
    for (size_t off = 0; off <= len && !bad; off++) {
        if (off < len && (t[off] & 0xC0) == 0x80)
            continue;
        size_t a = 0, b = 0;
        int ra = first_match(NULL, re, anch, t, len, off, md, mc, &a);
        int rb = first_match(s, re, anch, t, len, off, md, mc, &b);
        if (ra >= 0 && rb >= 0 && (ra != rb || (ra && a != b))) {
            bad = 1;
            *where = off;
        }
    }
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    return bad;
}
