#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"

/*
 * A regular file is replaced atomically, where a link points (the link
 * stays); a device, a pipe or anything under /dev (/dev/null,
 * /dev/stdout) is written to as it is, never replaced by a file of ours.
 */
int
outfile_open(struct outfile *f, const char *path, int mode)
{
	struct stat st;
	char *real = NULL, why[PATH_MAX + 256];
	int rc, exists;

	f->path = path;
	f->direct = -1;
	f->af.fd = -1;
	f->af.tmp = f->af.path = NULL;
	if (strcmp(path, "-") == 0) {
		f->direct = STDOUT_FILENO;
		return EXIT_OK;
	}
	if (path_check_owner(path, why, sizeof(why)) == CM_UNSAFE) {
		msg_error("%s: %s; refusing to write it", path, why);
		return EXIT_INPUT;
	}
	exists = stat(path, &st) == 0;
	/* Nothing under /dev is ours to replace (/dev/stdout to a file). */
	if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
	    strncmp(path, "/dev/", 5) == 0)) {
		/* Non-blocking: a FIFO nobody reads fails, never hangs. */
		f->direct = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC |
		    O_NONBLOCK);
		if (f->direct < 0) {
			msg_error("%s: cannot write: %s", path,
			    strerror(errno));
			return EXIT_INPUT;
		}
		return EXIT_OK;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		msg_error("%s: not a regular file, device or pipe", path);
		return EXIT_INPUT;
	}
	if (exists)
		real = realpath(path, NULL);
	rc = atomic_open(&f->af, real != NULL ? real : path, (mode_t)mode);
	free(real);
	if (rc != CM_OK) {
		msg_error("%s: cannot write: %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int
outfile_commit(struct outfile *f, const void *data, size_t len)
{
	int rc;

	if (f->direct >= 0) {
		int fd = f->direct;

		f->direct = -1;
		/* A device takes what it takes: block for it from here on. */
		if (fd != STDOUT_FILENO)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		rc = write_all(fd, data, len);
		if (fd != STDOUT_FILENO && close(fd) != 0)
			rc = CM_ERRNO;
		if (rc == CM_OK)
			return EXIT_OK;
	} else if (write_all(f->af.fd, data, len) == CM_OK &&
	    atomic_commit(&f->af) == CM_OK)
		return EXIT_OK;
	msg_error("%s: cannot write: %s", f->path, strerror(errno));
	outfile_abort(f);
	return EXIT_INPUT;
}

void
outfile_abort(struct outfile *f)
{
	if (f->path == NULL)	/* never opened */
		return;
	if (f->direct >= 0 && f->direct != STDOUT_FILENO)
		close(f->direct);
	f->direct = -1;
	atomic_abort(&f->af);
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
