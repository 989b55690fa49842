#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cert.h>
#include <certdb.h>
#include <ciferfam.h>
#include <nss.h>
#include <p12.h>
#include <p12plcy.h>
#include <pk11pub.h>
#include <secerr.h>

#include "keydb/ident.h"

#define MAX_P12 (16 << 20)

/* The file's password, as a NUL-terminated item. */
static int
p12_password(const char *path, SECItem *pw)
{
	char *s;
	size_t n;
	int rc;

	memset(pw, 0, sizeof(*pw));
	if (path == NULL)
		return kd_fail(KEYDB_EINPUT, "a PKCS#12 file needs a password "
		    "file");
	if ((rc = kd_secret(path, "password", KEYDB_EINPUT, &s)) != KEYDB_OK)
		return rc;
	n = strlen(s);
	if (SECITEM_AllocItem(NULL, pw, (unsigned)n + 1) == NULL)
		abort();
	memcpy(pw->data, s, n + 1);
	cm_secret_free(s);
	return KEYDB_OK;
}

/* PKCS#12 passwords are big-endian UCS-2 with a final NUL. */
static int
p12_unicode(const SECItem *pw, SECItem *uni)
{
	unsigned max = pw->len * 4 + 2;

	memset(uni, 0, sizeof(*uni));
	if (SECITEM_AllocItem(NULL, uni, max) == NULL)
		abort();
	if (!PORT_UCS2_UTF8Conversion(PR_TRUE, pw->data, pw->len, uni->data,
	    max, &uni->len)) {
		SECITEM_ZfreeItem(uni, PR_FALSE);
		return kd_fail(KEYDB_EINPUT, "the PKCS#12 password is not "
		    "UTF-8 text");
	}
	return KEYDB_OK;
}

/*
 * NSS leaves the UCS-2 conversion of PKCS#12 passwords and names to the
 * application. UTF-8 is the text; byte order is swapped on the way back
 * when NSS asks for it.
 */
static PRBool
ucs2_utf8(PRBool to_unicode, unsigned char *in, unsigned int inlen,
    unsigned char *out, unsigned int max, unsigned int *outlen, PRBool swap)
{
	unsigned char *tmp = NULL;
	PRBool ok;

	if (!to_unicode && swap) {
		if (inlen % 2 != 0)
			return PR_FALSE;
		tmp = xmalloc(inlen + 1);
		for (unsigned int i = 0; i < inlen; i += 2) {
			tmp[i] = in[i + 1];
			tmp[i + 1] = in[i];
		}
		in = tmp;
	}
	ok = PORT_UCS2_UTF8Conversion(to_unicode, in, inlen, out, max, outlen);
	if (tmp != NULL) {
		explicit_bzero(tmp, inlen);
		free(tmp);
	}
	return ok;
}

static void
p12_ciphers(void)
{
	PORT_SetUCS2_ASCIIConversionFunction(ucs2_utf8);
	SEC_PKCS12EnableCipher(PKCS12_AES_CBC_128, 1);
	SEC_PKCS12EnableCipher(PKCS12_AES_CBC_192, 1);
	SEC_PKCS12EnableCipher(PKCS12_AES_CBC_256, 1);
	SEC_PKCS12EnableCipher(PKCS12_DES_EDE3_168, 1);
	SEC_PKCS12SetPreferredCipher(PKCS12_AES_CBC_256, 1);
}

static int
slurp(const char *path, SECItem *out)
{
	char *buf;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kd_read(path, MAX_P12, &buf, &len)) != KEYDB_OK)
		return rc;
	if (len == 0) {
		free(buf);
		return kd_fail(KEYDB_EINPUT, "%s: empty, not a PKCS#12 file",
		    path);
	}
	if (SECITEM_AllocItem(NULL, out, (unsigned)len) == NULL)
		abort();
	memcpy(out->data, buf, len);
	free(buf);
	return KEYDB_OK;
}

struct naming {
	const char *label;	/* for the certificate with the key */
	CERTCertList *certs;	/* every certificate in the file */
};

/*
 * The end of the chain: no other certificate in the file was issued by
 * it. That is the certificate with the key, CA bit or not (openssl
 * marks its self-signed certificates as CAs).
 */
static int
is_leaf(CERTCertList *l, const CERTCertificate *c)
{
	CERTCertListNode *n;

	if (l == NULL)
		return 0;
	for (n = CERT_LIST_HEAD(l); !CERT_LIST_END(n, l);
	    n = CERT_LIST_NEXT(n))
		if (!SECITEM_ItemsAreEqual(&n->cert->derCert, &c->derCert) &&
		    SECITEM_ItemsAreEqual(&n->cert->derIssuer,
		    &c->derSubject))
			return 0;
	return 1;
}

