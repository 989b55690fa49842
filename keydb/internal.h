#ifndef DSMCERT_KEYDB_INTERNAL_H
#define DSMCERT_KEYDB_INTERNAL_H

#include <pk11pub.h>

#include "common/common.h"
#include "keydb/keydb.h"

struct server_map {
	char **sha256;
	char **server;
	size_t n;
	int loaded, dirty;
};

struct keydb {
	char *dir;
	enum keydb_mode mode;
	int exists;		/* cert9.db was there, or we created it */
	int lockfd;
	char *password;		/* NULL: none */
	PK11SlotInfo *slot;
	struct server_map servers;
	enum keydb_legacy legacy;
	char legacy_note[1024];	/* what a migration did */
};

int kd_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *kd_nsserr(void);
int kd_read(const char *path, size_t max, char **buf, size_t *len);
int kd_secret(const char *path, const char *what, int status, char **out);

extern const char *const kd_dbfiles[];
extern const size_t kd_ndbfiles;
int kd_has_file(const char *dir, const char *name);
void kd_remove_db_dir(const char *dir);
int kd_place_db_files(struct keydb *, const char *tmp);
void kd_sync_dir(const char *dir);

int kd_nss_open(struct keydb *, const char *dir, int readonly);
/* SQLite's integrity check of cert9.db and key4.db (integrity.c). */
int kd_integrity(const char *dir);
int kd_login(struct keydb *);

/* Create the database on the first write. */
int kd_ensure_created(struct keydb *);

/*
 * Open a legacy database standing alone (legacy.c): as it is for
 * KEYDB_READ, migrated first for KEYDB_WRITE, under the write lock.
 */
int kd_legacy_open(struct keydb *);

/*
 * Token objects read through the module's function list (objects.c),
 * on a session of our own from kd_objs_open to kd_objs_close.
 */
#define KD_OBJS_MAXATTR 8
struct kd_objs {
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE s;
	unsigned char *scratch;
	CK_RV err;		/* the first failure of the token itself */
};
/* CKR_OK, or why the token gave no session. */
CK_RV kd_objs_open(struct keydb *, struct kd_objs *);
void kd_objs_close(struct kd_objs *);
/* Handles of every object of a class, malloc'd; NULL and *n 0 if none. */
CK_OBJECT_HANDLE *kd_objs_find(struct kd_objs *, CK_OBJECT_CLASS, size_t *n);
/* Values into arena; -1 if the object lacks one of them. */
int kd_objs_read(struct kd_objs *, PLArenaPool *, CK_OBJECT_HANDLE,
    CK_ATTRIBUTE *, unsigned n);

/* Certificate files (certder.c): append, refusing past a sane count. */
int kd_certs_push(struct keydb_certs *, struct keydb_cert *);
/* A DER certificate or PKCS#7 bundle; other DER is named. */
int kd_read_der_certs(const char *name, const unsigned char *der,
    size_t len, struct keydb_certs *out);
/* The certificates of a PKCS#7 bundle; line is its PEM block's, or 0. */
int kd_read_pkcs7(const char *name, int line, const unsigned char *der,
    size_t len, struct keydb_certs *out);

void kd_servers_free(struct server_map *);
/* The record's text into an empty map (a fuzz target's entry). */
void kd_servers_parse(struct server_map *, const char *buf, size_t len);
/* Read the record now, under the caller's lock (see servers.c). */
int kd_servers_load(struct keydb *);
int kd_servers_save(struct keydb *);

/* A PKCS#10 request finished and signed (csr.c; renew.c too). */
int kd_csr_sign(PLArenaPool *arena, CERTCertificateRequest *req, void *ext,
    int rc, SECKEYPrivateKey *priv, SECItem *out);
int kd_csr_pem(int rc, SECKEYPrivateKey **priv, SECKEYPublicKey **pub,
    SECItem *signedreq, char **pem);

#endif
