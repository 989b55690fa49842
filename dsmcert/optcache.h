#ifndef DSMCERT_OPTCACHE_H
#define DSMCERT_OPTCACHE_H

#include <sys/types.h>

#include "optfile/optfile.h"

/*
 * Option files parsed once per run. -policy and -configure read the files
 * of every node, and nodes share them: several nodes on one dsm.opt, or
 * on stanzas of one dsm.sys. A file is known again by its device and
 * inode and by the path it was named by, so that every message still
 * names it as its node does.
 */
struct optcache_entry {
	char *path;
	enum optfile_kind kind;
	dev_t dev;
	ino_t ino;
	struct optfile *file;
};

struct optcache {
	struct optcache_entry *v;
	size_t n;
};

/*
 * The parsed file, from the cache or read and kept there; it belongs to
 * the cache. Returns an optfile_status, with optfile_error() set.
 */
int optcache_load(struct optcache *, const char *path, enum optfile_kind,
    struct optfile **out);
void optcache_free(struct optcache *);

#endif
