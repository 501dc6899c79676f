/* number.h: numbers as abstracts write them -> doubles. */
#ifndef NUMBER_H
#define NUMBER_H

#include <stddef.h>

/* Parses "4,039", "2.6", "3,201", "0.76", "1e3", "175" and number words
 * ("seven", "twenty", "two hundred", "a hundred", "ten thousand") out of
 * s[0..n).  Thousands separators are removed (",", "\,", thin space); a
 * leading "x"/"×" or trailing "x" are not part of a number and must not be
 * passed.  Returns 0 and sets *out, or -1 when s is not a number or is out of
 * range (overflow to infinity, more than 64 digits). */
int parse_number(const char *s, size_t n, double *out);

#endif
