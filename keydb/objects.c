#include <stdlib.h>
#include <string.h>

#include <pk11pub.h>
#include <pkcs11.h>
#include <secmodt.h>
#include <secport.h>

#include "keydb/internal.h"

/*
 * Token objects read straight through the module's PKCS#11 function
 * list, on a session of our own. PK11_ReadRawAttributes asks the token
 * twice per object, once for the lengths and once for the values, and
 * in NSS's softoken each ask is a SQLite query of its own. With buffers
 * sized up front one ask is enough for all but outsized objects, which
 * get the two asks.
 *
 * The public way (PK11_FindGenericObjects, then PK11_ReadRawAttributes)
 * has no call that reads into the caller's buffers in one ask, and none
 * that opens a session on a slot (PK11_GetRWSession is in pk11priv.h);
 * hence the function list, reached through what pk11pub.h and secmodt.h
 * do publish: PK11_GetModule, its functionList and PK11_GetSlotID. It
 * took -list of 1000 certificates from 243-305 ms of processor time to
 * 166 ms (bench/README, "-list"). Nothing else in keydb/ goes this way.
 */

/*
 * Per attribute; a certificate is rarely over 4 KiB. A caller gives a
 * CK_ULONG attribute its exact size: the softoken converts such values
 * from their stored form only into a buffer of that size.
 */
#define SLOT_SIZE 16384

/*
 * An object that lacks an attribute, or hides it, is foreign, and one
 * that another writer (certutil, the backup client) deleted since it was
 * found is simply gone: neither is a fault. Anything else (SQLite's
 * "malformed", a device error) is.
 */
static void
failed(struct kd_objs *o, CK_RV rv)
{
	if (rv != CKR_ATTRIBUTE_TYPE_INVALID && rv != CKR_ATTRIBUTE_SENSITIVE &&
	    rv != CKR_OBJECT_HANDLE_INVALID && o->err == CKR_OK)
		o->err = rv;
}

CK_RV
kd_objs_open(struct keydb *db, struct kd_objs *o)
{
	SECMODModule *mod;
	CK_RV rv;

	memset(o, 0, sizeof(*o));
	if ((mod = PK11_GetModule(db->slot)) == NULL ||
	    mod->functionList == NULL)
		return CKR_GENERAL_ERROR;
	o->f = mod->functionList;
	rv = o->f->C_OpenSession(PK11_GetSlotID(db->slot), CKF_SERIAL_SESSION,
	    NULL, NULL, &o->s);
	if (rv != CKR_OK)
		o->f = NULL;
	return rv;
}

void
kd_objs_close(struct kd_objs *o)
{
	if (o->f != NULL)
		o->f->C_CloseSession(o->s);
	free(o->scratch);
	memset(o, 0, sizeof(*o));
}

CK_OBJECT_HANDLE *
kd_objs_find(struct kd_objs *o, CK_OBJECT_CLASS class, size_t *n)
{
	CK_ATTRIBUTE t = { CKA_CLASS, &class, sizeof(class) };
	CK_OBJECT_HANDLE *v = NULL;
	size_t cap = 0;
	CK_ULONG got;
	CK_RV rv;

	*n = 0;
	if ((rv = o->f->C_FindObjectsInit(o->s, &t, 1)) != CKR_OK) {
		failed(o, rv);
		return NULL;
	}
	for (;;) {
		if (*n == cap)
			v = xgrow(v, &cap, *n + 256, sizeof(*v));
		if ((rv = o->f->C_FindObjects(o->s, v + *n, cap - *n, &got)) !=
		    CKR_OK) {
			failed(o, rv);
			break;
		}
		if (got == 0)
			break;
		*n += got;
	}
	o->f->C_FindObjectsFinal(o->s);
	return v;
}

static void
copy_out(PLArenaPool *arena, CK_ATTRIBUTE *t)
{
	void *p = NULL;

	if (t->ulValueLen > 0) {
		if ((p = PORT_ArenaAlloc(arena, t->ulValueLen)) == NULL)
			abort();
		memcpy(p, t->pValue, t->ulValueLen);
	}
	t->pValue = p;
}

/* The two asks, for an object too big for the scratch slots. */
static int
read_sized(struct kd_objs *o, PLArenaPool *arena, CK_OBJECT_HANDLE h,
    CK_ATTRIBUTE *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		t[i].pValue = NULL;
	if (o->f->C_GetAttributeValue(o->s, h, t, n) != CKR_OK)
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (t[i].ulValueLen > 0 &&
		    (t[i].pValue = PORT_ArenaAlloc(arena, t[i].ulValueLen)) ==
		    NULL)
			abort();
	return o->f->C_GetAttributeValue(o->s, h, t, n) == CKR_OK ? 0 : -1;
}

int
kd_objs_read(struct kd_objs *o, PLArenaPool *arena, CK_OBJECT_HANDLE h,
    CK_ATTRIBUTE *t, unsigned n)
{
	CK_RV rv;

	if (n > KD_OBJS_MAXATTR)
		return -1;
	if (o->scratch == NULL)
		o->scratch = xmalloc((size_t)KD_OBJS_MAXATTR * SLOT_SIZE);
	for (unsigned i = 0; i < n; i++) {
		t[i].pValue = o->scratch + (size_t)i * SLOT_SIZE;
		if (t[i].ulValueLen == 0 || t[i].ulValueLen > SLOT_SIZE)
			t[i].ulValueLen = SLOT_SIZE;
	}
	rv = o->f->C_GetAttributeValue(o->s, h, t, n);
	if (rv == CKR_BUFFER_TOO_SMALL)
		return read_sized(o, arena, h, t, n);
	if (rv != CKR_OK) {
		failed(o, rv);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		copy_out(arena, &t[i]);
	return 0;
}
