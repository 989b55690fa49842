#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/sysfind.h"

#define CLIENT_DIR "/opt/tivoli/tsm/client/ba/bin"
#define API_DIR "/opt/tivoli/tsm/client/api/bin64"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
sysfind_install_dir(enum sysfind_kind k)
{
	const char *v = env(k == SYSFIND_API ? "DSMCERT_TEST_API_DIR" :
	    "DSMCERT_TEST_CLIENT_DIR");

	if (v != NULL)
		return v;
	return k == SYSFIND_API ? API_DIR : CLIENT_DIR;
}

/* One place more; the same file twice is looked in once. */
static void
add(struct sysfind *f, const char *dir, int dirlen, const char *why)
{
	char *p;

	if (dirlen < 0)
		dirlen = (int)strlen(dir);
	p = xasprintf("%.*s%sdsm.sys", dirlen, dir,
	    dirlen > 0 && dir[dirlen - 1] == '/' ? "" : "/");
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->path[i], p) == 0) {
			free(p);
			return;
		}
	f->path[f->n] = p;
	f->why[f->n] = why;
	f->exists[f->n] = access(p, F_OK) == 0;
	f->n++;
}

void
sysfind_candidates(enum sysfind_kind k, const char *opt, struct sysfind *f)
{
	const char *v, *slash;

	memset(f, 0, sizeof(*f));
	if (k == SYSFIND_API) {
		if ((v = env("DSMI_DIR")) != NULL)
			add(f, v, -1, "$DSMI_DIR");
		add(f, sysfind_install_dir(k), -1, "the API's installation "
		    "directory");
	} else {
		if ((v = env("DSM_DIR")) != NULL)
			add(f, v, -1, "$DSM_DIR");
		add(f, sysfind_install_dir(k), -1, "the client's "
		    "installation directory");
	}
	if (opt == NULL)
		return;
	if ((slash = strrchr(opt, '/')) == NULL)
		add(f, ".", -1, "beside dsm.opt");
	else
		add(f, opt, slash == opt ? 1 : (int)(slash - opt),
		    "beside dsm.opt");
}

int
sysfind_first(const struct sysfind *f)
{
	for (int i = 0; i < f->n; i++)
		if (f->exists[i])
			return i;
	return -1;
}

void
sysfind_free(struct sysfind *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->path[i]);
	memset(f, 0, sizeof(*f));
}
