/* rulefile.h: the line format shared by rules/NAME.rules and rules/hardware.catalog.
 *
 *   # comment
 *   define NAME  regex          a macro; {NAME} in later patterns expands to (?:regex)
 *   rule speedup.times          a block header (keyword + value, not indented)
 *     kind speedup              block fields, indented: keyword, blanks, raw value
 *     example "text" k=v k="v"  quoted text: only \" and \\ are escapes
 *
 * Values are raw to the end of the line (trailing blanks trimmed), so regexes
 * are written exactly as PCRE2 reads them, with no doubled backslashes. */
#ifndef RULEFILE_H
#define RULEFILE_H

#include <stddef.h>

typedef struct rf_line {
    int lineno;
    int indented;
    char *key;
    char *val;      /* "" when the line holds only a keyword */
} rf_line;

typedef struct rf_file {
    char *path;
    rf_line *lines;
    size_t n;
} rf_file;

/* Reads and splits a file.  On error prints "path:line: error: ..." and
 * returns -1. */
int rf_read(const char *path, rf_file *out);
void rf_free(rf_file *f);

/* Macros from "define" lines, shared across the files of a rule set. */
typedef struct rf_macros {
    char **names, **vals;
    size_t n;
} rf_macros;

/* Adds a definition; value is expanded with the macros defined so far.
 * Returns -1 (message in *err, malloc'd) on a bad name or expansion error. */
int rf_define(rf_macros *m, const char *name, const char *val, char **err);
/* Expands {NAME} occurrences; an unknown upper-case {NAME} is an error. */
int rf_expand(const rf_macros *m, const char *pat, char **out, char **err);
/* The same pattern with each macro used once: "(?&csmN)" calls of
 * definitions in a trailing (?(DEFINE)...) block.  Captures inside a call
 * do not survive it, so this is for tests of whether a pattern matches. */
int rf_expand_calls(const rf_macros *m, const char *pat, char **out, char **err);
void rf_macros_free(rf_macros *m);

/* An example line: "text" followed by key=value pairs (value bare or quoted). */
typedef struct rf_example {
    char *text;
    size_t nkv;
    char **keys, **vals;
} rf_example;
int rf_parse_example(const char *val, rf_example *ex, char **err);
void rf_example_free(rf_example *ex);

#endif
