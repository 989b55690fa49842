#include <sqlite3.h>
#include <string.h>

#include "keydb/dl.h"
#include "keydb/internal.h"

/*
 * Reads of the token's objects in SQLite read transactions.
 *
 * NSS's softoken runs each PKCS#11 read as a SQLite statement of its
 * own, in autocommit: every statement takes the database file's shared
 * lock, checks for a hot journal and the file's change counter, and
 * drops the lock, eight system calls. A listing makes six such reads per
 * certificate and spends half its time in them. Inside one read
 * transaction the lock is taken once, and the reads see one state of
 * the database.
 *
 * The softoken's connections are its own; SQLite runs an auto extension
 * for every connection the process opens, so this one notes them, and
 * SQLite's close trace forgets them. A walk begins a transaction on the
 * connections to cert9.db and key4.db and ends it before any write:
 * a write runs on another connection and would wait for our lock.
 * Transactions are renewed every KD_SNAP_SPAN reads so that another
 * process's writer (certutil) waits for one span, never for the walk.
 *
 * SQLite is loaded by its soname just before NSS opens the database,
 * which would load it anyway: linked in, it would cost start-up to
 * commands that never open one. If it cannot be loaded, or NSS carries
 * a SQLite of its own, the hook never sees NSS's connections and reads
 * go one lock apiece, as without this.
 */

#define SQLITE_SONAME "libsqlite3.so.0"
#define MAXCONN 8

/* In the order of names[] in kd_snap_install(). */
static struct {
	__typeof__(sqlite3_auto_extension) *auto_extension;
	__typeof__(sqlite3_trace_v2) *trace_v2;
	__typeof__(sqlite3_db_filename) *db_filename;
	__typeof__(sqlite3_get_autocommit) *get_autocommit;
	__typeof__(sqlite3_exec) *exec;
	int (*config)(int, ...);
} S;

/* NSS's open connections; began: a transaction of ours is open on it. */
static struct {
	sqlite3 *db;
	int began;
} conn[MAXCONN];

/* The slot holding db; NULL finds a free one. */
static int
slot_of(const void *db)
{
	for (int i = 0; i < MAXCONN; i++)
		if (conn[i].db == db)
			return i;
	return -1;
}

static int
on_close(unsigned type, void *ctx, void *p, void *x)
{
	int i = slot_of(p);

	(void)type;
	(void)ctx;
	(void)x;
	if (i >= 0)
		conn[i].db = NULL;
	return 0;
}

static int
on_open(sqlite3 *db, char **err, const struct sqlite3_api_routines *api)
{
	int i = slot_of(NULL);

	(void)err;
	(void)api;
	if (i >= 0) {
		conn[i].db = db;
		conn[i].began = 0;
		S.trace_v2(db, SQLITE_TRACE_CLOSE, on_close, NULL);
	}
	return SQLITE_OK;
}

void
kd_snap_install(void)
{
	static const char *const names[] = {
		"sqlite3_auto_extension", "sqlite3_trace_v2",
		"sqlite3_db_filename", "sqlite3_get_autocommit", "sqlite3_exec",
		"sqlite3_config",
	};
	static void *lib;
	static int tried;

	if (tried)
		return;
	tried = 1;
	if (kd_dlload(&lib, SQLITE_SONAME, names, KD_NELEM(names), &S) != NULL)
		return;
	/*
	 * NSS runs every write transaction on a connection of its own,
	 * and SQLite gives each new connection 20 pages of cache up front
	 * (87 KB), for a transaction that touches a few. Allocated and
	 * freed between NSS's own allocations, those blocks fragment the
	 * heap: a bundle import peaked 170 KB higher. Pages are allocated
	 * as they are used instead; a listing is as fast either way.
	 * SQLite takes this only before it is first initialised.
	 */
	S.config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	S.auto_extension((void (*)(void))on_open);
}

static int
is_nss_db(sqlite3 *db)
{
	const char *f = S.db_filename(db, "main");
	size_t n = f != NULL ? strlen(f) : 0;

	return (n >= 8 && strcmp(f + n - 8, "cert9.db") == 0) ||
	    (n >= 7 && strcmp(f + n - 7, "key4.db") == 0);
}

void
kd_snap_begin(void)
{
	for (int i = 0; i < MAXCONN; i++) {
		sqlite3 *db = conn[i].db;

		if (db == NULL || conn[i].began || !is_nss_db(db) ||
		    !S.get_autocommit(db))
			continue;
		/* Deferred: the softoken's first read takes the lock. */
		conn[i].began = S.exec(db, "BEGIN", NULL, NULL, NULL) ==
		    SQLITE_OK;
	}
}

void
kd_snap_end(void)
{
	for (int i = 0; i < MAXCONN; i++) {
		sqlite3 *db = conn[i].db;

		/* A failed statement may have ended it already. */
		if (db != NULL && conn[i].began && !S.get_autocommit(db) &&
		    S.exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			S.exec(db, "ROLLBACK", NULL, NULL, NULL);
		conn[i].began = 0;
	}
}
