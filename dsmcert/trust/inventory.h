#ifndef DSMCERT_INVENTORY_H
#define DSMCERT_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "dsmcert/trust/srvversion.h"

/*
 * The machine's inventory (dsmcert.conf(5)): its nodes and what
 * is known of its servers. Relative paths in it are taken from the
 * inventory file's directory.
 */

enum inv_role { INV_DATAMOVER, INV_VMCLI, INV_CLIENT };

struct inv_node {
	char *name;		/* section name, as written */
	int line;		/* of its [section] header */
	enum inv_role role;
	char *optfile;
	char *sysfile;		/* its dsm.sys; NULL: where the client looks */
	char **stanzas;		/* the servers = list; NULL: dsm.opt chooses */
	size_t nstanzas;
};

struct inv_server {
	char *name;		/* as written: the certificate's label */
	int line;
	char *host;
	unsigned port;		/* 0: any */
	char *version;		/* as written */
	struct srvversion ver;
	int current;
	int autocert;		/* automatic certificate distribution allowed */
	int encrypt;		/* all data must be encrypted */
	char *certfile;		/* NULL: none known */
	unsigned tlsport;	/* 0: none known */
};

/*
 * An acknowledged expiry (type = ack): -check does not warn about the
 * certificate with this fingerprint until the end of the day until.
 */
struct inv_ack {
	char *name;		/* section name */
	int line;
	char sha256[96];	/* "AB:CD:...", as openssl prints it */
	char until[11];		/* YYYY-MM-DD, as written */
	int64_t until_t;	/* the end of that day, UTC */
};

/* 0, or -1 with *why the key that is wrong ("sha256", "until"). */
int inv_ack_parse(const char *sha256, const char *until, struct inv_ack *,
    const char **why);

/* Certificates that expire within this many days are warned about. */
#define INV_WARN_DAYS 90

struct inventory {
	char *path;
	char *keydb;		/* from the inventory's directory when
				   relative; NULL: none */
	int warn_days;		/* [dsmcert] warn_days, else INV_WARN_DAYS */
	struct inv_node *nodes;
	size_t nnodes;
	struct inv_server *servers;
	size_t nservers;
	struct inv_ack *acks;
	size_t nacks;
};

/*
 * Read and check the whole file. 0 on success; -1 with inventory_error()
 * naming the file, line, section and key. On failure inv holds nothing
 * and needs no inventory_free().
 */
int inventory_load(const char *path, struct inventory *inv);
void inventory_free(struct inventory *inv);

/*
 * Only the [dsmcert] keydb, for commands that need no more of the
 * inventory (-add, -list...): resolved as inventory_load() resolves it.
 * *keydb NULL when none; -1 with inventory_error() when unreadable.
 */
int inventory_keydb(const char *path, char **keydb);
const char *inventory_error(void);

/*
 * The server an option-file stanza talks to: host compared without case;
 * the port too when the server's address gives one (its tlsport also
 * matches, since a node reaches a legacy server over TLS there). NULL when
 * none; *nmatch counts the servers that match, more than one is ambiguous.
 */
const struct inv_server *inventory_match(const struct inventory *inv,
    const char *host, unsigned port, size_t *nmatch);

const struct inv_server *inventory_server(const struct inventory *inv,
    const char *name);

const char *inv_role_name(enum inv_role role);

#endif
