#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <prprf.h>
#include <secoid.h>

#include "keydb/internal.h"

/*
 * One certificate in full (dsmcert(1), -show): what certutil -L -n
 * prints, as plain values. Decoded from the DER alone, so it serves a
 * certificate in the database and one in a file alike.
 */

static void
push(struct keydb_strs *s, const char *v)
{
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = xstrdup(v);
}

static char *
hex_colons(const unsigned char *p, size_t n)
{
	char *s = xmalloc(n * 3 + 1);

	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(s + i * 3, 4, i + 1 < n ? "%02X:" : "%02X", p[i]);
	return s;
}

static void
key_usage(CERTCertificate *cert, struct keydb_strs *out)
{
	static const struct {
		unsigned bit;
		const char *name;
	} ku[] = {
		{ 0x0080, "digitalSignature" }, { 0x0040, "nonRepudiation" },
		{ 0x0020, "keyEncipherment" }, { 0x0010, "dataEncipherment" },
		{ 0x0008, "keyAgreement" }, { 0x0004, "keyCertSign" },
		{ 0x0002, "cRLSign" }, { 0x0001, "encipherOnly" },
		{ 0x8000, "decipherOnly" },
	};
	SECItem it = { siBuffer, NULL, 0 };
	unsigned bits;

	if (CERT_FindKeyUsageExtension(cert, &it) != SECSuccess)
		return;
	/* A BIT STRING: its length counts bits, not bytes. */
	bits = it.len > 0 ? it.data[0] : 0;
	if (it.len > 8)
		bits |= (unsigned)it.data[1] << 8;
	for (size_t i = 0; i < sizeof(ku) / sizeof(ku[0]); i++)
		if (bits & ku[i].bit)
			push(out, ku[i].name);
	SECITEM_FreeItem(&it, PR_FALSE);
}

static void
ext_key_usage(CERTCertificate *cert, struct keydb_strs *out)
{
	static const struct {
		SECOidTag tag;
		const char *name;
	} eku[] = {
		{ SEC_OID_EXT_KEY_USAGE_SERVER_AUTH, "serverAuth" },
		{ SEC_OID_EXT_KEY_USAGE_CLIENT_AUTH, "clientAuth" },
		{ SEC_OID_EXT_KEY_USAGE_CODE_SIGN, "codeSigning" },
		{ SEC_OID_EXT_KEY_USAGE_EMAIL_PROTECT, "emailProtection" },
		{ SEC_OID_EXT_KEY_USAGE_TIME_STAMP, "timeStamping" },
		{ SEC_OID_OCSP_RESPONDER, "OCSPSigning" },
	};
	SECItem it = { siBuffer, NULL, 0 };
	CERTOidSequence *seq;

	if (CERT_FindCertExtension(cert, SEC_OID_X509_EXT_KEY_USAGE, &it) !=
	    SECSuccess)
		return;
	if ((seq = CERT_DecodeOidSequence(&it)) != NULL) {
		for (SECItem **o = seq->oids; o != NULL && *o != NULL; o++) {
			SECOidTag tag = SECOID_FindOIDTag(*o);
			const char *name = NULL;
			char *dotted;

			for (size_t i = 0; i < sizeof(eku) / sizeof(eku[0]); i++)
				if (eku[i].tag == tag)
					name = eku[i].name;
			if (name != NULL) {
				push(out, name);
				continue;
			}
			/* An usage of its own, by number. */
			dotted = CERT_GetOidString(*o);
			push(out, dotted != NULL ? dotted : "?");
			PR_smprintf_free(dotted);
		}
		CERT_DestroyOidSequence(seq);
	}
	SECITEM_FreeItem(&it, PR_FALSE);
}

