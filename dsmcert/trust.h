#ifndef DSMCERT_TRUST_H
#define DSMCERT_TRUST_H

#include <stdio.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/inventory.h"
#include "dsmcert/policy.h"
#include "keydb/keydb.h"

/*
 * The machine's trust, as -policy shows it and -configure changes it:
 * every node of the inventory, every server it uses through every stanza
 * it uses, with the facts found in its option files and the key database,
 * and the policy's verdict.
 */

enum { TRUST_SSL, TRUST_ACCEPT, TRUST_PORT, TRUST_NOPTS };

struct trust_entry {
	const struct inv_node *node;	/* into trust.inv */
	const struct inv_server *server;
	char *stanza;		/* NULL: a dsm.opt without dsm.sys */
	char *editfile;		/* where edits go: dsm.sys, else dsm.opt */
	int edit_sys;		/* editfile is a dsm.sys */
	char *value[TRUST_NOPTS];	/* as set; NULL: the default holds */
	char *setat[TRUST_NOPTS];	/* "FILE:LINE" where set */
	char *have_label;	/* the certificate in place, when one is */
	struct policy_facts facts;	/* its strings point into the entry */
	struct policy_result result;
};

struct trust {
	struct inventory inv;
	struct trust_entry *v;
	size_t n;
	struct keydb_certs db;		/* what the key database holds */
	struct keydb_certs *certfiles;	/* per inventory server */
};

/*
 * Read and check the inventory: first, so that a bad one is reported as
 * such before anything else is opened. Returns an exit code; prints its
 * errors. trust_free() afterwards, whatever the result.
 */
int trust_inventory(struct trust *, const struct opts *);

/*
 * Read every node's option files, the certificate files and the key
 * database (open, NSS initialised), and decide. Returns an exit code;
 * prints its errors.
 */
int trust_gather(struct trust *, struct keydb *);
void trust_free(struct trust *);

/* Entries with an unmet item. */
size_t trust_outstanding(const struct trust *);

/* -policy's two renderers. */
void trust_text(FILE *, const struct trust *);
json_t *trust_json(const struct trust *);

/*
 * -configure's plan: the actions of every entry, each once. One server's
 * certificate is imported once however many nodes use it; edits are
 * grouped by the file they change (its real path), for one atomic
 * replace each.
 */
enum step_kind { STEP_IMPORT, STEP_EDIT, STEP_BYHAND, STEP_HELD };
enum step_state { STEP_PLANNED, STEP_DONE, STEP_FAILED, STEP_NOTDONE };

struct plan_step {
	enum step_kind kind;
	enum step_state state;
	const struct policy_item *item;	/* the first entry's */
	const struct inv_server *server;
	char *text;		/* the action, in words */
	char *nodes;		/* "datamover1, vmcli" */
	const char *last;	/* the last node added to nodes */
	char *file;		/* STEP_EDIT, _HELD: as the entry names it */
	char *real;		/* STEP_EDIT, _HELD: resolved, to group by */
	int sys;		/* STEP_EDIT: the file is a dsm.sys */
};

struct plan {
	struct plan_step *v;
	size_t n;
	int dryrun;
};

/* Returns an exit code (5 when two nodes want one option different). */
int plan_build(struct plan *, const struct trust *);
void plan_free(struct plan *);
void plan_text(FILE *, const struct plan *);
json_t *plan_json(const struct plan *);

#endif
