#ifndef DSMCERT_KEYDB_PKCS11_H
#define DSMCERT_KEYDB_PKCS11_H

#include <stddef.h>

#include "keydb/keydb.h"

/*
 * Certificates kept on PKCS#11 tokens (an organisation's root on a
 * hardware token), read through libpkcs11-helper. Nothing here touches
 * the key database; the caller imports what it wants.
 */

struct keydb_token_certs {
	struct keydb_certs certs;	/* by token label, then by id */
	char **token;		/* label of the token certs.v[i] is on */
	char **id;		/* its CKA_ID in hex, upper case; "" if none */
	size_t n;		/* in token and id: certs.n until certs is
				   taken over by the caller */
	size_t ntokens;		/* tokens looked at */
};

void keydb_token_certs_free(struct keydb_token_certs *);

/*
 * Read the certificates on the tokens of module: on the token labelled
 * token only, when not NULL; with CKA_ID id only, when id is not NULL.
 * Certificates are usually public objects: no login is made unless
 * pinfile is given, and then only to one token (a wrong PIN tried on
 * every token would count against each). The PIN is the first line of
 * pinfile, which must not be readable by group or others.
 *
 * KEYDB_EINPUT: the module cannot be loaded, a wrong PIN, a bad PIN
 * file, an object that is not a certificate. KEYDB_ENOTFOUND: no token,
 * no token with that label, no certificate with that id. No certificate
 * at all on the tokens is KEYDB_OK with none.
 */
int keydb_pkcs11_read(const char *module, const char *token,
    const unsigned char *id, size_t idlen, const char *pinfile,
    struct keydb_token_certs *out);

#endif
