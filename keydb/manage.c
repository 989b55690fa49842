#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <pk11pub.h>

#include "keydb/ident.h"

/*
 * Changes to what is already in the database (dsmcert(1), -modify,
 * -rename, -passwd): each on the exact object, under the write lock the
 * caller opened the database with.
 */

static CERTCertificate *
exact(struct keydb *db, const struct keydb_cert *c)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };

	if (!db->exists)
		return NULL;
	return PK11_FindCertFromDERCertItem(db->slot, &der, NULL);
}

int
keydb_set_trust(struct keydb *db, const struct keydb_cert *c,
    const char *trust)
{
	CERTCertificate *cert;
	CERTCertTrust t;
	int rc = KEYDB_OK;

	if (CERT_DecodeTrustString(&t, trust) != SECSuccess)
		return kd_fail(KEYDB_EINPUT, "bad trust string \"%s\"", trust);
	if ((cert = exact(db, c)) == NULL)
		return kd_fail(KEYDB_ENOTFOUND, "SHA-256 %s: not in %s",
		    c->sha256, db->dir);
	if (CERT_ChangeCertTrust(CERT_GetDefaultCertDB(), cert, &t) !=
	    SECSuccess)
		rc = kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot set trust %s: "
		    "%s", c->label ? c->label : "certificate", c->sha256, trust,
		    kd_nsserr());
	CERT_DestroyCertificate(cert);
	return rc;
}

/*
 * The certificate's label, then its key pair's: what selects the
 * identity by label (a TLS client's -n, -clientlabel) finds both.
 */
int
keydb_relabel(struct keydb *db, const struct keydb_cert *c, const char *to)
{
	SECItem label = { siBuffer, (unsigned char *)to, (unsigned)strlen(to) };
	SECKEYPrivateKey *key;
	CERTCertificate *cert;
	int rc = KEYDB_OK;

	if ((cert = exact(db, c)) == NULL)
		return kd_fail(KEYDB_ENOTFOUND, "SHA-256 %s: not in %s",
		    c->sha256, db->dir);
	if (PK11_WriteRawAttribute(PK11_TypeCert, cert, CKA_LABEL, &label) !=
	    SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "%s (SHA-256 %s): cannot rename: %s",
		    c->label ? c->label : "certificate", c->sha256,
		    kd_nsserr());
		goto out;
	}
	if ((key = PK11_FindKeyByAnyCert(cert, NULL)) != NULL) {
		if (PK11_SetPrivateKeyNickname(key, to) != SECSuccess)
			rc = kd_fail(KEYDB_EDB, "%s (SHA-256 %s): renamed, but "
			    "not its private key: %s", to, c->sha256,
			    kd_nsserr());
		SECKEY_DestroyPrivateKey(key);
	}
out:
	CERT_DestroyCertificate(cert);
	return rc;
}

/* Rename keys left without a certificate (a pending renewal request). */
int
keydb_relabel_keys(struct keydb *db, const char *from, const char *to)
{
	SECKEYPrivateKeyList *keys;
	SECKEYPublicKeyList *pubs;
	int rc = KEYDB_OK;

	if (!db->exists)
		return KEYDB_OK;
	if ((keys = PK11_ListPrivKeysInSlot(db->slot, (char *)from, NULL)) !=
	    NULL) {
		for (SECKEYPrivateKeyListNode *n = PRIVKEY_LIST_HEAD(keys);
		    !PRIVKEY_LIST_END(n, keys); n = PRIVKEY_LIST_NEXT(n))
			if (PK11_SetPrivateKeyNickname(n->key, to) !=
			    SECSuccess && rc == KEYDB_OK)
				rc = kd_fail(KEYDB_EDB, "%s: cannot rename key "
				    "\"%s\": %s", db->dir, from, kd_nsserr());
		SECKEY_DestroyPrivateKeyList(keys);
	}
	if ((pubs = PK11_ListPublicKeysInSlot(db->slot, (char *)from)) !=
	    NULL) {
		for (SECKEYPublicKeyListNode *n = PUBKEY_LIST_HEAD(pubs);
		    !PUBKEY_LIST_END(n, pubs); n = PUBKEY_LIST_NEXT(n))
			(void)PK11_SetPublicKeyNickname(n->key, to);
		SECKEY_DestroyPublicKeyList(pubs);
	}
	return rc;
}

int
keydb_label_taken(struct keydb *db, const char *label)
{
	return kd_label_free(db, label) == KEYDB_ECONFLICT;
}

/*
 * The stash file, when there is one, is rewritten with the new password:
 * written beside it first, put in place only once NSS has taken the new
 * password, and the password put back if it cannot be, so that the
 * database and its stash never disagree.
 */
int
keydb_change_password(struct keydb *db, const char *newpw, int *stashed)
{
	const char *old = db->password != NULL ? db->password : "";
	char *stash = cm_path_join(db->dir, KEYDB_STASH);
	struct cm_gate g = { .fd = -1, .dirfd = -1 };
	char why[PATH_MAX + 256];
	struct stat st;
	int rc = KEYDB_OK, have_stash;

	*stashed = 0;
	if ((rc = kd_ensure_created(db)) != KEYDB_OK)
		goto out;
	have_stash = lstat(stash, &st) == 0;
	if (have_stash) {
		/* The gate keeps the stash's owner and mode. */
		if ((rc = cm_gate_open(&g, stash, 0600, why, sizeof(why))) !=
		    CM_OK || g.inplace) {
			if (rc == CM_OK)
				cm_gate_abort(&g);
			rc = kd_fail(KEYDB_EDB, "%s: cannot write: %s", stash,
			    rc == CM_UNSAFE ? why : rc == CM_OK ||
			    rc == CM_NOTREG ? "not a regular file" :
			    strerror(errno));
			goto out;
		}
		if (cm_gate_write_fd(&g, newpw, strlen(newpw)) != CM_OK ||
		    cm_gate_write_fd(&g, "\n", 1) != CM_OK) {
			rc = kd_fail(KEYDB_EDB, "%s: cannot write: %s", stash,
			    strerror(errno));
			cm_gate_abort(&g);
			goto out;
		}
	}
	if (PK11_NeedUserInit(db->slot) ?
	    PK11_InitPin(db->slot, NULL, newpw) != SECSuccess :
	    PK11_ChangePW(db->slot, old, newpw) != SECSuccess) {
		rc = kd_fail(KEYDB_EAUTH, "%s: the password was not changed: "
		    "%s", db->dir, kd_nsserr());
		if (have_stash)
			cm_gate_abort(&g);
		goto out;
	}
	if (have_stash && cm_gate_commit(&g) != CM_OK) {
		int e = errno;

		if (PK11_ChangePW(db->slot, newpw, old) == SECSuccess)
			rc = kd_fail(KEYDB_EDB, "%s: cannot replace: %s; the "
			    "password was not changed", stash, strerror(e));
		else
			rc = kd_fail(KEYDB_EDB, "%s: cannot replace: %s; the "
			    "key database has the new password, the stash "
			    "file the old one: put the new one in it", stash,
			    strerror(e));
		goto out;
	}
	*stashed = have_stash;
	cm_secret_free(db->password);
	db->password = xstrdup(newpw);
out:
	free(stash);
	return rc;
}
