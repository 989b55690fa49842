#include <string.h>

#include <cert.h>
#include <cryptohi.h>
#include <pk11pub.h>
#include <secasn1.h>
#include <secder.h>
#include <secoid.h>

#include "keydb/ident.h"

int
kd_random_serial(CERTCertificate *cert)
{
	unsigned char r[16];

	if (PK11_GenerateRandom(r, sizeof(r)) != SECSuccess)
		return kd_fail(KEYDB_EDB, "no random serial number: %s",
		    kd_nsserr());
	/* Positive and minimal: high bit clear, next bit set. */
	r[0] = (r[0] & 0x7f) | 0x40;
	if (SECITEM_AllocItem(cert->arena, &cert->serialNumber, sizeof(r)) ==
	    NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	memcpy(cert->serialNumber.data, r, sizeof(r));
	return KEYDB_OK;
}

CERTValidity *
kd_validity(int days)
{
	PRTime now = PR_Now();

	return CERT_CreateValidity(now - (PRTime)3600 * PR_USEC_PER_SEC,
	    now + (PRTime)days * 24 * 3600 * PR_USEC_PER_SEC);
}

int
kd_sign_cert(CERTCertificate *cert, SECKEYPrivateKey *key, const char *what)
{
	SECOidTag alg = SEC_GetSignatureAlgorithmOidTag(key->keyType,
	    SEC_OID_SHA256);
	SECItem tbs = { siBuffer, NULL, 0 };

	if (SEC_ASN1EncodeInteger(cert->arena, &cert->version,
	    SEC_CERTIFICATE_VERSION_3) == NULL ||
	    SECOID_SetAlgorithmID(cert->arena, &cert->signature, alg, NULL) !=
	    SECSuccess ||
	    SEC_ASN1EncodeItem(cert->arena, &tbs, cert,
	    SEC_ASN1_GET(CERT_CertificateTemplate)) == NULL)
		return kd_fail(KEYDB_EDB, "%s: cannot encode the certificate: "
		    "%s", what, kd_nsserr());
	if (SEC_DerSignData(cert->arena, &cert->derCert, tbs.data, tbs.len,
	    key, alg) != SECSuccess)
		return kd_fail(KEYDB_EDB, "%s: cannot sign: %s", what,
		    kd_nsserr());
	return KEYDB_OK;
}
