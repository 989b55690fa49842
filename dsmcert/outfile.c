#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"

int
outfile_open(struct outfile *f, const char *path, int mode)
{
	size_t n = strlen(path) + 16;

	f->path = path;
	f->tmp = NULL;
	f->fd = -1;
	if (strcmp(path, "-") == 0)
		return EXIT_OK;
	if ((f->tmp = malloc(n)) == NULL)
		abort();
	snprintf(f->tmp, n, "%s.XXXXXX", path);
	if ((f->fd = mkstemp(f->tmp)) < 0 || fchmod(f->fd, (mode_t)mode) != 0) {
		msg_error("%s: cannot write: %s", path, strerror(errno));
		outfile_abort(f);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int
outfile_commit(struct outfile *f, const void *data, size_t len)
{
	const char *p = data;
	int fd = f->tmp != NULL ? f->fd : STDOUT_FILENO;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (f->tmp == NULL)
		return EXIT_OK;
	if (fsync(f->fd) != 0 || close(f->fd) != 0) {
		f->fd = -1;
		goto fail;
	}
	f->fd = -1;
	if (rename(f->tmp, f->path) != 0)
		goto fail;
	free(f->tmp);
	f->tmp = NULL;
	return EXIT_OK;
fail:
	msg_error("%s: cannot write: %s", f->path, strerror(errno));
	outfile_abort(f);
	return EXIT_INPUT;
}

void
outfile_abort(struct outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp != NULL) {
		unlink(f->tmp);
		free(f->tmp);
	}
	f->tmp = NULL;
}

int
outfile_json_clash(int json, const char *flag, const char *path)
{
	if (!json || path == NULL || strcmp(path, "-") != 0)
		return EXIT_OK;
	msg_error("-json and %s - both write to standard output; give %s a "
	    "file", flag, flag);
	return EXIT_USAGE;
}
