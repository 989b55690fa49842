#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * The file is found once, through the output gate's walk (common/gate.c):
 * the directory that holds it is kept open and everything after (the
 * lock, the backup, the read, the replace) is done through that
 * descriptor, so no link can be swapped in between. real and dir are
 * for messages only.
 */
struct target {
	char *real;		/* the file a symbolic link resolves to */
	char *dir;
	char *base;
	int lockfd;
	int dirfd;
};

static void
target_free(struct target *t)
{
	if (t->lockfd != -1)
		close(t->lockfd);	/* releases the lock */
	if (t->dirfd != -1)
		close(t->dirfd);
	free(t->real);
	free(t->dir);
	free(t->base);
}

static int
resolve(const char *path, struct target *t)
{
	char name[NAME_MAX + 1], why[PATH_MAX + 256], *slash;
	struct stat st;
	int exists, rc;

	memset(t, 0, sizeof(*t));
	t->lockfd = t->dirfd = -1;
	/* Before the lock file, the backup or the file is touched. */
	rc = cm_gate_dir(path, &t->dirfd, name, sizeof(name), &st, &exists, why,
	    sizeof(why));
	if (rc == CM_UNSAFE)
		return of_fail(OPTFILE_EUNSAFE, "%s: %s; refusing to edit",
		    path, why);
	if (rc == CM_OK && !exists) {
		rc = CM_ERRNO;
		errno = ENOENT;
	}
	if (rc != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: %s", path, cm_strerror(rc));
	t->base = xstrdup(name);
	/* For messages: where the walk ended, in words. */
	if ((t->real = realpath(path, NULL)) == NULL)
		t->real = xstrdup(path);
	slash = strrchr(t->real, '/');
	t->dir = slash == NULL ? xstrdup(".") : slash == t->real ?
	    xstrdup("/") : xstrndup(t->real, (size_t)(slash - t->real));
	return OPTFILE_OK;
}

/* A name beside the file, in its directory (t->dirfd). */
static char *
sibling(const struct target *t, const char *pre, const char *post)
{
	return xasprintf("%s%s%s", pre, t->base, post);
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

	if (fstat(t->dirfd, &st) == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", t->dir, strerror(errno));
	if (unsafe(&st))
		return of_fail(OPTFILE_EUNSAFE, "%s: the directory of %s is "
		    "writable by group or others; refusing to edit (chmod "
		    "go-w %s)", t->dir, path, t->dir);
	if (fstatat(t->dirfd, t->base, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return of_fail(OPTFILE_EIO, "%s: not a regular file", path);
	if (unsafe(&st))
		return of_fail(OPTFILE_EUNSAFE, "%s: writable by group or "
		    "others; refusing to edit (chmod go-w %s)", path, t->real);
	/* rename() needs only the directory; honour the file's own mode. */
	if (faccessat(t->dirfd, t->base, W_OK, 0) == -1)
		return of_fail(OPTFILE_EIO, "%s: %s", path, strerror(errno));
	return OPTFILE_OK;
}

static int
lock(const char *path, struct target *t)
{
	char *lp = sibling(t, "", ".lock");
	struct stat st;

	/* Read-only is enough for flock, and lets the file's owner lock a
	 * lock file that root created. */
	t->lockfd = openat(t->dirfd, lp, O_RDONLY | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC | O_NONBLOCK, 0644);
	if (t->lockfd == -1 || fstat(t->lockfd, &st) == -1 ||
	    !S_ISREG(st.st_mode)) {
		/* A FIFO put there would hang the open or the lock. */
		int rc = of_fail(OPTFILE_EIO, "%s: cannot use the lock file "
		    "%s/%s: %s", path, t->dir, lp, t->lockfd == -1 ?
		    strerror(errno) :
		    "not a regular file");

		free(lp);
		return rc;
	}
	/* Waited for in the kernel's queue, as every lock (common/lock.c). */
	if (cm_lock_wait(t->lockfd, OPTFILE_LOCK_SECONDS) != CM_OK) {
		int rc = errno == ETIMEDOUT ? of_fail(OPTFILE_EIO, "%s: "
		    "another editor has held %s/%s for %d seconds; try again "
		    "later", path, t->dir, lp, OPTFILE_LOCK_SECONDS) :
		    of_fail(OPTFILE_EIO, "%s: cannot lock %s/%s: %s", path,
		    t->dir, lp, strerror(errno));

		free(lp);
		return rc;
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
	p = pre;
	n = strlen(p);
	if ((dfd = openat(t->dirfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1 && (d = fdopendir(dfd)) != NULL) {
		dfd = dirfd(d);
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, p, n) == 0 &&
			    strlen(de->d_name) == n + 6)
				unlinkat(dfd, de->d_name, 0);
		closedir(d);
	} else if (dfd != -1)
		close(dfd);
	free(pre);
}

/*
 * What an edit was made on, to see that it is still there: other
 * programs append to option files without taking our lock (echo >>
 * dsm.sys in an installer), and their lines must not be lost in the
 * rename. fd is the file as read, kept open to see appends to it.
 */
struct seen {
	const struct stat *st;
	int fd;
	char *buf;		/* what the file held when last looked at */
	size_t len;
};

enum { SEEN_SAME, SEEN_APPENDED, SEEN_CHANGED };

/*
 * Is dst still what was seen: same inode, same bytes? Grown by an append
 * only, *tail is what was appended (and was->buf takes it in).
 */
static int
compare(int dirfd, const char *dst, struct seen *was, char **tail,
    size_t *taillen)
{
	struct stat now;
	char *buf;
	size_t len;

	*tail = NULL;
	if (fstatat(dirfd, dst, &now, 0) == -1 || now.st_ino != was->st->st_ino ||
	    now.st_dev != was->st->st_dev || lseek(was->fd, 0, SEEK_SET) != 0 ||
	    cm_file_read_fd(was->fd, OF_MAXSIZE, &buf, &len) != CM_OK)
		return SEEN_CHANGED;
	if (len == was->len && memcmp(buf, was->buf, len) == 0) {
		free(buf);
		return SEEN_SAME;
	}
	if (len < was->len || memcmp(buf, was->buf, was->len) != 0) {
		free(buf);
		return SEEN_CHANGED;
	}
	*taillen = len - was->len;
	*tail = xmemdup(buf + was->len, *taillen);
	free(was->buf);
	was->buf = buf;
	was->len = len;
	return SEEN_APPENDED;
}

/*
 * After the rename: a program that opened the old copy just before it
 * may still write there. Look a few times, a few milliseconds apart, and
 * append what it wrote to the new file.
 *
 * The window is mostly atomic_commit's fsync of the new file, which
 * comes after the last compare() and before the rename: an
 * "echo >> dsm.sys" that opens the file then writes to the copy about
 * to be replaced. Measured with t_optfile_append's load (400 separate
 * appends during 20 -setopt edits, on a busy two-processor machine):
 * without this, 8 to 23 of the 400 lines were lost in each of 5 runs;
 * with it none in 14 runs, and it carried lines over on 11 to 19 of the
 * 20 edits, each time at the first look (3 ms after the rename). The
 * two further quiet looks are for a writer slower than that.
 */
static void
carry_late(const char *path, int dirfd, const char *dst, struct seen *was)
{
	struct timespec nap = { 0, 3 * 1000 * 1000 };
	struct stat now;
	char *buf;
	size_t len;
	int quiet = 0, fd;

	while (quiet < 3) {
		nanosleep(&nap, NULL);
		if (fstat(was->fd, &now) == -1 || (size_t)now.st_size <= was->len) {
			quiet++;
			continue;
		}
		quiet = 0;
		if (lseek(was->fd, 0, SEEK_SET) != 0 ||
		    cm_file_read_fd(was->fd, OF_MAXSIZE, &buf, &len) != CM_OK)
			return;
		fd = openat(dirfd, dst, O_WRONLY | O_APPEND | O_NOFOLLOW |
		    O_CLOEXEC | O_NONBLOCK);
		if (len > was->len && fd != -1 &&
		    cm_write_all(fd, buf + was->len, len - was->len) == CM_OK)
			fsync(fd);
		else
			(void)of_fail(OPTFILE_EIO, "%s: lines appended to the "
			    "old copy may be lost", path);
		if (fd != -1)
			close(fd);
		free(was->buf);
		was->buf = buf;
		was->len = len;
	}
}

#define OF_RETRY (-1)	/* dst changed since it was read: edit again */
#define OF_APPENDS 1000	/* appends carried over before giving up */

/*
 * Write buf to a temporary file beside dst and rename it over dst.
 * With was: lines appended to dst meanwhile are appended to the new
 * file too, checked last, with only the rename to go; any other change
 * is OF_RETRY. After the rename, a late append to the old copy (by a
 * program that opened it just before) is carried over as well.
 */
static int
replace(const char *path, const struct stat *st, const char *buf,
    size_t len, int dirfd, const char *dst, struct seen *was)
{
	struct cm_gate af;
	struct stat ts;
	char *tail;
	size_t taillen;
	int rc = OPTFILE_OK, k, state;

	if (cm_gate_temp_at(&af, dirfd, dst, st->st_mode & 07777) != CM_OK)
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
	else if (cm_write_all(af.fd, buf, len) != CM_OK)
		rc = of_fail(OPTFILE_EIO, "%s: cannot write %s: %s", path,
		    af.tmp, strerror(errno));
	for (k = 0; rc == OPTFILE_OK && was != NULL; k++) {
		state = compare(dirfd, dst, was, &tail, &taillen);
		if (state == SEEN_SAME)
			break;
		if (state == SEEN_CHANGED || k == OF_APPENDS)
			rc = OF_RETRY;
		else if (cm_write_all(af.fd, tail, taillen) != CM_OK)
			rc = of_fail(OPTFILE_EIO, "%s: cannot write %s: %s",
			    path, af.tmp, strerror(errno));
		free(tail);
	}
	if (rc != OPTFILE_OK) {
		cm_gate_abort(&af);
		return rc;
	}
	if (cm_gate_commit(&af) != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: cannot replace %s: %s", path,
		    dst, strerror(errno));
	if (was != NULL)
		carry_late(path, dirfd, dst, was);
	return OPTFILE_OK;
}

/* Read the file as it is now, under the lock. */
static int
read_now(const char *path, const struct target *t, struct stat *st,
    char **buf, size_t *len, int *fdp)
{
	int fd = openat(t->dirfd, t->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	int rc;

	*buf = NULL;
	*fdp = -1;
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
	rc = cm_file_read_fd(fd, OF_MAXSIZE, buf, len);
	if (rc != CM_OK)
		close(fd);
	if (rc == CM_TOOBIG)
		return of_fail(OPTFILE_EPARSE, "%s: larger than %u bytes: not "
		    "an option file", path, OF_MAXSIZE);
	if (rc != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: %s", path, cm_strerror(rc));
	*fdp = fd;	/* kept open: appends to it are looked for */
	return OPTFILE_OK;
}

/* How often an edit is made again on a file that others keep changing. */
#define OF_RETRIES 20

int
optfile_commit(const char *path, enum optfile_kind kind,
    const struct optfile_edits *edits, int *changed, struct optfile **out)
{
	struct target t;
	struct stat st;
	struct optfile *f = NULL;
	char *old = NULL, *buf = NULL, *bak = NULL;
	size_t oldlen = 0, len = 0;
	struct seen was = { &st, -1, NULL, 0 };
	int rc, n = 0, tries = 0;

	if (changed != NULL)
		*changed = 0;
	if (out != NULL)
		*out = NULL;
	if ((rc = resolve(path, &t)) != OPTFILE_OK ||
	    (rc = check_safe(path, &t)) != OPTFILE_OK ||
	    (rc = lock(path, &t)) != OPTFILE_OK)
		goto out;
	bak = sibling(&t, "", ".bak");
again:
	if ((rc = read_now(path, &t, &st, &old, &oldlen, &was.fd)) !=
	    OPTFILE_OK ||
	    (rc = optfile_parse(path, kind, old, oldlen, &f)) != OPTFILE_OK ||
	    (rc = optfile_apply(f, edits, &n)) != OPTFILE_OK ||
	    (rc = optfile_render(f, &buf, &len)) != OPTFILE_OK)
		goto out;
	if (len == oldlen && memcmp(buf, old, len) == 0)
		goto out;
	sweep(&t, ".dsmcert.");
	sweep(&t, ".bak.dsmcert.");
	if ((rc = replace(path, &st, old, oldlen, t.dirfd, bak, NULL)) !=
	    OPTFILE_OK)
		goto out;
	was.buf = xmemdup(old, oldlen);
	was.len = oldlen;
	rc = replace(path, &st, buf, len, t.dirfd, t.base, &was);
	if (rc == OF_RETRY) {
		if (++tries > OF_RETRIES) {
			rc = of_fail(OPTFILE_EIO, "%s: changed by another "
			    "program %d times while being edited; try again",
			    path, OF_RETRIES);
			goto out;
		}
		optfile_free(f);
		free(old);
		free(buf);
		free(was.buf);
		close(was.fd);
		f = NULL;
		old = buf = was.buf = NULL;
		was.fd = -1;
		goto again;
	}
	if (rc != OPTFILE_OK)
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
	free(was.buf);
	if (was.fd != -1)
		close(was.fd);
	target_free(&t);
	return rc;
}
