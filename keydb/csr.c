#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <cryptohi.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <secasn1.h>
#include <secoid.h>

#include "keydb/ident.h"

/* More entries than any real certificate carries: a typo, not a need. */
#define MAX_SAN 100

int
keydb_valid_hostname(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return 0;
		if (c == '-' && label == 0)
			return 0;
		label++;
	}
	return 1;
}

static int
add_name(PLArenaPool *arena, CERTGeneralName **list, CERTGeneralNameType type,
    const void *data, size_t len)
{
	CERTGeneralName *g = PORT_ArenaZNew(arena, CERTGeneralName);

	if (g == NULL ||
	    SECITEM_AllocItem(arena, &g->name.other, (unsigned)len) == NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	memcpy(g->name.other.data, data, len);
	g->type = type;
	if (*list == NULL) {
		PR_INIT_CLIST(&g->l);
		*list = g;
	} else
		PR_INSERT_BEFORE(&g->l, &(*list)->l);	/* at the end */
	return KEYDB_OK;
}

static int
valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return 0;
	return keydb_valid_hostname(at + 1);
}

/* One "TYPE:value" entry of a -san list. */
static int
add_entry(PLArenaPool *arena, CERTGeneralName **list, const char *e)
{
	unsigned char ip[16];
	const char *v = strchr(e, ':');

	if (v == NULL)
		return kd_fail(KEYDB_EINPUT, "subjectAltName entry \"%s\": "
		    "write DNS:name, IP:address or EMAIL:address", e);
	v++;
	if (strncasecmp(e, "DNS:", 4) == 0) {
		/* A wildcard stands only as the whole first label. */
		const char *h = strncmp(v, "*.", 2) == 0 ? v + 2 : v;

		if (!keydb_valid_hostname(h))
			return kd_fail(KEYDB_EINPUT, "subjectAltName entry "
			    "\"%s\": not a valid host name", e);
		return add_name(arena, list, certDNSName, v, strlen(v));
	}
	if (strncasecmp(e, "IP:", 3) == 0) {
		if (inet_pton(AF_INET, v, ip) == 1)
			return add_name(arena, list, certIPAddress, ip, 4);
		if (inet_pton(AF_INET6, v, ip) == 1)
			return add_name(arena, list, certIPAddress, ip, 16);
		return kd_fail(KEYDB_EINPUT, "subjectAltName entry \"%s\": not "
		    "an IPv4 or IPv6 address", e);
	}
	if (strncasecmp(e, "EMAIL:", 6) == 0) {
		if (!valid_email(v))
			return kd_fail(KEYDB_EINPUT, "subjectAltName entry "
			    "\"%s\": not an e-mail address", e);
		return add_name(arena, list, certRFC822Name, v, strlen(v));
	}
	return kd_fail(KEYDB_EINPUT, "subjectAltName entry \"%s\": type must "
	    "be DNS, IP or EMAIL", e);
}

/*
 * The subjectAltName of a request: the host name first (clients match
 * host names against subjectAltName, not the CN), then the -san list.
 */
static int
san_names(PLArenaPool *arena, const char *host, const char *san,
    const char *email, CERTGeneralName **list)
{
	char *copy, *save = NULL;
	int rc = KEYDB_OK, n = 0;

	*list = NULL;
	if (host != NULL && (rc = add_name(arena, list, certDNSName, host,
	    strlen(host))) != KEYDB_OK)
		return rc;
	if (email != NULL) {
		if (!valid_email(email))
			return kd_fail(KEYDB_EINPUT, "e-mail address \"%s\" is "
			    "not valid", email);
		if ((rc = add_name(arena, list, certRFC822Name, email,
		    strlen(email))) != KEYDB_OK)
			return rc;
	}
	if (san == NULL)
		return KEYDB_OK;
	copy = xstrdup(san);
	for (char *e = strtok_r(copy, ",", &save); e != NULL;
	    e = strtok_r(NULL, ",", &save)) {
		while (*e == ' ')
			e++;
		if (*e == '\0')
			continue;
		/* The host name is already there; say it once. */
		if (host != NULL && strncasecmp(e, "DNS:", 4) == 0 &&
		    strcasecmp(e + 4, host) == 0)
			continue;
		if (++n > MAX_SAN) {
			rc = kd_fail(KEYDB_EINPUT, "subjectAltName: more than "
			    "%d entries", MAX_SAN);
			break;
		}
		if ((rc = add_entry(arena, list, e)) != KEYDB_OK)
			break;
	}
	free(copy);
	return rc;
}

