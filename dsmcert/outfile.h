#ifndef DSMCERT_OUTFILE_H
#define DSMCERT_OUTFILE_H

#include <stddef.h>

#include "common/common.h"

/*
 * An output file written atomically: opened (as a temporary file beside
 * it) before any work that changes the key database, so that an
 * unwritable -out is refused while nothing has changed yet; renamed
 * into place only when complete. "-" is standard output.
 */
struct outfile {
	const char *path;
	int std;		/* "-": standard output */
	struct cm_gate g;		/* else through the output gate */
};

int outfile_open(struct outfile *, const char *path, int mode);
int outfile_commit(struct outfile *, const void *data, size_t len);
void outfile_abort(struct outfile *);

/*
 * With -json, standard output holds the JSON document, so an output
 * file "-" is refused (EXIT_USAGE, message naming both flags) before
 * anything is done. EXIT_OK otherwise.
 */
int outfile_json_clash(int json, const char *flag, const char *path);

#endif
