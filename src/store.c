/* store.c: the SQLite store.  Prepared statements are compiled once per
 * store; documents are written in transactions of STORE_BATCH documents,
 * which is what makes a store of thousands of abstracts fast to fill. */
#include "store.h"
#include "claimtab.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define STORE_BATCH 500

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS documents (\n"
    "  doc_key TEXT PRIMARY KEY,\n"
    "  doc TEXT NOT NULL, title TEXT, source TEXT, claims INTEGER, error TEXT,\n"
    "  rules_hash TEXT);\n"
    "CREATE TABLE IF NOT EXISTS claims (\n"
    "  doc_key TEXT NOT NULL REFERENCES documents(doc_key),\n"
    "  doc TEXT NOT NULL, kind TEXT NOT NULL, value REAL, lo REAL, hi REAL, unit TEXT,\n"
    "  factor REAL, norm REAL, norm_unit TEXT, qualifier TEXT, hardware TEXT,\n"
    "  baseline TEXT, subject TEXT, text TEXT, start INTEGER, \"end\" INTEGER, rule TEXT);\n"
    "CREATE TABLE IF NOT EXISTS hardware (\n"
    "  doc_key TEXT NOT NULL REFERENCES documents(doc_key),\n"
    "  doc TEXT NOT NULL, hardware TEXT NOT NULL, class TEXT, vendor TEXT, count INTEGER,\n"
    "  text TEXT, start INTEGER, \"end\" INTEGER);\n"
    "CREATE INDEX IF NOT EXISTS documents_doc ON documents(doc);\n"
    "CREATE INDEX IF NOT EXISTS claims_doc_key ON claims(doc_key);\n"
    "CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc);\n"
    "CREATE INDEX IF NOT EXISTS claims_kind ON claims(kind);\n"
    "CREATE INDEX IF NOT EXISTS claims_hardware ON claims(hardware);\n"
    "CREATE INDEX IF NOT EXISTS hardware_doc_key ON hardware(doc_key);\n"
    "CREATE INDEX IF NOT EXISTS hardware_doc ON hardware(doc);\n"
    "CREATE INDEX IF NOT EXISTS hardware_hardware ON hardware(hardware);\n";

enum { ST_DEL_CLAIMS, ST_DEL_HW, ST_PUT_DOC, ST_PUT_CLAIM, ST_PUT_HW, ST__COUNT };

static const char *const stmt_sql[ST__COUNT] = {
    "DELETE FROM claims WHERE doc_key = ?1",
    "DELETE FROM hardware WHERE doc_key = ?1",
    "INSERT INTO documents (doc_key, doc, title, source, claims, error, rules_hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(doc_key) DO UPDATE SET doc = excluded.doc, title = excluded.title,"
    " source = excluded.source, claims = excluded.claims, error = excluded.error,"
    " rules_hash = excluded.rules_hash",
    "INSERT INTO claims (doc_key, doc, kind, value, lo, hi, unit, factor, norm, norm_unit,"
    " qualifier, hardware, baseline, subject, text, start, \"end\", rule)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    ("INSERT INTO hardware (doc_key, doc, hardware, class, vendor, count, text, start, \"end\")"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
};

struct store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[ST__COUNT];
    int in_txn;
    int batch;
};

static int db_fail(const char *path, sqlite3 *db)
{
    cs_error("'%s': %s", path, db ? sqlite3_errmsg(db) : "cannot allocate a database handle");
    return -1;
}

static int exec(store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cs_error("'%s': %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int store_open(const char *path, store **out)
{
    *out = NULL;
    store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        db_fail(path, s->db);
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s, "PRAGMA foreign_keys = ON") || exec(s, schema_sql))
        goto fail;
    for (int i = 0; i < ST__COUNT; i++)
        if (sqlite3_prepare_v2(s->db, stmt_sql[i], -1, &s->st[i], NULL) != SQLITE_OK) {
            db_fail(path, s->db);
            goto fail;
        }
    *out = s;
    return 0;
fail:
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
    return -1;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_textn(sqlite3_stmt *st, int i, const cs_doc *doc, size_t start, size_t end)
{
    if (doc->text && start <= end && end <= doc->len)
        sqlite3_bind_text(st, i, doc->text + start, (int)(end - start), SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v) || isinf(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static int step(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return db_fail(s->path, s->db);
    return 0;
}

int store_put(store *s, const cs_doc *doc, const cs_result *res, const char *rules_hash)
{
    const char *id = doc->id ? doc->id : "";
    char *key = ct_doc_key(id, doc->source);
    int rc = -1;
    if (!s->in_txn) {
        if (exec(s, "BEGIN"))
            goto out;
        s->in_txn = 1;
    }
    for (int i = ST_DEL_CLAIMS; i <= ST_DEL_HW; i++) {
        sqlite3_bind_text(s->st[i], 1, key, -1, SQLITE_TRANSIENT);
        if (step(s, s->st[i]))
            goto out;
    }
    sqlite3_stmt *st = s->st[ST_PUT_DOC];
    bind_text(st, 1, key);
    bind_text(st, 2, id);
    bind_text(st, 3, doc->title);
    bind_text(st, 4, doc->source);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)(res ? res->nclaims : 0));
    bind_text(st, 6, doc->error);
    bind_text(st, 7, rules_hash);
    if (step(s, st))
        goto out;
    for (size_t i = 0; res && i < res->nclaims; i++) {
        const cs_claim *c = &res->claims[i];
        st = s->st[ST_PUT_CLAIM];
        bind_text(st, 1, key);
        bind_text(st, 2, id);
        bind_text(st, 3, cs_kind_name(c->kind));
        bind_num(st, 4, c->value);
        bind_num(st, 5, c->lo);
        bind_num(st, 6, c->hi);
        bind_text(st, 7, c->unit);
        bind_num(st, 8, c->factor);
        bind_num(st, 9, c->norm);
        bind_text(st, 10, c->norm_unit);
        bind_text(st, 11, cs_qual_name(c->qualifier));
        bind_text(st, 12, c->hardware);
        bind_text(st, 13, c->baseline);
        bind_text(st, 14, c->subject_baseline ? "baseline" : "self");
        bind_textn(st, 15, doc, c->start, c->end);
        sqlite3_bind_int64(st, 16, (sqlite3_int64)c->start);
        sqlite3_bind_int64(st, 17, (sqlite3_int64)c->end);
        bind_text(st, 18, c->rule);
        if (step(s, st))
            goto out;
    }
    for (size_t i = 0; res && i < res->nhw; i++) {
        const cs_hw *h = &res->hw[i];
        st = s->st[ST_PUT_HW];
        bind_text(st, 1, key);
        bind_text(st, 2, id);
        bind_text(st, 3, h->hardware ? h->hardware : "");
        bind_text(st, 4, h->hwclass);
        bind_text(st, 5, h->vendor);
        if (h->count >= 0)
            sqlite3_bind_int64(st, 6, (sqlite3_int64)h->count);
        else
            sqlite3_bind_null(st, 6);
        if (h->in_title) {      /* named only in the title */
            if (doc->title && h->end <= strlen(doc->title) && h->start <= h->end)
                sqlite3_bind_text(st, 7, doc->title + h->start, (int)(h->end - h->start), SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, 7);
            sqlite3_bind_null(st, 8);
            sqlite3_bind_null(st, 9);
        } else {
            bind_textn(st, 7, doc, h->start, h->end);
            sqlite3_bind_int64(st, 8, (sqlite3_int64)h->start);
            sqlite3_bind_int64(st, 9, (sqlite3_int64)h->end);
        }
        if (step(s, st))
            goto out;
    }
    if (++s->batch >= STORE_BATCH) {
        s->batch = 0;
        s->in_txn = 0;
        if (exec(s, "COMMIT"))
            goto out;
    }
    rc = 0;
out:
    free(key);
    return rc;
}

int store_close(store *s)
{
    if (!s)
        return 0;
    int rc = 0;
    if (s->in_txn && exec(s, "COMMIT"))
        rc = -1;
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->st[i]);
    if (sqlite3_close(s->db) != SQLITE_OK)
        rc = db_fail(s->path, s->db);
    free(s->path);
    free(s);
    return rc;
}

/* ---- reading ---- */

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? xstrdup((const char *)v) : NULL;
}

