#ifndef DSMCERT_ADD_H
#define DSMCERT_ADD_H

#include "dsmcert/cli.h"
#include "keydb/keydb.h"

/*
 * The one import path: -add, -add -pkcs11, -configure and -fetch -pin
 * all import through add_certs(), which checks, labels, records the
 * servers, and imports all or nothing.
 */

enum add_say {
	ADD_SAY_TEXT,		/* what became of each certificate, on stdout */
	ADD_SAY_JSON,		/* -add -json: an array on stdout */
	ADD_SAY_STDERR,		/* the same text on stderr: stdout holds JSON */
	ADD_SAY_NOTHING,	/* the caller reports; errors are still printed */
};

struct add_how {
	const char *server;	/* record them for it; NULL: without -server */
	const char *label;	/* base label; NULL: server, else each subject */
	int replace, force;
	/*
	 * A renewal: a label held by another certificate of the same server
	 * is no conflict; the new one takes the next free "NAME #k" beside
	 * it, so that the node trusts the server before and after it
	 * switches.
	 */
	int beside;
	enum add_say say;
	const char *refused_hint;	/* NULL: -add's advice */
	const char *conflict_hint;	/* NULL: -add's advice */
};

/* -add's way, from the command line. */
void add_how_opts(struct add_how *, const struct opts *);

/*
 * Import certs, read from source (a file, token or server, named in
 * messages), into db, opened for writing. Takes certs over (left empty).
 * Returns an exit code.
 */
int add_certs(const struct add_how *, struct keydb *db, const char *source,
    struct keydb_certs *certs);

/* The k-th label of a bundle (k from 1): BASE, "BASE #2", "BASE #3"... */
char *add_label(const char *base, size_t k);

/*
 * The checks of each certificate read, shared by the importers: 1 and
 * the reason printed when it is refused (NSS cannot store it; expired or
 * not yet valid, unless force), else 0; weak ones are warned about.
 */
int add_check_storable(const char *source, const struct keydb_cert *c);
int add_check_validity(const char *source, const struct keydb_cert *c,
    int force);

/* BASE when no certificate in db holds it, else the first free "BASE #k". */
char *add_label_free(const struct keydb_certs *db, const char *base);

#endif