/* NSS reads a nickname item as a C string: NUL after len. */
static SECItem *
nick_item(const char *s)
{
	SECItem *it = SECITEM_AllocItem(NULL, NULL, (unsigned)strlen(s) + 1);

	if (it == NULL)
		return NULL;
	memcpy(it->data, s, it->len);
	it->len--;
	return it;
}

/* A certificate without a name gets its CN; -label names the leaf. */
static SECItem * PR_CALLBACK
collision(SECItem *old, PRBool *cancel, void *arg)
{
	CERTCertificate *cert = arg;
	char *cn;
	SECItem *nick;

	*cancel = PR_FALSE;
	if (old != NULL && old->data != NULL) {
		/* A different certificate holds that name: refuse. */
		*cancel = PR_TRUE;
		return NULL;
	}
	cn = cert != NULL ? CERT_GetCommonName(&cert->subject) : NULL;
	if (cn == NULL)
		cn = PORT_Strdup("imported");
	nick = nick_item(cn);
	PORT_Free(cn);
	return nick;
}

static SECStatus PR_CALLBACK
rename_leaf(const CERTCertificate *cert, const SECItem *dflt, SECItem **nick,
    void *arg)
{
	const struct naming *n = arg;

	(void)dflt;
	*nick = NULL;
	if (n->label == NULL || !is_leaf(n->certs, cert))
		return SECSuccess;
	*nick = nick_item(n->label);
	return *nick != NULL ? SECSuccess : SECFailure;
}

/*
 * Decode and verify with the password, trying the other password
 * encoding as pk12util does: files made by other tools differ in
 * whether the PBES2 password is UCS-2 or UTF-8.
 */
static int
p12_open(struct keydb *db, const char *path, const SECItem *file,
    SECItem *uni, SEC_PKCS12DecoderContext **out)
{
	PRInt32 force = 0;
	int tries;

	*out = NULL;
	NSS_OptionGet(__NSS_PKCS12_DECODE_FORCE_UNICODE, &force);
	for (tries = 0; tries < 3; tries++) {
		SEC_PKCS12DecoderContext *dcx;
		int e;

		dcx = SEC_PKCS12DecoderStart(uni, db->slot, NULL, NULL, NULL,
		    NULL, NULL, NULL);
		if (dcx == NULL)
			break;
		if (SEC_PKCS12DecoderUpdate(dcx, file->data, file->len) ==
		    SECSuccess &&
		    SEC_PKCS12DecoderVerify(dcx) == SECSuccess) {
			NSS_OptionSet(__NSS_PKCS12_DECODE_FORCE_UNICODE, force);
			*out = dcx;
			return KEYDB_OK;
		}
		e = PORT_GetError();
		SEC_PKCS12DecoderFinish(dcx);
		if (e != SEC_ERROR_BAD_PASSWORD && e != SEC_ERROR_PKCS12_INVALID_MAC &&
		    e != SEC_ERROR_BAD_DER && tries == 0 && uni->len != 2) {
			NSS_OptionSet(__NSS_PKCS12_DECODE_FORCE_UNICODE, force);
			PORT_SetError(e);
			return kd_fail(KEYDB_EINPUT, "%s: not a PKCS#12 file "
			    "NSS can read: %s", path, kd_nsserr());
		}
		if (uni->len == 2)
			uni->len = 0;	/* empty: also try no password */
		else
			NSS_OptionSet(__NSS_PKCS12_DECODE_FORCE_UNICODE,
			    !force);
	}
	NSS_OptionSet(__NSS_PKCS12_DECODE_FORCE_UNICODE, force);
	return kd_fail(KEYDB_EINPUT, "%s: wrong password, or the file is "
	    "damaged (the integrity check failed)", path);
}

