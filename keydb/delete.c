#include <cert.h>
#include <certdb.h>
#include <pk11pub.h>

#include "keydb/internal.h"

/*
 * Delete exactly the certificate with c's DER encoding and its trust.
 * Found by encoding, never by nickname: a nickname lookup would also
 * reach every other certificate with the same subject.
 */
int
keydb_delete(struct keydb *db, const struct keydb_cert *c)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	CERTCertificate *cert;
	int rc = KEYDB_OK;

	if (!db->exists)
		return kd_fail(KEYDB_ENOTFOUND, "SHA-256 %s: not in %s",
		    c->sha256, db->dir);
	cert = PK11_FindCertFromDERCertItem(db->slot, &der, NULL);
	if (cert == NULL)
		return kd_fail(KEYDB_ENOTFOUND, "SHA-256 %s: not in %s",
		    c->sha256, db->dir);
	if (SEC_DeletePermCertificate(cert) != SECSuccess)
		rc = kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot delete: %s",
		    c->label ? c->label : "certificate", c->sha256,
		    kd_nsserr());
	CERT_DestroyCertificate(cert);
	return rc;
}
