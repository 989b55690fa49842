#ifndef DSMCERT_TRUST_IMPORT_H
#define DSMCERT_TRUST_IMPORT_H

#include <stdint.h>

#include "dsmcert/cli.h"
#include "dsmcert/trust/label.h"
#include "keydb/keydb.h"

/*
 * The one import path: -add, -add -pkcs11, -configure, -fetch -pin and
 * -receive's chain import through add_certs(), which checks, labels,
 * records the servers, and imports all or nothing. It returns what came
 * of each certificate; the commands say it (add_render.c).
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
	int64_t now;		/* the command's clock: expired or not */
	const char *refused_hint;	/* NULL: -add's advice */
	const char *conflict_hint;	/* NULL: -add's advice */
	const char *clash_hint;	/* issuer and serial taken; NULL: -add's */
};

enum add_what {
	ADD_NEW,	/* imported */
	ADD_REPLACED,	/* imported in place of another under its label */
	ADD_SAME,	/* already there under this label */
	ADD_ELSEWHERE,	/* already there under another label */
	ADD_DUPLICATE,	/* twice in the file; the first counts */
};

struct add_item {
	struct keydb_cert *c;
	char *label;
	enum add_what what;
	const char *present_as;	/* label it already has */
	int linked;		/* newly recorded for the server */
	const struct keydb_cert *clash;	/* its issuer and serial, in db */
	const struct keydb_cert *displaced;	/* ADD_REPLACED: the one
						   under its label, in db */
};

struct add_result {
	const struct add_how *how;
	struct keydb *kdb;
	const char *source;	/* the file, token or server, for messages */
	struct add_item *v;
	size_t n;
	size_t removed;		/* certificates -replace took out */
	struct keydb_certs file;	/* what the file holds */
	struct keydb_certs db;		/* what the database held */
	unsigned char *gone;		/* db entries this run removed */
	int changed;		/* certificates imported, linked, removed */
};

void add_result_free(struct add_result *);

/* -add's way, from the command line. */
void add_how_opts(struct add_how *, const struct opts *);

/*
 * Import certs, read from source (a file, token or server, named in
 * messages), into db, opened for writing. Takes certs over (left empty).
 * Returns an exit code; on success, *out (unless NULL) holds what came
 * of each certificate, for add_result_free() afterwards.
 */
int add_certs(const struct add_how *, struct keydb *db, const char *source,
    struct keydb_certs *certs, struct add_result *out);

/*
 * The checks of each certificate read, shared by the importers: 1 and
 * the reason printed when it is refused (NSS cannot store it; expired or
 * not yet valid, unless force), else 0; weak ones are warned about.
 */
int add_check_storable(const char *source, const struct keydb_cert *c);
int add_check_validity(const char *source, const struct keydb_cert *c,
    int force, int64_t now);


#endif
