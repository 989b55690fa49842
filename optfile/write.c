#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * Replacing an option file that backup clients read while we write it.
 *
 * rename() gives readers either the old or the new file, never a short
 * one; fsync before it makes the new bytes durable, fsync of the
 * directory after it makes the rename durable. rename() also gives the
 * file a new inode, so the lock is taken on FILE.lock, which never moves
 * and is never removed (removing it would let two editors lock two
 * different files). Under the lock the file is read afresh and the edits
 * applied to what is there, so concurrent editors lose nothing.
 *
 * Temporary files are named .FILE.dsmcert.XXXXXX (.FILE.bak.dsmcert.XXXXXX
 * for the backup); one left by an editor that was killed is removed by
 * the next one, under the lock.
 */

struct target {
	char *real;		/* the file a symbolic link resolves to */
	char *dir;
	char *base;
	int lockfd;
};

static void
target_free(struct target *t)
{
	if (t->lockfd != -1)
		close(t->lockfd);	/* releases the lock */
	free(t->real);
	free(t->dir);
	free(t->base);
}

static int
resolve(const char *path, struct target *t)
{
	char *slash;

	memset(t, 0, sizeof(*t));
	t->lockfd = -1;
	if ((t->real = realpath(path, NULL)) == NULL)
		return of_fail(OPTFILE_EIO, "%s: %s", path, strerror(errno));
	slash = strrchr(t->real, '/');
	t->dir = slash == t->real ? of_strdup("/") :
	    of_strndup(t->real, (size_t)(slash - t->real));
	t->base = of_strdup(slash + 1);
	if (t->dir == NULL || t->base == NULL)
		return of_nomem();
	return OPTFILE_OK;
}

static char *
sibling(const struct target *t, const char *pre, const char *post)
{
	size_t n = strlen(t->dir) + strlen(pre) + strlen(t->base) +
	    strlen(post) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s%s%s", t->dir, pre, t->base, post);
	return p;
}

