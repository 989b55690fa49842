#ifndef DSMCERT_KEYDB_P11HELPER_H
#define DSMCERT_KEYDB_P11HELPER_H

#include <stddef.h>

/*
 * The libpkcs11-helper side of pkcs11.c. Its PKCS#11 headers and NSS's
 * define the same types differently and cannot meet in one file: this
 * interface uses neither. Private to keydb/.
 */

struct p11_object {
	char *token;		/* label of the token it is on */
	unsigned char *id;	/* CKA_ID */
	size_t idlen;
	unsigned char *der;	/* CKA_VALUE */
	size_t derlen;
};

struct p11_objects {
	struct p11_object *v;	/* by token label, then by id */
	size_t n;
	size_t ntokens;		/* tokens looked at */
};

void p11_objects_free(struct p11_objects *);

/*
 * The certificate objects on the tokens of module (see
 * keydb_pkcs11_read), through libpkcs11-helper (p11load.c loads it).
 * Returns a keydb_status; the message, naming module and token, is
 * keydb_error()'s.
 */
int p11_read(const char *module, const char *token, const unsigned char *id,
    size_t idlen, const char *pin, const char *pinfile,
    struct p11_objects *out);

/* internal.h's, which the files of libpkcs11-helper's side cannot include. */
int kd_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Upper-case hex of an id; free() it. */
char *p11_hex(const unsigned char *d, size_t n);

#endif
