/* O_PATH, and readlinkat of an empty path on it. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"

/*
 * The output gate: every file dsmcert writes goes through here.
 *
 * The path is resolved once, one component at a time, each by the
 * descriptor of the directory before it (openat with O_NOFOLLOW), and a
 * symbolic link is read by its own descriptor and followed by hand. What
 * is checked is what the descriptors hold, and what is written is
 * written through them: nobody can swap a link between the check and
 * the write (stat, then open, resolves the path twice, and a user
 * flipping a link between the two wins the race).
 *
 * Root among users: a link or the directory holding the file, owned by
 * another user, is that user's to point anywhere, so the file reached
 * must be theirs as well. A directory further up is not: once its
 * root-owned child is held by descriptor, whoever owns the parent cannot
 * change what the child holds (Debian's root-owned
 * /var/lib/prometheus/node-exporter in the prometheus user's
 * /var/lib/prometheus).
 */

#define MAXHOPS 40
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

struct walk {
	int dirfd;		/* the directory holding the entry */
	char name[NAME_MAX + 1];
	int inplace;		/* a link of /proc (/dev/stdout): its fd */
	int exists;
	struct stat st;		/* the entry, when it exists */
	uid_t ctl;		/* another user in control, 0 if none */
	uid_t diruid;		/* the owner of the directory holding it */
	int ctl_link;
	char what[PATH_MAX + 16];
};

static void
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
}

/* The first other user met, a link rather than a directory. */
static void
note(struct walk *w, uid_t uid, int link, const char *shown)
{
	if (uid == 0 || uid == geteuid() || (w->ctl != 0 &&
	    (w->ctl_link || !link)))
		return;
	w->ctl = uid;
	w->ctl_link = link;
	snprintf(w->what, sizeof(w->what), "%s %s", link ? "link" :
	    "directory", shown);
}

