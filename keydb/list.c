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

static CK_ULONG
ulong_attr(void *obj, CK_ATTRIBUTE_TYPE type)
{
	SECItem it;
	CK_ULONG v = CKT_NSS_TRUST_UNKNOWN;

	if (kd_read_attr(obj, type, &it) == 0) {
		if (it.len == sizeof(CK_ULONG))
			memcpy(&v, it.data, sizeof(v));
		SECITEM_FreeItem(&it, PR_FALSE);
	}
	return v;
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
 */
int
keydb_list(struct keydb *db, struct keydb_certs *out)
{
	PK11GenericObject *certs, *trusts, *keys, *o;
	struct trust_obj *tv = NULL;
	SECItem *keyids = NULL;
	size_t nt = 0, nk = 0;
	int rc = KEYDB_OK;

	memset(out, 0, sizeof(*out));
	if (!db->exists)
		return KEYDB_OK;

	trusts = PK11_FindGenericObjects(db->slot, CKO_NSS_TRUST);
	for (o = trusts; o != NULL; o = PK11_GetNextGenericObject(o))
		nt++;
	if (nt > 0 && (tv = calloc(nt, sizeof(*tv))) == NULL)
		abort();
	nt = 0;
	for (o = trusts; o != NULL; o = PK11_GetNextGenericObject(o)) {
		struct trust_obj *t = &tv[nt];

		if (kd_read_attr(o, CKA_ISSUER, &t->issuer) != 0 ||
		    kd_read_attr(o, CKA_SERIAL_NUMBER, &t->serial) != 0) {
			SECITEM_FreeItem(&t->issuer, PR_FALSE);
			continue;
		}
		t->server = ulong_attr(o, CKA_TRUST_SERVER_AUTH);
		t->client = ulong_attr(o, CKA_TRUST_CLIENT_AUTH);
		t->email = ulong_attr(o, CKA_TRUST_EMAIL_PROTECTION);
		t->code = ulong_attr(o, CKA_TRUST_CODE_SIGNING);
		nt++;
	}
	if (trusts != NULL)
		PK11_DestroyGenericObjects(trusts);

	/* Private keys are visible only when logged in; fine for 'u'. */
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
		SECItem label, value, issuer, serial, id;
		struct keydb_cert c;
		struct trust_obj *t = NULL;
		int user = 0;

		if (kd_read_attr(o, CKA_VALUE, &value) != 0)
			continue;
		if (keydb_decode(value.data, value.len, &c) != KEYDB_OK) {
			/* Not ours to judge: a foreign object we cannot read. */
			SECITEM_FreeItem(&value, PR_FALSE);
			continue;
		}
		SECITEM_FreeItem(&value, PR_FALSE);
		if (kd_read_attr(o, CKA_LABEL, &label) == 0) {
			if ((c.label = malloc(label.len + 1)) == NULL)
				abort();
			memcpy(c.label, label.data, label.len);
			c.label[label.len] = '\0';
			SECITEM_FreeItem(&label, PR_FALSE);
		} else
			c.label = kd_strdup("");
		if (kd_read_attr(o, CKA_ISSUER, &issuer) == 0 &&
		    kd_read_attr(o, CKA_SERIAL_NUMBER, &serial) == 0) {
			for (size_t i = 0; i < nt && t == NULL; i++)
				if (SECITEM_ItemsAreEqual(&issuer,
				    &tv[i].issuer) &&
				    SECITEM_ItemsAreEqual(&serial,
				    &tv[i].serial))
					t = &tv[i];
			SECITEM_FreeItem(&serial, PR_FALSE);
		}
		SECITEM_FreeItem(&issuer, PR_FALSE);
		if (kd_read_attr(o, CKA_ID, &id) == 0) {
			for (size_t i = 0; i < nk && !user; i++)
				user = SECITEM_ItemsAreEqual(&id, &keyids[i]);
			SECITEM_FreeItem(&id, PR_FALSE);
		}
		c.has_key = user;
		c.trust = trust_string(t, user);
		{
			struct keydb_cert *v = realloc(out->v,
			    (out->n + 1) * sizeof(*v));

			if (v == NULL)
				abort();
			out->v = v;
			out->v[out->n++] = c;
		}
	}
	if (certs != NULL)
		PK11_DestroyGenericObjects(certs);
	for (size_t i = 0; i < nt; i++) {
		SECITEM_FreeItem(&tv[i].issuer, PR_FALSE);
		SECITEM_FreeItem(&tv[i].serial, PR_FALSE);
	}
	free(tv);
	for (size_t i = 0; i < nk; i++)
		SECITEM_FreeItem(&keyids[i], PR_FALSE);
	free(keyids);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_cert);
	return rc;
}
