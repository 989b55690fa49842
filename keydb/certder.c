#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <secasn1.h>
#include <secpkcs7.h>

#include "keydb/internal.h"

/*
 * DER input: one certificate, or a PKCS#7 bundle of them (.p7b, as
 * Windows CAs hand them out). Other DER that people take for
 * certificates (a request, a revocation list) is named, not just called
 * malformed. NSS does all the decoding.
 */

#define MAX_CERTS 100000

int
kd_certs_push(struct keydb_certs *l, struct keydb_cert *c)
{
	if (l->n >= MAX_CERTS)
		return kd_fail(KEYDB_EINPUT, "more than %d certificates",
		    MAX_CERTS);
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *c;
	return KEYDB_OK;
}

/* "file:line" for a PEM block, "file" for a DER file. */
static const char *
where(char *buf, size_t n, const char *name, int line)
{
	if (line > 0)
		snprintf(buf, n, "%s:%d", name, line);
	else
		snprintf(buf, n, "%s", name);
	return buf;
}

static int
pkcs7_certs(const char *at, int line, SEC_PKCS7ContentInfo *ci,
    struct keydb_certs *out)
{
	SECOidTag type = SEC_PKCS7ContentType(ci);
	SECItem **raw;
	size_t i;

	if (type != SEC_OID_PKCS7_SIGNED_DATA) {
		const char *what = SECOID_FindOIDTagDescription(type);

		return kd_fail(KEYDB_EINPUT, "%s: PKCS#7 %s, not a bundle of "
		    "certificates", at,
		    what != NULL ? what : "of another kind");
	}
	if ((raw = SEC_PKCS7GetCertificateList(ci)) == NULL ||
	    raw[0] == NULL)
		return kd_fail(KEYDB_EINPUT, "%s: a PKCS#7 bundle with no "
		    "certificate in it", at);
	for (i = 0; raw[i] != NULL; i++) {
		struct keydb_cert c;
		int rc;

		if ((rc = keydb_decode(raw[i]->data, raw[i]->len, &c)) !=
		    KEYDB_OK) {
			char why[512];

			snprintf(why, sizeof(why), "%s", keydb_error());
			return kd_fail(rc, "%s: certificate %zu of the PKCS#7 "
			    "bundle: %s", at, i + 1, why);
		}
		c.line = line;
		if ((rc = kd_certs_push(out, &c)) != KEYDB_OK) {
			char why[512];

			keydb_cert_clear(&c);
			snprintf(why, sizeof(why), "%s", keydb_error());
			return kd_fail(rc, "%s: %s", at, why);
		}
	}
	return KEYDB_OK;
}

int
kd_read_pkcs7(const char *name, int line, const unsigned char *der,
    size_t len, struct keydb_certs *out)
{
	SECItem item = { siBuffer, (unsigned char *)der, (unsigned)len };
	SEC_PKCS7ContentInfo *ci;
	char at[512];
	int rc;

	where(at, sizeof(at), name, line);
	if ((ci = SEC_PKCS7DecodeItem(&item, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL)) == NULL)
		return kd_fail(KEYDB_EINPUT, "%s: not a PKCS#7 bundle NSS can "
		    "read: %s", at, kd_nsserr());
	rc = pkcs7_certs(at, line, ci, out);
	SEC_PKCS7DestroyContentInfo(ci);
	return rc;
}

/* A PKCS#10 request: signed data around a CertificationRequestInfo. */
static int
is_request(PLArenaPool *arena, SECItem *der)
{
	CERTSignedData sd;
	CERTCertificateRequest req;

	memset(&sd, 0, sizeof(sd));
	memset(&req, 0, sizeof(req));
	return SEC_QuickDERDecodeItem(arena, &sd,
	    SEC_ASN1_GET(CERT_SignedDataTemplate), der) == SECSuccess &&
	    SEC_QuickDERDecodeItem(arena, &req,
	    SEC_ASN1_GET(CERT_CertificateRequestTemplate), &sd.data) ==
	    SECSuccess;
}

static int
is_crl(SECItem *der)
{
	CERTSignedCrl *crl = CERT_DecodeDERCrlWithFlags(NULL, der,
	    SEC_CRL_TYPE, CRL_DECODE_DONT_COPY_DER);

	if (crl == NULL)
		return 0;
	SEC_DestroyCrl(crl);
	return 1;
}

int
kd_read_der_certs(const char *name, const unsigned char *der, size_t len,
    struct keydb_certs *out)
{
	SECItem item = { siBuffer, (unsigned char *)der, (unsigned)len };
	SEC_PKCS7ContentInfo *ci;
	PLArenaPool *arena;
	struct keydb_cert c;
	char why[512];
	int rc;

	if ((rc = keydb_decode(der, len, &c)) == KEYDB_OK) {
		if ((rc = kd_certs_push(out, &c)) != KEYDB_OK)
			keydb_cert_clear(&c);
		return rc;
	}
	snprintf(why, sizeof(why), "%s", keydb_error());
	if ((ci = SEC_PKCS7DecodeItem(&item, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL)) != NULL) {
		rc = pkcs7_certs(name, 0, ci, out);
		SEC_PKCS7DestroyContentInfo(ci);
		return rc;
	}
	if ((arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE)) == NULL)
		abort();
	if (is_request(arena, &item))
		rc = kd_fail(KEYDB_EINPUT, "%s: a certificate signing request "
		    "(DER), not a certificate", name);
	else if (is_crl(&item))
		rc = kd_fail(KEYDB_EINPUT, "%s: no certificate in the file, "
		    "only a certificate revocation list (DER)", name);
	else
		rc = kd_fail(KEYDB_EINPUT, "%s: DER: %s", name, why);
	PORT_FreeArena(arena, PR_FALSE);
	return rc;
}
