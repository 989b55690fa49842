#ifndef DSMCERT_OUTFILE_H
#define DSMCERT_OUTFILE_H

#include <stddef.h>

/*
 * An output file written atomically: opened (as a temporary file beside
 * it) before any work that changes the key database, so that an
 * unwritable -out is refused while nothing has changed yet; renamed
 * into place only when complete. "-" is standard output.
 */
struct outfile {
	const char *path;
	char *tmp;
	int fd;
};

int outfile_open(struct outfile *, const char *path, int mode);
int outfile_commit(struct outfile *, const void *data, size_t len);
void outfile_abort(struct outfile *);

#endif
