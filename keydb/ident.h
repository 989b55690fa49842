#ifndef DSMCERT_KEYDB_IDENT_H
#define DSMCERT_KEYDB_IDENT_H

#include <cert.h>
#include <keyhi.h>

#include "keydb/internal.h"

/*
 * Shared by the identity and CA code (csr.c, ca.c, sign.c): key
 * generation in the database, PEM armour of any type, certificate
 * signing.
 */
int kd_keygen(struct keydb *, enum keydb_keytype, const char *nickname,
    SECKEYPrivateKey **priv, SECKEYPublicKey **pub);

/* KEYDB_ECONFLICT when a key or certificate already has label. */
int kd_label_free(struct keydb *, const char *label);

/* PEM of der with "-----BEGIN type-----"; free() it. */
char *kd_armour(const char *type, const SECItem *der);

/*
 * The DER inside the first "-----BEGIN type-----" block of the file, or
 * the file itself when it is DER. Allocated in arena.
 */
int kd_read_der(PLArenaPool *arena, const char *path, const char *type,
    SECItem *out);

/* Encode cert (version 3), sign it with key, leave it in cert->derCert. */
int kd_sign_cert(CERTCertificate *cert, SECKEYPrivateKey *key,
    const char *what);

/* A positive random serial of 16 bytes, in the certificate's arena. */
int kd_random_serial(CERTCertificate *cert);

/* Validity from now (back-dated an hour for clock skew) for days. */
CERTValidity *kd_validity(int days);

#endif
