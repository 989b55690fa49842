#ifndef DSMCERT_CHECK_H
#define DSMCERT_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/trust/identity.h"
#include "dsmcert/trust/inventory.h"
#include "keydb/keydb.h"

/*
 * -check, the monitoring command: every certificate the machine's nodes
 * rely on, judged for a monitoring system (dsmcert(1), -check). Names
 * and certificates are borrowed from the trust that cmd_check.c gathers,
 * which outlives the check.
 */

/* What a node and a server need of each other, as far as -check cares. */
struct check_pair {
	const char *node, *server;
	const char *optfile;	/* the node's, as the inventory gives it */
	const char *sysfile;	/* its dsm.sys, when the inventory names it */
	int api;		/* an API application: data mover, VMCLI */
	const char *stanza;	/* NULL: a dsm.opt without dsm.sys */
	int tls;		/* the node talks TLS to the server */
	int needs_cert;		/* the server's certificate or its CA root
				   must be in the key database */
	int first_contact;	/* none needed: the node takes the server's
				   certificate on first contact */
	size_t ncerts;		/* certificates it relies on */
	int renewal_pending;	/* its certfile holds a renewal that is not
				   in the key database yet */
};

enum check_state {
	CHECK_CERT_OK,
	CHECK_CERT_EXPIRING,	/* within warn_days */
	CHECK_CERT_EXPIRED,
	CHECK_CERT_REPLACED,	/* the old one of a renewal: a later one
				   with its subject, valid now, is in place */
	CHECK_CERT_MISSING,	/* none, and the server needs one */
	CHECK_CERT_ACKED,	/* expiring or expired, acknowledged in the
				   inventory until a date */
};

struct check_row {
	size_t pair;
	const struct keydb_cert *cert;	/* NULL when missing */
	enum check_state state;
	long days;		/* left; negative once expired */
	const char *ack_until;	/* CHECK_CERT_ACKED: the inventory's date */
};

enum check_verdict {
	CHECK_NO_TLS,		/* legacy authentication: not probed */
	CHECK_TRUSTED,
	CHECK_FIRST_CONTACT,	/* not here, but taken on first contact */
	CHECK_UNTRUSTED,
	CHECK_UNREACHABLE,
};

/* -online: what the server of one pair presented. */
struct check_probe {
	enum check_verdict verdict;
	char *host;
	int port;
	char *from;		/* where host and port came from */
	enum keydb_tls_reason reason;
	char *why;		/* NULL when trusted */
	char *sha256;		/* of the certificate presented; NULL: none */
	char *subject;
};

struct check {
	int warn_days;
	int online;
	enum check_status status;
	char *summary;		/* the first line's, after "DSMCERT X - " */
	struct check_pair *pairs;
	size_t npairs;
	struct check_probe *probes;	/* one per pair, with -online */
	struct check_row *rows;
	size_t nrows;
	/* The machine's own identities (check_identity.c). */
	struct keydb_certs idcerts;
	struct identity *ids;
	size_t nids;
};

void check_free(struct check *);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *check_status_name(enum check_status);
const char *check_state_name(enum check_state);
const char *check_verdict_name(enum check_verdict);

/*
 * Connect to the server of every pair that talks TLS, as -verify does,
 * and judge what it presents. Returns an exit code; prints its errors.
 */
int check_online(struct check *, struct keydb *, const struct opts *);

/* The status and the first line's words, from the rows and probes. */
void check_judge(struct check *);
/* Row i is its certificate's first (and server's, with per_server). */
int check_first_row(const struct check *, size_t i, int per_server);

/* The plugin output: first line, performance data, then one line each. */
void check_text(FILE *, const struct check *);
json_t *check_json(const struct check *);

/*
 * The result as Prometheus text, written atomically to path (mode 0644,
 * for node_exporter's textfile collector). Returns 0, or -1 with the
 * error printed.
 */
int check_prom(const struct check *, const char *path, int64_t now);

/*
 * The machine's own identities and acknowledged expiries
 * (check_identity.c): gathered after the rows are classified, then
 * asked by the judge, the renderers and the Prometheus file.
 */
int check_identities(struct check *, struct keydb *,
    const struct inventory *, int64_t now);
void check_identities_free(struct check *);
enum check_status check_identity_status(const struct check *);
void check_identity_problems(FILE *, const struct check *,
    enum check_status sev, int *n);
void check_identity_summary(FILE *, const struct check *);
void check_identity_text(FILE *, const struct check *);
json_t *check_identity_json(const struct check *);
void check_identity_prom(FILE *, const struct check *, const char *metric,
    int remaining, int64_t now, void (*value)(FILE *, const char *));

/*
 * A usage error of -check, answered in the plugin's terms: the status
 * line on standard output, UNKNOWN.
 */
int check_refused(void);

#endif
