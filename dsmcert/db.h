#ifndef DSMCERT_DB_H
#define DSMCERT_DB_H

#include "dsmcert/cli.h"
#include "keydb/keydb.h"

/* The exit code for a keydb status (dsmcert(1), EXIT STATUS). */
int exit_for_keydb(int status);

/* Locate and open the key database; prints the error itself. */
int db_open(const struct opts *, enum keydb_mode, struct keydb **);

/* The same, with the keydb of an inventory already read (NULL: none). */
int db_open_inv(const struct opts *, const char *inv_keydb, enum keydb_mode,
    struct keydb **);

/* Open it and list every certificate in it; prints the error itself. */
int db_open_list(const struct opts *, enum keydb_mode, struct keydb **,
    struct keydb_certs *);

/* Certificates in the database by label, by server, by fingerprint. */
int db_with_label(const struct keydb_certs *, const char *label,
    size_t *idx, size_t max);
const struct keydb_cert *db_by_sha(const struct keydb_certs *,
    const char *sha256);

/*
 * The certificate in l with c's issuer and serial number but another
 * encoding, or NULL: NSS holds only one of the two.
 */
const struct keydb_cert *db_same_serial(const struct keydb_certs *,
    const struct keydb_cert *c);

/* A label or server name we accept: printable, no ':', not too long. */
int valid_name(const char *what, const char *s);

#endif
