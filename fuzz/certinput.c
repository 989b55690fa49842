#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nss.h>

#include "keydb/keydb.h"

/*
 * libFuzzer target over the certificate-file reader: PEM (one or many,
 * text around the armour), DER, and everything that is neither, up to
 * the point of import. Whatever it accepts must be whole: a fingerprint,
 * a subject, and PEM that reads back to the same certificate.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct keydb_certs l, back;

	if (!ready) {
		if (NSS_NoDB_Init(NULL) != SECSuccess)
			abort();
		ready = 1;
	}
	if (keydb_read_mem("fuzz", data, size, &l) != KEYDB_OK)
		return 0;
	if (l.n == 0)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		char *pem = keydb_pem(&l.v[i]);

		if (strlen(l.v[i].sha256) != 95 || l.v[i].subject == NULL ||
		    pem == NULL)
			abort();
		if (keydb_read_mem("pem", (const unsigned char *)pem,
		    strlen(pem), &back) != KEYDB_OK || back.n != 1 ||
		    strcmp(back.v[0].sha256, l.v[i].sha256) != 0)
			abort();
		keydb_certs_free(&back);
		free(pem);
	}
	keydb_certs_free(&l);
	return 0;
}