static void
general_name(const CERTGeneralName *g, struct keydb_strs *out)
{
	const SECItem *v = &g->name.other;
	char buf[INET6_ADDRSTRLEN + 8];
	char *s;

	switch (g->type) {
	case certDNSName:
	case certRFC822Name:
	case certURI:
		s = xmalloc(v->len + 8);
		snprintf(s, v->len + 8, "%s:%.*s", g->type == certDNSName ?
		    "DNS" : g->type == certURI ? "URI" : "EMAIL", (int)v->len,
		    (const char *)v->data);
		push(out, s);
		free(s);
		return;
	case certIPAddress:
		memcpy(buf, "IP:", 4);
		if (v->len == 4 || v->len == 16) {
			if (inet_ntop(v->len == 4 ? AF_INET : AF_INET6, v->data,
			    buf + 3, sizeof(buf) - 3) != NULL) {
				push(out, buf);
				return;
			}
		}
		push(out, "IP:?");
		return;
	default:
		push(out, "OTHER:?");
		return;
	}
}

static void
alt_names(CERTCertificate *cert, struct keydb_strs *out)
{
	SECItem it = { siBuffer, NULL, 0 };
	PLArenaPool *arena;
	CERTGeneralName *first, *g;

	if (CERT_FindCertExtension(cert, SEC_OID_X509_SUBJECT_ALT_NAME, &it) !=
	    SECSuccess)
		return;
	if ((arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE)) == NULL)
		abort();
	if ((first = CERT_DecodeAltNameExtension(arena, &it)) != NULL) {
		g = first;
		do {
			general_name(g, out);
			g = CERT_GetNextGeneralName(g);
		} while (g != NULL && g != first);
	}
	PORT_FreeArena(arena, PR_FALSE);
	SECITEM_FreeItem(&it, PR_FALSE);
}

int
keydb_cert_detail(const struct keydb_cert *c, struct keydb_detail *d)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	CERTCertificate *cert;
	CERTBasicConstraints bc;
	SECItem bcv = { siBuffer, NULL, 0 };
	SECKEYPublicKey *pk;
	unsigned char sha1[20];

	memset(d, 0, sizeof(*d));
	d->path_len = -1;
	cert = CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &der, NULL,
	    PR_FALSE, PR_TRUE);
	if (cert == NULL)
		return kd_fail(KEYDB_EINPUT, "certificate (SHA-256 %s): cannot "
		    "decode: %s", c->sha256, kd_nsserr());
	d->serial = hex_colons(cert->serialNumber.data,
	    cert->serialNumber.len);
	if (PK11_HashBuf(SEC_OID_SHA1, sha1, c->der, (PRInt32)c->derlen) ==
	    SECSuccess) {
		char *h = hex_colons(sha1, sizeof(sha1));

		snprintf(d->sha1, sizeof(d->sha1), "%s", h);
		free(h);
	}
	if ((pk = CERT_ExtractPublicKey(cert)) != NULL) {
		switch (SECKEY_GetPublicKeyType(pk)) {
		case rsaKey:
			d->key_type = "RSA";
			break;
		case ecKey:
			d->key_type = "EC";
			break;
		case dsaKey:
			d->key_type = "DSA";
			break;
		default:
			d->key_type = "other";
			break;
		}
		d->key_bits = (int)SECKEY_PublicKeyStrengthInBits(pk);
		SECKEY_DestroyPublicKey(pk);
	} else
		d->key_type = "unknown";
	if (CERT_FindCertExtension(cert, SEC_OID_X509_BASIC_CONSTRAINTS,
	    &bcv) == SECSuccess) {
		if (CERT_DecodeBasicConstraintValue(&bc, &bcv) != SECSuccess)
			memset(&bc, 0, sizeof(bc));
		d->has_bc = 1;
		d->ca = bc.isCA ? 1 : 0;
		if (bc.isCA && bc.pathLenConstraint >= 0)
			d->path_len = bc.pathLenConstraint;
		SECITEM_FreeItem(&bcv, PR_FALSE);
	}
	key_usage(cert, &d->key_usage);
	ext_key_usage(cert, &d->ext_key_usage);
	alt_names(cert, &d->san);
	CERT_DestroyCertificate(cert);
	return KEYDB_OK;
}

void
keydb_detail_free(struct keydb_detail *d)
{
	free(d->serial);
	keydb_strs_free(&d->key_usage);
	keydb_strs_free(&d->ext_key_usage);
	keydb_strs_free(&d->san);
	memset(d, 0, sizeof(*d));
}
