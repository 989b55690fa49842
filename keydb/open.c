#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <nss.h>
#include <pk11pub.h>
#include <plstr.h>

#include "keydb/internal.h"

/*
 * How long a writer waits for the others: long enough for a queue of
 * installers each importing a bundle, short of hanging forever.
 */
#define LOCK_SECONDS 300

static const char LOCKFILE[] = "dsmcert.lock";

static char *
pwfunc(PK11SlotInfo *slot, PRBool retry, void *arg)
{
	(void)slot;
	/* A wrong password is not retried: no prompt, no loop. */
	if (retry || arg == NULL)
		return NULL;
	return PL_strdup(arg);
}

/* Refuse a database directory that others can write into. */
static int
check_dir(const char *dir, int *present)
{
	struct stat st;

	*present = 0;
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			return KEYDB_OK;
		return kd_fail(KEYDB_EDB, "%s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return kd_fail(KEYDB_EDB, "%s: not a directory", dir);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return kd_fail(KEYDB_EDB, "%s: key database directory is "
		    "writable by group or others (mode %04o); chmod 700 it",
		    dir, (unsigned)(st.st_mode & 07777));
	*present = 1;
	return KEYDB_OK;
}

/*
 * A database that is there but cannot be read is an error naming why:
 * read as empty, it makes -check report every certificate missing and
 * -policy plan to import them all. Only a database that is not there is
 * empty.
 */
static int
check_readable(const char *dir)
{
	static const char *const f[] = { "cert9.db", "key4.db", "pkcs11.txt" };
	struct stat st;
	char *p, who[64];
	struct passwd *pw;
	int rc;

	for (size_t i = 0; i <= sizeof(f) / sizeof(f[0]); i++) {
		p = i == 0 ? xstrdup(dir) : cm_path_join(dir, f[i - 1]);
		if (access(p, i == 0 ? R_OK | X_OK : R_OK) == 0 ||
		    errno == ENOENT) {
			free(p);
			continue;
		}
		if (errno != EACCES || stat(p, &st) != 0) {
			rc = kd_fail(KEYDB_EDB, "%s: cannot read the key "
			    "database: %s", p, strerror(errno));
			free(p);
			return rc;
		}
		if ((pw = getpwuid(st.st_uid)) != NULL)
			snprintf(who, sizeof(who), "%s", pw->pw_name);
		else
			snprintf(who, sizeof(who), "uid %ld", (long)st.st_uid);
		rc = kd_fail(KEYDB_EDB, "%s: cannot read the key database: "
		    "permission denied (it belongs to %s, mode %04o); run as "
		    "%s%s", p, who, (unsigned)(st.st_mode & 07777), who,
		    st.st_uid == 0 ? "" : " or as root");
		free(p);
		return rc;
	}
	return KEYDB_OK;
}

/* The write lock, waited for as every lock is (common/lock.c). */
static void remove_old_leftovers(const char *dir);

static int
take_lock(struct keydb *db)
{
	char *path = cm_path_join(db->dir, LOCKFILE);
	struct stat st;
	int fd, e;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    0600);
	if (fd < 0) {
		e = errno;
		free(path);
		return kd_fail(KEYDB_EDB, "%s/%s: cannot create lock: %s",
		    db->dir, LOCKFILE, strerror(e));
	}
	free(path);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kd_fail(KEYDB_EDB, "%s/%s: the lock file is not a "
		    "regular file; remove it", db->dir, LOCKFILE);
	}
	if (cm_lock_wait(fd, LOCK_SECONDS) != CM_OK) {
		e = errno;
		close(fd);
		if (e == ETIMEDOUT)
			return kd_fail(KEYDB_EDB, "%s: key database is locked "
			    "by another process (waited %d s)", db->dir,
			    LOCK_SECONDS);
		return kd_fail(KEYDB_EDB, "%s: cannot lock: %s", db->dir,
		    strerror(e));
	}
	db->lockfd = fd;
	remove_old_leftovers(db->dir);
	return KEYDB_OK;
}

int
kd_has_file(const char *dir, const char *name)
{
	char *p = cm_path_join(dir, name);
	int r = access(p, F_OK) == 0;

	free(p);
	return r;
}

