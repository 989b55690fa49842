#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nssb64.h>
#include <secitem.h>

#include "keydb/ident.h"

/* Requests and signed certificates are small; more is not one. */
#define MAX_FILE (1 << 20)

char *
kd_armour(const char *type, const SECItem *der)
{
	char *b64 = NSSBase64_EncodeItem(NULL, NULL, 0, (SECItem *)der);
	size_t n;
	char *out, *w;

	if (b64 == NULL)
		return NULL;
	n = strlen(b64) + 2 * strlen(type) + 64;
	out = xmalloc(n);
	w = out + sprintf(out, "-----BEGIN %s-----\n", type);
	for (const char *r = b64; *r; r++)
		if (*r != '\r')
			*w++ = *r;
	if (w[-1] != '\n')
		*w++ = '\n';
	sprintf(w, "-----END %s-----\n", type);
	PORT_Free(b64);
	return out;
}

int
kd_read_der(PLArenaPool *arena, const char *path, const char *type,
    SECItem *out)
{
	char *buf = NULL;
	char begin[96], end[96];
	const char *b, *e;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kd_read(path, MAX_FILE, &buf, &len)) != KEYDB_OK)
		return rc;
	snprintf(begin, sizeof(begin), "-----BEGIN %s-----", type);
	snprintf(end, sizeof(end), "-----END %s-----", type);
	if ((b = memmem(buf, len, begin, strlen(begin))) != NULL) {
		b += strlen(begin);
		e = memmem(b, len - (size_t)(b - (char *)buf), end,
		    strlen(end));
		if (e == NULL)
			rc = kd_fail(KEYDB_EINPUT, "%s: %s without %s: the "
			    "file is truncated", path, begin, end);
		else if (NSSBase64_DecodeBuffer(arena, out, b,
		    (unsigned)(e - b)) == NULL || out->len == 0)
			rc = kd_fail(KEYDB_EINPUT, "%s: the %s is not valid "
			    "base64", path, type);
	} else if (len > 0 && buf[0] == 0x30) {
		if (SECITEM_AllocItem(arena, out, (unsigned)len) == NULL)
			abort();
		memcpy(out->data, buf, len);
	} else
		rc = kd_fail(KEYDB_EINPUT, "%s: no %s in the file (neither "
		    "PEM nor DER)", path, type);
	free(buf);
	return rc;
}
