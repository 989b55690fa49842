#ifndef DSMCERT_TLSTARGET_H
#define DSMCERT_TLSTARGET_H

#include "dsmcert/cli.h"
#include "dsmcert/sysfind.h"
#include "keydb/keydb.h"

/*
 * Where -verify and -fetch connect, and how: -host and -port, else the
 * node's stanza (TCPServeraddress, TCPPort, SSLDISABLELEGACYtls,
 * SSLFIPSMODE), else the inventory's address for -server. from says
 * which, for messages.
 */
struct tlstarget {
	char *host;
	char *from;
	struct keydb_tls_opts tls;	/* tls.host points at host */
	int first_contact;	/* the node takes an unknown certificate on
				   first contact (SSLACCEPTCERTFROMSERV YES,
				   a current server when the inventory says) */
};

/*
 * Prints its own errors; returns an exit code. Without -optfile, the
 * inventory (-config, $DSMCERT_CONF, or the default when it exists)
 * gives -server's address, as for every command.
 */
int tlstarget_resolve(const struct opts *, struct tlstarget *);
/* The same for an inventory node of a kind, with its sysfile or NULL. */
int tlstarget_resolve_node(const struct opts *, enum sysfind_kind,
    const char *sysfile, struct tlstarget *);
void tlstarget_free(struct tlstarget *);

#endif
