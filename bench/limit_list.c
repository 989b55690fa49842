/*
 * limit_list DIR: what any listing of the sql: database in DIR must read
 * at the least: every certificate object's CKA_VALUE and CKA_LABEL, and
 * every trust object's server trust and the issuer and serial that tie
 * it to its certificate, enumerated with PK11_FindGenericObjects. No
 * decoding, no output but the count.
 *
 * Each object's attributes are read in one PK11_ReadRawAttributes call:
 * one PK11_ReadRawAttribute per attribute costs twice the time, as each
 * is a round trip through the token (two, for the length and the value).
 */
#include <stdio.h>
#include <stdlib.h>

#include <nss.h>
#include <pk11pub.h>
#include <pkcs11n.h>
#include <secport.h>

#define MAXATTRS 4

static long
read_all(PK11SlotInfo *slot, CK_OBJECT_CLASS class,
    const CK_ATTRIBUTE_TYPE *attrs, int nattrs)
{
	PK11GenericObject *objs, *o;
	CK_ATTRIBUTE t[MAXATTRS];
	PLArenaPool *arena;
	long n = 0;
	int i;

	objs = PK11_FindGenericObjects(slot, class);
	for (o = objs; o != NULL; o = PK11_GetNextGenericObject(o)) {
		arena = PORT_NewArena(2048);
		if (arena == NULL)
			abort();
		for (i = 0; i < nattrs; i++) {
			t[i].type = attrs[i];
			t[i].pValue = NULL;
			t[i].ulValueLen = 0;
		}
		if (PK11_ReadRawAttributes(arena, PK11_TypeGeneric, o, t,
		    (unsigned int)nattrs) == SECSuccess)
			n++;
		PORT_FreeArena(arena, PR_FALSE);
	}
	if (objs != NULL)
		PK11_DestroyGenericObjects(objs);
	return n;
}

int
main(int argc, char **argv)
{
	static const CK_ATTRIBUTE_TYPE cert[] = { CKA_VALUE, CKA_LABEL };
	static const CK_ATTRIBUTE_TYPE trust[] = { CKA_TRUST_SERVER_AUTH,
	    CKA_ISSUER, CKA_SERIAL_NUMBER };
	PK11SlotInfo *slot;
	char spec[4096];
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: limit_list DIR\n");
		return 64;
	}
	/* As dsmcert: no network file system probe (see limit_init.c). */
	setenv("NSS_SDB_USE_CACHE", "no", 0);
	snprintf(spec, sizeof(spec), "sql:%s", argv[1]);
	if (NSS_Initialize(spec, "", "", SECMOD_DB,
	    NSS_INIT_NOROOTINIT | NSS_INIT_READONLY) != SECSuccess) {
		fprintf(stderr, "limit_list: %s: cannot open\n", argv[1]);
		return 3;
	}
	slot = PK11_GetInternalKeySlot();
	n = read_all(slot, CKO_CERTIFICATE, cert, 2);
	if (read_all(slot, CKO_NSS_TRUST, trust, 3) != n)
		fprintf(stderr, "limit_list: not one trust object per "
		    "certificate\n");
	PK11_FreeSlot(slot);
	printf("%ld\n", n);
	return NSS_Shutdown() == SECSuccess ? 0 : 3;
}
