#ifndef DSMCERT_TRUST_H
#define DSMCERT_TRUST_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/trust/inventory.h"
#include "dsmcert/trust/policy.h"
#include "keydb/keydb.h"

/*
 * The machine's trust, as -policy shows it and -configure changes it:
 * every node of the inventory, every server it uses through every stanza
 * it uses, with the facts found in its option files and the key database,
 * and the policy's verdict.
 */

enum { TRUST_SSL, TRUST_ACCEPT, TRUST_PORT, TRUST_NOPTS };

/*
 * Trust over time (dsmcert(1), TRUST OVER TIME): every certificate the
 * nodes rely on for a server, and where each stands. Kept as data, apart
 * from any rendering, for every command that reports on it.
 */
enum tcert_role {
	TCERT_CURRENT,		/* the server's: the certfile's, or recorded */
	TCERT_NEW,		/* in the certfile, not in the key database */
	TCERT_OLD,		/* superseded by a renewal, awaiting retirement */
};

enum tcert_state {
	TCERT_VALID,
	TCERT_EXPIRING,		/* expires within warn_days */
	TCERT_EXPIRED,
	TCERT_NOTYET,		/* not valid yet */
};

struct tcert {
	const struct keydb_cert *c;	/* into trust.db; trust.certfiles
					   for TCERT_NEW */
	enum tcert_role role;
	enum tcert_state state;
	long days;		/* whole days left, negative once expired */
};

/* One inventory server's certificates. */
struct tserver {
	const struct inv_server *server;
	struct tcert *v;
	size_t n;
	size_t nnew, nold;
	int used;		/* a node uses the server */
	int renewed;		/* old and new both: a renewal */
	char *new_label;	/* the label the certfile will be imported as */
	/* In words, for the policy (NULL: nothing to say). */
	char *retire;		/* the old certificates that have expired */
	char *expired;		/* current ones that have expired */
	char *stale;		/* the certfile's that cannot be imported:
				   expired or not yet valid */
};

/* What the server record says of a certificate of the key database. */
struct trec {
	struct keydb_strs servers;	/* the servers it is recorded for */
	int standalone;		/* imported without -server */
};

/*
 * A certificate recorded only for servers that no node uses any more,
 * or that are gone from the inventory. One imported without -server as
 * well only loses those servers.
 */
struct tunused {
	const struct keydb_cert *c;	/* into trust.db */
	struct keydb_strs servers;	/* those it is recorded for */
	int standalone;		/* imported without -server too: it stays,
				   only the servers are unlinked */
	char *why;		/* "X, which no node uses" */
};

struct trust_entry {
	const struct inv_node *node;	/* into trust.inv */
	const struct inv_server *server;
	char *stanza;		/* NULL: a dsm.opt without dsm.sys */
	char *editfile;		/* where edits go: dsm.sys, else dsm.opt */
	int edit_sys;		/* editfile is a dsm.sys */
	char *sys_why;		/* why that dsm.sys ("$DSMI_DIR", ...) */
	char *value[TRUST_NOPTS];	/* as set; NULL: the default holds */
	char *setat[TRUST_NOPTS];	/* "FILE:LINE" where set */
	char *have_label;	/* the certificate in place, when one is */
	const struct tserver *certs;	/* what it relies on: its server's */
	char **notes;		/* the policy's note, then trust over time */
	size_t nnotes;
	struct policy_facts facts;	/* its strings point into the entry */
	struct policy_result result;
};