/* Writable by anyone but the owner: someone else could change it. */
static int
unsafe(const struct stat *st)
{
	return (st->st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

static int
check_safe(const char *path, const struct target *t)
{
	struct stat st;

	if (stat(t->dir, &st) == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", t->dir, strerror(errno));
	if (unsafe(&st))
		return of_fail(OPTFILE_EUNSAFE, "%s: the directory of %s is "
		    "writable by group or others; refusing to edit (chmod "
		    "go-w %s)", t->dir, path, t->dir);
	if (stat(t->real, &st) == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return of_fail(OPTFILE_EIO, "%s: not a regular file", path);
	if (unsafe(&st))
		return of_fail(OPTFILE_EUNSAFE, "%s: writable by group or "
		    "others; refusing to edit (chmod go-w %s)", path, t->real);
	/* rename() needs only the directory; honour the file's own mode. */
	if (access(t->real, W_OK) == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", path, strerror(errno));
	return OPTFILE_OK;
}

static int
lock(const char *path, struct target *t)
{
	char *lp = sibling(t, "", ".lock");
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	int tries = OPTFILE_LOCK_SECONDS * 20;
	struct stat st;

	if (lp == NULL)
		return of_nomem();
	/* Read-only is enough for flock, and lets the file's owner lock a
	 * lock file that root created. */
	t->lockfd = open(lp, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK, 0644);
	if (t->lockfd == -1 || fstat(t->lockfd, &st) == -1 ||
	    !S_ISREG(st.st_mode)) {
		/* A FIFO put there would hang the open or the lock. */
		int rc = of_fail(OPTFILE_EIO, "%s: cannot use the lock file "
		    "%s: %s", path, lp, t->lockfd == -1 ? strerror(errno) :
		    "not a regular file");

		free(lp);
		return rc;
	}
	while (flock(t->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int rc = of_fail(OPTFILE_EIO, "%s: cannot lock %s: %s",
			    path, lp, strerror(errno));

			free(lp);
			return rc;
		}
		if (--tries <= 0) {
			int rc = of_fail(OPTFILE_EIO, "%s: another editor has "
			    "held %s for %d seconds; try again later", path,
			    lp, OPTFILE_LOCK_SECONDS);

			free(lp);
			return rc;
		}
		nanosleep(&nap, NULL);
	}
	free(lp);
	return OPTFILE_OK;
}

/*
 * Remove temporary files of editors that died, of the file (post
 * ".dsmcert.") or of its backup (".bak.dsmcert."); we hold the lock.
 */
static void
sweep(const struct target *t, const char *post)
{
	char *pre = sibling(t, ".", post);
	const char *p;
	size_t n;
	DIR *d;
	struct dirent *de;
	int dfd;

	if (pre == NULL)
		return;
	p = strrchr(pre, '/') + 1;
	n = strlen(p);
	if ((d = opendir(t->dir)) != NULL) {
		dfd = dirfd(d);
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, p, n) == 0 &&
			    strlen(de->d_name) == n + 6)
				unlinkat(dfd, de->d_name, 0);
		closedir(d);
	}
	free(pre);
}

/* Write buf to a temporary file beside dst and rename it over dst. */
static int
replace(const char *path, const struct stat *st, const char *buf,
    size_t len, const char *dst)
{
	struct atomic_file af;
	struct stat ts;
	int rc = OPTFILE_OK;

	if (atomic_open(&af, dst, st->st_mode & 07777) != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: cannot create a temporary "
		    "file beside %s: %s", path, dst, strerror(errno));
	/* Owner first: chown may clear set-id bits that fchmod restores. */
	if (fchown(af.fd, st->st_uid, st->st_gid) == -1 &&
	    (fstat(af.fd, &ts) == -1 || ts.st_uid != st->st_uid ||
	    ts.st_gid != st->st_gid))
		rc = of_fail(OPTFILE_EIO, "%s: cannot keep its owner %ld:%ld: "
		    "%s", path, (long)st->st_uid, (long)st->st_gid,
		    strerror(errno));
	else if (fchmod(af.fd, st->st_mode & 07777) == -1)
		rc = of_fail(OPTFILE_EIO, "%s: cannot keep its mode: %s",
		    path, strerror(errno));
	else if (write_all(af.fd, buf, len) != CM_OK)
		rc = of_fail(OPTFILE_EIO, "%s: cannot write %s: %s", path,
		    af.tmp, strerror(errno));
	if (rc != OPTFILE_OK) {
		atomic_abort(&af);
		return rc;
	}
	if (atomic_commit(&af) != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: cannot replace %s: %s", path,
		    dst, strerror(errno));
	return OPTFILE_OK;
}

/* Read the file as it is now, under the lock. */
static int
read_now(const char *path, const struct target *t, struct stat *st,
    char **buf, size_t *len)
{
	int fd = open(t->real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int rc;

	*buf = NULL;
	if (fd == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode)) {
		close(fd);
		return of_fail(OPTFILE_EIO, "%s: not a regular file", path);
	}
	if (unsafe(st)) {
		close(fd);
		return of_fail(OPTFILE_EUNSAFE, "%s: writable by group or "
		    "others; refusing to edit", path);
	}
	rc = file_read_fd(fd, OF_MAXSIZE, buf, len);
	close(fd);
	if (rc == CM_TOOBIG)
		return of_fail(OPTFILE_EPARSE, "%s: larger than %u bytes: not "
		    "an option file", path, OF_MAXSIZE);
	if (rc != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: %s", path, cm_strerror(rc));
	return OPTFILE_OK;
}

int
optfile_commit(const char *path, enum optfile_kind kind,
    const struct optfile_edits *edits, int *changed, struct optfile **out)
{
	struct target t;
	struct stat st;
	struct optfile *f = NULL;
	char *old = NULL, *buf = NULL, *bak = NULL;
	size_t oldlen = 0, len = 0;
	int rc, n = 0;

	if (changed != NULL)
		*changed = 0;
	if (out != NULL)
		*out = NULL;
	if ((rc = resolve(path, &t)) != OPTFILE_OK ||
	    (rc = check_safe(path, &t)) != OPTFILE_OK ||
	    (rc = lock(path, &t)) != OPTFILE_OK ||
	    (rc = read_now(path, &t, &st, &old, &oldlen)) != OPTFILE_OK ||
	    (rc = optfile_parse(path, kind, old, oldlen, &f)) != OPTFILE_OK ||
	    (rc = optfile_apply(f, edits, &n)) != OPTFILE_OK ||
	    (rc = optfile_render(f, &buf, &len)) != OPTFILE_OK)
		goto out;
	if (len == oldlen && memcmp(buf, old, len) == 0)
		goto out;
	sweep(&t, ".dsmcert.");
	sweep(&t, ".bak.dsmcert.");
	if ((bak = sibling(&t, "", ".bak")) == NULL) {
		rc = of_nomem();
		goto out;
	}
	if ((rc = replace(path, &st, old, oldlen, bak)) != OPTFILE_OK ||
	    (rc = replace(path, &st, buf, len, t.real)) != OPTFILE_OK)
		goto out;
	if (changed != NULL)
		*changed = 1;
out:
	if (rc == OPTFILE_OK && out != NULL) {
		*out = f;
		f = NULL;
	}
	optfile_free(f);
	free(old);
	free(buf);
	free(bak);
	target_free(&t);
	return rc;
}
