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
	KEYDB_EAUTH,		/* password missing or wrong */
	KEYDB_ELEGACY,		/* a legacy database NSS cannot read here */
};

/*
 * The stash file in the database directory that holds its password. Not
 * dsmcert.sth: that is the vendor's GSKit stash, which may sit in the
 * same directory and is never read (dsmcert(1), KEY DATABASE).
 */
#define KEYDB_STASH "dsmcert-keydb.pw"
/* The name an earlier dsmcert gave its stash, never read now. */
#define KEYDB_OLD_STASH "dsmcert.sth"

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
	char *unstorable;	/* why NSS cannot store it (its key), or NULL */
	uint64_t isn_hash;	/* of issuer and serial number; see below */
	int line;		/* first line in its file (PEM), else 0 */
};

struct keydb_certs {
	struct keydb_cert *v;
	size_t n;
};

void keydb_certs_free(struct keydb_certs *);
void keydb_cert_clear(struct keydb_cert *);

/*
 * Whether a and b have one issuer and serial number, as encoded: NSS
 * holds only one certificate of each pair. isn_hash tells most pairs
 * apart without decoding; this decides. Needs both DER encodings.
 */
int keydb_same_issuer_serial(const struct keydb_cert *a,
    const struct keydb_cert *b);

/* Database handle. */
struct keydb;

enum keydb_mode {
	KEYDB_READ,		/* read-only; an absent database lists empty */
	KEYDB_WRITE,		/* created on the first write, under a lock */
};

/*
 * Open the database in dir. The password comes from pwfile, else from
 * dir/KEYDB_STASH, else none. Opening for KEYDB_WRITE takes an exclusive
 * lock on dir (waited for up to lock_seconds). A database that does not
 * exist is not created here: only the first change creates it. A legacy
 * one is migrated here, for KEYDB_WRITE (see keydb_legacy).
 */
int keydb_open(struct keydb **out, const char *dir, enum keydb_mode mode,
    const char *pwfile);
void keydb_close(struct keydb *);
/*
 * Create the database now if it does not exist yet, under the write
 * lock (held from then on), for a writer that must plan its changes on
 * the database as it is.
 */
int keydb_create(struct keydb *);
/*
 * Close NSS and open the database again, keeping the lock: after a
 * failed write (a full disk) NSS's connection may hold a transaction
 * that will never be written, and what it says was done is not.
 */
int keydb_reopen(struct keydb *);
/*
 * Is there room on the database's file system for n more certificates
 * with their trust (and SQLite's journal while it writes them)? A full
 * disk part way through an import cannot always be undone, since even a
 * deletion needs room for the journal: so an import that would not fit
 * is refused before anything is written (KEYDB_EDB, naming the sizes).
 */
int keydb_room(struct keydb *, size_t n);
int keydb_exists(const struct keydb *);
const char *keydb_dir(const struct keydb *);

/*
 * A legacy NSS dbm: database (cert8.db, key3.db) is never hidden behind
 * a new cert9.db. keydb_open reads one that stands alone as it is, and
 * for KEYDB_WRITE first migrates it to cert9.db and key4.db, keeping
 * every certificate, trust and key (and its password), with the old
 * files renamed KEYDB_MIGRATED_SUFFIX. One NSS cannot read is
 * KEYDB_ELEGACY.
 */
#define KEYDB_LEGACY_CERT "cert8.db"
#define KEYDB_LEGACY_KEY "key3.db"
#define KEYDB_MIGRATED_SUFFIX ".migrated"

enum keydb_legacy {
	KEYDB_LEGACY_NONE,
	KEYDB_LEGACY_ALONE,	/* no cert9.db: read as it is, or migrated */
	KEYDB_LEGACY_SHADOWED,	/* beside a cert9.db, and not used */
	KEYDB_LEGACY_MIGRATED,	/* keydb_open migrated it just now */
};

/* What dir holds, by file names only (never _MIGRATED). */
enum keydb_legacy keydb_legacy(const char *dir);

