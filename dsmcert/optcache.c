#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"
#include "dsmcert/optcache.h"

int
optcache_load(struct optcache *c, const char *path, enum optfile_kind kind,
    struct optfile **out)
{
	struct optcache_entry *v;
	struct stat st;
	int rc;

	*out = NULL;
	/* Unknown identity: read it, and leave it to optfile_load to fail. */
	if (stat(path, &st) == -1) {
		st.st_dev = 0;
		st.st_ino = 0;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct optcache_entry *e = &c->v[i];

		if (e->kind == kind && e->ino != 0 && e->dev == st.st_dev &&
		    e->ino == st.st_ino && strcmp(e->path, path) == 0) {
			*out = e->file;
			return OPTFILE_OK;
		}
	}
	if ((rc = optfile_load(path, kind, out)) != OPTFILE_OK)
		return rc;
	v = c->v = xreallocarray(c->v, c->n + 1, sizeof(*v));
	v[c->n].path = xstrdup(path);
	v[c->n].kind = kind;
	v[c->n].dev = st.st_dev;
	v[c->n].ino = st.st_ino;
	v[c->n].file = *out;
	c->n++;
	return OPTFILE_OK;
}

void
optcache_free(struct optcache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		optfile_free(c->v[i].file);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
