#include <stdio.h>
#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <pk11pub.h>
#include <secasn1.h>
#include <secerr.h>

#include "keydb/internal.h"

/*
 * NSS refused c because another certificate in the database has its
 * issuer and serial number (a certificate made again with a fixed
 * serial): a conflict, named by the certificate already there.
 */
static int
reused_serial(struct keydb *db, const struct keydb_cert *c, const char *label)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	PLArenaPool *arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE);
	CERTCertificate *mine, *old = NULL;
	struct keydb_cert k = { 0 };
	CERTIssuerAndSN isn;
	int rc;

	if (arena == NULL || (mine = PORT_ArenaZNew(arena,
	    CERTCertificate)) == NULL)
		abort();
	if (SEC_QuickDERDecodeItem(arena, mine,
	    SEC_ASN1_GET(SEC_SignedCertificateTemplate), &der) == SECSuccess) {
		isn.derIssuer = mine->derIssuer;
		isn.serialNumber = mine->serialNumber;
		old = CERT_FindCertByIssuerAndSN(CERT_GetDefaultCertDB(),
		    &isn);
	}
	if (old == NULL || keydb_decode(old->derCert.data, old->derCert.len,
	    &k) != KEYDB_OK)
		rc = kd_fail(KEYDB_ECONFLICT, "%s (SHA-256 %s): another "
		    "certificate in %s has its issuer and serial number; NSS "
		    "cannot hold both", label, c->sha256, db->dir);
	else
		rc = kd_fail(KEYDB_ECONFLICT, "%s (SHA-256 %s): has the issuer "
		    "and serial number of \"%s\" (SHA-256 %s), already in %s; "
		    "NSS cannot hold both", label, c->sha256,
		    old->nickname != NULL ? old->nickname : "?", k.sha256,
		    db->dir);
	keydb_cert_clear(&k);
	if (old != NULL)
		CERT_DestroyCertificate(old);
	PORT_FreeArena(arena, PR_FALSE);
	return rc;
}

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

	if (c->unstorable != NULL)
		return kd_fail(KEYDB_EINPUT, "%s (SHA-256 %s): NSS cannot "
		    "store this certificate: %s", label, c->sha256,
		    c->unstorable);
	if ((rc = kd_ensure_created(db)) != KEYDB_OK)
		return rc;
	if (CERT_DecodeTrustString(&t, trust) != SECSuccess)
		return kd_fail(KEYDB_EINPUT, "bad trust string \"%s\"", trust);
	cert = CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &der, NULL,
	    PR_FALSE, PR_TRUE);
	if (cert == NULL &&
	    PORT_GetError() == SEC_ERROR_REUSED_ISSUER_AND_SERIAL)
		return reused_serial(db, c, label);
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
		char why[256];

		/* A certificate without its trust is no import: undo it. */
		snprintf(why, sizeof(why), "%s", kd_nsserr());
		CERT_DestroyCertificate(cert);
		if (keydb_delete(db, c) == KEYDB_OK)
			return kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot set "
			    "trust %s: %s", label, c->sha256, trust, why);
		return kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot set trust "
		    "%s: %s; and it could not be taken out again, so it is "
		    "in %s without its trust: delete it with -delete -label",
		    label, c->sha256, trust, why, db->dir);
	}
	CERT_DestroyCertificate(cert);
	return KEYDB_OK;
}
