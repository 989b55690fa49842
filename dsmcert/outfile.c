#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"

/*
 * Through the output gate (common/gate.c): resolved once by descriptor,
 * a regular file replaced atomically where a link points (the link
 * stays), a device, a pipe or /dev/stdout written to as it is, never
 * replaced by a file of ours.
 */
int
outfile_open(struct outfile *f, const char *path, int mode)
{
	char why[PATH_MAX + 256];
	int rc;

	f->path = path;
	f->std = 0;
	f->g.fd = f->g.dirfd = -1;
	f->g.tmp = f->g.name = NULL;
	if (strcmp(path, "-") == 0) {
		f->std = 1;
		return EXIT_OK;
	}
	rc = cm_gate_open(&f->g, path, (mode_t)mode, why, sizeof(why));
	if (rc == CM_UNSAFE) {
		msg_error("%s: %s; refusing to write it", path, why);
		return EXIT_INPUT;
	}
	if (rc == CM_NOTREG || rc == CM_ISDIR) {
		msg_error("%s: not a regular file, device or pipe", path);
		return EXIT_INPUT;
	}
	if (rc != CM_OK) {
		msg_error("%s: cannot write: %s", path, cm_strerror(rc));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int
outfile_commit(struct outfile *f, const void *data, size_t len)
{
	if (f->std) {
		f->std = 0;
		if (cm_write_all(STDOUT_FILENO, data, len) == CM_OK)
			return EXIT_OK;
	} else if (cm_gate_write_fd(&f->g, data, len) == CM_OK &&
	    cm_gate_commit(&f->g) == CM_OK)
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
	f->std = 0;
	cm_gate_abort(&f->g);
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
