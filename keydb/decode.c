#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <prprf.h>
#include <secasn1.h>
#include <secoid.h>

#include "keydb/internal.h"

static char *
nss_str(char *s)
{
	char *r = xstrdup(s);

	PORT_Free(s);
	return r;
}

static int
weak_signature(SECOidTag tag)
{
	switch (tag) {
	case SEC_OID_PKCS1_MD2_WITH_RSA_ENCRYPTION:
	case SEC_OID_PKCS1_MD4_WITH_RSA_ENCRYPTION:
	case SEC_OID_PKCS1_MD5_WITH_RSA_ENCRYPTION:
	case SEC_OID_PKCS1_SHA1_WITH_RSA_ENCRYPTION:
	case SEC_OID_ISO_SHA1_WITH_RSA_SIGNATURE:
	case SEC_OID_ANSIX962_ECDSA_SHA1_SIGNATURE:
	case SEC_OID_ANSIX9_DSA_SIGNATURE_WITH_SHA1_DIGEST:
		return 1;
	default:
		return 0;
	}
}

static void
hexpairs(const unsigned char *d, size_t n, char *out)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		*out++ = hex[d[i] >> 4];
		*out++ = hex[d[i] & 15];
		if (i + 1 < n)
			*out++ = ':';
	}
	*out = '\0';
}

static int
is_ca(CERTCertificate *c)
{
	CERTBasicConstraints bc;
	SECItem ext = { siBuffer, NULL, 0 };
	int r;

	if (CERT_FindCertExtension(c, SEC_OID_X509_BASIC_CONSTRAINTS, &ext) !=
	    SECSuccess)
		return 0;
	r = CERT_DecodeBasicConstraintValue(&bc, &ext) == SECSuccess &&
	    bc.isCA;
	PORT_Free(ext.data);
	return r;
}

/* FNV-1a over issuer and serial number: a quick key, not an identity. */
static uint64_t
isn_hash(const SECItem *issuer, const SECItem *serial)
{
	uint64_t h = 14695981039346656037ULL;

	for (unsigned i = 0; i < issuer->len; i++)
		h = (h ^ issuer->data[i]) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (unsigned i = 0; i < serial->len; i++)
		h = (h ^ serial->data[i]) * 1099511628211ULL;
	return h;
}

/* Key algorithms NSS does not know by name, for messages. */
static const struct {
	const char *oid, *name;
} unknown_keys[] = {
	{ "1.3.101.110", "X25519" },
	{ "1.3.101.111", "X448" },
	{ "1.3.101.112", "Ed25519" },
	{ "1.3.101.113", "Ed448" },
};

/*
 * Why NSS cannot store a certificate whose public key it cannot read:
 * PK11_ImportCert needs the key (it derives the object's ID from it) and
 * fails with a bare "Error adding certificate to database" that reads as
 * a broken database.
 */
static char *
key_problem(CERTCertificate *c)
{
	const SECAlgorithmID *alg = &c->subjectPublicKeyInfo.algorithm;
	SECOidTag tag = SECOID_GetAlgorithmTag(alg);
	const char *why = kd_nsserr();
	char buf[512], *dotted, *oid;
	SECItem curve = { siBuffer, NULL, 0 };

	if (tag == SEC_OID_ANSIX962_EC_PUBLIC_KEY) {
		if (SEC_QuickDERDecodeItem(c->arena, &curve,
		    SEC_ASN1_GET(SEC_ObjectIDTemplate), &alg->parameters) !=
		    SECSuccess)
			return xstrdup("its EC key gives its curve by "
			    "explicit parameters, not by name");
		snprintf(buf, sizeof(buf), "its EC key is on a curve NSS "
		    "cannot use (%s)", why);
		return xstrdup(buf);
	}
	if (tag != SEC_OID_UNKNOWN) {
		const char *d = SECOID_FindOIDTagDescription(tag);

		snprintf(buf, sizeof(buf), "its %s key cannot be read (%s)",
		    d != NULL ? d : "public", why);
		return xstrdup(buf);
	}
	dotted = CERT_GetOidString(&alg->algorithm);
	oid = dotted != NULL ? dotted : "?";
	if (strncmp(oid, "OID.", 4) == 0)
		oid += 4;
	snprintf(buf, sizeof(buf), "its key algorithm (OID %s) is not one "
	    "NSS supports", oid);
	for (size_t i = 0; i < sizeof(unknown_keys) / sizeof(*unknown_keys);
	    i++)
		if (strcmp(oid, unknown_keys[i].oid) == 0)
			snprintf(buf, sizeof(buf), "its key is %s (OID %s), an "
			    "algorithm NSS does not support",
			    unknown_keys[i].name, oid);
	if (dotted != NULL)
		PR_smprintf_free(dotted);
	return xstrdup(buf);
}

/*
 * Decode one certificate into plain data, valid after NSS is shut down.
 * The DER is decoded straight into an arena with NSS's own certificate
 * template: unlike CERT_NewTempCertificate, no database lookup per
 * certificate, which is most of the cost of listing a large database.
 * The decoder is strict: trailing bytes are an error.
 */
