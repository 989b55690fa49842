#ifndef DSMCERT_SYSFIND_H
#define DSMCERT_SYSFIND_H

/*
 * Where the client looks for dsm.sys, by the kind of program a node is
 * (dsmcert(1), OPTION FILES): the backup-archive client in $DSM_DIR,
 * then its installation directory; API applications (the data mover,
 * VMCLI) in $DSMI_DIR, then the API's installation directory; dsmcert
 * then looks beside dsm.opt.
 */
enum sysfind_kind { SYSFIND_CLIENT, SYSFIND_API };

#define SYSFIND_MAX 3

struct sysfind {
	char *path[SYSFIND_MAX];
	const char *why[SYSFIND_MAX];	/* "$DSMI_DIR", ... */
	int exists[SYSFIND_MAX];
	int n;
};

/*
 * The installation directory of the client or of the API. For tests
 * only, $DSMCERT_TEST_CLIENT_DIR and $DSMCERT_TEST_API_DIR replace them,
 * so that no test reads a real installation.
 */
const char *sysfind_install_dir(enum sysfind_kind);

/* The places in order, each with whether it exists; opt: dsm.opt. */
void sysfind_candidates(enum sysfind_kind, const char *opt,
    struct sysfind *out);
/* The first that exists, or -1. */
int sysfind_first(const struct sysfind *);
void sysfind_free(struct sysfind *);

#endif
