/*
 * limit_list DIR: the reads any listing of the sql: database in DIR that
 * shows each certificate's label, DER and trust must make, done the
 * cheapest way the public NSS API allows, and nothing else: no decoding,
 * no sorting, no output but the count. It is the floor for dsmcert
 * -list, which makes the same reads (keydb/list.c).
 *
 * Through the softoken's PKCS#11 function list, on a session of its own:
 * - every certificate object's CKA_VALUE and CKA_LABEL, with the
 *   CKA_ISSUER and CKA_SERIAL_NUMBER that tie it to its trust object;
 * - every trust object's four trust values (certutil's "SSL,S/MIME,JAR"
 *   needs server and client, e-mail and code signing), with its issuer
 *   and serial;
 * - the private keys' CKA_ID, for the 'u' of a certificate with a key.
 *
 * Each object is read with one C_GetAttributeValue into buffers sized up
 * front: in the softoken each call is a SQLite query, and
 * PK11_ReadRawAttributes makes two per object (lengths, then values).
 * The trust values are signed: the softoken checks each one's signature
 * in key4.db, one query apiece, so a certificate with its trust costs six
 * queries. Each query takes and drops the file's lock on its own.
 */
#include <stdio.h>
#include <stdlib.h>

#include <nss.h>
#include <pk11pub.h>
#include <pkcs11.h>
#include <pkcs11n.h>
#include <secmodt.h>

#define MAXATTRS 6
#define SLOT 16384

static int
is_ulong(CK_ATTRIBUTE_TYPE a)
{
	return a == CKA_TRUST_SERVER_AUTH || a == CKA_TRUST_CLIENT_AUTH ||
	    a == CKA_TRUST_EMAIL_PROTECTION || a == CKA_TRUST_CODE_SIGNING;
}

static long
read_all(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS class,
    const CK_ATTRIBUTE_TYPE *attrs, int nattrs)
{
	static unsigned char buf[MAXATTRS][SLOT];
	CK_ATTRIBUTE find = { CKA_CLASS, &class, sizeof(class) };
	CK_OBJECT_HANDLE *h = NULL;
	CK_ATTRIBUTE t[MAXATTRS];
	CK_ULONG got, n = 0, cap = 0;
	long ok = 0;

	/* All handles first, as dsmcert does: no query left open. */
	if (f->C_FindObjectsInit(s, &find, 1) != CKR_OK)
		abort();
	for (;;) {
		if (n == cap) {
			CK_OBJECT_HANDLE *nh;

			cap = cap ? cap * 2 : 256;
			if ((nh = realloc(h, cap * sizeof(*h))) == NULL)
				abort();
			h = nh;
		}
		if (f->C_FindObjects(s, h + n, cap - n, &got) != CKR_OK ||
		    got == 0)
			break;
		n += got;
	}
	f->C_FindObjectsFinal(s);
	for (CK_ULONG j = 0; j < n; j++) {
		for (int i = 0; i < nattrs; i++) {
			t[i].type = attrs[i];
			t[i].pValue = buf[i];
			/* CK_ULONG values want their exact size. */
			t[i].ulValueLen = is_ulong(attrs[i]) ?
			    sizeof(CK_ULONG) : SLOT;
		}
		if (f->C_GetAttributeValue(s, h[j], t, (CK_ULONG)nattrs) ==
		    CKR_OK)
			ok++;
	}
	free(h);
	return ok;
}

int
main(int argc, char **argv)
{
	static const CK_ATTRIBUTE_TYPE cert[] = { CKA_VALUE, CKA_LABEL,
	    CKA_ISSUER, CKA_SERIAL_NUMBER };
	static const CK_ATTRIBUTE_TYPE trust[] = { CKA_ISSUER,
	    CKA_SERIAL_NUMBER, CKA_TRUST_SERVER_AUTH, CKA_TRUST_CLIENT_AUTH,
	    CKA_TRUST_EMAIL_PROTECTION, CKA_TRUST_CODE_SIGNING };
	static const CK_ATTRIBUTE_TYPE key[] = { CKA_ID };
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE s;
	PK11SlotInfo *slot;
	char spec[4096];
	long n, nt;

	if (argc != 2) {
		fprintf(stderr, "usage: limit_list DIR\n");
		return 64;
	}
	snprintf(spec, sizeof(spec), "sql:%s", argv[1]);
	if (NSS_Initialize(spec, "", "", SECMOD_DB,
	    NSS_INIT_NOROOTINIT | NSS_INIT_READONLY) != SECSuccess) {
		fprintf(stderr, "limit_list: %s: cannot open\n", argv[1]);
		return 3;
	}
	slot = PK11_GetInternalKeySlot();
	f = PK11_GetModule(slot)->functionList;
	if (f->C_OpenSession(PK11_GetSlotID(slot), CKF_SERIAL_SESSION, NULL,
	    NULL, &s) != CKR_OK)
		abort();
	nt = read_all(f, s, CKO_NSS_TRUST, trust, 6);
	read_all(f, s, CKO_PRIVATE_KEY, key, 1);
	n = read_all(f, s, CKO_CERTIFICATE, cert, 4);
	if (nt != n)
		fprintf(stderr, "limit_list: %ld trust objects for %ld "
		    "certificates\n", nt, n);
	f->C_CloseSession(s);
	PK11_FreeSlot(slot);
	printf("%ld\n", n);
	return NSS_Shutdown() == SECSuccess ? 0 : 3;
}
