/*
 * limit_import DIR BUNDLE: import every certificate of a PEM bundle into
 * the sql: database in DIR, in place, the plainest way the NSS API
 * allows: one read-write NSS_Initialize, then for each certificate
 * PK11_ImportCert under the label bench-N and CERT_ChangeCertTrust to
 * P,, (peer), as dsmcert -add does (keydb/import.c). No checks, no
 * labels worked out, no rollback, no copy of the database: what is left
 * is what NSS itself costs per certificate in one process, three SQLite
 * transactions with their syncs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <base64.h>
#include <cert.h>
#include <nss.h>
#include <pk11pub.h>

#define BEGIN "-----BEGIN CERTIFICATE-----"
#define END "-----END CERTIFICATE-----"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int
main(int argc, char **argv)
{
	CERTCertDBHandle *handle;
	CERTCertTrust trust;
	PK11SlotInfo *slot;
	char spec[4096], nick[64], *text, *p, *e;
	long n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: limit_import DIR BUNDLE\n");
		return 64;
	}
	text = slurp(argv[2]);
	if (text == NULL) {
		fprintf(stderr, "limit_import: %s: cannot read\n", argv[2]);
		return 2;
	}
	snprintf(spec, sizeof(spec), "sql:%s", argv[1]);
	if (NSS_Initialize(spec, "", "", SECMOD_DB, NSS_INIT_NOROOTINIT) !=
	    SECSuccess) {
		fprintf(stderr, "limit_import: %s: cannot open\n", argv[1]);
		return 3;
	}
	handle = CERT_GetDefaultCertDB();
	slot = PK11_GetInternalKeySlot();
	CERT_DecodeTrustString(&trust, "P,,");
	for (p = strstr(text, BEGIN); p != NULL; p = strstr(e, BEGIN)) {
		SECItem der = { siBuffer, NULL, 0 };
		CERTCertificate *cert;

		p += strlen(BEGIN);
		e = strstr(p, END);
		if (e == NULL)
			break;
		*e++ = '\0';
		der.data = ATOB_AsciiToData(p, &der.len);
		if (der.data == NULL) {
			fprintf(stderr, "limit_import: bad base64\n");
			return 2;
		}
		snprintf(nick, sizeof(nick), "bench-%ld", ++n);
		cert = CERT_NewTempCertificate(handle, &der, NULL, PR_FALSE,
		    PR_TRUE);
		if (cert == NULL ||
		    PK11_ImportCert(slot, cert, CK_INVALID_HANDLE, nick,
		    PR_FALSE) != SECSuccess ||
		    CERT_ChangeCertTrust(handle, cert, &trust) != SECSuccess) {
			fprintf(stderr, "limit_import: certificate %ld: "
			    "error %d\n", n, PORT_GetError());
			return 3;
		}
		CERT_DestroyCertificate(cert);
		PORT_Free(der.data);
	}
	PK11_FreeSlot(slot);
	free(text);
	printf("%ld\n", n);
	return NSS_Shutdown() == SECSuccess ? 0 : 3;
}