static int
collect(SEC_PKCS12DecoderContext *dcx, struct keydb_certs *imported)
{
	CERTCertList *l = SEC_PKCS12DecoderGetCerts(dcx);
	CERTCertListNode *n;
	CERTCertTrust ca;

	CERT_DecodeTrustString(&ca, "C,,");
	if (l == NULL)
		return KEYDB_OK;
	for (n = CERT_LIST_HEAD(l); !CERT_LIST_END(n, l);
	    n = CERT_LIST_NEXT(n)) {
		CERTCertificate *in = CERT_FindCertByDERCert(
		    CERT_GetDefaultCertDB(), &n->cert->derCert);
		struct keydb_cert c;
		struct keydb_cert *v;

		if (in == NULL)
			continue;
		/* A chain's CA is trusted as -add trusts a CA . */
		if (CERT_IsCACert(in, NULL) && !is_leaf(l, in))
			CERT_ChangeCertTrust(CERT_GetDefaultCertDB(), in, &ca);
		if (keydb_decode(in->derCert.data, in->derCert.len, &c) ==
		    KEYDB_OK) {
			c.label = xstrdup(in->nickname != NULL ?
			    in->nickname : "");
			v = xreallocarray(imported->v, imported->n + 1,
			    sizeof(*v));
			imported->v = v;
			imported->v[imported->n++] = c;
		}
		CERT_DestroyCertificate(in);
	}
	CERT_DestroyCertList(l);
	return KEYDB_OK;
}

/*
 * The password, the file, and a decoder on it that the password opens:
 * what importing and reading both start with. The caller frees pw, uni
 * and file (zeroed first) and finishes *dcx.
 */
static int
p12_start(struct keydb *db, const char *path, const char *pwfile,
    SECItem *pw, SECItem *uni, SECItem *file, SEC_PKCS12DecoderContext **dcx)
{
	int rc;

	if ((rc = p12_password(pwfile, pw)) != KEYDB_OK ||
	    (rc = slurp(path, file)) != KEYDB_OK ||
	    (rc = p12_unicode(pw, uni)) != KEYDB_OK)
		return rc;
	p12_ciphers();
	return p12_open(db, path, file, uni, dcx);
}

int
keydb_pkcs12_import(struct keydb *db, const char *path, const char *pwfile,
    const char *label, struct keydb_certs *imported)
{
	struct naming naming = { label, NULL };
	SEC_PKCS12DecoderContext *dcx = NULL;
	SECItem file = { 0 }, pw = { 0 }, uni = { siBuffer, NULL, 0 };
	int rc;

	memset(imported, 0, sizeof(*imported));
	/* First pass: nothing written until the password is known good. */
	if ((rc = p12_start(db, path, pwfile, &pw, &uni, &file, &dcx)) !=
	    KEYDB_OK)
		goto out;
	SEC_PKCS12DecoderFinish(dcx);
	dcx = NULL;
	if (label != NULL && (rc = kd_label_free(db, label)) != KEYDB_OK)
		goto out;
	if ((rc = kd_ensure_created(db)) != KEYDB_OK)
		goto out;
	if (uni.len == 0)
		uni.len = 2;
	if ((rc = p12_open(db, path, &file, &uni, &dcx)) != KEYDB_OK)
		goto out;
	/* Renamed before validation, so that the key takes the name too. */
	if ((naming.certs = SEC_PKCS12DecoderGetCerts(dcx)) == NULL ||
	    (label != NULL && SEC_PKCS12DecoderRenameCertNicknames(dcx,
	    rename_leaf, &naming) != SECSuccess) ||
	    SEC_PKCS12DecoderValidateBags(dcx, collision) != SECSuccess) {
		rc = kd_fail(KEYDB_EINPUT, "%s: cannot import: %s (a label in "
		    "the file may already name another certificate; give "
		    "-label)", path, kd_nsserr());
		goto out;
	}
	if (SEC_PKCS12DecoderImportBags(dcx) != SECSuccess) {
		rc = kd_fail(KEYDB_EDB, "%s: cannot import into %s: %s", path,
		    db->dir, kd_nsserr());
		goto out;
	}
	rc = collect(dcx, imported);
out:
	if (naming.certs != NULL)
		CERT_DestroyCertList(naming.certs);
	if (dcx != NULL)
		SEC_PKCS12DecoderFinish(dcx);
	SECITEM_ZfreeItem(&pw, PR_FALSE);
	SECITEM_ZfreeItem(&uni, PR_FALSE);
	SECITEM_FreeItem(&file, PR_FALSE);
	return rc;
}

/*
 * The certificates in the file, in file order, decoded; has_key marks
 * those the file holds a private key for. Nothing is written.
 */
