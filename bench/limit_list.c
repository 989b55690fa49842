/*
 * limit_list DIR: what any listing of the sql: database in DIR must read
 * at the least: every certificate object's CKA_VALUE and CKA_LABEL, and
 * every trust object's server trust and the issuer and serial that tie
 * it to its certificate, enumerated with PK11_FindGenericObjects. No
 * decoding, no output but the count.
 */
#include <stdio.h>
#include <stdlib.h>

#include <nss.h>
#include <pk11pub.h>
#include <pkcs11n.h>
#include <secitem.h>

static long
read_all(PK11SlotInfo *slot, CK_OBJECT_CLASS class,
    const CK_ATTRIBUTE_TYPE *attrs, int nattrs)
{
	PK11GenericObject *objs, *o;
	long n = 0;
	int i;

	objs = PK11_FindGenericObjects(slot, class);
	for (o = objs; o != NULL; o = PK11_GetNextGenericObject(o)) {
		for (i = 0; i < nattrs; i++) {
			SECItem it = { siBuffer, NULL, 0 };

			if (PK11_ReadRawAttribute(PK11_TypeGeneric, o,
			    attrs[i], &it) == SECSuccess)
				SECITEM_FreeItem(&it, PR_FALSE);
		}
		n++;
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
	read_all(slot, CKO_NSS_TRUST, trust, 3);
	PK11_FreeSlot(slot);
	printf("%ld\n", n);
	return NSS_Shutdown() == SECSuccess ? 0 : 3;
}