int
kd_nss_open(struct keydb *db, const char *dir, int readonly)
{
	char *spec = xasprintf("sql:%s", dir);
	PRUint32 fl = NSS_INIT_NOROOTINIT | (readonly ? NSS_INIT_READONLY : 0);
	SECStatus rv;

	rv = NSS_Initialize(spec, "", "", SECMOD_DB, fl);
	free(spec);
	if (rv != SECSuccess)
		return kd_fail(KEYDB_EDB, "%s: cannot open key database: %s",
		    dir, kd_nsserr());
	db->slot = PK11_GetInternalKeySlot();
	if (db->slot == NULL)
		return kd_fail(KEYDB_EDB, "%s: no key slot: %s", db->dir,
		    kd_nsserr());
	return KEYDB_OK;
}

/* Log in when the database has a password; say plainly when it fails. */
int
kd_login(struct keydb *db)
{
	if (PK11_NeedUserInit(db->slot) || !PK11_NeedLogin(db->slot))
		return KEYDB_OK;
	if (db->password == NULL) {
		if (db->mode == KEYDB_READ)
			return KEYDB_OK;
		return kd_fail(KEYDB_EAUTH, "%s: key database is password "
		    "protected and no password was given", db->dir);
	}
	if (PK11_CheckUserPassword(db->slot, db->password) != SECSuccess)
		return kd_fail(KEYDB_EAUTH, "%s: wrong password for the key "
		    "database", db->dir);
	return KEYDB_OK;
}

/*
 * A writer killed mid-transaction leaves SQLite's rollback journal. Only
 * a read-write open rolls it back; a read-only one fails with "bad
 * database". So a reader that finds one and may write recovers the
 * database first, under the write lock, and reads from it after.
 */
static int
hot_journal(const char *dir)
{
	static const char *const j[] = { "cert9.db-journal", "key4.db-journal" };
	struct stat st;

	for (size_t i = 0; i < sizeof(j) / sizeof(j[0]); i++) {
		char *p = cm_path_join(dir, j[i]);
		int hot = stat(p, &st) == 0 && st.st_size > 0;

		free(p);
		if (hot)
			return access(dir, W_OK) == 0;
	}
	return 0;
}

int
keydb_open(struct keydb **out, const char *dir, enum keydb_mode mode,
    const char *pwfile)
{
	struct keydb *db;
	int present, rc;

	*out = NULL;
	if (dir == NULL || *dir == '\0')
		return kd_fail(KEYDB_EDB, "no key database directory given");
	db = xcalloc(1, sizeof(*db));
	db->dir = xstrdup(dir);
	db->mode = mode;
	db->lockfd = -1;

	if ((rc = check_dir(dir, &present)) != KEYDB_OK ||
	    (present && (rc = check_readable(dir)) != KEYDB_OK))
		goto fail;
	if (pwfile != NULL)
		rc = kd_secret(pwfile, "password", KEYDB_EDB, &db->password);
	else if (present && kd_has_file(dir, KEYDB_STASH)) {
		char *stash = cm_path_join(dir, KEYDB_STASH);

		rc = kd_secret(stash, "password", KEYDB_EDB,
		    &db->password);
		free(stash);
	}
	if (rc != KEYDB_OK)
		goto fail;
	PK11_SetPasswordFunc(pwfunc);

	if (present && mode == KEYDB_WRITE && (rc = take_lock(db)) != KEYDB_OK)
		goto fail;
	db->exists = present && kd_has_file(dir, "cert9.db");
	db->legacy = present ? keydb_legacy(dir) : KEYDB_LEGACY_NONE;
	if (db->exists && mode == KEYDB_READ && hot_journal(dir)) {
		if ((rc = take_lock(db)) != KEYDB_OK)
			goto fail;
		mode = KEYDB_WRITE;
	}
	if (db->legacy == KEYDB_LEGACY_ALONE) {
		rc = kd_legacy_open(db);
	} else if (db->exists) {
		rc = kd_nss_open(db, db->dir, mode == KEYDB_READ);
		if (rc == KEYDB_OK)
			rc = kd_integrity(db->dir);
		if (rc == KEYDB_OK)
			rc = kd_login(db);
	} else if (NSS_NoDB_Init(NULL) != SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "cannot initialise NSS: %s",
		    kd_nsserr());
	} else {
		db->slot = PK11_GetInternalKeySlot();
	}
	if (rc != KEYDB_OK)
		goto fail;
	/* Read the record now, under the lock when writing: not later, when
	 * another writer may have changed it. */
	if ((rc = kd_servers_load(db)) != KEYDB_OK)
		goto fail;
	*out = db;
	return KEYDB_OK;
fail:
	keydb_close(db);
	return rc;
}

