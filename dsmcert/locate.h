#ifndef DSMCERT_LOCATE_H
#define DSMCERT_LOCATE_H

#include "dsmcert/cli.h"

/* A resolved path and the reason it was chosen, for -where. */
struct location {
	char *path;
	char *why;
};

void location_free(struct location *);

/* $name, or NULL when it is unset or empty: empty is no setting. */
const char *locate_env(const char *name);

/* The inventory file: -config, $DSMCERT_CONF, /etc/dsmcert/dsmcert.conf. */
int locate_config(const struct opts *, struct location *);

/*
 * The key database directory, first match wins: -db, $DSMCERT_DB, the
 * inventory's [dsmcert] keydb, $PASSWORDDIR, $DSM_DIR, then the default
 * (/etc/dsmcert/keydb for root, ~/.dsmcert/keydb otherwise). Returns an
 * exit code; prints the error itself.
 */
int locate_keydb(const struct opts *, struct location *);

/*
 * The same, when the command has read the inventory already: its keydb
 * (NULL: none) is used as read, not read again.
 */
int locate_keydb_inv(const struct opts *, const char *inv_keydb,
    struct location *);

#endif