/* What keydb_open found or did. */
enum keydb_legacy keydb_legacy_found(const struct keydb *);
/* For _MIGRATED, what was done, in words; else NULL. */
const char *keydb_legacy_note(const struct keydb *);

/*
 * A certificate file read whole into memory: a regular file, a pipe, or
 * standard input for "-" (name is then "standard input"). Needs no NSS,
 * so that it can be read before the database is opened and locked.
 */
struct keydb_input {
	char *name;		/* for messages */
	unsigned char *buf;
	size_t len;
};

int keydb_input_read(const char *path, struct keydb_input *in);
void keydb_input_free(struct keydb_input *);

/*
 * Read every certificate in a file: PEM (one or many, text around
 * allowed, a UTF-8 byte-order mark skipped), DER, or a PKCS#7 bundle
 * (PEM or DER). Needs an open keydb (NSS initialised). On KEYDB_EINPUT
 * the message names the file and, for PEM, the line.
 */
int keydb_read_file(const char *path, struct keydb_certs *out);
#define KEYDB_MAX_FILE (16 << 20)	/* the largest certificate file */
int keydb_read_mem(const char *name, const unsigned char *buf, size_t len,
    struct keydb_certs *out);
int keydb_decode(const unsigned char *der, size_t len, struct keydb_cert *out);

/* Every certificate in the database, in label order. */
int keydb_list(struct keydb *, struct keydb_certs *out);

/*
 * The same without trust and keys (trust NULL, has_key 0), for callers
 * that match certificates only: several times quicker.
 */
int keydb_list_certs(struct keydb *, struct keydb_certs *out);

/*
 * Import c under label with trust (certutil notation, e.g. "C,,").
 * KEYDB_EINPUT, before anything is written, when c->unstorable.
 */
int keydb_import(struct keydb *, const struct keydb_cert *c,
    const char *label, const char *trust);

/* Delete exactly the certificate with this DER encoding, and its trust. */
int keydb_delete(struct keydb *, const struct keydb_cert *c);

/* PEM armour of a certificate, NUL-terminated; free() it. */
char *keydb_pem(const struct keydb_cert *c);

/* The trust a certificate gets (dsmcert(1)): CA "C,,", else peer "P,,". */
const char *keydb_default_trust(const struct keydb_cert *c);

/*
 * Which servers a certificate is trusted for, kept beside the database:
 * many to many, server names compared without case. A certificate
 * imported without a server carries a mark of its own (server NULL
 * below), so that no server's removal takes it away. Changes are
 * written by keydb_commit() (atomically, under the write lock).
 */
struct keydb_strs {
	char **v;
	size_t n;
};

void keydb_strs_free(struct keydb_strs *);

/* The servers of sha256 in the order linked; KEYDB_ENOTFOUND if none. */
int keydb_servers_of(struct keydb *, const char *sha256,
    struct keydb_strs *out, int *standalone);
/* The same joined by ", " (free() it), NULL if none. */
int keydb_server_get(struct keydb *, const char *sha256, char **server);
int keydb_server_has(struct keydb *, const char *sha256, const char *server);
int keydb_server_link(struct keydb *, const char *sha256, const char *server,
    int *added);
int keydb_server_unlink(struct keydb *, const char *sha256,
    const char *server);
/* Forget every link of sha256 (its certificate is gone). */
void keydb_server_forget(struct keydb *, const char *sha256);
/* Does any server, or the mark of an import without one, rely on it? */
int keydb_server_relied(struct keydb *, const char *sha256);
/*
 * Every link at once, for callers that look at every certificate:
 * sha256->v[i] is trusted for server->v[i], "" marking an import
 * without -server.
 */
void keydb_server_links(struct keydb *, struct keydb_strs *sha256,
    struct keydb_strs *server);
int keydb_commit(struct keydb *);

/*
 * Client identity and internal CA (dsmcert(1), -gen csr, -ca, -receive). Keys are generated
 * inside the database (token, private, sensitive) and never leave it
 * except through keydb_pkcs12_export.
 */
