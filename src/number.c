/* number.c: numbers as abstracts write them.  Rules decide where a number
 * is; this only turns its text into a value. */
#include "number.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *word;
    double value;
    int scale;      /* 1: multiplies what came before (hundred, thousand) */
} words[] = {
    {"zero", 0, 0}, {"one", 1, 0}, {"two", 2, 0}, {"three", 3, 0}, {"four", 4, 0},
    {"five", 5, 0}, {"six", 6, 0}, {"seven", 7, 0}, {"eight", 8, 0}, {"nine", 9, 0},
    {"ten", 10, 0}, {"eleven", 11, 0}, {"twelve", 12, 0}, {"thirteen", 13, 0},
    {"fourteen", 14, 0}, {"fifteen", 15, 0}, {"sixteen", 16, 0}, {"seventeen", 17, 0},
    {"eighteen", 18, 0}, {"nineteen", 19, 0}, {"twenty", 20, 0}, {"thirty", 30, 0},
    {"forty", 40, 0}, {"fifty", 50, 0}, {"sixty", 60, 0}, {"seventy", 70, 0},
    {"eighty", 80, 0}, {"ninety", 90, 0}, {"a", 1, 0}, {"an", 1, 0},
    {"hundred", 100, 1}, {"thousand", 1000, 1}, {"million", 1e6, 1},
    {"double", 2, 0}, {"twice", 2, 0}, {"triple", 3, 0}, {"thrice", 3, 0},
    {"quadruple", 4, 0}, {"half", 0.5, 0}, {"dozen", 12, 0},
    /* the denominator of "a tenth of": rules give these as the factor */
    {"tenth", 10, 0}, {"hundredth", 100, 0}, {"thousandth", 1000, 0},
};

/* "two hundred", "twenty-five", "a thousand". */
static int parse_words(const char *s, size_t n, double *out)
{
    double total = 0, cur = 0;
    int any = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '-' || s[i] == '\t'))
            i++;
        size_t j = i;
        while (j < n && isalpha((unsigned char)s[j]))
            j++;
        if (j == i)
            return i == n && any && isfinite(total + cur) ? (*out = total + cur, 0) : -1;
        size_t k;
        for (k = 0; k < sizeof words / sizeof *words; k++)
            if (strlen(words[k].word) == j - i && !strncasecmp(words[k].word, s + i, j - i))
                break;
        if (k == sizeof words / sizeof *words)
            return -1;
        if (words[k].scale) {
            cur = (cur ? cur : 1) * words[k].value;
            if (!isfinite(cur))
                return -1;  /* "hundred hundred ...": overflow is not a number */
            if (words[k].value >= 1000) {
                total += cur;
                cur = 0;
            }
        } else {
            cur += words[k].value;
        }
        any = 1;
        i = j;
    }
    if (!any || !isfinite(total + cur))
        return -1;
    *out = total + cur;
    return 0;
}

/* base (k digits in buf, maybe a '.') raised to the exponent written in
 * e[0..n): "3", "{3}", "{-2}". */
static int power(char *buf, size_t k, const char *e, size_t n, double *out)
{
    if (n >= 2 && e[0] == '{' && e[n - 1] == '}')
        e++, n -= 2;
    size_t i = 0;
    int neg = 0;
    if (i < n && (e[i] == '-' || e[i] == '+'))
        neg = e[i++] == '-';
    if (i == n || n - i > 3)
        return -1;
    int x = 0;
    for (; i < n; i++) {
        if (!isdigit((unsigned char)e[i]))
            return -1;
        x = 10 * x + (e[i] - '0');
    }
    buf[k] = '\0';
    double v = pow(strtod(buf, NULL), neg ? -x : x);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int parse_number(const char *s, size_t n, double *out)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return -1;
    if (isalpha((unsigned char)s[0]))
        return parse_words(s, n, out);
    /* "1.21 million", "2 billion": digits, then a scale word */
    static const struct { const char *w; double v; } scales[] = {
        {"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"trillion", 1e12},
    };
    for (size_t k = 0; k < sizeof scales / sizeof *scales; k++) {
        size_t wl = strlen(scales[k].w);
        if (n > wl + 1 && !strncasecmp(s + n - wl, scales[k].w, wl) && isspace((unsigned char)s[n - wl - 1])) {
            double v;
            if (parse_number(s, n - wl - 1, &v))
                return -1;
            v *= scales[k].v;
            if (!isfinite(v))
                return -1;
            *out = v;
            return 0;
        }
    }
    char buf[72];
    size_t k = 0, digits = 0;
    int seen_dot = 0, seen_exp = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            if (++digits > 64 || k + 1 >= sizeof buf)
                return -1;
            buf[k++] = (char)c;
        } else if (c == ',' && !seen_dot && !seen_exp && digits) {
            /* a thousands separator: exactly three digits follow */
            if (i + 3 >= n || !isdigit((unsigned char)s[i + 1]) ||
                !isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3]) ||
                (i + 4 < n && isdigit((unsigned char)s[i + 4])))
                return -1;
        } else if (c == '{' && i + 2 < n && s[i + 1] == ',' && s[i + 2] == '}' && !seen_dot && !seen_exp &&
                   digits && i + 5 < n && isdigit((unsigned char)s[i + 3]) && isdigit((unsigned char)s[i + 4]) &&
                   isdigit((unsigned char)s[i + 5]) && !(i + 6 < n && isdigit((unsigned char)s[i + 6]))) {
            i += 2; /* LaTeX's thousands separator "{,}": exactly three digits follow */
        } else if (c == '\\' && i + 1 < n && s[i + 1] == ',') {
            i++;    /* LaTeX thin space "\," */
        } else if (c == '^' && digits && !seen_exp) {
            /* a power, "10^3", "10^{-2}": the rest is the exponent */
            return power(buf, k, s + i + 1, n - i - 1, out);
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x89 || (unsigned char)s[i + 2] == 0xAF)) {
            i += 2; /* U+2009 thin space, U+202F narrow no-break space */
        } else if (c == '.' && !seen_dot && !seen_exp && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
            seen_dot = 1;
            buf[k++] = '.';
        } else if ((c == 'e' || c == 'E') && !seen_exp && digits && i + 1 < n &&
                   (isdigit((unsigned char)s[i + 1]) || s[i + 1] == '-' || s[i + 1] == '+')) {
            seen_exp = 1;
            buf[k++] = 'e';
            if (s[i + 1] == '-' || s[i + 1] == '+')
                buf[k++] = s[++i];
        } else {
            return -1;
        }
    }
    if (!digits)
        return -1;
    buf[k] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}
