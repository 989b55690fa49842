#ifndef DSMCERT_KEYDB_H
#define DSMCERT_KEYDB_H

#include <stddef.h>
#include <stdint.h>

/*
 * The NSS key database shared by every backup node on a machine.
 *
 * Functions return a keydb_status; on failure the message, set once
 * where the fault is known, is keydb_error(). Certificates are acted on
 * as exact objects (by DER encoding), never through NSS nickname lookups,
 * which return every certificate with the same subject.
 */

enum keydb_status {
	KEYDB_OK = 0,
	KEYDB_EINPUT,		/* bad certificate file or value */
	KEYDB_EDB,		/* cannot open, create, lock, write, password */
	KEYDB_ENOTFOUND,
	KEYDB_ECONFLICT,
};

const char *keydb_error(void);

/* A decoded certificate, owning plain copies of everything. */
struct keydb_cert {
	unsigned char *der;
	size_t derlen;
	char *label;		/* in the database; NULL from a file */
	char *trust;		/* certutil's notation, "C,,"; NULL from a file */
	char *subject;		/* RFC 4514 style, as NSS prints it */
	char *issuer;
	char *name;		/* CN, else OU, else O; NULL if none */
	int64_t not_before;	/* seconds since the epoch, UTC */
	int64_t not_after;
	char sha256[96];	/* "AB:CD:...", as openssl prints it */
	int is_ca;		/* basicConstraints cA */
	int self_signed;	/* subject equals issuer */
	int key_bits;		/* RSA modulus bits, EC field bits */
	int key_rsa;		/* 1 when the key is RSA */
	int weak_sig;		/* MD2, MD5 or SHA-1 signature */
	char *sig_alg;		/* signature algorithm, as NSS names it */
	int has_key;		/* a private key for it is in the database */
	int line;		/* first line in its file (PEM), else 0 */
};

struct keydb_certs {
	struct keydb_cert *v;
	size_t n;
};

void keydb_certs_free(struct keydb_certs *);
void keydb_cert_clear(struct keydb_cert *);

/* Database handle. */
struct keydb;

enum keydb_mode {
	KEYDB_READ,		/* read-only; an absent database lists empty */
	KEYDB_WRITE,		/* created on the first write, under a lock */
};

/*
 * Open the database in dir. The password comes from pwfile, else from
 * dir/dsmcert.sth, else none. Opening for KEYDB_WRITE takes an exclusive
 * lock on dir (waited for up to lock_seconds). A database that does not
 * exist is not created here: only the first change creates it.
 */
int keydb_open(struct keydb **out, const char *dir, enum keydb_mode mode,
    const char *pwfile);
void keydb_close(struct keydb *);
int keydb_exists(const struct keydb *);
const char *keydb_dir(const struct keydb *);

/*
 * Read every certificate in a file: PEM (one or many, text around
 * allowed) or DER. Needs an open keydb (NSS initialised). On KEYDB_EINPUT
 * the message names the file and, for PEM, the line.
 */
int keydb_read_file(const char *path, struct keydb_certs *out);
int keydb_read_mem(const char *name, const unsigned char *buf, size_t len,
    struct keydb_certs *out);
int keydb_decode(const unsigned char *der, size_t len, struct keydb_cert *out);

/* Every certificate in the database, in label order. */
int keydb_list(struct keydb *, struct keydb_certs *out);

/* Import c under label with trust (certutil notation, e.g. "C,,"). */
int keydb_import(struct keydb *, const struct keydb_cert *c,
    const char *label, const char *trust);

/* Delete exactly the certificate with this DER encoding, and its trust. */
int keydb_delete(struct keydb *, const struct keydb_cert *c);

/* PEM armour of a certificate, NUL-terminated; free() it. */
char *keydb_pem(const struct keydb_cert *c);

/* The trust the SPEC gives a certificate: CA "C,,", else peer "P,,". */
const char *keydb_default_trust(const struct keydb_cert *c);

/*
 * Which server a certificate was added for, kept beside the database.
 * keydb_server_set(db, sha, NULL) forgets it; keydb_commit() writes the
 * changes (atomically, under the write lock).
 */
int keydb_server_get(struct keydb *, const char *sha256, char **server);
int keydb_server_set(struct keydb *, const char *sha256, const char *server);
int keydb_commit(struct keydb *);

#endif
