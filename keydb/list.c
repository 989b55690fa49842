#include <stdlib.h>
#include <string.h>

#include <pk11pub.h>
#include <pkcs11n.h>
#include <secitem.h>

#include "keydb/internal.h"

/* A trust object's values, keyed like its certificate. */
struct trust_obj {
	SECItem issuer, serial;
	CK_ULONG server, email, code, client;
};

static SECItem
as_item(const CK_ATTRIBUTE *a)
{
	SECItem it = { siBuffer, a->pValue, (unsigned)a->ulValueLen };

	return it;
}

static CK_ULONG
as_ulong(const CK_ATTRIBUTE *a)
{
	CK_ULONG v = CKT_NSS_TRUST_UNKNOWN;

	if (a->ulValueLen == sizeof(CK_ULONG))
		memcpy(&v, a->pValue, sizeof(v));
	return v;
}

static int
cmp_items(const SECItem *a, const SECItem *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->len == 0 ? 0 : memcmp(a->data, b->data, a->len);
}

/* Trust objects sorted by serial, then issuer, for a binary search. */
static int
cmp_trust(const void *x, const void *y)
{
	const struct trust_obj *a = x, *b = y;
	int r = cmp_items(&a->serial, &b->serial);

	return r != 0 ? r : cmp_items(&a->issuer, &b->issuer);
}

/*
 * certutil's letters for one usage. The mapping follows NSS's own
 * conversion of PKCS#11 trust into certdb flags and certutil's printing
 * of them: p/P peer, c/C CA, T client CA, u user.
 *
 * NSS has no public call for this. CERT_EncodeTrustString is declared
 * in cert.h but libnss3 does not export it (nm -D libnss3.so has only
 * CERT_DecodeTrustString), and the conversion of a trust object into a
 * CERTCertTrust runs only inside CERT_GetCertTrust, on a CERTCertificate:
 * a lookup per certificate (its trust object found again by issuer and
 * serial) that reading the objects directly here is meant to avoid.
 */
static void
letters(char *s, CK_ULONG t, CK_ULONG client, int user)
{
	if (t == CKT_NSS_VALID_DELEGATOR && client != CKT_NSS_TRUSTED_DELEGATOR)
		strcat(s, "c");
	if (t == CKT_NSS_NOT_TRUSTED)
		strcat(s, "p");
	if (t == CKT_NSS_TRUSTED_DELEGATOR)
		strcat(s, "C");
	if (client == CKT_NSS_TRUSTED_DELEGATOR)
		strcat(s, "T");
	if (t == CKT_NSS_TRUSTED)
		strcat(s, "P");
	if (user)
		strcat(s, "u");
}

static char *
trust_string(const struct trust_obj *t, int user)
{
	char s[64] = "";
	CK_ULONG none = CKT_NSS_TRUST_UNKNOWN;

	if (t != NULL)
		letters(s, t->server, t->client, user);
	else if (user)
		strcat(s, "u");
	strcat(s, ",");
	letters(s, t ? t->email : none, none, user);
	strcat(s, ",");
	letters(s, t ? t->code : none, none, user);
	return xstrdup(s);
}

static int
cmp_cert(const void *a, const void *b)
{
	const struct keydb_cert *x = a, *y = b;
	int r = strcmp(x->label ? x->label : "", y->label ? y->label : "");

	return r != 0 ? r : strcmp(x->sha256, y->sha256);
}

static struct trust_obj *
read_trust(struct kd_objs *p, PLArenaPool *arena, size_t *nt)
{
	CK_OBJECT_HANDLE *h;
	struct trust_obj *tv = NULL;
	size_t n;

	*nt = 0;
	if ((h = kd_objs_find(p, CKO_NSS_TRUST, &n)) == NULL)
		return NULL;
	if (n > 0)
		tv = xcalloc(n, sizeof(*tv));
	for (size_t i = 0; i < n; i++) {
		CK_ATTRIBUTE t[] = {
			{ CKA_ISSUER, NULL, 0 },
			{ CKA_SERIAL_NUMBER, NULL, 0 },
			{ CKA_TRUST_SERVER_AUTH, NULL, sizeof(CK_ULONG) },
			{ CKA_TRUST_CLIENT_AUTH, NULL, sizeof(CK_ULONG) },
			{ CKA_TRUST_EMAIL_PROTECTION, NULL, sizeof(CK_ULONG) },
			{ CKA_TRUST_CODE_SIGNING, NULL, sizeof(CK_ULONG) },
		};
		struct trust_obj *v = &tv[*nt];

		if (kd_objs_read(p, arena, h[i], t, 6) != 0)
			continue;
		v->issuer = as_item(&t[0]);
		v->serial = as_item(&t[1]);
		v->server = as_ulong(&t[2]);
		v->client = as_ulong(&t[3]);
		v->email = as_ulong(&t[4]);
		v->code = as_ulong(&t[5]);
		(*nt)++;
	}
	free(h);
	if (*nt > 1)
		qsort(tv, *nt, sizeof(*tv), cmp_trust);
	return tv;
}

