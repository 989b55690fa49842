#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <pk11pub.h>

#include "keydb/internal.h"

/*
 * Import one certificate as its own object under label, then set its
 * trust. The certificate is found again by its DER encoding, so a second
 * certificate with the same subject (every vendor server's self-signed
 * certificate has one subject) keeps its own label.
 */
int
keydb_import(struct keydb *db, const struct keydb_cert *c, const char *label,
    const char *trust)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	CERTCertificate *cert;
	CERTCertTrust t;
	int rc;

	if ((rc = kd_ensure_created(db)) != KEYDB_OK)
		return rc;
	if (CERT_DecodeTrustString(&t, trust) != SECSuccess)
		return kd_fail(KEYDB_EINPUT, "bad trust string \"%s\"", trust);
	cert = CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &der, NULL,
	    PR_FALSE, PR_TRUE);
	if (cert == NULL)
		return kd_fail(KEYDB_EINPUT, "%s (SHA-256 %s): cannot decode: "
		    "%s", label, c->sha256, kd_nsserr());
	if (PK11_ImportCert(db->slot, cert, CK_INVALID_HANDLE, label,
	    PR_FALSE) != SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot import into "
		    "%s: %s", label, c->sha256, db->dir, kd_nsserr());
		CERT_DestroyCertificate(cert);
		return rc;
	}
	if (CERT_ChangeCertTrust(CERT_GetDefaultCertDB(), cert, &t) !=
	    SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot set trust "
		    "%s: %s", label, c->sha256, trust, kd_nsserr());
		CERT_DestroyCertificate(cert);
		return rc;
	}
	CERT_DestroyCertificate(cert);
	return KEYDB_OK;
}