static double col_num(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static long long col_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

/* Rows come ordered by their document's rowid, so a cursor over the
 * documents just read (their rowids ascending) finds each row's document. */
static size_t doc_index(const sqlite3_int64 *rowids, size_t first, size_t n, size_t *cur, sqlite3_int64 rowid)
{
    while (*cur < n && rowids[*cur] < rowid)
        (*cur)++;
    return first + *cur;
}

int store_load(const char *path, struct claimtab *t)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    sqlite3_int64 *rowids = NULL;
    size_t n = 0, cap = 0, first = t->ndocs, cur;
    int rc = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        db_fail(path, db);
        goto out;
    }
    if (sqlite3_prepare_v2(db, "SELECT rowid, doc, source, title, error, claims FROM documents ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            rowids = xrealloc(rowids, cap * sizeof *rowids);
        }
        rowids[n++] = sqlite3_column_int64(st, 0);
        const unsigned char *doc = sqlite3_column_text(st, 1);
        const unsigned char *src = sqlite3_column_text(st, 2);
        size_t d = claimtab_add_doc(t, doc ? (const char *)doc : "", (const char *)src);
        t->docs[d].title = col_text(st, 3);
        t->docs[d].error = col_text(st, 4);
        t->docs[d].nclaims = (long)col_int(st, 5);
    }
    if (r != SQLITE_DONE)
        goto dberr;
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db,
            "SELECT d.rowid, c.kind, c.value, c.lo, c.hi, c.unit, c.factor, c.norm, c.norm_unit,"
            " c.qualifier, c.hardware, c.baseline, c.subject, c.text, c.start, c.\"end\", c.rule"
            " FROM claims c JOIN documents d ON d.doc_key = c.doc_key ORDER BY d.rowid, c.rowid",
            -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    cur = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_text(st, 1);
        int kind = k ? cs_kind_parse((const char *)k) : -1;
        if (kind < 0) {
            cs_warn("'%s': unknown kind '%s', claim skipped", path, k ? (const char *)k : "null");
            continue;
        }
        ct_claim *c = claimtab_add_claim(t, doc_index(rowids, first, n, &cur, sqlite3_column_int64(st, 0)));
        c->kind = kind;
        c->value = col_num(st, 2);
        c->lo = col_num(st, 3);
        c->hi = col_num(st, 4);
        c->unit = col_text(st, 5);
        c->factor = col_num(st, 6);
        c->norm = col_num(st, 7);
        c->norm_unit = col_text(st, 8);
        c->qualifier = col_text(st, 9);
        c->hardware = col_text(st, 10);
        c->baseline = col_text(st, 11);
        c->subject = col_text(st, 12);
        c->text = col_text(st, 13);
        c->start = (long)col_int(st, 14);
        c->end = (long)col_int(st, 15);
        c->rule = col_text(st, 16);
    }
    if (r != SQLITE_DONE)
        goto dberr;
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db,
            "SELECT d.rowid, h.hardware, h.class, h.vendor, h.count, h.text, h.start, h.\"end\""
            " FROM hardware h JOIN documents d ON d.doc_key = h.doc_key ORDER BY d.rowid, h.rowid",
            -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    cur = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        ct_hw *h = claimtab_add_hw(t, doc_index(rowids, first, n, &cur, sqlite3_column_int64(st, 0)));
        h->hardware = col_text(st, 1);
        if (!h->hardware)
            h->hardware = xstrdup("");
        h->hwclass = col_text(st, 2);
        h->vendor = col_text(st, 3);
        h->count = col_int(st, 4);
        h->text = col_text(st, 5);
        h->start = (long)col_int(st, 6);
        h->end = (long)col_int(st, 7);
    }
    if (r != SQLITE_DONE)
        goto dberr;
    rc = 0;
    goto out;
dberr:
    db_fail(path, db);
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(rowids);
    return rc;
}