int
keydb_pkcs12_read(struct keydb *db, const char *path, const char *pwfile,
    struct keydb_certs *out)
{
	SEC_PKCS12DecoderContext *dcx = NULL;
	const SEC_PKCS12DecoderItem *it;
	SECItem file = { 0 }, pw = { 0 }, uni = { siBuffer, NULL, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = p12_start(db, path, pwfile, &pw, &uni, &file, &dcx)) !=
	    KEYDB_OK)
		goto out;
	if (SEC_PKCS12DecoderIterateInit(dcx) != SECSuccess) {
		rc = kd_fail(KEYDB_EINPUT, "%s: cannot read: %s", path,
		    kd_nsserr());
		goto out;
	}
	while (SEC_PKCS12DecoderIterateNext(dcx, &it) == SECSuccess) {
		struct keydb_cert c;

		if (it->type != SEC_OID_PKCS12_V1_CERT_BAG_ID ||
		    it->der == NULL)
			continue;
		if ((rc = keydb_decode(it->der->data, it->der->len, &c)) !=
		    KEYDB_OK) {
			char why[512];

			snprintf(why, sizeof(why), "%s", keydb_error());
			rc = kd_fail(rc, "%s: %s", path, why);
			goto out;
		}
		c.has_key = it->hasKey;
		if ((rc = kd_certs_push(out, &c)) != KEYDB_OK) {
			keydb_cert_clear(&c);
			goto out;
		}
	}
	if (out->n == 0)
		rc = kd_fail(KEYDB_EINPUT, "%s: no certificate in the PKCS#12 "
		    "file", path);
out:
	if (rc != KEYDB_OK)
		keydb_certs_free(out);
	if (dcx != NULL)
		SEC_PKCS12DecoderFinish(dcx);
	SECITEM_ZfreeItem(&pw, PR_FALSE);
	SECITEM_ZfreeItem(&uni, PR_FALSE);
	SECITEM_FreeItem(&file, PR_FALSE);
	return rc;
}

struct growbuf {
	unsigned char *p;
	size_t n;
};

static void PR_CALLBACK
append(void *arg, const char *buf, unsigned long len)
{
	struct growbuf *g = arg;

	g->p = xreallocarray(g->p, g->n + len, 1);
	memcpy(g->p + g->n, buf, len);
	g->n += len;
}

int
keydb_pkcs12_export(struct keydb *db, const struct keydb_cert *c,
    const char *pwfile, unsigned char **out, size_t *outlen)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	SEC_PKCS12ExportContext *ecx = NULL;
	SEC_PKCS12SafeInfo *keysafe, *certsafe;
	SECKEYPrivateKey *key = NULL;
	CERTCertificate *cert;
	struct growbuf g = { NULL, 0 };
	const char *step;
	SECItem pw;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = p12_password(pwfile, &pw)) != KEYDB_OK)
		return rc;
	/* UTF-8 without the NUL: what openssl and gnutls expect of PBES2. */
	pw.len--;
	cert = CERT_FindCertByDERCert(CERT_GetDefaultCertDB(), &der);
	if (cert == NULL || (key = PK11_FindKeyByAnyCert(cert, NULL)) ==
	    NULL) {
		rc = kd_fail(KEYDB_ENOTFOUND, "\"%s\" (SHA-256 %s): no private "
		    "key for it in %s; PKCS#12 holds a key", c->label,
		    c->sha256, db->dir);
		goto out;
	}
	p12_ciphers();
	step = "context";
	if ((ecx = SEC_PKCS12CreateExportContext(NULL, NULL, cert->slot,
	    NULL)) == NULL)
		goto fail;
	step = "integrity";
	if (SEC_PKCS12AddPasswordIntegrity(ecx, &pw, SEC_OID_SHA256) !=
	    SECSuccess)
		goto fail;
	step = "safes";
	if ((keysafe = SEC_PKCS12CreateUnencryptedSafe(ecx)) == NULL ||
	    (certsafe = SEC_PKCS12CreatePasswordPrivSafe(ecx, &pw,
	    SEC_OID_AES_128_CBC)) == NULL)
		goto fail;
	step = "key";
	if (SEC_PKCS12AddCertAndKey(ecx, certsafe, NULL, cert,
	    CERT_GetDefaultCertDB(), keysafe, NULL, PR_TRUE, &pw,
	    SEC_OID_AES_256_CBC) != SECSuccess)
		goto fail;
	step = "encoding";
	if (SEC_PKCS12Encode(ecx, append, &g) != SECSuccess)
		goto fail;
	*out = g.p;
	*outlen = g.n;
	rc = KEYDB_OK;
	goto out;
fail:
	rc = kd_fail(KEYDB_EDB, "\"%s\" (SHA-256 %s): cannot make PKCS#12 "
	    "(%s): %s", c->label, c->sha256, step, kd_nsserr());
	free(g.p);
out:
	if (ecx != NULL)
		SEC_PKCS12DestroyExportContext(ecx);
	if (key != NULL)
		SECKEY_DestroyPrivateKey(key);
	if (cert != NULL)
		CERT_DestroyCertificate(cert);
	pw.len++;
	SECITEM_ZfreeItem(&pw, PR_FALSE);
	return rc;
}
