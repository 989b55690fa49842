#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <pk11pub.h>

#include "keydb/ident.h"

static int
ca_extensions(CERTCertificate *cert, const char *label)
{
	CERTBasicConstraints bc = { PR_TRUE, CERT_UNLIMITED_PATH_CONSTRAINT };
	unsigned char ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN |
	    KU_DIGITAL_SIGNATURE;
	SECItem bits = { siBuffer, &ku, 1 }, enc = { siBuffer, NULL, 0 };
	void *ext = CERT_StartCertExtensions(cert);
	int ok;

	if (ext == NULL)
		return kd_fail(KEYDB_EDB, "%s: cannot add extensions: %s",
		    label, kd_nsserr());
	ok = CERT_EncodeBasicConstraintValue(cert->arena, &bc, &enc) ==
	    SECSuccess &&
	    CERT_AddExtension(ext, SEC_OID_X509_BASIC_CONSTRAINTS, &enc,
	    PR_TRUE, PR_TRUE) == SECSuccess &&
	    CERT_EncodeAndAddBitStrExtension(ext, SEC_OID_X509_KEY_USAGE,
	    &bits, PR_TRUE) == SECSuccess;
	if (CERT_FinishExtensions(ext) != SECSuccess)
		ok = 0;
	if (!ok)
		return kd_fail(KEYDB_EDB, "%s: cannot encode CA extensions: %s",
		    label, kd_nsserr());
	return KEYDB_OK;
}

int
keydb_ca_create(struct keydb *db, const char *label, const char *subject,
    int days, enum keydb_keytype t)
{
	CERTName *name = CERT_AsciiToName(subject);
	SECKEYPrivateKey *priv = NULL;
	SECKEYPublicKey *pub = NULL;
	CERTSubjectPublicKeyInfo *spki = NULL;
	CERTCertificateRequest *req = NULL;
	CERTValidity *validity = NULL;
	CERTCertificate *cert = NULL;
	struct keydb_cert kc = { 0 };
	int rc;

	if (name == NULL)
		return kd_fail(KEYDB_EINPUT, "subject \"%s\" is not a "
		    "distinguished name (write CN=Example CA,O=Example,C=US)",
		    subject);
	if ((rc = kd_label_free(db, label)) != KEYDB_OK ||
	    (rc = kd_keygen(db, t, label, &priv, &pub)) != KEYDB_OK)
		goto out;
	rc = KEYDB_EDB;
	if ((spki = SECKEY_CreateSubjectPublicKeyInfo(pub)) == NULL ||
	    (req = CERT_CreateCertificateRequest(name, spki, NULL)) == NULL ||
	    (validity = kd_validity(days)) == NULL ||
	    (cert = CERT_CreateCertificate(0, name, validity, req)) == NULL) {
		rc = kd_fail(KEYDB_EDB, "%s: cannot make the CA certificate: "
		    "%s", label, kd_nsserr());
		goto out;
	}
	if ((rc = kd_random_serial(cert)) != KEYDB_OK ||
	    (rc = ca_extensions(cert, label)) != KEYDB_OK ||
	    (rc = kd_sign_cert(cert, priv, label)) != KEYDB_OK ||
	    (rc = keydb_decode(cert->derCert.data, cert->derCert.len, &kc)) !=
	    KEYDB_OK)
		goto out;
	rc = keydb_import(db, &kc, label, "C,,");
out:
	if (rc != KEYDB_OK && priv != NULL) {
		/* No certificate, no use for the key: leave nothing behind. */
		PK11_DeleteTokenPrivateKey(priv, PR_TRUE);
		priv = NULL;
		PK11_DeleteTokenPublicKey(pub);
		pub = NULL;
	}
	keydb_cert_clear(&kc);
	if (cert != NULL)
		CERT_DestroyCertificate(cert);
	if (validity != NULL)
		CERT_DestroyValidity(validity);
	if (req != NULL)
		CERT_DestroyCertificateRequest(req);
	if (spki != NULL)
		SECKEY_DestroySubjectPublicKeyInfo(spki);
	if (priv != NULL)
		SECKEY_DestroyPrivateKey(priv);
	if (pub != NULL)
		SECKEY_DestroyPublicKey(pub);
	CERT_DestroyName(name);
	return rc;
}
