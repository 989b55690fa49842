#include <stdlib.h>
#include <string.h>

#include <nssb64.h>
#include <secitem.h>

#include "keydb/internal.h"

static const char BEGIN[] = "-----BEGIN CERTIFICATE-----\n";
static const char END[] = "-----END CERTIFICATE-----\n";

/* PEM as openssl writes it: 64-column lines ending in LF. */
char *
keydb_pem(const struct keydb_cert *c)
{
	SECItem der = { siBuffer, c->der, (unsigned)c->derlen };
	char *b64 = NSSBase64_EncodeItem(NULL, NULL, 0, &der);
	char *out, *w;

	if (b64 == NULL)
		return NULL;
	out = xmalloc(sizeof(BEGIN) + strlen(b64) + sizeof(END) + 2);
	w = stpcpy(out, BEGIN);
	for (const char *r = b64; *r; r++)
		if (*r != '\r')
			*w++ = *r;
	if (w[-1] != '\n')
		*w++ = '\n';
	strcpy(w, END);
	PORT_Free(b64);
	return out;
}
