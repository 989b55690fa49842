#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nss.h>
#include <pk11pub.h>

#include "keydb/internal.h"

/*
 * A legacy NSS dbm: database: cert8.db and key3.db, as NSS wrote them
 * before its sql: format. Left to itself, NSS converts one into cert9.db
 * in place on a read-write open, and where it cannot read it (a damaged
 * file, half a database, an NSS built without dbm) it makes an empty
 * cert9.db instead, which hides the old one for good. So the migration
 * is done apart: the two files are copied into a scratch directory
 * beside them, NSS converts the copies there, what came over is counted
 * against what was there, and only then are the new files moved in,
 * cert9.db last. The old files are kept under another name, so that a
 * cert8.db beside a cert9.db always means one that is not in use.
 */

static const char *const legacy_files[] = { KEYDB_LEGACY_CERT,
    KEYDB_LEGACY_KEY };
#define NLEGACY (sizeof(legacy_files) / sizeof(legacy_files[0]))

enum keydb_legacy
keydb_legacy(const char *dir)
{
	int found = 0;

	for (size_t i = 0; i < NLEGACY; i++)
		found |= kd_has_file(dir, legacy_files[i]);
	if (!found)
		return KEYDB_LEGACY_NONE;
	return kd_has_file(dir, "cert9.db") ? KEYDB_LEGACY_SHADOWED :
	    KEYDB_LEGACY_ALONE;
}

enum keydb_legacy
keydb_legacy_found(const struct keydb *db)
{
	return db->legacy;
}

const char *
keydb_legacy_note(const struct keydb *db)
{
	return db->legacy == KEYDB_LEGACY_MIGRATED ? db->legacy_note : NULL;
}

/* "cert8.db, key3.db", or the one there is. */
static void
names(const char *dir, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < NLEGACY; i++)
		if (kd_has_file(dir, legacy_files[i]))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			    buf[0] != '\0' ? ", " : "", legacy_files[i]);
}

/* What a database holds, to tell that the migration lost nothing. */
struct tally {
	size_t certs, trusts, keys;
};

static size_t
count_class(struct kd_objs *o, CK_OBJECT_CLASS class)
{
	size_t n = 0;

	free(kd_objs_find(o, class, &n));
	return n;
}

static int
count(struct keydb *db, struct tally *t)
{
	struct kd_objs o;
	CK_RV rv;

	if ((rv = kd_objs_open(db, &o)) != CKR_OK)
		return kd_fail(KEYDB_EDB, "%s: cannot open a session on the "
		    "legacy database: PKCS#11 error 0x%lx", db->dir,
		    (unsigned long)rv);
	t->certs = count_class(&o, CKO_CERTIFICATE);
	t->trusts = count_class(&o, CKO_NSS_TRUST);
	t->keys = count_class(&o, CKO_PRIVATE_KEY);
	rv = o.err;
	kd_objs_close(&o);
	if (rv != CKR_OK)
		return kd_fail(KEYDB_ELEGACY, "%s: the legacy database cannot "
		    "be read (PKCS#11 error 0x%lx)", db->dir,
		    (unsigned long)rv);
	return KEYDB_OK;
}

/*
 * Log in to a legacy key database that has a password: its keys are
 * hidden until then, and NSS converts them only then.
 */
static int
login(struct keydb *db)
{
	if (PK11_NeedUserInit(db->slot) || !PK11_NeedLogin(db->slot))
		return KEYDB_OK;
	if (db->password == NULL)
		return kd_fail(KEYDB_EAUTH, "%s: the legacy key database (%s) "
		    "is password protected and no password was given; it "
		    "cannot be migrated without it", db->dir, KEYDB_LEGACY_KEY);
	if (PK11_CheckUserPassword(db->slot, db->password) != SECSuccess)
		return kd_fail(KEYDB_EAUTH, "%s: wrong password for the legacy "
		    "key database (%s)", db->dir, KEYDB_LEGACY_KEY);
	return KEYDB_OK;
}

static int
open_dbm(struct keydb *db, const char *dir)
{
	char *spec = xasprintf("dbm:%s", dir);
	char what[64];
	SECStatus rv;

	rv = NSS_Initialize(spec, "", "", SECMOD_DB,
	    NSS_INIT_READONLY | NSS_INIT_NOROOTINIT);
	free(spec);
	if (rv != SECSuccess) {
		names(db->dir, what, sizeof(what));
		return kd_fail(KEYDB_ELEGACY, "%s: %s: a legacy NSS dbm "
		    "database that NSS cannot read here: %s", db->dir, what,
		    kd_nsserr());
	}
	if ((db->slot = PK11_GetInternalKeySlot()) == NULL)
		return kd_fail(KEYDB_EDB, "%s: no key slot: %s", db->dir,
		    kd_nsserr());
	return KEYDB_OK;
}

