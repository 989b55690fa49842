#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <cryptohi.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <secasn1.h>
#include <secder.h>
#include <secoid.h>

#include "keydb/ident.h"

/* The CA labelled label, with its private key in this database. */
static int
find_ca(struct keydb *db, const char *label, CERTCertificate **ca,
    SECKEYPrivateKey **key)
{
	struct keydb_certs all;
	int rc, found = 0;

	*ca = NULL;
	*key = NULL;
	if ((rc = keydb_list(db, &all)) != KEYDB_OK)
		return rc;
	for (size_t i = 0; i < all.n && *key == NULL; i++) {
		SECItem der = { siBuffer, all.v[i].der,
		    (unsigned)all.v[i].derlen };

		if (strcmp(all.v[i].label, label) != 0 || !all.v[i].is_ca)
			continue;
		found = 1;
		*ca = CERT_FindCertByDERCert(CERT_GetDefaultCertDB(), &der);
		if (*ca == NULL)
			continue;
		if ((*key = PK11_FindKeyByAnyCert(*ca, NULL)) == NULL) {
			CERT_DestroyCertificate(*ca);
			*ca = NULL;
		}
	}
	keydb_certs_free(&all);
	if (*key != NULL)
		return KEYDB_OK;
	if (found)
		return kd_fail(KEYDB_ENOTFOUND, "%s: CA \"%s\" has no private "
		    "key in this key database; it cannot sign", db->dir,
		    label);
	return kd_fail(KEYDB_ENOTFOUND, "%s: no CA certificate labelled "
	    "\"%s\"; make one with -ca create", db->dir, label);
}