int
keydb_decode(const unsigned char *der, size_t len, struct keydb_cert *out)
{
	PLArenaPool *arena;
	CERTCertificate *c;
	SECKEYPublicKey *pk;
	unsigned char digest[32];
	PRTime nb, na;
	SECOidTag tag;
	SECItem item;
	char *s;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > 1 << 20)
		return kd_fail(KEYDB_EINPUT, "not a certificate (size %zu)",
		    len);
	if ((arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE)) == NULL)
		abort();
	c = PORT_ArenaZNew(arena, CERTCertificate);
	item.type = siBuffer;
	item.len = (unsigned)len;
	item.data = PORT_ArenaAlloc(arena, len);
	if (c == NULL || item.data == NULL)
		abort();
	memcpy(item.data, der, len);
	c->arena = arena;
	c->derCert = item;
	if (SEC_QuickDERDecodeItem(arena, c,
	    SEC_ASN1_GET(SEC_SignedCertificateTemplate), &item) != SECSuccess) {
		PORT_FreeArena(arena, PR_FALSE);
		return kd_fail(KEYDB_EINPUT, "not a valid certificate: %s",
		    kd_nsserr());
	}
	out->der = xmemdup(der, len);
	out->derlen = len;

	out->subject = nss_str(CERT_NameToAscii(&c->subject));
	out->issuer = nss_str(CERT_NameToAscii(&c->issuer));
	if ((s = CERT_GetCommonName(&c->subject)) == NULL &&
	    (s = CERT_GetOrgUnitName(&c->subject)) == NULL)
		s = CERT_GetOrgName(&c->subject);
	out->name = s != NULL ? nss_str(s) : NULL;
	if (out->subject == NULL)
		out->subject = xstrdup("");
	if (out->issuer == NULL)
		out->issuer = xstrdup("");

	if (CERT_GetCertTimes(c, &nb, &na) == SECSuccess) {
		out->not_before = nb / PR_USEC_PER_SEC;
		out->not_after = na / PR_USEC_PER_SEC;
	}
	if (PK11_HashBuf(SEC_OID_SHA256, digest, der, (PRInt32)len) !=
	    SECSuccess) {
		PORT_FreeArena(arena, PR_FALSE);
		keydb_cert_clear(out);
		return kd_fail(KEYDB_EINPUT, "cannot hash certificate: %s",
		    kd_nsserr());
	}
	hexpairs(digest, sizeof(digest), out->sha256);

	out->isn_hash = isn_hash(&c->derIssuer, &c->serialNumber);
	out->is_ca = is_ca(c);
	out->self_signed = SECITEM_ItemsAreEqual(&c->derSubject,
	    &c->derIssuer);
	if ((pk = CERT_ExtractPublicKey(c)) != NULL) {
		out->key_rsa = pk->keyType == rsaKey;
		out->key_bits = (int)SECKEY_PublicKeyStrengthInBits(pk);
		SECKEY_DestroyPublicKey(pk);
	} else
		out->unstorable = key_problem(c);
	tag = SECOID_GetAlgorithmTag(&c->signature);
	out->weak_sig = weak_signature(tag);
	s = (char *)SECOID_FindOIDTagDescription(tag);
	out->sig_alg = xstrdup(s != NULL ? s : "unknown");
	PORT_FreeArena(arena, PR_FALSE);
	return KEYDB_OK;
}

/* Issuer and serial number as encoded, in arena. */
static int
issuer_serial(PLArenaPool *arena, const struct keydb_cert *k,
    CERTCertificate *c)
{
	SECItem der = { siBuffer, k->der, (unsigned)k->derlen };

	memset(c, 0, sizeof(*c));
	return k->der != NULL && SEC_QuickDERDecodeItem(arena, c,
	    SEC_ASN1_GET(SEC_SignedCertificateTemplate), &der) == SECSuccess;
}

int
keydb_same_issuer_serial(const struct keydb_cert *a,
    const struct keydb_cert *b)
{
	PLArenaPool *arena;
	CERTCertificate x, y;
	int same;

	if (a->isn_hash != b->isn_hash)
		return 0;
	if ((arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE)) == NULL)
		abort();
	same = issuer_serial(arena, a, &x) && issuer_serial(arena, b, &y) &&
	    SECITEM_ItemsAreEqual(&x.derIssuer, &y.derIssuer) &&
	    SECITEM_ItemsAreEqual(&x.serialNumber, &y.serialNumber);
	PORT_FreeArena(arena, PR_FALSE);
	return same;
}

void
keydb_cert_clear(struct keydb_cert *c)
{
	free(c->der);
	free(c->label);
	free(c->trust);
	free(c->subject);
	free(c->issuer);
	free(c->name);
	free(c->sig_alg);
	free(c->unstorable);
	memset(c, 0, sizeof(*c));
}

void
keydb_certs_free(struct keydb_certs *l)
{
	for (size_t i = 0; i < l->n; i++)
		keydb_cert_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const char *
keydb_default_trust(const struct keydb_cert *c)
{
	return c->is_ca ? "C,," : "P,,";
}
