/*
 * limit_list DIR: what any listing of the sql: database in DIR must read
 * at the least: every certificate object's CKA_VALUE and CKA_LABEL, and
 * every trust object's four trust values (certutil's "SSL,S/MIME,JAR"
 * string needs server and client, e-mail and code signing) and the
 * issuer and serial that tie it to its certificate, enumerated with
 * C_FindObjects. No decoding, no output but the count.
 *
 * The trust values are signed: whenever the database is logged in (as
 * one without a password always is), the softoken checks each one's
 * signature in key4.db, one SQLite query apiece. So this is 6 queries
 * per certificate, the least that shows a certificate's whole trust.
 *
 * Each object's attributes are read in one C_GetAttributeValue into
 * buffers sized up front, through the module's function list: in the
 * softoken every call is a SQLite query, and PK11_ReadRawAttributes makes
 * two per object (lengths, then values).
 *
 * The queries run inside one SQLite read transaction per database file,
 * begun on the softoken's own connections (found with an auto extension,
 * as keydb/snapshot.c does): otherwise each query takes and drops the
 * file's lock, eight system calls, half the time.
 */
#include <stdio.h>
#include <stdlib.h>

#include <nss.h>
#include <pk11pub.h>
#include <pkcs11.h>
#include <pkcs11n.h>
#include <secport.h>
#include <sqlite3.h>

#define MAXATTRS 6

static sqlite3 *conn[4];
static int nconn;

static int
on_open(sqlite3 *db, char **err, const struct sqlite3_api_routines *api)
{
	(void)err;
	(void)api;
	if (nconn < 4)
		conn[nconn++] = db;
	return SQLITE_OK;
}

/* After NSS_Initialize the connections noted are its two read ones. */
static void
transaction(const char *sql)
{
	for (int i = 0; i < nconn; i++)
		sqlite3_exec(conn[i], sql, NULL, NULL, NULL);
}

static int
is_ulong(CK_ATTRIBUTE_TYPE a)
{
	return a == CKA_TRUST_SERVER_AUTH || a == CKA_TRUST_CLIENT_AUTH ||
	    a == CKA_TRUST_EMAIL_PROTECTION || a == CKA_TRUST_CODE_SIGNING;
}

static long
read_all(PK11SlotInfo *slot, CK_OBJECT_CLASS class,
    const CK_ATTRIBUTE_TYPE *attrs, int nattrs)
{
	static unsigned char buf[MAXATTRS][16384];
	CK_FUNCTION_LIST_PTR f = PK11_GetModule(slot)->functionList;
	CK_ATTRIBUTE find = { CKA_CLASS, &class, sizeof(class) };
	CK_OBJECT_HANDLE h[256];
	CK_ATTRIBUTE t[MAXATTRS];
	CK_SESSION_HANDLE s;
	CK_ULONG got, j;
	long n = 0;
	int i;

	if (f->C_OpenSession(PK11_GetSlotID(slot), CKF_SERIAL_SESSION, NULL,
	    NULL, &s) != CKR_OK || f->C_FindObjectsInit(s, &find, 1) != CKR_OK)
		abort();
	while (f->C_FindObjects(s, h, 256, &got) == CKR_OK && got > 0) {
		for (j = 0; j < got; j++) {
			for (i = 0; i < nattrs; i++) {
				t[i].type = attrs[i];
				t[i].pValue = buf[i];
				/* CK_ULONG values want their exact size. */
				t[i].ulValueLen = is_ulong(attrs[i]) ?
				    sizeof(CK_ULONG) : sizeof(buf[i]);
			}
			if (f->C_GetAttributeValue(s, h[j], t,
			    (CK_ULONG)nattrs) == CKR_OK)
				n++;
		}
	}
	f->C_FindObjectsFinal(s);
	f->C_CloseSession(s);
	return n;
}

int
main(int argc, char **argv)
{
	static const CK_ATTRIBUTE_TYPE cert[] = { CKA_VALUE, CKA_LABEL };
	static const CK_ATTRIBUTE_TYPE trust[] = { CKA_TRUST_SERVER_AUTH,
	    CKA_TRUST_CLIENT_AUTH, CKA_TRUST_EMAIL_PROTECTION,
	    CKA_TRUST_CODE_SIGNING, CKA_ISSUER, CKA_SERIAL_NUMBER };
	PK11SlotInfo *slot;
	char spec[4096];
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: limit_list DIR\n");
		return 64;
	}
	/* No network file system probe (see limit_init.c). */
	setenv("NSS_SDB_USE_CACHE", "no", 0);
	snprintf(spec, sizeof(spec), "sql:%s", argv[1]);
	sqlite3_auto_extension((void (*)(void))on_open);
	if (NSS_Initialize(spec, "", "", SECMOD_DB,
	    NSS_INIT_NOROOTINIT | NSS_INIT_READONLY) != SECSuccess) {
		fprintf(stderr, "limit_list: %s: cannot open\n", argv[1]);
		return 3;
	}
	slot = PK11_GetInternalKeySlot();
	transaction("BEGIN");
	n = read_all(slot, CKO_CERTIFICATE, cert, 2);
	if (read_all(slot, CKO_NSS_TRUST, trust, 6) != n)
		fprintf(stderr, "limit_list: not one trust object per "
		    "certificate\n");
	transaction("COMMIT");
	PK11_FreeSlot(slot);
	printf("%ld\n", n);
	return NSS_Shutdown() == SECSuccess ? 0 : 3;
}