int
keydb_check_san(const char *san)
{
	PLArenaPool *arena = PORT_NewArena(1024);
	CERTGeneralName *list;
	int rc;

	if (arena == NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	rc = san_names(arena, NULL, san, NULL, &list);
	PORT_FreeArena(arena, PR_FALSE);
	return rc;
}

int
keydb_check_eku(const char *eku)
{
	if (eku == NULL || strcasecmp(eku, "clientAuth") == 0 ||
	    strcasecmp(eku, "serverAuth") == 0 || strcasecmp(eku, "both") == 0)
		return KEYDB_OK;
	return kd_fail(KEYDB_EINPUT, "extended key usage \"%s\" is not one of "
	    "clientAuth, serverAuth, both", eku);
}

static int
add_eku(PLArenaPool *arena, void *ext, const char *eku)
{
	SECItem *oids[3] = { NULL, NULL, NULL }, **seq = oids;
	SECItem enc = { siBuffer, NULL, 0 };
	int n = 0;

	if (eku == NULL)
		return KEYDB_OK;
	if (strcasecmp(eku, "clientAuth") != 0)
		oids[n++] = &SECOID_FindOIDByTag(
		    SEC_OID_EXT_KEY_USAGE_SERVER_AUTH)->oid;
	if (strcasecmp(eku, "serverAuth") != 0)
		oids[n++] = &SECOID_FindOIDByTag(
		    SEC_OID_EXT_KEY_USAGE_CLIENT_AUTH)->oid;
	if (SEC_ASN1EncodeItem(arena, &enc, &seq,
	    SEC_ASN1_GET(SEC_SequenceOfObjectIDTemplate)) == NULL ||
	    CERT_AddExtension(ext, SEC_OID_X509_EXT_KEY_USAGE, &enc, PR_FALSE,
	    PR_TRUE) != SECSuccess)
		return kd_fail(KEYDB_EDB, "cannot encode extended key usage: "
		    "%s", kd_nsserr());
	return KEYDB_OK;
}

static int
add_rdn(CERTName *name, SECOidTag tag, int type, const char *value)
{
	CERTAVA *ava;
	CERTRDN *rdn;

	if (value == NULL)
		return KEYDB_OK;
	ava = CERT_CreateAVA(name->arena, tag, type, (char *)value);
	if (ava == NULL || (rdn = CERT_CreateRDN(name->arena, ava, NULL)) ==
	    NULL || CERT_AddRDN(name, rdn) != SECSuccess)
		return kd_fail(KEYDB_EINPUT, "cannot encode \"%s\" in the "
		    "subject: %s", value, kd_nsserr());
	return KEYDB_OK;
}

/*
 * C, ST, L, O, OU, CN: the order of the fields of "sslcfg -gen csr" on
 * the Lenovo Flex System Chassis Management Module (dsmcert(1), -gen csr).
 */
static int
subject(const struct keydb_csr *r, CERTName **out)
{
	CERTName *name = CERT_CreateName(NULL);
	int rc;

	*out = NULL;
	if (name == NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	if ((rc = add_rdn(name, SEC_OID_AVA_COUNTRY_NAME,
	    SEC_ASN1_PRINTABLE_STRING, r->country)) != KEYDB_OK ||
	    (rc = add_rdn(name, SEC_OID_AVA_STATE_OR_PROVINCE,
	    SEC_ASN1_UTF8_STRING, r->state)) != KEYDB_OK ||
	    (rc = add_rdn(name, SEC_OID_AVA_LOCALITY,
	    SEC_ASN1_UTF8_STRING, r->city)) != KEYDB_OK ||
	    (rc = add_rdn(name, SEC_OID_AVA_ORGANIZATION_NAME,
	    SEC_ASN1_UTF8_STRING, r->org)) != KEYDB_OK ||
	    (rc = add_rdn(name, SEC_OID_AVA_ORGANIZATIONAL_UNIT_NAME,
	    SEC_ASN1_UTF8_STRING, r->orgunit)) != KEYDB_OK ||
	    (rc = add_rdn(name, SEC_OID_AVA_COMMON_NAME,
	    SEC_ASN1_UTF8_STRING, r->host)) != KEYDB_OK) {
		CERT_DestroyName(name);
		return rc;
	}
	*out = name;
	return KEYDB_OK;
}

/*
 * The end of every request: the attributes finished (rc says how adding
 * the extensions went), the request encoded and signed with priv into
 * out. Takes req over.
 */
int
kd_csr_sign(PLArenaPool *arena, CERTCertificateRequest *req, void *ext,
    int rc, SECKEYPrivateKey *priv, SECItem *out)
{
	SECItem *der;

	CERT_FinishExtensions(ext);
	if (rc == KEYDB_OK &&
	    CERT_FinishCertificateRequestAttributes(req) != SECSuccess)
		rc = kd_fail(KEYDB_EDB, "cannot encode attributes: %s",
		    kd_nsserr());
	der = rc != KEYDB_OK ? NULL : SEC_ASN1EncodeItem(arena, NULL, req,
	    SEC_ASN1_GET(CERT_CertificateRequestTemplate));
	CERT_DestroyCertificateRequest(req);
	if (rc != KEYDB_OK)
		return rc;
	if (der == NULL)
		return kd_fail(KEYDB_EDB, "cannot encode the request: %s",
		    kd_nsserr());
	if (SEC_DerSignData(arena, out, der->data, der->len, priv,
	    SEC_GetSignatureAlgorithmOidTag(priv->keyType, SEC_OID_SHA256)) !=
	    SECSuccess)
		return kd_fail(KEYDB_EDB, "cannot sign the request: %s",
		    kd_nsserr());
	return KEYDB_OK;
}

/*
 * After building a request (rc): its PEM in *pem, or, when it failed,
 * the key pair made for it removed, so that no key is left without the
 * request that would certify it.
 */
int
kd_csr_pem(int rc, SECKEYPrivateKey **priv, SECKEYPublicKey **pub,
    SECItem *signedreq, char **pem)
{
	if (rc != KEYDB_OK) {
		PK11_DeleteTokenPrivateKey(*priv, PR_TRUE);
		*priv = NULL;
		PK11_DeleteTokenPublicKey(*pub);
		*pub = NULL;
		return rc;
	}
	if ((*pem = kd_armour("CERTIFICATE REQUEST", signedreq)) == NULL)
		return kd_fail(KEYDB_EDB, "cannot encode the request: %s",
		    kd_nsserr());
	return KEYDB_OK;
}

static int
build(PLArenaPool *arena, const struct keydb_csr *r, CERTName *name,
    SECKEYPrivateKey *priv, SECKEYPublicKey *pub, SECItem *out)
{
	CERTSubjectPublicKeyInfo *spki;
	CERTCertificateRequest *req;
	CERTGeneralName *names;
	SECItem san = { siBuffer, NULL, 0 };
	void *ext;
	int rc;

	if ((rc = san_names(arena, r->host, r->san, r->email, &names)) !=
	    KEYDB_OK)
		return rc;
	if (CERT_EncodeAltNameExtension(arena, names, &san) != SECSuccess)
		return kd_fail(KEYDB_EINPUT, "cannot encode subjectAltName: "
		    "%s", kd_nsserr());
	if ((spki = SECKEY_CreateSubjectPublicKeyInfo(pub)) == NULL)
		return kd_fail(KEYDB_EDB, "no public key info: %s",
		    kd_nsserr());
	req = CERT_CreateCertificateRequest(name, spki, NULL);
	SECKEY_DestroySubjectPublicKeyInfo(spki);
	if (req == NULL)
		return kd_fail(KEYDB_EDB, "cannot make a request: %s",
		    kd_nsserr());
	if ((ext = CERT_StartCertificateRequestAttributes(req)) == NULL) {
		CERT_DestroyCertificateRequest(req);
		return kd_fail(KEYDB_EDB, "cannot add attributes: %s",
		    kd_nsserr());
	}
	if (CERT_AddExtension(ext, SEC_OID_X509_SUBJECT_ALT_NAME, &san,
	    PR_FALSE, PR_TRUE) != SECSuccess)
		rc = kd_fail(KEYDB_EDB, "cannot add subjectAltName: %s",
		    kd_nsserr());
	else
		rc = add_eku(arena, ext, r->eku);
	return kd_csr_sign(arena, req, ext, rc, priv, out);
}

int
keydb_gen_csr(struct keydb *db, const struct keydb_csr *r, char **pem)
{
	PLArenaPool *arena = PORT_NewArena(2048);
	SECKEYPrivateKey *priv = NULL;
	SECKEYPublicKey *pub = NULL;
	CERTName *name = NULL;
	SECItem signedreq = { siBuffer, NULL, 0 };
	int rc;

	*pem = NULL;
	if (arena == NULL)
		return kd_fail(KEYDB_EDB, "out of memory");
	/* Everything that can be refused is refused before the key exists. */
	if ((rc = keydb_check_eku(r->eku)) != KEYDB_OK ||
	    (rc = keydb_check_san(r->san)) != KEYDB_OK ||
	    (rc = subject(r, &name)) != KEYDB_OK ||
	    (rc = kd_label_free(db, r->label)) != KEYDB_OK)
		goto out;
	if ((rc = kd_keygen(db, r->keytype, r->label, &priv, &pub)) !=
	    KEYDB_OK)
		goto out;
	rc = kd_csr_pem(build(arena, r, name, priv, pub, &signedreq), &priv,
	    &pub, &signedreq, pem);
out:
	if (priv != NULL)
		SECKEY_DestroyPrivateKey(priv);
	if (pub != NULL)
		SECKEY_DestroyPublicKey(pub);
	if (name != NULL)
		CERT_DestroyName(name);
	PORT_FreeArena(arena, PR_FALSE);
	return rc;
}
