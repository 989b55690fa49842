#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <cryptohi.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <secasn1.h>
#include <secoid.h>

#include "keydb/ident.h"

/*
 * A renewal request (dsmcert(1), -gen csr -renew): a new key under the
 * identity's own label, so that -receive installs the signed result
 * there, and the request asks for what the current certificate has:
 * its subject, and its subjectAltName and extended key usage extensions
 * as they are encoded. The old key and certificate are not touched.
 */

static int
same_type(const struct keydb_cert *c, const char *keytype,
    enum keydb_keytype *t, const char **name)
{
	static const char *const names[] = { "rsa2048", "rsa3072", "ec256",
	    "ec384" };

	if (keytype != NULL) {
		if (keydb_keytype(keytype, t) != KEYDB_OK)
			return KEYDB_EINPUT;
	} else if (c->key_rsa && c->key_bits == 2048)
		*t = KEYDB_RSA2048;
	else if (c->key_rsa && c->key_bits == 3072)
		*t = KEYDB_RSA3072;
	else if (!c->key_rsa && c->key_bits == 256)
		*t = KEYDB_EC256;
	else if (!c->key_rsa && c->key_bits == 384)
		*t = KEYDB_EC384;
	else
		return kd_fail(KEYDB_EINPUT, "\"%s\" has a %s key of %d bits, "
		    "which dsmcert cannot make; choose one with -keytype",
		    c->label, c->key_rsa ? "RSA" : "non-RSA", c->key_bits);
	*name = names[*t];
	return KEYDB_OK;
}

/* Copy the extensions the renewal keeps, criticality and all. */
static int
copy_exts(CERTCertificate *old, void *ext)
{
	for (CERTCertExtension **e = old->extensions; e != NULL && *e != NULL;
	    e++) {
		SECOidTag tag = SECOID_FindOIDTag(&(*e)->id);
		PRBool crit = (*e)->critical.len > 0 &&
		    (*e)->critical.data[0] != 0;

		if (tag != SEC_OID_X509_SUBJECT_ALT_NAME &&
		    tag != SEC_OID_X509_EXT_KEY_USAGE)
			continue;
		if (CERT_AddExtension(ext, tag, &(*e)->value, crit, PR_TRUE) !=
		    SECSuccess)
			return kd_fail(KEYDB_EDB, "cannot copy an extension: "
			    "%s", kd_nsserr());
	}
	return KEYDB_OK;
}

static int
request(PLArenaPool *arena, CERTCertificate *old, SECKEYPrivateKey *priv,
    SECKEYPublicKey *pub, SECItem *out)
{
	CERTSubjectPublicKeyInfo *spki;
	CERTCertificateRequest *req;
	void *ext;
	int rc;

	if ((spki = SECKEY_CreateSubjectPublicKeyInfo(pub)) == NULL)
		return kd_fail(KEYDB_EDB, "no public key info: %s",
		    kd_nsserr());
	req = CERT_CreateCertificateRequest(&old->subject, spki, NULL);
	SECKEY_DestroySubjectPublicKeyInfo(spki);
	if (req == NULL)
		return kd_fail(KEYDB_EDB, "cannot make a request: %s",
		    kd_nsserr());
	if ((ext = CERT_StartCertificateRequestAttributes(req)) == NULL) {
		CERT_DestroyCertificateRequest(req);
		return kd_fail(KEYDB_EDB, "cannot add attributes: %s",
		    kd_nsserr());
	}
	rc = copy_exts(old, ext);
	return kd_csr_sign(arena, req, ext, rc, priv, out);
}

int
keydb_renew_csr(struct keydb *db, const struct keydb_cert *c,
    const char *keytype, char **pem, const char **typename)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	SECItem signedreq = { siBuffer, NULL, 0 };
	SECKEYPrivateKey *priv = NULL;
	SECKEYPublicKey *pub = NULL;
	CERTCertificate *old;
	enum keydb_keytype t;
	PLArenaPool *arena;
	int rc;

	*pem = NULL;
	if ((rc = same_type(c, keytype, &t, typename)) != KEYDB_OK)
		return rc;
	if ((old = PK11_FindCertFromDERCertItem(db->slot, &der, NULL)) == NULL)
		return kd_fail(KEYDB_ENOTFOUND, "\"%s\" (SHA-256 %s): not in %s",
		    c->label, c->sha256, db->dir);
	if ((arena = PORT_NewArena(2048)) == NULL)
		abort();
	if ((rc = kd_keygen(db, t, c->label, &priv, &pub)) != KEYDB_OK)
		goto out;
	rc = kd_csr_pem(request(arena, old, priv, pub, &signedreq), &priv,
	    &pub, &signedreq, pem);
out:
	if (priv != NULL)
		SECKEY_DestroyPrivateKey(priv);
	if (pub != NULL)
		SECKEY_DestroyPublicKey(pub);
	CERT_DestroyCertificate(old);
	PORT_FreeArena(arena, PR_FALSE);
	return rc;
}