/* Read the request and check that its own key signed it. */
static int
read_request(PLArenaPool *arena, const char *path,
    CERTCertificateRequest **out)
{
	CERTSignedData sd;
	CERTCertificateRequest *req;
	SECItem der;
	int rc;

	*out = NULL;
	rc = kd_read_der(arena, path, "CERTIFICATE REQUEST", &der);
	if (rc != KEYDB_OK && kd_read_der(arena, path,
	    "NEW CERTIFICATE REQUEST", &der) != KEYDB_OK)
		return rc;
	memset(&sd, 0, sizeof(sd));
	if ((req = PORT_ArenaZNew(arena, CERTCertificateRequest)) == NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	req->arena = arena;
	if (SEC_QuickDERDecodeItem(arena, &sd,
	    SEC_ASN1_GET(CERT_SignedDataTemplate), &der) != SECSuccess ||
	    SEC_QuickDERDecodeItem(arena, req,
	    SEC_ASN1_GET(CERT_CertificateRequestTemplate), &sd.data) !=
	    SECSuccess)
		return kd_fail(KEYDB_EINPUT, "%s: not a PKCS#10 certificate "
		    "request: %s", path, kd_nsserr());
	if (CERT_VerifySignedDataWithPublicKeyInfo(&sd,
	    &req->subjectPublicKeyInfo, NULL) != SECSuccess)
		return kd_fail(KEYDB_EINPUT, "%s: the request's signature does "
		    "not verify: %s", path, kd_nsserr());
	*out = req;
	return KEYDB_OK;
}

/*
 * The extensions the request asks for. They sit in the extensionRequest
 * attribute, which need not be the first: openssl and many devices put a
 * challengePassword before it, and NSS's
 * CERT_GetCertificateRequestExtensions reads only the first attribute.
 * Other attributes are not for the certificate and are ignored.
 */
static int
requested_extensions(CERTCertificateRequest *req, const char *path,
    CERTCertExtension ***exts)
{
	*exts = NULL;
	for (size_t i = 0; req->attributes != NULL &&
	    req->attributes[i] != NULL; i++) {
		CERTAttribute *a = req->attributes[i];

		if (SECOID_FindOIDTag(&a->attrType) !=
		    SEC_OID_PKCS9_EXTENSION_REQUEST)
			continue;
		if (a->attrValue == NULL || a->attrValue[0] == NULL ||
		    SEC_ASN1DecodeItem(req->arena, exts,
		    SEC_ASN1_GET(CERT_SequenceOfCertExtensionTemplate),
		    a->attrValue[0]) != SECSuccess)
			return kd_fail(KEYDB_EINPUT, "%s: cannot read the "
			    "requested certificate extensions: %s", path,
			    kd_nsserr());
		return KEYDB_OK;
	}
	return KEYDB_OK;
}

/*
 * A leaf: not a CA; subjectAltName and extended key usage as requested,
 * nothing else taken from the request.
 */
static int
leaf_extensions(CERTCertificate *cert, CERTCertificateRequest *req,
    const char *path)
{
	CERTBasicConstraints bc = { PR_FALSE, CERT_UNLIMITED_PATH_CONSTRAINT };
	unsigned char ku = KU_DIGITAL_SIGNATURE;
	SECItem bits = { siBuffer, &ku, 1 }, enc = { siBuffer, NULL, 0 };
	CERTCertExtension **exts = NULL;
	void *ext;
	int ok, rc;

	if ((rc = requested_extensions(req, path, &exts)) != KEYDB_OK)
		return rc;
	if (SECOID_FindOIDTag(&req->subjectPublicKeyInfo.algorithm.algorithm)
	    == SEC_OID_PKCS1_RSA_ENCRYPTION)
		ku |= KU_KEY_ENCIPHERMENT;
	if ((ext = CERT_StartCertExtensions(cert)) == NULL)
		return kd_fail(KEYDB_EDB, "cannot add extensions: %s",
		    kd_nsserr());
	ok = CERT_EncodeBasicConstraintValue(cert->arena, &bc, &enc) ==
	    SECSuccess &&
	    CERT_AddExtension(ext, SEC_OID_X509_BASIC_CONSTRAINTS, &enc,
	    PR_TRUE, PR_TRUE) == SECSuccess &&
	    CERT_EncodeAndAddBitStrExtension(ext, SEC_OID_X509_KEY_USAGE,
	    &bits, PR_TRUE) == SECSuccess;
	for (size_t i = 0; ok && exts != NULL && exts[i] != NULL; i++) {
		SECOidTag tag = SECOID_FindOIDTag(&exts[i]->id);
		PRBool crit = exts[i]->critical.len > 0 &&
		    exts[i]->critical.data[0] != 0;

		if (tag == SEC_OID_X509_SUBJECT_ALT_NAME ||
		    tag == SEC_OID_X509_EXT_KEY_USAGE)
			ok = CERT_AddExtension(ext, tag, &exts[i]->value, crit,
			    PR_TRUE) == SECSuccess;
	}
	if (CERT_FinishExtensions(ext) != SECSuccess)
		ok = 0;
	if (!ok)
		return kd_fail(KEYDB_EINPUT, "%s: cannot encode the "
		    "certificate extensions: %s", path, kd_nsserr());
	return KEYDB_OK;
}

int
keydb_sign_csr(struct keydb *db, const char *ca_label, const char *csrpath,
    int days, char **pem)
{
	PLArenaPool *arena = PORT_NewArena(2048);
	CERTCertificateRequest *req;
	CERTCertificate *ca = NULL, *cert = NULL;
	SECKEYPrivateKey *key = NULL;
	CERTValidity *validity = NULL;
	PRTime ca_nb, ca_na;
	int rc;

	*pem = NULL;
	if (arena == NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	if ((rc = read_request(arena, csrpath, &req)) != KEYDB_OK ||
	    (rc = find_ca(db, ca_label, &ca, &key)) != KEYDB_OK)
		goto out;
	if ((validity = kd_validity(days)) == NULL ||
	    CERT_GetCertTimes(ca, &ca_nb, &ca_na) != SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "cannot set validity: %s", kd_nsserr());
		goto out;
	}
	/* Nothing the CA signs outlives the CA. */
	{
		PRTime na;

		if (DER_DecodeTimeChoice(&na, &validity->notAfter) ==
		    SECSuccess && na > ca_na) {
			CERT_DestroyValidity(validity);
			validity = CERT_CreateValidity(PR_Now() -
			    (PRTime)3600 * PR_USEC_PER_SEC, ca_na);
		}
	}
	if (validity == NULL || (cert = CERT_CreateCertificate(0, &ca->subject,
	    validity, req)) == NULL) {
		rc = kd_fail(KEYDB_EDB, "%s: cannot make the certificate: %s",
		    csrpath, kd_nsserr());
		goto out;
	}
	if ((rc = kd_random_serial(cert)) != KEYDB_OK ||
	    (rc = leaf_extensions(cert, req, csrpath)) != KEYDB_OK ||
	    (rc = kd_sign_cert(cert, key, ca_label)) != KEYDB_OK)
		goto out;
	if ((*pem = kd_armour("CERTIFICATE", &cert->derCert)) == NULL)
		rc = kd_fail(KEYDB_EDB, "cannot encode the certificate: %s",
		    kd_nsserr());
out:
	if (cert != NULL)
		CERT_DestroyCertificate(cert);
	if (validity != NULL)
		CERT_DestroyValidity(validity);
	if (key != NULL)
		SECKEY_DestroyPrivateKey(key);
	if (ca != NULL)
		CERT_DestroyCertificate(ca);
	PORT_FreeArena(arena, PR_FALSE);
	return rc;
}
