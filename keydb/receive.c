#include <stdlib.h>

#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <pk11pub.h>

#include "keydb/internal.h"

/*
 * The certificate goes under its key's nickname: the label chosen at
 * -gen csr names the identity from request to installed certificate.
 */
int
keydb_receive(struct keydb *db, const struct keydb_cert *c, char **label)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	CERTCertificate *cert;
	SECKEYPrivateKey *key;
	SECItem *id;
	char *nick;
	int rc;

	*label = NULL;
	if (!db->exists)
		return kd_fail(KEYDB_EINPUT, "certificate (SHA-256 %s): %s "
		    "holds no keys yet; the request was not made here",
		    c->sha256, db->dir);
	cert = CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &der, NULL,
	    PR_FALSE, PR_TRUE);
	if (cert == NULL)
		return kd_fail(KEYDB_EINPUT, "certificate (SHA-256 %s): cannot "
		    "decode: %s", c->sha256, kd_nsserr());
	/* By CKA_ID, the digest of the public key, as NSS stores it. */
	id = PK11_GetLowLevelKeyIDForCert(NULL, cert, NULL);
	CERT_DestroyCertificate(cert);
	key = id != NULL ? PK11_FindKeyByKeyID(db->slot, id, NULL) : NULL;
	SECITEM_FreeItem(id, PR_TRUE);
	if (key == NULL)
		return kd_fail(KEYDB_EINPUT, "certificate \"%s\" (SHA-256 %s): "
		    "its private key is not in %s", c->subject, c->sha256,
		    db->dir);
	nick = PK11_GetPrivateKeyNickname(key);
	SECKEY_DestroyPrivateKey(key);
	if (nick == NULL || *nick == '\0') {
		PORT_Free(nick);
		return kd_fail(KEYDB_EINPUT, "certificate \"%s\" (SHA-256 %s): "
		    "its key in %s has no label", c->subject, c->sha256,
		    db->dir);
	}
	if ((rc = keydb_import(db, c, nick, ",,")) == KEYDB_OK)
		*label = xstrdup(nick);
	PORT_Free(nick);
	return rc;
}
