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

void
optpaths_free(struct optpaths *p)
{
	free(p->opt);
	free(p->sys);
	sysfind_free(&p->looked);
	memset(p, 0, sizeof(*p));
}

int
optpaths_resolve(const char *optfile, const char *why, struct optpaths *p)
{
	return optpaths_resolve_node(optfile, why, SYSFIND_CLIENT, NULL, p);
}

int
optpaths_resolve_node(const char *optfile, const char *why,
    enum sysfind_kind kind, const char *sysfile, struct optpaths *p)
{
	const char *v;
	int i;

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
		p->opt = cm_path_join(v, "dsm.opt");
		p->opt_why = "$DSM_DIR";
	} else {
		p->opt = cm_path_join(sysfind_install_dir(SYSFIND_CLIENT),
		    "dsm.opt");
		p->opt_why = "default";
	}
	p->opt_exists = access(p->opt, F_OK) == 0;
	if (sysfile != NULL) {
		/* Named on purpose: that file, and no other. */
		p->sys = xstrdup(sysfile);
		p->sys_why = "sysfile in the inventory";
		p->sys_exists = access(p->sys, F_OK) == 0;
		p->looked.path[0] = xstrdup(sysfile);
		p->looked.why[0] = p->sys_why;
		p->looked.exists[0] = p->sys_exists;
		p->looked.n = 1;
		return EXIT_OK;
	}
	sysfind_candidates(kind, p->opt, &p->looked);
	if ((i = sysfind_first(&p->looked)) < 0)
		i = 0;	/* none: the one the client would read first */
	p->sys = xstrdup(p->looked.path[i]);
	p->sys_why = p->looked.why[i];
	p->sys_exists = p->looked.exists[i];
	return EXIT_OK;
}

/* "A ($DSMI_DIR, absent), B (beside dsm.opt, read)": for messages. */
static char *
looked_text(const struct optpaths *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	for (int i = 0; i < p->looked.n; i++)
		fprintf(f, "%s%s (%s, %s)", i ? ", " : "", p->looked.path[i],
		    p->looked.why[i], !p->looked.exists[i] ? "absent" :
		    strcmp(p->looked.path[i], p->sys) == 0 ? "read" :
		    "not read");
	fclose(f);
	return buf;
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
	return optset_load_node(cache, optfile, why, SYSFIND_CLIENT, NULL,
	    server, s);
}

/*
 * A dsm.opt that chooses a stanza is a UNIX client's: without a dsm.sys
 * it is no Windows-style file holding every option, and reading it as
 * one would judge the defaults (localhost, 1500). Say what is missing.
 */
static int
stanza_nowhere(const struct optset *s)
{
	const struct optfile_line *l;
	char *looked;

	if (s->sys != NULL || s->opt == NULL ||
	    (l = optfile_find(s->opt, OPTFILE_GLOBAL, "SErvername")) == NULL)
		return EXIT_OK;
	looked = looked_text(&s->paths);
	msg_error("%s:%d: SErvername %s: no dsm.sys holds the stanza; looked "
	    "in %s", s->opt->path, l->lineno, l->value ? l->value : "",
	    looked);
	msg_hint("name the node's dsm.sys with sysfile = in the inventory, or "
	    "set DSM_DIR (backup-archive client) or DSMI_DIR (data mover, "
	    "VMCLI) to its directory");
	free(looked);
	return EXIT_INPUT;
}

int
optset_load_node(struct optcache *cache, const char *optfile,
    const char *why, enum sysfind_kind kind, const char *sysfile,
    const char *server, struct optset *s)
{
	struct optpaths *p = &s->paths;
	int rc;

	memset(s, 0, sizeof(*s));
	s->stanza = OPTFILE_GLOBAL;
	s->cache = cache;
	if ((rc = optpaths_resolve_node(optfile, why, kind, sysfile, p)) !=
	    EXIT_OK)
		return rc;
	if (sysfile != NULL && !p->sys_exists) {
		msg_error("%s: no such option file (%s)", p->sys, p->sys_why);
		return EXIT_INPUT;
	}
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
	if ((rc = stanza_nowhere(s)) != EXIT_OK)
		return rc;
	rc = optfile_pick_stanza(s->sys, s->opt, server, &s->stanza,
	    &s->stanza_why);
	if (rc != OPTFILE_OK) {
		msg_error("%s", optfile_error());
		if (p->looked.n > 1) {
			char *looked = looked_text(p);

			msg_hint("dsm.sys looked for in %s", looked);
			free(looked);
		}
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
