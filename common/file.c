#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"

int
cm_file_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = xmalloc(cap + 1);
	ssize_t r;

	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(b);
				return CM_TOOBIG;
			}
			cap *= 2;
			b = xreallocarray(b, cap + 1, 1);
		}
		r = read(fd, b + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			return CM_ERRNO;
		}
		n += (size_t)r;
	}
	if (n > max) {
		free(b);
		return CM_TOOBIG;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return CM_OK;
}

int
cm_write_all(int fd, const void *buf, size_t len)
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

/* The whole of an open regular file, then closed. */
static int
read_whole(int fd, size_t max, char **buf, size_t *len)
{
	struct stat st;
	int rc, e;

	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return CM_ERRNO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? CM_ISDIR : CM_NOTREG;
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return CM_TOOBIG;
	}
	rc = cm_file_read_fd(fd, max, buf, len);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int
cm_file_read(const char *path, size_t max, char **buf, size_t *len)
{
	int fd;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return CM_ERRNO;
	return read_whole(fd, max, buf, len);
}

int
cm_file_read_safe(const char *path, size_t max, char **buf, size_t *len,
    char *why, size_t whylen)
{
	int fd, rc;

	*buf = NULL;
	*len = 0;
	if ((rc = cm_gate_open_read(path, &fd, why, whylen)) != CM_OK)
		return rc;
	return read_whole(fd, max, buf, len);
}

int
cm_secret_read(const char *path, char **out, mode_t *mode, char *why,
    size_t whylen)
{
	char *buf;
	size_t len;
	struct stat st;
	int fd, rc;

	*out = NULL;
	*mode = 0;
	/* The mode judged is the mode of the file read: one descriptor. */
	if ((rc = cm_gate_open_read(path, &fd, why, whylen)) != CM_OK)
		return rc;
	if (fstat(fd, &st) == 0) {
		*mode = st.st_mode & 07777;
		if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH))) {
			close(fd);
			return CM_EXPOSED;
		}
	}
	if ((rc = read_whole(fd, 64 * 1024, &buf, &len)) != CM_OK)
		return rc;
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = xstrdup(buf);
	explicit_bzero(buf, len);
	free(buf);
	return CM_OK;
}

void
cm_secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}
