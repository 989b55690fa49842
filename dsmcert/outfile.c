#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"

int
outfile_open(struct outfile *f, const char *path, int mode)
{
	f->path = path;
	f->af.fd = -1;
	f->af.tmp = f->af.path = NULL;
	if (strcmp(path, "-") == 0)
		return EXIT_OK;
	if (atomic_open(&f->af, path, (mode_t)mode) != CM_OK) {
		msg_error("%s: cannot write: %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int
outfile_commit(struct outfile *f, const void *data, size_t len)
{
	if (f->af.tmp == NULL) {
		if (write_all(STDOUT_FILENO, data, len) == CM_OK)
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
