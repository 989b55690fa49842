#ifndef DSMCERT_OPTPATHS_H
#define DSMCERT_OPTPATHS_H

#include "dsmcert/optcache.h"
#include "dsmcert/sysfind.h"
#include "optfile/optfile.h"

/*
 * Which option files a command uses, and why (for -where and messages):
 *   dsm.opt: -optfile FILE, else $DSM_CONFIG, else $DSM_DIR/dsm.opt,
 *            else the client's default, in its installation directory;
 *   dsm.sys: the inventory node's sysfile, else where the client of the
 *            node's kind finds it (sysfind.h): the first that exists.
 * A -optfile whose name ends in ".sys" is the dsm.sys itself and no
 * dsm.opt is used. When no dsm.sys exists, dsm.opt holds every option,
 * as on Windows, unless it chooses a stanza (SErvername): then the
 * missing dsm.sys is an error naming the places looked in.
 */

struct optpaths {
	char *opt;		/* dsm.opt; NULL when given a dsm.sys */
	const char *opt_why;	/* "-optfile", "$DSM_CONFIG", "$DSM_DIR", ... */
	int opt_exists;
	char *sys;		/* dsm.sys, present or not */
	const char *sys_why;	/* "-optfile", "$DSMI_DIR", "beside dsm.opt", ... */
	int sys_exists;
	struct sysfind looked;	/* where dsm.sys was looked for */
};

/*
 * Resolve from optfile (the -optfile flag or an inventory node's
 * optfile; NULL: the environment), why naming where optfile came from.
 */
int optpaths_resolve(const char *optfile, const char *why,
    struct optpaths *out);
/*
 * The same for a node of a kind, whose dsm.sys the inventory may name
 * (sysfile; NULL: look where the client of that kind looks).
 */
int optpaths_resolve_node(const char *optfile, const char *why,
    enum sysfind_kind kind, const char *sysfile, struct optpaths *out);
void optpaths_free(struct optpaths *);

/* The option files of a node, loaded, and the stanza it uses. */
struct optset {
	struct optpaths paths;
	struct optfile *opt;	/* NULL when absent */
	struct optfile *sys;	/* NULL when absent */
	int stanza;		/* in sys; OPTFILE_GLOBAL without one */
	const char *stanza_why;	/* "-server", "SErvername in dsm.opt", ... */
	struct optcache *cache;	/* not NULL: opt and sys are the cache's */
};

/*
 * Resolve, load and pick the stanza (server: -server or NULL). Prints
 * the files' warnings and any error; returns an exit code.
 */
int optset_load(const char *optfile, const char *why, const char *server,
    struct optset *out);

/*
 * The same, for one node of many: files come from the cache, parsed once
 * however many nodes use them. The cache must outlive the optset.
 */
int optset_load_cached(struct optcache *, const char *optfile,
    const char *why, const char *server, struct optset *out);
/* The same for an inventory node of a kind, with its sysfile or NULL. */
int optset_load_node(struct optcache *, const char *optfile,
    const char *why, enum sysfind_kind kind, const char *sysfile,
    const char *server, struct optset *out);
void optset_free(struct optset *);

/* The stanza's name, or NULL without a dsm.sys. */
const char *optset_stanza_name(const struct optset *);

/*
 * Warn when root is about to edit a file that belongs to someone else:
 * the edit is allowed (the owner and mode are kept), but an administrator
 * should know that root changed a user's file.
 */
void optpaths_warn_owner(const char *path);

/* The exit code for an optfile_status met reading or writing a file. */
int optfile_exitcode(int status);

#endif