struct trust {
	struct inventory inv;
	struct trust_entry *v;
	size_t n;
	struct keydb_certs db;		/* what the key database holds */
	struct keydb_certs *certfiles;	/* per inventory server */
	struct trec *rec;		/* per certificate of db */
	struct tserver *servers;	/* per inventory server */
	struct tunused *unused;
	size_t nunused;
	struct keydb_strs named;	/* every stanza of the nodes' option
					   files: a certificate recorded for
					   one of them is relied on */
	int64_t now;		/* the command's clock, given to trust_gather */
	int warn_days;		/* expiring within; 0 before trust_gather:
				   the inventory's warn_days */
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
int trust_gather(struct trust *, struct keydb *, int64_t now);
void trust_free(struct trust *);
/* All but the inventory, for trust_gather() again (the same inventory). */
void trust_forget(struct trust *);

/* Entries with an unmet item. */
size_t trust_outstanding(const struct trust *);

/*
 * Trust over time (trust_certs.c): each server's certificates before the
 * nodes are read; the unused ones after, when it is known which servers
 * the nodes use. The server map of db is read for both.
 */
void trust_certs(struct trust *, struct keydb *);
void trust_unused(struct trust *);
void trust_certs_free(struct trust *);
/* The entry's notes on its certificates: a renewal, an expiry ahead. */
void trust_entry_notes(struct trust_entry *);
const char *tcert_role_name(enum tcert_role);

/*
 * Where a certificate a node relies on stands, as every command says it
 * (-policy, -check, -configure): the one verdict of the model.
 * presented: a probe saw the server present it (-check -online). The old
 * certificate of a renewal is "replaced", unless the server still
 * presents it close to its expiry or after: its switch is overdue, and
 * it is expiring or expired like any other.
 */
enum tverdict {
	TV_OK,
	TV_EXPIRING,
	TV_EXPIRED,
	TV_REPLACED,
	TV_MISSING,		/* none, and the server needs one */
	TV_NEW,			/* in the certfile, not in the key database */
};
enum tverdict tcert_verdict(const struct tcert *, int presented);
const char *tverdict_name(enum tverdict);

/*
 * Does the entry need a certificate in the key database (a legacy
 * server reached without TLS needs none yet), and has it none?
 */
int trust_entry_needs_cert(const struct trust_entry *);
int trust_entry_missing(const struct trust_entry *);
const char *tcert_state_name(enum tcert_state);
/*
 * Could c go without cutting off a server other than except? Checked
 * against the record and against every server's certificates.
 */
int trust_cert_spare(const struct trust *, struct keydb *,
    const struct keydb_cert *c, const struct inv_server *except);

/* -policy's two renderers. */
void trust_text(FILE *, const struct trust *);
json_t *trust_json(const struct trust *);
/*
 * Every certificate each node relies on for each server, with the
 * model's verdict, as -check lists them: -configure -dryrun -json shows
 * them too, so that the three can be compared.
 */
json_t *trust_rows_json(const struct trust *);
/* Beside the JSON, which has one object per node and server: warnings. */
void trust_unused_warn(const struct trust *);

/*
 * -configure's plan: the actions of every entry, each once. One server's
 * certificate is imported once however many nodes use it; edits are
 * grouped by the file they change (its real path), for one atomic
 * replace each.
 */
enum step_kind { STEP_IMPORT, STEP_EDIT, STEP_RETIRE, STEP_PRUNE,
    STEP_BYHAND, STEP_HELD };
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
	const struct tunused *unused;	/* STEP_PRUNE */
	int all;		/* STEP_RETIRE: every old one (-prune), not
				   only those that have expired */
	char *outcome;		/* what came of it, when more than done */
};

struct plan {
	struct plan_step *v;
	size_t n;
	int dryrun;
};

/* Returns an exit code (5 when two nodes want one option different). */
int plan_build(struct plan *, const struct trust *);
/*
 * -configure -prune: retire every old certificate whose renewal is in
 * place (or imported by this plan), and remove the unused ones. only:
 * that server's alone (-server), NULL: all. seen (NULL: not asked, as
 * without -online): per inventory server, the SHA-256 of the certificate
 * it was seen presenting (NULL: not reached); an old certificate is then
 * retired only once its server presents a certificate that is not old.
 */
void plan_prune(struct plan *, const struct trust *, const char *only,
    char *const *seen);

/* Does a node's option file name this server (a stanza of that name)? */
int trust_named(const struct trust *, const char *server);
void plan_free(struct plan *);
void plan_text(FILE *, const struct plan *);
json_t *plan_json(const struct plan *);

#endif
