#include <string.h>

#include <cert.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <secasn1.h>
#include <secoid.h>

#include "keydb/ident.h"

int
keydb_keytype(const char *name, enum keydb_keytype *out)
{
	static const struct {
		const char *name;
		enum keydb_keytype t;
	} types[] = {
		{ "rsa2048", KEYDB_RSA2048 },
		{ "rsa3072", KEYDB_RSA3072 },
		{ "ec256", KEYDB_EC256 },
		{ "ec384", KEYDB_EC384 },
	};

	if (name == NULL) {
		*out = KEYDB_RSA2048;
		return KEYDB_OK;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(name, types[i].name) == 0) {
			*out = types[i].t;
			return KEYDB_OK;
		}
	return kd_fail(KEYDB_EINPUT, "key type \"%s\" is not one of rsa2048, "
	    "rsa3072, ec256, ec384", name);
}

/*
 * Generate on the database's own slot, as token objects that are
 * private and sensitive: the key is stored with the certificates and
 * cannot be read out in the clear.
 */
int
kd_keygen(struct keydb *db, enum keydb_keytype t, const char *nickname,
    SECKEYPrivateKey **priv, SECKEYPublicKey **pub)
{
	PK11RSAGenParams rsa = { 2048, 65537 };
	PLArenaPool *arena = NULL;
	SECItem ecparams = { siBuffer, NULL, 0 };
	CK_MECHANISM_TYPE mech = CKM_RSA_PKCS_KEY_PAIR_GEN;
	void *params = &rsa;
	int rc;

	*priv = NULL;
	*pub = NULL;
	if ((rc = kd_ensure_created(db)) != KEYDB_OK)
		return rc;
	if (t == KEYDB_RSA3072)
		rsa.keySizeInBits = 3072;
	if (t == KEYDB_EC256 || t == KEYDB_EC384) {
		SECOidData *oid = SECOID_FindOIDByTag(t == KEYDB_EC256 ?
		    SEC_OID_ANSIX962_EC_PRIME256V1 : SEC_OID_SECG_EC_SECP384R1);

		if ((arena = PORT_NewArena(1024)) == NULL || oid == NULL ||
		    SEC_ASN1EncodeItem(arena, &ecparams, &oid->oid,
		    SEC_ASN1_GET(SEC_ObjectIDTemplate)) == NULL) {
			rc = kd_fail(KEYDB_EDB, "cannot encode curve: %s",
			    kd_nsserr());
			goto out;
		}
		mech = CKM_EC_KEY_PAIR_GEN;
		params = &ecparams;
	}
	*priv = PK11_GenerateKeyPair(db->slot, mech, params, pub, PR_TRUE,
	    PR_TRUE, NULL);
	if (*priv == NULL) {
		rc = kd_fail(KEYDB_EDB, "%s: cannot generate key \"%s\": %s",
		    db->dir, nickname, kd_nsserr());
		goto out;
	}
	if (PK11_SetPrivateKeyNickname(*priv, nickname) != SECSuccess ||
	    PK11_SetPublicKeyNickname(*pub, nickname) != SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "%s: cannot name key \"%s\": %s",
		    db->dir, nickname, kd_nsserr());
		goto out;
	}
	rc = KEYDB_OK;
out:
	if (rc != KEYDB_OK && *priv != NULL) {
		/* A key nobody can name is clutter: take it out again. */
		PK11_DeleteTokenPrivateKey(*priv, PR_TRUE);
		*priv = NULL;
		if (*pub != NULL)
			SECKEY_DestroyPublicKey(*pub);
		*pub = NULL;
	}
	if (arena != NULL)
		PORT_FreeArena(arena, PR_FALSE);
	return rc;
}

/*
 * A new key's nickname must be free: -receive finds the label through
 * the key, and two keys or a certificate under one name would be read
 * as one identity.
 */
int
kd_label_free(struct keydb *db, const char *label)
{
	CERTCertificate *c;
	SECKEYPrivateKeyList *keys;
	int taken = 0;

	if (!db->exists)
		return KEYDB_OK;
	if ((c = CERT_FindCertByNickname(CERT_GetDefaultCertDB(), label)) !=
	    NULL) {
		CERT_DestroyCertificate(c);
		taken = 1;
	}
	if ((keys = PK11_ListPrivKeysInSlot(db->slot, (char *)label, NULL)) !=
	    NULL) {
		if (!PRIVKEY_LIST_END(PRIVKEY_LIST_HEAD(keys), keys))
			taken = 1;
		SECKEY_DestroyPrivateKeyList(keys);
	}
	if (taken)
		return kd_fail(KEYDB_ECONFLICT, "%s: label \"%s\" is already "
		    "taken by a key or certificate", db->dir, label);
	return KEYDB_OK;
}
