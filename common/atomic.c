#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return CM_ERRNO;
		}
		p += w;
		len -= (size_t)w;
	}
	return CM_OK;
}

int
atomic_open(struct atomic_file *af, const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash != NULL ? (int)(slash - path) + 1 : 0;

	/* Hidden, and named for what it stands in for. */
	af->path = xstrdup(path);
	af->tmp = xasprintf("%.*s.%s.dsmcert.XXXXXX", dirlen, path,
	    path + dirlen);
	if ((af->fd = mkstemp(af->tmp)) < 0 || fchmod(af->fd, mode) != 0) {
		int e = errno;

		atomic_abort(af);
		errno = e;
		return CM_ERRNO;
	}
	return CM_OK;
}

/* The rename is durable only once the directory is on disk too. */
static int
sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc = CM_OK;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		rc = CM_ERRNO;
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

int
atomic_commit(struct atomic_file *af)
{
	int e;

	if (fsync(af->fd) != 0 || close(af->fd) != 0) {
		af->fd = -1;
		goto fail;
	}
	af->fd = -1;
	if (rename(af->tmp, af->path) != 0)
		goto fail;
	free(af->tmp);
	af->tmp = NULL;
	e = sync_dir(af->path);
	free(af->path);
	af->path = NULL;
	return e;
fail:
	e = errno;
	atomic_abort(af);
	errno = e;
	return CM_ERRNO;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	if (af->tmp != NULL)
		unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}

int
atomic_write(const char *path, const void *buf, size_t len, mode_t mode)
{
	struct atomic_file af;
	int e;

	if (atomic_open(&af, path, mode) != CM_OK)
		return CM_ERRNO;
	if (write_all(af.fd, buf, len) != CM_OK) {
		e = errno;
		atomic_abort(&af);
		errno = e;
		return CM_ERRNO;
	}
	return atomic_commit(&af);
}