enum keydb_keytype {
	KEYDB_RSA2048,
	KEYDB_RSA3072,
	KEYDB_EC256,
	KEYDB_EC384,
};

/* "rsa2048", "rsa3072", "ec256", "ec384"; NULL means rsa2048. */
int keydb_keytype(const char *name, enum keydb_keytype *out);

/* A certificate request; the fields are checked by the caller. */
struct keydb_csr {
	const char *country, *state, *city, *org, *orgunit, *host;
	const char *email;	/* added as an rfc822Name subjectAltName */
	const char *san;	/* "DNS:a,IP:b,EMAIL:c" */
	const char *eku;	/* "clientAuth", "serverAuth", "both", NULL */
	const char *label;	/* nickname of the new key */
	enum keydb_keytype keytype;
};

/*
 * Check a subjectAltName list and an extended key usage word without
 * touching the database; on failure the message names the entry.
 */
int keydb_check_san(const char *san);
int keydb_check_eku(const char *eku);

/* A DNS host name: labels of letters, digits and '-', 253 at most. */
int keydb_valid_hostname(const char *s);

/* Generate a key pair under r->label and a PKCS#10 request, as PEM. */
int keydb_gen_csr(struct keydb *, const struct keydb_csr *r, char **pem);

/* A self-signed CA, its key in the database, trusted "C,,". */
int keydb_ca_create(struct keydb *, const char *label, const char *subject,
    int days, enum keydb_keytype);

/*
 * Sign the request in csrpath with the CA whose certificate is labelled
 * ca_label (KEYDB_ENOTFOUND when none has a key here). The requested
 * subjectAltName and extended key usage are copied; the serial is random.
 */
int keydb_sign_csr(struct keydb *, const char *ca_label, const char *csrpath,
    int days, char **pem);

/*
 * Attach a signed certificate to its private key, found by public key.
 * *label is the key's nickname (free() it). KEYDB_EINPUT when no key
 * for it is in the database.
 */
int keydb_receive(struct keydb *, const struct keydb_cert *c, char **label);

/*
 * PKCS#12: the file password is the first line of pwfile (not readable by
 * group or others). Import is all or nothing: the file is decoded and its
 * password checked before anything is written; *imported lists what came
 * in. Export gives the certificate, its key and its chain, AES-encrypted,
 * in *out (free() it).
 */
int keydb_pkcs12_import(struct keydb *, const char *path, const char *pwfile,
    const char *label, struct keydb_certs *imported);
/*
 * The certificates in a PKCS#12 file, in file order, its password
 * checked; has_key marks those the file holds a key for. Writes nothing,
 * so that the caller can check them first.
 */
int keydb_pkcs12_read(struct keydb *, const char *path, const char *pwfile,
    struct keydb_certs *out);
int keydb_pkcs12_export(struct keydb *, const struct keydb_cert *c,
    const char *pwfile, unsigned char **out, size_t *outlen);

/*
 * A TLS handshake with a live server, judged against this database
 * (tls.c). The probe never hangs: connect, handshake and the wait for
 * the server's verdict on a client certificate all share one time-out.
 */
enum keydb_tls_reason {
	KEYDB_TLS_OK = 0,
	KEYDB_TLS_UNTRUSTED,	/* no trusted entry anchors the chain */
	KEYDB_TLS_EXPIRED,
	KEYDB_TLS_NOTYET,	/* not yet valid */
	KEYDB_TLS_USAGE,	/* not for serverAuth */
	KEYDB_TLS_HOSTNAME,	/* host not in subjectAltName */
	KEYDB_TLS_CLIENTCERT,	/* client certificate demanded or refused */
	KEYDB_TLS_HANDSHAKE,
	KEYDB_TLS_REFUSED,
	KEYDB_TLS_TIMEOUT,
	KEYDB_TLS_CONNECT,	/* name lookup or other connection failure */
};