static int
mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/*
 * The files of a database, in the order they are put in place: key4.db
 * first, cert9.db last (see create_files).
 */
const char *const kd_dbfiles[] = { "key4.db", "pkcs11.txt", "cert9.db" };
const size_t kd_ndbfiles = sizeof(kd_dbfiles) / sizeof(kd_dbfiles[0]);

/*
 * Remove a scratch directory holding a database, journals included, and
 * the copies of a legacy one that a migration converts there.
 */
void
kd_remove_db_dir(const char *d)
{
	static const char *const legacy[] = { KEYDB_LEGACY_CERT,
	    KEYDB_LEGACY_KEY, "secmod.db" };
	char *p;

	for (size_t i = 0; i < kd_ndbfiles; i++) {
		p = cm_path_join(d, kd_dbfiles[i]);
		unlink(p);
		free(p);
		p = xasprintf("%s/%s-journal", d, kd_dbfiles[i]);
		unlink(p);
		free(p);
	}
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		p = cm_path_join(d, legacy[i]);
		unlink(p);
		free(p);
	}
	rmdir(d);
}

/*
 * Leftovers, removed only under the write lock, when no dsmcert can be
 * using them: creations a crash cut short (.new.XXXXXX, see
 * create_files), and the copies an older dsmcert, killed while putting a
 * staged import back, left beside the files: .cert9.db.XXXXXX,
 * .key4.db.XXXXXX (with private keys in it), .pkcs11.txt.XXXXXX.
 */
static void
remove_old_leftovers(const char *dir)
{
	struct dirent *e;
	char *p;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		p = cm_path_join(dir, e->d_name);
		if (strncmp(e->d_name, ".new.", 5) == 0) {
			kd_remove_db_dir(p);
			free(p);
			continue;
		}
		/* The output gate's temporary files (the record's). */
		if (cm_gate_is_temp(e->d_name)) {
			unlink(p);
			free(p);
			continue;
		}
		for (size_t i = 0; i < kd_ndbfiles; i++) {
			size_t n = strlen(kd_dbfiles[i]);

			if (e->d_name[0] == '.' &&
			    strncmp(e->d_name + 1, kd_dbfiles[i], n) == 0 &&
			    e->d_name[n + 1] == '.' &&
			    strlen(e->d_name + n + 2) == 6)
				unlink(p);
		}
		free(p);
	}
	closedir(d);
}

/*
 * Make a new database in a directory beside the target and move its
 * files in, key4.db first and cert9.db last: cert9.db is what says a
 * database exists, so a crash at any point leaves either a whole
 * database or none, never the empty key4.db of a half-made one, which
 * NSS then refuses to open.
 */
static int
create_files(struct keydb *db)
{
	char *tmp = cm_path_join(db->dir, ".new.XXXXXX");
	mode_t old;
	int rc;

	if (mkdtemp(tmp) == NULL) {
		free(tmp);
		return kd_fail(KEYDB_EDB, "%s: cannot create key database: %s",
		    db->dir, strerror(errno));
	}
	old = umask(077);
	rc = kd_nss_open(db, tmp, 0);
	umask(old);
	if (rc == KEYDB_OK && PK11_NeedUserInit(db->slot) &&
	    PK11_InitPin(db->slot, NULL, db->password ? db->password : "") !=
	    SECSuccess)
		rc = kd_fail(KEYDB_EDB, "%s: cannot initialise key database: "
		    "%s", db->dir, kd_nsserr());
	if (db->slot != NULL) {
		PK11_FreeSlot(db->slot);
		db->slot = NULL;
	}
	if (NSS_IsInitialized() && NSS_Shutdown() != SECSuccess &&
	    rc == KEYDB_OK)
		rc = kd_fail(KEYDB_EDB, "%s: cannot close new key database: "
		    "%s", db->dir, kd_nsserr());
	if (rc == KEYDB_OK && (rc = kd_place_db_files(db, tmp)) == KEYDB_OK)
		kd_sync_dir(db->dir);
	kd_remove_db_dir(tmp);
	free(tmp);
	return rc;
}

/*
 * Move the files of the database made in tmp into the database
 * directory, cert9.db last. The caller flushes the directory. A rename
 * within the directory the caller has locked and checked, not a file
 * written through a path: the output gate is for those.
 */