static int
close_nss(struct keydb *db, int rc)
{
	if (db->slot != NULL) {
		PK11_FreeSlot(db->slot);
		db->slot = NULL;
	}
	if (NSS_IsInitialized() && NSS_Shutdown() != SECSuccess &&
	    rc == KEYDB_OK)
		rc = kd_fail(KEYDB_EDB, "%s: cannot close the legacy "
		    "database: %s", db->dir, kd_nsserr());
	return rc;
}

static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	struct stat st;
	ssize_t n;
	int in, out, rc = -1;

	if ((in = open(from, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return -1;
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(in);
		errno = EINVAL;
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (cm_write_all(out, buf, (size_t)n) != 0)
			break;
	if (n == 0)
		rc = 0;
	if (close(out) != 0)
		rc = -1;
	close(in);
	return rc;
}

/* The old files' new names: ".migrated", else ".migrated.N", unused. */
static int
pick_suffix(struct keydb *db, char *suffix, size_t len)
{
	char name[64];

	for (int n = 0; n < 1000; n++) {
		int taken = 0;

		if (n == 0)
			snprintf(suffix, len, "%s", KEYDB_MIGRATED_SUFFIX);
		else
			snprintf(suffix, len, "%s.%d", KEYDB_MIGRATED_SUFFIX,
			    n);
		for (size_t i = 0; i < NLEGACY; i++) {
			snprintf(name, sizeof(name), "%s%s", legacy_files[i],
			    suffix);
			taken |= kd_has_file(db->dir, name);
		}
		if (!taken)
			return KEYDB_OK;
	}
	return kd_fail(KEYDB_EDB, "%s: cannot migrate: every name for the "
	    "old %s is taken", db->dir, KEYDB_LEGACY_CERT);
}

/*
 * Right after cert9.db is in place: until the old files have their new
 * names, the directory reads as a cert9.db with an unused legacy
 * database beside it. Renamed within the locked directory, as
 * kd_place_db_files does: nothing is written through a path.
 */
static int
keep_old(struct keydb *db, const char *suffix)
{
	for (size_t i = 0; i < NLEGACY; i++) {
		char *from = cm_path_join(db->dir, legacy_files[i]);
		char *to = xasprintf("%s%s", from, suffix);
		int err = rename(from, to) != 0 ? errno : 0;

		free(from);
		free(to);
		if (err != 0 && err != ENOENT)
			return kd_fail(KEYDB_EDB, "%s: migrated, but cannot "
			    "rename %s: %s", db->dir, legacy_files[i],
			    strerror(err));
	}
	return KEYDB_OK;
}

/*
 * The new files take the owner and mode of the old ones they replace
 * (cert9.db and pkcs11.txt those of cert8.db, key4.db those of key3.db):
 * migrated by root on the first write, a database its user owns must
 * stay readable by that user, to dsmcert as to certutil.
 */
static int
keep_owner(struct keydb *db, const char *tmp)
{
	static const char *const pair[][2] = {
		{ "cert9.db", KEYDB_LEGACY_CERT },
		{ "pkcs11.txt", KEYDB_LEGACY_CERT },
		{ "key4.db", KEYDB_LEGACY_KEY },
	};
	struct stat st;
	char *p;
	int failed, e;

	for (size_t i = 0; i < sizeof(pair) / sizeof(pair[0]); i++) {
		p = cm_path_join(db->dir, pair[i][1]);
		failed = stat(p, &st);
		free(p);
		if (failed != 0)
			continue;
		p = cm_path_join(tmp, pair[i][0]);
		/* Owner first: chown may clear set-id bits. */
		failed = access(p, F_OK) == 0 &&
		    ((geteuid() == 0 && chown(p, st.st_uid, st.st_gid) != 0) ||
		    chmod(p, st.st_mode & 0777) != 0);
		e = errno;
		free(p);
		if (failed)
			return kd_fail(KEYDB_EDB, "%s: cannot keep the owner "
			    "and mode of %s for %s: %s", db->dir, pair[i][1],
			    pair[i][0], strerror(e));
	}
	return KEYDB_OK;
}

/* Convert the copies in tmp; both tallies are set on success. */
static int
convert(struct keydb *db, const char *tmp, struct tally *was,
    struct tally *now)
{
	mode_t old;
	int rc;

	rc = open_dbm(db, tmp);
	if (rc == KEYDB_OK)
		rc = login(db);
	if (rc == KEYDB_OK)
		rc = count(db, was);
	if ((rc = close_nss(db, rc)) != KEYDB_OK)
		return rc;

	old = umask(077);
	rc = kd_nss_open(db, tmp, 0);
	umask(old);
	if (rc == KEYDB_OK)
		rc = login(db);
	if (rc == KEYDB_OK && PK11_NeedUserInit(db->slot) &&
	    PK11_InitPin(db->slot, NULL, db->password ? db->password : "") !=
	    SECSuccess)
		rc = kd_fail(KEYDB_EDB, "%s: cannot initialise the migrated "
		    "key database: %s", db->dir, kd_nsserr());
	if (rc == KEYDB_OK)
		rc = count(db, now);
	return close_nss(db, rc);
}

static int
migrate(struct keydb *db)
{
	char *tmp = cm_path_join(db->dir, ".new.XXXXXX"), suffix[32];
	struct tally was, now;
	int rc = KEYDB_OK;

	if (mkdtemp(tmp) == NULL) {
		free(tmp);
		return kd_fail(KEYDB_EDB, "%s: cannot migrate the legacy "
		    "database: %s", db->dir, strerror(errno));
	}
	for (size_t i = 0; rc == KEYDB_OK && i < NLEGACY; i++) {
		char *from = cm_path_join(db->dir, legacy_files[i]);
		char *to = cm_path_join(tmp, legacy_files[i]);
		int err = copy_file(from, to) != 0 ? errno : 0;

		free(from);
		free(to);
		if (err != 0 && err != ENOENT)
			rc = kd_fail(KEYDB_EDB, "%s: cannot copy %s to migrate "
			    "it: %s", db->dir, legacy_files[i], strerror(err));
	}
	if (rc == KEYDB_OK)
		rc = convert(db, tmp, &was, &now);
	if (rc == KEYDB_OK && (now.certs != was.certs ||
	    now.trusts != was.trusts || now.keys != was.keys))
		rc = kd_fail(KEYDB_ELEGACY, "%s: migrating the legacy database "
		    "would keep %zu of its %zu certificates, %zu of %zu trust "
		    "settings and %zu of %zu keys; nothing was changed",
		    db->dir, now.certs, was.certs, now.trusts, was.trusts,
		    now.keys, was.keys);
	if (rc == KEYDB_OK)
		rc = pick_suffix(db, suffix, sizeof(suffix));
	if (rc == KEYDB_OK)
		rc = keep_owner(db, tmp);
	if (rc == KEYDB_OK && (rc = kd_place_db_files(db, tmp)) == KEYDB_OK)
		rc = keep_old(db, suffix);
	kd_sync_dir(db->dir);
	kd_remove_db_dir(tmp);
	free(tmp);
	if (rc != KEYDB_OK)
		return rc;
	snprintf(db->legacy_note, sizeof(db->legacy_note), "%s: migrated "
	    "the legacy NSS dbm database to cert9.db and key4.db "
	    "(certificates: %zu, keys: %zu); the old files are kept as "
	    "%s%s and %s%s", db->dir, now.certs, now.keys, KEYDB_LEGACY_CERT,
	    suffix, KEYDB_LEGACY_KEY, suffix);
	return KEYDB_OK;
}

int
kd_legacy_open(struct keydb *db)
{
	int rc;

	if (db->mode == KEYDB_READ) {
		/* Read as it is: NSS opens dbm read-only without a change. */
		rc = open_dbm(db, db->dir);
		if (rc == KEYDB_ELEGACY &&
		    keydb_legacy(db->dir) == KEYDB_LEGACY_NONE &&
		    kd_has_file(db->dir, "cert9.db")) {
			/* A writer migrated it meanwhile. */
			db->legacy = KEYDB_LEGACY_NONE;
			rc = kd_nss_open(db, db->dir, 1);
		}
		if (rc == KEYDB_OK)
			rc = kd_login(db);
		if (rc == KEYDB_OK)
			db->exists = 1;
		return rc;
	}
	if ((rc = migrate(db)) != KEYDB_OK)
		return rc;
	if ((rc = kd_nss_open(db, db->dir, 0)) != KEYDB_OK ||
	    (rc = kd_login(db)) != KEYDB_OK)
		return rc;
	db->exists = 1;
	db->legacy = KEYDB_LEGACY_MIGRATED;
	return KEYDB_OK;
}
