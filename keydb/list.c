#include <stdlib.h>
#include <string.h>

#include <pk11pub.h>
#include <pkcs11n.h>
#include <secitem.h>

#include "keydb/internal.h"

int
kd_read_attr(void *obj, unsigned long type, SECItem *out)
{
	memset(out, 0, sizeof(*out));
	if (PK11_ReadRawAttribute(PK11_TypeGeneric, obj, type, out) !=
	    SECSuccess) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

/* A trust object's values, keyed like its certificate. */
struct trust_obj {
	SECItem issuer, serial;
	CK_ULONG server, email, code, client;
};

/*
 * Read several attributes of an object in one call, into arena: one
 * database query per object instead of one per attribute. A token that
 * will not give them together gets asked one at a time.
 */
static int
read_attrs(PLArenaPool *arena, void *obj, CK_ATTRIBUTE *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		t[i].pValue = NULL;
		t[i].ulValueLen = 0;
	}
	if (PK11_ReadRawAttributes(arena, PK11_TypeGeneric, obj, t, n) ==
	    SECSuccess)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		SECItem it, *copy;

		if (kd_read_attr(obj, t[i].type, &it) != 0)
			return -1;
		copy = SECITEM_ArenaDupItem(arena, &it);
		SECITEM_FreeItem(&it, PR_FALSE);
		if (copy == NULL)
			abort();
		t[i].pValue = copy->data;
		t[i].ulValueLen = copy->len;
	}
	return 0;
}

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
	return kd_strdup(s);
}

static int
cmp_cert(const void *a, const void *b)
{
	const struct keydb_cert *x = a, *y = b;
	int r = strcmp(x->label ? x->label : "", y->label ? y->label : "");

	return r != 0 ? r : strcmp(x->sha256, y->sha256);
}

/*
 * Walk the token's certificate, trust and key objects directly: exact
 * objects, no nickname lookups, no database query per certificate.
 * A trust object costs softoken three times the database queries of a
 * certificate, so trust and keys are read only for callers that show
 * them.
 */
static int
walk(struct keydb *db, struct keydb_certs *out, int with_trust)
{
	PK11GenericObject *certs, *trusts = NULL, *keys = NULL, *o;
	struct trust_obj *tv = NULL;
	SECItem *keyids = NULL;
	PLArenaPool *arena;
	size_t nt = 0, nk = 0;

	memset(out, 0, sizeof(*out));
	if (!db->exists)
		return KEYDB_OK;
	if ((arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE)) == NULL)
		abort();

	if (with_trust)
		trusts = PK11_FindGenericObjects(db->slot, CKO_NSS_TRUST);
	for (o = trusts; o != NULL; o = PK11_GetNextGenericObject(o))
		nt++;
	if (nt > 0 && (tv = calloc(nt, sizeof(*tv))) == NULL)
		abort();
	nt = 0;
	for (o = trusts; o != NULL; o = PK11_GetNextGenericObject(o)) {
		CK_ATTRIBUTE t[] = {
			{ CKA_ISSUER, NULL, 0 },
			{ CKA_SERIAL_NUMBER, NULL, 0 },
			{ CKA_TRUST_SERVER_AUTH, NULL, 0 },
			{ CKA_TRUST_CLIENT_AUTH, NULL, 0 },
			{ CKA_TRUST_EMAIL_PROTECTION, NULL, 0 },
			{ CKA_TRUST_CODE_SIGNING, NULL, 0 },
		};

		if (read_attrs(arena, o, t, 6) != 0)
			continue;
		tv[nt].issuer = as_item(&t[0]);
		tv[nt].serial = as_item(&t[1]);
		tv[nt].server = as_ulong(&t[2]);
		tv[nt].client = as_ulong(&t[3]);
		tv[nt].email = as_ulong(&t[4]);
		tv[nt].code = as_ulong(&t[5]);
		nt++;
	}
	if (trusts != NULL)
		PK11_DestroyGenericObjects(trusts);
	if (nt > 1)
		qsort(tv, nt, sizeof(*tv), cmp_trust);

	/* Private keys are visible only when logged in; fine for 'u'. */
	if (with_trust)
		keys = PK11_FindGenericObjects(db->slot, CKO_PRIVATE_KEY);
	for (o = keys; o != NULL; o = PK11_GetNextGenericObject(o))
		nk++;
	if (nk > 0 && (keyids = calloc(nk, sizeof(*keyids))) == NULL)
		abort();
	nk = 0;
	for (o = keys; o != NULL; o = PK11_GetNextGenericObject(o))
		if (kd_read_attr(o, CKA_ID, &keyids[nk]) == 0)
			nk++;
	if (keys != NULL)
		PK11_DestroyGenericObjects(keys);

	certs = PK11_FindGenericObjects(db->slot, CKO_CERTIFICATE);
	for (o = certs; o != NULL; o = PK11_GetNextGenericObject(o)) {
		CK_ATTRIBUTE a[] = {
			{ CKA_VALUE, NULL, 0 },
			{ CKA_LABEL, NULL, 0 },
			{ CKA_ISSUER, NULL, 0 },
			{ CKA_SERIAL_NUMBER, NULL, 0 },
			{ CKA_ID, NULL, 0 },
		};
		struct trust_obj key, *t = NULL;
		struct keydb_cert c;
		struct keydb_cert *v;
		SECItem id;
		int user = 0;

		if (read_attrs(arena, o, a, 5) != 0 ||
		    keydb_decode(a[0].pValue, a[0].ulValueLen, &c) != KEYDB_OK)
			continue;	/* a foreign object we cannot read */
		if ((c.label = malloc(a[1].ulValueLen + 1)) == NULL)
			abort();
		if (a[1].ulValueLen > 0)
			memcpy(c.label, a[1].pValue, a[1].ulValueLen);
		c.label[a[1].ulValueLen] = '\0';
		key.issuer = as_item(&a[2]);
		key.serial = as_item(&a[3]);
		if (nt > 0)
			t = bsearch(&key, tv, nt, sizeof(*tv), cmp_trust);
		id = as_item(&a[4]);
		for (size_t i = 0; i < nk && !user; i++)
			user = SECITEM_ItemsAreEqual(&id, &keyids[i]);
		c.has_key = user;
		c.trust = with_trust ? trust_string(t, user) : NULL;
		if ((v = realloc(out->v, (out->n + 1) * sizeof(*v))) == NULL)
			abort();
		out->v = v;
		out->v[out->n++] = c;
	}
	if (certs != NULL)
		PK11_DestroyGenericObjects(certs);
	free(tv);
	for (size_t i = 0; i < nk; i++)
		SECITEM_FreeItem(&keyids[i], PR_FALSE);
	free(keyids);
	PORT_FreeArena(arena, PR_FALSE);
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