struct keydb_tls_opts {
	const char *host;
	int port;
	int timeout;		/* seconds, for the whole probe */
	int tls12;		/* refuse anything below TLS 1.2 */
	int fips;		/* FIPS-approved cipher suites only */
	const char *clientlabel;	/* identity to present, or NULL */
	int accept_any;		/* finish the handshake even if untrusted */
	const char *server;	/* NULL, or the server probed: a certificate
				   recorded for it and presented byte for
				   byte is trusted as itself */
};

struct keydb_tls_result {
	struct keydb_certs chain;	/* as presented, leaf first */
	char **names;		/* the leaf's subjectAltName DNS and IP */
	size_t nnames;
	char *anchor;		/* label of the entry that anchored it */
	char *anchor_sha256;
	int host_ok, time_ok, usage_ok, trusted;
	int peer;		/* the leaf is trusted as itself (P,,): by
				   its exact identity, no host name need
				   match */
	int recorded;		/* peer because it is recorded for the
				   server, whatever its trust flags */
	int client_requested;	/* the server asked for a certificate */
	int client_sent;
	int fips_module;	/* NSS itself is in FIPS mode */
	char *protocol;		/* "TLS 1.3" */
	char *cipher;
	enum keydb_tls_reason reason;	/* the first check that failed */
	char *why;		/* that failure in words */
};

/*
 * Returns KEYDB_OK when the probe ran, whatever the verdict (r->reason);
 * KEYDB_ENOTFOUND when clientlabel names no identity; KEYDB_EINPUT or
 * KEYDB_EDB when it cannot start.
 */
int keydb_tls_probe(struct keydb *, const struct keydb_tls_opts *,
    struct keydb_tls_result *r);
void keydb_tls_result_free(struct keydb_tls_result *);
const char *keydb_tls_reason_str(enum keydb_tls_reason);

/*
 * One certificate in full (detail.c, for -show): decoded from its DER
 * encoding, so a file's certificate is shown as the database's.
 */
struct keydb_detail {
	char *serial;		/* hex pairs joined by ':' */
	char sha1[64];		/* as openssl prints it */
	const char *key_type;	/* "RSA", "EC", "DSA", "other" */
	int key_bits;
	int has_bc;		/* basicConstraints present */
	int ca;			/* its cA flag */
	int path_len;		/* pathLenConstraint; -1 when none */
	struct keydb_strs key_usage;	/* "digitalSignature", ... */
	struct keydb_strs ext_key_usage;	/* "serverAuth", or the OID */
	struct keydb_strs san;	/* "DNS:name", "IP:addr", "EMAIL:a" */
};

int keydb_cert_detail(const struct keydb_cert *, struct keydb_detail *);
void keydb_detail_free(struct keydb_detail *);

/*
 * Change the trust of exactly this certificate (certutil notation),
 * under the write lock (manage.c).
 */
int keydb_set_trust(struct keydb *, const struct keydb_cert *c,
    const char *trust);

/*
 * Give exactly this certificate, and the key that goes with it, the
 * label to (manage.c). The server record is keyed by fingerprint, so it
 * follows by itself.
 */
int keydb_relabel(struct keydb *, const struct keydb_cert *c,
    const char *to);

/*
 * Change the database password from the one it was opened with to
 * newpw ("" for none), with NSS's PK11_ChangePW (manage.c). A wrong
 * old password is KEYDB_EAUTH and changes nothing. The stash file, if
 * there is one, is rewritten atomically (*stashed says so).
 */
int keydb_change_password(struct keydb *, const char *newpw, int *stashed);
/* Every key pair labelled from (no certificate needed) gets label to. */
int keydb_relabel_keys(struct keydb *, const char *from, const char *to);
/* Does a certificate or private key have this label? */
int keydb_label_taken(struct keydb *, const char *label);

/*
 * A renewal request for the identity c (its key here): a new key under
 * c's label, the same subject, and c's subjectAltName and extended key
 * usage extensions copied as they are (renew.c). keytype NULL keeps
 * c's key type and size. KEYDB_EINPUT when c's key is of a type dsmcert
 * cannot make.
 */
int keydb_renew_csr(struct keydb *, const struct keydb_cert *c,
    const char *keytype, char **pem, const char **typename);

#endif