/* Put target (a link's text) in front of rest. */
static int
put_front(char *rest, size_t cap, const char *target)
{
	size_t t = strlen(target), r = strlen(rest);

	if (t + r + 2 > cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memmove(rest + t + 1, rest, r + 1);
	memcpy(rest, target, t);
	rest[t] = '/';
	return 0;
}

static int
reopen_root(int *dfd, const char *where)
{
	int fd = open(where, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(*dfd);
	*dfd = fd;
	return 0;
}

static int
on_proc(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/*
 * shown tracks the path as followed, for messages only; nothing is
 * resolved by it.
 */
static int
walk(const char *path, struct walk *w)
{
	char rest[PATH_MAX * 2], comp[NAME_MAX + 1], target[PATH_MAX];
	char shown[PATH_MAX];
	struct stat st;
	int hops = 0, fd, e;

	memset(w, 0, sizeof(*w));
	w->inplace = -1;
	if (strlen(path) >= PATH_MAX || path[0] == '\0') {
		errno = path[0] == '\0' ? ENOENT : ENAMETOOLONG;
		return CM_ERRNO;
	}
	snprintf(rest, sizeof(rest), "%s", path);
	snprintf(shown, sizeof(shown), "%s", path[0] == '/' ? "" : ".");
	w->dirfd = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY |
	    O_CLOEXEC);
	if (w->dirfd < 0)
		return CM_ERRNO;
	for (;;) {
		char *p = rest + strspn(rest, "/");
		size_t n = strcspn(p, "/");
		int last;

		if (n == 0)
			goto isdir;	/* "/", or a name ending in '/' */
		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		memmove(rest, p + n, strlen(p + n) + 1);
		last = rest[strspn(rest, "/")] == '\0';
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			if (last)
				goto isdir;
			if (comp[1] == '.') {
				fd = openat(w->dirfd, "..", O_PATH |
				    O_DIRECTORY | O_CLOEXEC);
				if (fd < 0)
					goto fail;
				close(w->dirfd);
				w->dirfd = fd;
			}
			continue;
		}
		if (fstatat(w->dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno != ENOENT || !last)
				goto fail;
			snprintf(w->name, sizeof(w->name), "%s", comp);
			break;	/* a new file */
		}
		if (S_ISLNK(st.st_mode)) {
			ssize_t tl;

			if (last && on_proc(w->dirfd)) {
				/*
				 * /proc/self/fd/1 names an open file, not a
				 * path: written where it is, as it is.
				 */
				w->inplace = openat(w->dirfd, comp, O_WRONLY |
				    O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
				if (w->inplace < 0 ||
				    fstat(w->inplace, &w->st) != 0)
					goto fail;
				w->exists = 1;
				snprintf(w->name, sizeof(w->name), "%s", comp);
				break;
			}
			if (++hops > MAXHOPS) {
				errno = ELOOP;
				goto fail;
			}
			fd = openat(w->dirfd, comp, O_PATH | O_NOFOLLOW |
			    O_CLOEXEC);
			if (fd < 0)
				goto fail;
			/* The link read is the link checked: same fd. */
			if (fstat(fd, &st) != 0 || !S_ISLNK(st.st_mode) ||
			    (tl = readlinkat(fd, "", target,
			    sizeof(target) - 1)) < 0) {
				if (errno == 0)
					errno = EAGAIN;
				close(fd);
				goto fail;
			}
			close(fd);
			target[tl] = '\0';
			{
				char lp[PATH_MAX];

				snprintf(lp, sizeof(lp), "%s/%s", shown, comp);
				note(w, st.st_uid, 1, lp);
			}
			if (put_front(rest, sizeof(rest), target) != 0)
				goto fail;
			if (target[0] == '/') {
				if (reopen_root(&w->dirfd, "/") != 0)
					goto fail;
				shown[0] = '\0';
			}
			continue;
		}
		if (last) {
			snprintf(w->name, sizeof(w->name), "%s", comp);
			w->exists = 1;
			w->st = st;
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			goto fail;
		}
		fd = openat(w->dirfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd < 0)
			goto fail;
		close(w->dirfd);
		w->dirfd = fd;
		if (strlen(shown) + n + 2 < sizeof(shown)) {
			strcat(shown, "/");
			strcat(shown, comp);
		}
	}
	/* The directory that holds the entry: its owner chooses what is in
	 * it. */
	if (fstat(w->dirfd, &st) != 0)
		goto fail;
	w->diruid = st.st_uid;
	note(w, st.st_uid, 0, shown[0] != '\0' ? shown : "/");
	return CM_OK;
isdir:
	close(w->dirfd);
	w->dirfd = -1;
	return CM_ISDIR;
fail:
	e = errno;
	if (w->dirfd >= 0)
		close(w->dirfd);
	if (w->inplace >= 0)
		close(w->inplace);
	w->dirfd = w->inplace = -1;
	errno = e;
	return CM_ERRNO;
}

/* Run as root: is the file reached through another user's hands
 * theirs too? */
static int
owner_rule(const struct walk *w, char *why, size_t whylen)
{
	char user[64], target[64];
	uid_t owner = w->exists ? w->st.st_uid : w->diruid;

	/*
	 * A new file is made only where that user could make it: a link of
	 * theirs to a name not there yet in root's /etc/cron.d is refused.
	 */
	if (geteuid() != 0 || w->ctl == 0 || owner == w->ctl)
		return CM_OK;
	user_name(w->ctl, user, sizeof(user));
	user_name(owner, target, sizeof(target));
	snprintf(why, whylen, "reached through %s, which belongs to %s, but "
	    "the %s it leads to belongs to %s; as root, dsmcert uses it "
	    "only when %s owns it too", w->what, user, w->exists ? "file" :
	    "directory", target, user);
	return CM_UNSAFE;
}

static void
walk_close(struct walk *w)
{
	if (w->dirfd >= 0)
		close(w->dirfd);
	if (w->inplace >= 0)
		close(w->inplace);
	w->dirfd = w->inplace = -1;
}

int
cm_gate_dir(const char *path, int *dirfd, char *name, size_t namelen,
    struct stat *st, int *exists, char *why, size_t whylen)
{
	struct walk w;
	int rc;

	*dirfd = -1;
	if ((rc = walk(path, &w)) != CM_OK)
		return rc;
	if ((rc = owner_rule(&w, why, whylen)) != CM_OK) {
		walk_close(&w);
		return rc;
	}
	if (w.inplace >= 0) {
		walk_close(&w);
		return CM_NOTREG;
	}
	*dirfd = w.dirfd;
	snprintf(name, namelen, "%s", w.name);
	*exists = w.exists;
	if (w.exists)
		*st = w.st;
	return CM_OK;
}

int
cm_gate_open_read(const char *path, int *fdp, char *why, size_t whylen)
{
	struct walk w;
	int rc, fd, e;

	*fdp = -1;
	if ((rc = walk(path, &w)) != CM_OK)
		return rc;
	if (w.inplace >= 0) {
		/* /dev/stdin and the like: read from where it leads. */
		close(w.inplace);
		w.inplace = openat(w.dirfd, w.name, O_RDONLY | O_NOCTTY |
		    O_CLOEXEC | O_NONBLOCK);
		if (w.inplace < 0 || fstat(w.inplace, &w.st) != 0)
			goto fail;
		fd = w.inplace;
		w.inplace = -1;
	} else if (!w.exists) {
		walk_close(&w);
		errno = ENOENT;
		return CM_ERRNO;
	} else if ((fd = openat(w.dirfd, w.name, O_RDONLY | O_NOFOLLOW |
	    O_NOCTTY | O_CLOEXEC | O_NONBLOCK)) < 0)
		goto fail;
	/* What the rule judges is what was opened. */
	if (fstat(fd, &w.st) != 0) {
		close(fd);
		goto fail;
	}
	if ((rc = owner_rule(&w, why, whylen)) != CM_OK) {
		close(fd);
		walk_close(&w);
		return rc;
	}
	walk_close(&w);
	*fdp = fd;
	return CM_OK;
fail:
	e = errno;
	walk_close(&w);
	errno = e;
	return CM_ERRNO;
}

/* A name of our own beside the target: .NAME.dsmcert.XXXXXX. */
static int
make_temp(struct cm_gate *g, mode_t mode)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789";
	struct timespec ts;
	unsigned long x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
	    (unsigned long)(uintptr_t)g;
	for (int tries = 0; tries < 100; tries++) {
		char suf[7];

		for (int i = 0; i < 6; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			suf[i] = set[(x >> 33) % (sizeof(set) - 1)];
		}
		suf[6] = '\0';
		free(g->tmp);
		g->tmp = xasprintf(".%s" CM_GATE_TEMP "%s", g->name, suf);
		g->fd = openat(g->dirfd, g->tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (g->fd >= 0)
			break;
		if (errno != EEXIST)
			return CM_ERRNO;
	}
	if (g->fd < 0)
		return CM_ERRNO;
	/* Owner first: chown may clear set-id bits that fchmod restores. */
	if (g->existed && geteuid() == 0 &&
	    fchown(g->fd, g->old.st_uid, g->old.st_gid) != 0)
		return CM_ERRNO;
	if (fchmod(g->fd, mode) != 0)
		return CM_ERRNO;
	return CM_OK;
}

int
cm_gate_open(struct cm_gate *g, const char *path, mode_t mode, char *why,
    size_t whylen)
{
	struct walk w;
	int rc, e;

	memset(g, 0, sizeof(*g));
	g->fd = g->dirfd = -1;
	if ((rc = walk(path, &w)) != CM_OK)
		return rc;
	if ((rc = owner_rule(&w, why, whylen)) != CM_OK) {
		walk_close(&w);
		return rc;
	}
	g->dirfd = w.dirfd;
	g->name = xstrdup(w.name);
	if (w.inplace >= 0) {
		g->fd = w.inplace;
		g->inplace = 1;
		return CM_OK;
	}
	if (w.exists && (S_ISCHR(w.st.st_mode) || S_ISFIFO(w.st.st_mode))) {
		struct stat now;

		/* Non-blocking: a FIFO nobody reads fails, never hangs. */
		g->fd = openat(g->dirfd, g->name, O_WRONLY | O_NOFOLLOW |
		    O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
		if (g->fd < 0 || fstat(g->fd, &now) != 0)
			goto fail;
		if (now.st_dev != w.st.st_dev || now.st_ino != w.st.st_ino) {
			errno = EAGAIN;		/* changed under us */
			goto fail;
		}
		g->inplace = 1;
		return CM_OK;
	}
	if (w.exists && !S_ISREG(w.st.st_mode)) {
		cm_gate_abort(g);
		return S_ISDIR(w.st.st_mode) ? CM_ISDIR : CM_NOTREG;
	}
	g->existed = w.exists;
	g->old = w.st;
	/* The replaced file's mode, never opening it wider than asked. */
	if (w.exists)
		mode = (w.st.st_mode & 07777) & ~(077 & ~mode);
	if (make_temp(g, mode) != CM_OK)
		goto fail;
	return CM_OK;
fail:
	e = errno;
	cm_gate_abort(g);
	errno = e;
	return CM_ERRNO;
}

int
cm_gate_temp_at(struct cm_gate *g, int dirfd, const char *name, mode_t mode)
{
	int e;

	memset(g, 0, sizeof(*g));
	g->fd = -1;
	if ((g->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return CM_ERRNO;
	g->name = xstrdup(name);
	if (make_temp(g, mode) != CM_OK) {
		e = errno;
		cm_gate_abort(g);
		errno = e;
		return CM_ERRNO;
	}
	return CM_OK;
}

int
cm_gate_commit(struct cm_gate *g)
{
	int e, dfd;

	if (g->inplace) {
		int fd = g->fd;

		g->fd = -1;
		cm_gate_abort(g);
		if (close(fd) != 0)
			return CM_ERRNO;
		return CM_OK;
	}
	if (fsync(g->fd) != 0 || close(g->fd) != 0) {
		g->fd = -1;
		goto fail;
	}
	g->fd = -1;
	if (renameat(g->dirfd, g->tmp, g->dirfd, g->name) != 0)
		goto fail;
	free(g->tmp);
	g->tmp = NULL;
	/* The rename is durable only once the directory is on disk too. */
	dfd = openat(g->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	e = dfd >= 0 && fsync(dfd) == 0 ? CM_OK : CM_ERRNO;
	if (dfd >= 0)
		close(dfd);
	cm_gate_abort(g);
	return e;
fail:
	e = errno;
	cm_gate_abort(g);
	errno = e;
	return CM_ERRNO;
}

int
cm_gate_write_fd(struct cm_gate *g, const void *buf, size_t len)
{
	/* A device takes what it takes: block for it from here on. */
	if (g->inplace)
		fcntl(g->fd, F_SETFL, fcntl(g->fd, F_GETFL) & ~O_NONBLOCK);
	return cm_write_all(g->fd, buf, len);
}

void
cm_gate_abort(struct cm_gate *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	if (g->tmp != NULL && g->dirfd >= 0)
		unlinkat(g->dirfd, g->tmp, 0);
	if (g->dirfd >= 0)
		close(g->dirfd);
	g->dirfd = -1;
	free(g->tmp);
	free(g->name);
	g->tmp = g->name = NULL;
}

int
cm_gate_write(const char *path, const void *buf, size_t len, mode_t mode,
    char *why, size_t whylen)
{
	struct cm_gate g;
	int rc;

	if ((rc = cm_gate_open(&g, path, mode, why, whylen)) != CM_OK)
		return rc;
	return cm_gate_finish(&g, buf, len);
}

int
cm_gate_finish(struct cm_gate *g, const void *buf, size_t len)
{
	int e;

	if (cm_gate_write_fd(g, buf, len) != CM_OK) {
		e = errno;
		cm_gate_abort(g);
		errno = e;
		return CM_ERRNO;
	}
	return cm_gate_commit(g);
}

int
cm_gate_is_temp(const char *name)
{
	const char *t = strstr(name, CM_GATE_TEMP);

	/* .NAME.dsmcert.XXXXXX, the last such infix */
	if (name[0] != '.' || t == NULL)
		return 0;
	while (strstr(t + 1, CM_GATE_TEMP) != NULL)
		t = strstr(t + 1, CM_GATE_TEMP);
	return strlen(t + strlen(CM_GATE_TEMP)) == 6;
}