/* Private keys are visible only when logged in; fine for 'u'. */
static SECItem *
read_keyids(struct kd_objs *p, PLArenaPool *arena, size_t *nk)
{
	CK_OBJECT_HANDLE *h;
	SECItem *ids = NULL;
	size_t n;

	*nk = 0;
	if ((h = kd_objs_find(p, CKO_PRIVATE_KEY, &n)) == NULL)
		return NULL;
	if (n > 0)
		ids = xcalloc(n, sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		CK_ATTRIBUTE t = { CKA_ID, NULL, 0 };

		if (kd_objs_read(p, arena, h[i], &t, 1) == 0)
			ids[(*nk)++] = as_item(&t);
	}
	free(h);
	return ids;
}

/*
 * Walk the token's certificate, trust and key objects directly: exact
 * objects, no nickname lookups, one token query per object. Reading a
 * trust object costs the softoken five queries (its values' signatures
 * are checked in key4.db), a certificate one, so trust and keys are read
 * only for callers that show them.
 */
static int
walk(struct keydb *db, struct keydb_certs *out, int with_trust)
{
	CK_OBJECT_HANDLE *h;
	struct trust_obj *tv = NULL;
	struct kd_objs p;
	SECItem *keyids = NULL;
	PLArenaPool *arena;
	size_t nt = 0, nk = 0, n;
	CK_RV rv;

	memset(out, 0, sizeof(*out));
	if (!db->exists)
		return KEYDB_OK;
	if ((rv = kd_objs_open(db, &p)) != CKR_OK)
		return kd_fail(KEYDB_EDB, "%s: cannot open a session on the "
		    "key database: PKCS#11 error 0x%lx", db->dir,
		    (unsigned long)rv);
	if ((arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE)) == NULL)
		abort();
	if (with_trust) {
		tv = read_trust(&p, arena, &nt);
		keyids = read_keyids(&p, arena, &nk);
	}
	h = kd_objs_find(&p, CKO_CERTIFICATE, &n);
	if (n > 0)
		out->v = xcalloc(n, sizeof(*out->v));
	for (size_t i = 0; i < n; i++) {
		CK_ATTRIBUTE a[] = {
			{ CKA_VALUE, NULL, 0 },
			{ CKA_LABEL, NULL, 0 },
			{ CKA_ISSUER, NULL, 0 },
			{ CKA_SERIAL_NUMBER, NULL, 0 },
			{ CKA_ID, NULL, 0 },
		};
		/* Only issuer and serial are compared; the rest is zero. */
		struct trust_obj key = { 0 }, *t = NULL;
		struct keydb_cert c;
		SECItem id;
		int user = 0;
		/* What is read here is done with once c holds it. */
		void *mark = PORT_ArenaMark(arena);

		if (kd_objs_read(&p, arena, h[i], a, nk > 0 ? 5 : 4) != 0 ||
		    keydb_decode(a[0].pValue, a[0].ulValueLen, &c) != KEYDB_OK) {
			PORT_ArenaRelease(arena, mark);
			continue;	/* a foreign object we cannot read */
		}
		c.label = xmalloc(a[1].ulValueLen + 1);
		if (a[1].ulValueLen > 0)
			memcpy(c.label, a[1].pValue, a[1].ulValueLen);
		c.label[a[1].ulValueLen] = '\0';
		key.issuer = as_item(&a[2]);
		key.serial = as_item(&a[3]);
		if (nt > 0)
			t = bsearch(&key, tv, nt, sizeof(*tv), cmp_trust);
		if (nk > 0) {
			id = as_item(&a[4]);
			for (size_t k = 0; k < nk && !user; k++)
				user = SECITEM_ItemsAreEqual(&id, &keyids[k]);
		}
		c.has_key = user;
		c.trust = with_trust ? trust_string(t, user) : NULL;
		out->v[out->n++] = c;
		PORT_ArenaRelease(arena, mark);
	}
	free(h);
	free(tv);
	free(keyids);
	rv = p.err;
	kd_objs_close(&p);
	PORT_FreeArena(arena, PR_FALSE);
	/* A damaged file must not read as an empty database. */
	if (rv == CKR_USER_NOT_LOGGED_IN || rv == CKR_PIN_INCORRECT ||
	    rv == CKR_PIN_EXPIRED) {
		/* Sound, but locked: never call it damaged. */
		keydb_certs_free(out);
		return kd_fail(KEYDB_EAUTH, "%s: the key database needs its "
		    "password to be read (PKCS#11 error 0x%lx); give it with "
		    "-pwfile or a stash file", db->dir, (unsigned long)rv);
	}
	if (rv != CKR_OK) {
		keydb_certs_free(out);
		return kd_fail(KEYDB_EDB, "%s: the key database cannot be read "
		    "(PKCS#11 error 0x%lx): cert9.db or key4.db is damaged; "
		    "restore them from a backup", db->dir, (unsigned long)rv);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_cert);
	return KEYDB_OK;
}

int
keydb_list(struct keydb *db, struct keydb_certs *out)
{
	return walk(db, out, 1);
}

int
keydb_list_certs(struct keydb *db, struct keydb_certs *out)
{
	return walk(db, out, 0);
}
