#ifndef DSMCERT_TLSTARGET_H
#define DSMCERT_TLSTARGET_H

#include "dsmcert/cli.h"
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
};

/* Prints its own errors; returns an exit code. */
int tlstarget_resolve(const struct opts *, struct tlstarget *);
void tlstarget_free(struct tlstarget *);

#endif
