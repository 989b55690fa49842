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
 * A large import is staged: the database files are copied to
 * memory-backed storage, NSS writes there without waiting for the disk
 * on every object, and keydb_commit() puts the result back with one
 * fsync and one rename per file, under the write lock. A failure or a
 * crash before the swap leaves the database exactly as it was, so a
 * bundle is imported whole or not at all.
 *
 * key4.db goes back before cert9.db: NSS keeps signatures of trust
 * values in key4.db, and a crash between the two renames then leaves
 * signatures for objects not yet there, which is harmless, never objects
 * without their signatures.
 */

static const char *
stage_root(void)
{
	const char *d = getenv("DSMCERT_STAGE_DIR");
	struct stat st;

	if (d == NULL)
		d = "/dev/shm";
	if (*d == '\0' || stat(d, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(d, W_OK | X_OK) != 0)
		return NULL;
	return d;
}

/* Copy from to a new file to, fsync'd, with mode. */
static int
copy_file(const char *from, const char *to, mode_t mode, int excl)
{
	char buf[16384];
	ssize_t n;
	int in, out, e = 0;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 1 : -1;
	out = open(to, O_WRONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL :
	    O_TRUNC), mode);
	if (out < 0) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		for (ssize_t w = 0, r; w < n; w += r)
			if ((r = write(out, buf + w, (size_t)(n - w))) < 0) {
				if (errno == EINTR) {
					r = 0;
					continue;
				}
				e = errno;
				break;
			}
		if (e != 0)
			break;
	}
	if (e == 0 && fsync(out) != 0)
		e = errno;
	close(in);
	if (close(out) != 0 && e == 0)
		e = errno;
	errno = e;
	return e == 0 ? 0 : -1;
}

int
keydb_stage(struct keydb *db)
{
	const char *root;
	char stage[4096], from[4200], to[4200];
	int rc;

	if (db->stage != NULL)
		return KEYDB_OK;
	if ((rc = kd_ensure_created(db)) != KEYDB_OK)
		return rc;
	/* Without memory-backed storage, write in place: slower, as safe. */
	if ((root = stage_root()) == NULL)
		return KEYDB_OK;
	snprintf(stage, sizeof(stage), "%s/dsmcert.XXXXXX", root);
	if (mkdtemp(stage) == NULL)
		return KEYDB_OK;

	PK11_FreeSlot(db->slot);
	db->slot = NULL;
	if (NSS_Shutdown() != SECSuccess) {
		rmdir(stage);
		return kd_fail(KEYDB_EDB, "cannot reinitialise NSS: %s",
		    kd_nsserr());
	}
	for (size_t i = 0; i < kd_ndbfiles; i++) {
		snprintf(from, sizeof(from), "%s/%s", db->dir, kd_dbfiles[i]);
		snprintf(to, sizeof(to), "%s/%s", stage, kd_dbfiles[i]);
		if (copy_file(from, to, 0600, 1) < 0) {
			int e = errno;

			kd_remove_db_dir(stage);
			kd_nss_open(db, db->dir, 0);
			return kd_fail(KEYDB_EDB, "%s: cannot stage %s: %s",
			    db->dir, kd_dbfiles[i], strerror(e));
		}
	}
	if ((rc = kd_nss_open(db, stage, 0)) != KEYDB_OK ||
	    (rc = kd_login(db)) != KEYDB_OK) {
		if (db->slot != NULL) {
			PK11_FreeSlot(db->slot);
			db->slot = NULL;
		}
		NSS_Shutdown();
		kd_remove_db_dir(stage);
		kd_nss_open(db, db->dir, 0);
		return rc;
	}
	db->stage = kd_strdup(stage);
	return KEYDB_OK;
}

/* Put the staged files in place of the database's, then reopen it. */
int
kd_stage_swap(struct keydb *db)
{
	char from[4200], tmp[4200], dst[4200];
	struct stat st;
	int fd, dfd;

	if (db->stage == NULL)
		return KEYDB_OK;
	PK11_FreeSlot(db->slot);
	db->slot = NULL;
	if (NSS_Shutdown() != SECSuccess)
		return kd_fail(KEYDB_EDB, "%s: cannot close staged import: %s",
		    db->dir, kd_nsserr());
	for (size_t i = 0; i < kd_ndbfiles; i++) {
		snprintf(from, sizeof(from), "%s/%s", db->stage, kd_dbfiles[i]);
		snprintf(dst, sizeof(dst), "%s/%s", db->dir, kd_dbfiles[i]);
		snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", db->dir, kd_dbfiles[i]);
		if (stat(dst, &st) != 0)
			continue;
		if ((fd = mkstemp(tmp)) < 0)
			goto fail;
		close(fd);
		if (copy_file(from, tmp, st.st_mode & 07777, 0) != 0 ||
		    chmod(tmp, st.st_mode & 07777) != 0 ||
		    (chown(tmp, st.st_uid, st.st_gid) != 0 && geteuid() == 0) ||
		    rename(tmp, dst) != 0) {
			unlink(tmp);
			goto fail;
		}
	}
	if ((dfd = open(db->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	kd_stage_discard(db);
	return kd_nss_open(db, db->dir, 0);
fail:
	{
		int e = errno;

		kd_stage_discard(db);
		kd_nss_open(db, db->dir, 0);
		return kd_fail(KEYDB_EDB, "%s: cannot put the staged import in "
		    "place: %s; the database is as it was before", db->dir,
		    strerror(e));
	}
}

/* Forget a staged import that was not committed. */
void
kd_stage_discard(struct keydb *db)
{
	if (db->stage == NULL)
		return;
	if (db->slot != NULL) {
		PK11_FreeSlot(db->slot);
		db->slot = NULL;
		NSS_Shutdown();
	}
	kd_remove_db_dir(db->stage);
	free(db->stage);
	db->stage = NULL;
}

int
keydb_staged(const struct keydb *db)
{
	return db->stage != NULL;
}

/*
 * NSS's softoken keeps nearly every object it creates until C_Finalize:
 * a new object is allocated as a session object (about 5 KB) and, once
 * it is a token object, freed onto the token-object free list, which
 * creation never takes from (up to 800 of them, 4 MB). A staged import
 * therefore reopens NSS on the copy every KD_STAGE_BATCH certificates
 * (two objects each): an open of files in memory, a few milliseconds,
 * and the import's peak memory is that of one batch, not of 800 objects.
 */
int
kd_stage_batch(struct keydb *db)
{
	int rc;

	if (db->stage == NULL || ++db->staged % KD_STAGE_BATCH != 0)
		return KEYDB_OK;
	PK11_FreeSlot(db->slot);
	db->slot = NULL;
	if (NSS_Shutdown() != SECSuccess)
		return kd_fail(KEYDB_EDB, "%s: cannot reopen the staged "
		    "import: %s", db->dir, kd_nsserr());
	if ((rc = kd_nss_open(db, db->stage, 0)) != KEYDB_OK)
		return rc;
	return kd_login(db);
}