int
kd_place_db_files(struct keydb *db, const char *tmp)
{
	for (size_t i = 0; i < kd_ndbfiles; i++) {
		char *from = cm_path_join(tmp, kd_dbfiles[i]);
		char *to = cm_path_join(db->dir, kd_dbfiles[i]);
		int err = access(from, F_OK) == 0 && rename(from, to) != 0 ?
		    errno : 0;

		free(from);
		free(to);
		if (err != 0)
			return kd_fail(KEYDB_EDB, "%s: cannot create %s: %s",
			    db->dir, kd_dbfiles[i], strerror(err));
	}
	return KEYDB_OK;
}

void
kd_sync_dir(const char *dir)
{
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Turn the database-less NSS of a first write into a real database:
 * directory 0700, files 0600, no password unless one was given. The
 * lock is taken before looking again, since another writer may have
 * created it meanwhile.
 */
int
kd_ensure_created(struct keydb *db)
{
	mode_t old;
	int present, rc;

	if (db->exists)
		return KEYDB_OK;
	if (db->mode != KEYDB_WRITE)
		return kd_fail(KEYDB_EDB, "%s: key database opened read-only",
		    db->dir);
	old = umask(077);
	rc = mkdirs(db->dir);
	umask(old);
	if (rc != 0)
		return kd_fail(KEYDB_EDB, "%s: cannot create key database "
		    "directory: %s", db->dir, strerror(errno));
	if ((rc = check_dir(db->dir, &present)) != KEYDB_OK)
		return rc;
	if (db->lockfd < 0) {
		/* The first write creates the lock: what was read before it
		 * is read again under it, keeping the links made since. */
		if ((rc = take_lock(db)) != KEYDB_OK ||
		    (rc = kd_servers_load(db)) != KEYDB_OK)
			return rc;
	}

	if (db->slot != NULL)
		PK11_FreeSlot(db->slot);
	db->slot = NULL;
	if (NSS_Shutdown() != SECSuccess)
		return kd_fail(KEYDB_EDB, "cannot reinitialise NSS: %s",
		    kd_nsserr());
	if (!kd_has_file(db->dir, "cert9.db") &&
	    (rc = create_files(db)) != KEYDB_OK)
		return rc;
	if ((rc = kd_nss_open(db, db->dir, 0)) != KEYDB_OK ||
	    (rc = kd_login(db)) != KEYDB_OK)
		return rc;
	db->exists = 1;
	return KEYDB_OK;
}

int
keydb_reopen(struct keydb *db)
{
	int rc;

	if (!db->exists)
		return KEYDB_OK;
	if (db->slot != NULL)
		PK11_FreeSlot(db->slot);
	db->slot = NULL;
	if (NSS_Shutdown() != SECSuccess)
		return kd_fail(KEYDB_EDB, "%s: cannot close the key database: "
		    "%s", db->dir, kd_nsserr());
	if ((rc = kd_nss_open(db, db->dir, db->mode == KEYDB_READ)) !=
	    KEYDB_OK)
		return rc;
	return kd_login(db);
}

/*
 * Per certificate: its object and its trust in cert9.db, the trust's
 * signature in key4.db, measured at about 9 KB; with room to spare, and
 * a margin for SQLite's journal and NSS's metadata.
 */
#define ROOM_PER_CERT (16 * 1024)
#define ROOM_MARGIN (512 * 1024)

int
keydb_room(struct keydb *db, size_t n)
{
	struct statvfs vfs;
	unsigned long long need, have;

	if (n == 0 || statvfs(db->dir, &vfs) != 0)
		return KEYDB_OK;
	need = (unsigned long long)n * ROOM_PER_CERT + ROOM_MARGIN;
	have = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
	if (have >= need)
		return KEYDB_OK;
	return kd_fail(KEYDB_EDB, "%s: not enough free space for %zu "
	    "certificate%s: about %llu KB needed, %llu KB free; nothing was "
	    "written", db->dir, n, n == 1 ? "" : "s", need / 1024,
	    have / 1024);
}

int
keydb_create(struct keydb *db)
{
	return kd_ensure_created(db);
}

int
keydb_exists(const struct keydb *db)
{
	return db->exists;
}

const char *
keydb_dir(const struct keydb *db)
{
	return db->dir;
}

void
keydb_close(struct keydb *db)
{
	if (db == NULL)
		return;
	kd_servers_free(&db->servers);
	if (db->slot != NULL)
		PK11_FreeSlot(db->slot);
	if (NSS_IsInitialized())
		NSS_Shutdown();
	if (db->lockfd >= 0)
		close(db->lockfd);	/* releases the flock */
	cm_secret_free(db->password);
	free(db->dir);
	free(db);
}
