#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"
#include "dsmcert/vendor.h"

static const struct {
	const char *name;
	const char *what;
} gskit[] = {
	{ "dsmcert.kdb", "GSKit key database" },
	{ "dsmcert.sth", "GSKit stash file" },
	{ "dsmcert.idx", "GSKit index file" },
	{ "dsmcert.rdb", "GSKit request database" },
	{ "dsmcert.crl", "GSKit revocation list database" },
};

static int
seen(const struct vendor_files *l, const struct stat *st)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].dev == st->st_dev && l->v[i].ino == st->st_ino)
			return 1;
	return 0;
}

void
vendor_scan(struct vendor_files *l, const char *dir)
{
	struct stat st;

	if (dir == NULL || *dir == '\0')
		return;
	for (size_t i = 0; i < sizeof(gskit) / sizeof(gskit[0]); i++) {
		char *p = xasprintf("%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", gskit[i].name);

		/* lstat: a link named so is the vendor's too, not followed. */
		if (lstat(p, &st) != 0 || seen(l, &st)) {
			free(p);
			continue;
		}
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n].path = p;
		l->v[l->n].what = gskit[i].what;
		l->v[l->n].dev = st.st_dev;
		l->v[l->n].ino = st.st_ino;
		l->n++;
	}
}

void
vendor_files_free(struct vendor_files *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
