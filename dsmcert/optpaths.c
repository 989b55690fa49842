#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"

/* The directory part of a path, "." when it has none. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

void
optpaths_free(struct optpaths *p)
{
	free(p->opt);
	free(p->sys);
	memset(p, 0, sizeof(*p));
}

int
optpaths_resolve(const char *optfile, const char *why, struct optpaths *p)
{
	const char *v;

	memset(p, 0, sizeof(*p));
	if (optfile != NULL &&
	    optfile_kind_for_path(optfile) == OPTFILE_SYS) {
		p->sys = xstrdup(optfile);
		p->sys_why = why;
		p->sys_exists = access(p->sys, F_OK) == 0;
		return EXIT_OK;
	}
	if (optfile != NULL) {
		p->opt = xstrdup(optfile);
		p->opt_why = why;
	} else if ((v = locate_env("DSM_CONFIG")) != NULL) {
		p->opt = xstrdup(v);
		p->opt_why = "$DSM_CONFIG";
	} else if ((v = locate_env("DSM_DIR")) != NULL) {
		p->opt = path_join(v, "dsm.opt");
		p->opt_why = "$DSM_DIR";
	} else {
		p->opt = path_join(OPTPATHS_DEFAULT_DIR, "dsm.opt");
		p->opt_why = "default";
	}
	p->opt_exists = access(p->opt, F_OK) == 0;
	if ((v = locate_env("DSM_DIR")) != NULL) {
		p->sys = path_join(v, "dsm.sys");
		p->sys_why = "$DSM_DIR";
	} else {
		char *d = dir_of(p->opt);

		p->sys = path_join(d, "dsm.sys");
		p->sys_why = "beside dsm.opt";
		free(d);
	}
	p->sys_exists = access(p->sys, F_OK) == 0;
	return EXIT_OK;
}

int
optfile_exitcode(int status)
{
	switch (status) {
	case OPTFILE_OK:
		return EXIT_OK;
	case OPTFILE_ENOTFOUND:
		return EXIT_NOTFOUND;
	default:
		return EXIT_INPUT;
	}
}

void
optset_free(struct optset *s)
{
	if (s->cache == NULL) {
		optfile_free(s->opt);
		optfile_free(s->sys);
	}
	optpaths_free(&s->paths);
	memset(s, 0, sizeof(*s));
}

const char *
optset_stanza_name(const struct optset *s)
{
	if (s->sys == NULL || s->stanza < 0)
		return NULL;
	return s->sys->stanzas[s->stanza].name;
}

/*
 * A shared file's warnings are printed again for each node that reads it,
 * as when every node parsed its own.
 */
static int
load(struct optcache *cache, const char *path, const char *why,
    enum optfile_kind kind, struct optfile **out)
{
	int rc = cache != NULL ? optcache_load(cache, path, kind, out) :
	    optfile_load(path, kind, out);

	if (rc != OPTFILE_OK) {
		msg_error("%s", optfile_error());
		if (rc == OPTFILE_EIO)
			msg_hint("%s was chosen by %s", path, why);
		else
			msg_hint("fix the line; the file is left as it is");
		return optfile_exitcode(rc == OPTFILE_ENOTFOUND ?
		    OPTFILE_EIO : rc);
	}
	for (size_t i = 0; i < (*out)->nwarnings; i++)
		msg_warn("%s", (*out)->warnings[i]);
	return EXIT_OK;
}

int
optset_load(const char *optfile, const char *why, const char *server,
    struct optset *s)
{
	return optset_load_cached(NULL, optfile, why, server, s);
}

int
optset_load_cached(struct optcache *cache, const char *optfile,
    const char *why, const char *server, struct optset *s)
{
	struct optpaths *p = &s->paths;
	int rc;

	memset(s, 0, sizeof(*s));
	s->stanza = OPTFILE_GLOBAL;
	s->cache = cache;
	if ((rc = optpaths_resolve(optfile, why, p)) != EXIT_OK)
		return rc;
	/* A file named on purpose must be there; dsm.sys is optional. */
	if (!p->opt_exists && !p->sys_exists) {
		msg_error("%s: no such option file (%s)",
		    p->opt ? p->opt : p->sys, p->opt ? p->opt_why : p->sys_why);
		msg_hint("give -optfile FILE, or set DSM_CONFIG or DSM_DIR");
		return EXIT_INPUT;
	}
	if (optfile != NULL && p->opt != NULL && !p->opt_exists) {
		msg_error("%s: no such option file (%s)", p->opt, p->opt_why);
		return EXIT_INPUT;
	}
	if (p->opt_exists &&
	    (rc = load(cache, p->opt, p->opt_why, OPTFILE_OPT, &s->opt)) !=
	    EXIT_OK)
		return rc;
	if (p->sys_exists &&
	    (rc = load(cache, p->sys, p->sys_why, OPTFILE_SYS, &s->sys)) !=
	    EXIT_OK)
		return rc;
	rc = optfile_pick_stanza(s->sys, s->opt, server, &s->stanza,
	    &s->stanza_why);
	if (rc != OPTFILE_OK) {
		msg_error("%s", optfile_error());
		if (server != NULL) {
			msg_hint("dsmcert -query -server NAME with a stanza "
			    "name from %s", s->sys->path);
			return EXIT_NOTFOUND;
		}
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

void
optpaths_warn_owner(const char *path)
{
	struct stat st;

	if (geteuid() != 0 || stat(path, &st) != 0 || st.st_uid == 0)
		return;
	msg_warn("%s belongs to uid %ld, not root; editing it as root "
	    "(owner and mode are kept)", path, (long)st.st_uid);
}
