#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "keydb/internal.h"

/*
 * NSS reads a damaged cert9.db as far as the damage and lists what it
 * found: a last table page gone shows five certificates of six, with no
 * error, and a write goes into the damaged file. So the files are
 * checked the way SQLite checks them before NSS is trusted with them:
 * any damaged page is an error, whichever it is.
 */
static int
check_file(const char *dir, const char *name)
{
	char *path, what[512] = "";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, bad = 0;

	path = cm_path_join(dir, name);
	if (access(path, F_OK) != 0) {
		free(path);
		return KEYDB_OK;	/* not there: NSS says what it needs */
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	free(path);
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(db, 10000);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1,
		    &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(st, 0);

			if (t == NULL || strcmp((const char *)t, "ok") != 0) {
				bad = 1;
				snprintf(what, sizeof(what), "%s",
				    t != NULL ? (const char *)t : "?");
			}
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK && rc != SQLITE_DONE && !bad) {
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			/* In use by a writer that does not take our lock:
			 * not damage; NSS will wait or say so. */
			sqlite3_finalize(st);
			sqlite3_close(db);
			return KEYDB_OK;
		}
		bad = 1;
		snprintf(what, sizeof(what), "%s", db != NULL ?
		    sqlite3_errmsg(db) : sqlite3_errstr(rc));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (!bad)
		return KEYDB_OK;
	return kd_fail(KEYDB_EDB, "%s: the key database cannot be read: %s is "
	    "damaged (SQLite's integrity check: %s); restore it from a "
	    "backup", dir, name, what);
}

int
kd_integrity(const char *dir)
{
	int rc;

	if ((rc = check_file(dir, "cert9.db")) != KEYDB_OK)
		return rc;
	return check_file(dir, "key4.db");
}
