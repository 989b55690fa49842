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

#include "keydb/internal.h"

/* Certificate files are small; anything larger is not one. */
#define MAX_CERTS 100000

/* PEM types we import, and types we recognise only to name them. */
static int
is_cert_type(const char *t, size_t n)
{
	return (n == 11 && memcmp(t, "CERTIFICATE", 11) == 0) ||
	    (n == 16 && memcmp(t, "X509 CERTIFICATE", 16) == 0);
}

static int
is_request_type(const char *t, size_t n)
{
	return (n >= 19 && memcmp(t + n - 19, "CERTIFICATE REQUEST", 19) == 0);
}

static int
push(struct keydb_certs *l, struct keydb_cert *c)
{
	struct keydb_cert *v;

	if (l->n >= MAX_CERTS)
		return -1;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (v == NULL)
		abort();
	l->v = v;
	l->v[l->n++] = *c;
	return 0;
}

/* The line starting at p, without its end; *next is the line after. */
static size_t
line_len(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (nl != NULL ? nl : end) - p;

	*next = nl != NULL ? nl + 1 : end;
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t'))
		n--;
	return n;
}

/* "-----BEGIN TYPE-----": the type, or NULL. */
static const char *
armour(const char *p, size_t n, const char *what, size_t *tlen)
{
	size_t w = strlen(what);

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n < 10 + w || memcmp(p, "-----", 5) != 0 ||
	    memcmp(p + 5, what, w) != 0 || memcmp(p + n - 5, "-----", 5) != 0)
		return NULL;
	*tlen = n - 10 - w;
	return p + 5 + w;
}

static int
read_pem(const char *name, const char *buf, size_t len,
    struct keydb_certs *out)
{
	const char *p = buf, *end = buf + len, *next;
	const char *other = NULL;
	size_t otherlen = 0;
	int lineno = 0, otherline = 0;

	while (p < end) {
		const char *type, *body;
		size_t n = line_len(p, end, &next), tlen;
		int begin = ++lineno;
		SECItem der = { siBuffer, NULL, 0 };
		struct keydb_cert c;
		int rc;

		if ((type = armour(p, n, "BEGIN ", &tlen)) == NULL) {
			p = next;
			continue;
		}
		if (is_request_type(type, tlen))
			return kd_fail(KEYDB_EINPUT, "%s:%d: a certificate "
			    "signing request, not a certificate", name, begin);
		/* Find the matching END line. */
		body = next;
		for (p = next; p < end; p = next) {
			const char *et;
			size_t el, m = line_len(p, end, &next);

			lineno++;
			if ((et = armour(p, m, "END ", &el)) != NULL) {
				if (el != tlen || memcmp(et, type, tlen) != 0)
					return kd_fail(KEYDB_EINPUT, "%s:%d: "
					    "END does not match the BEGIN of "
					    "line %d", name, lineno, begin);
				break;
			}
			if (armour(p, m, "BEGIN ", &el) != NULL)
				return kd_fail(KEYDB_EINPUT, "%s:%d: BEGIN "
				    "inside the block of line %d", name,
				    lineno, begin);
		}
		if (p >= end)
			return kd_fail(KEYDB_EINPUT, "%s:%d: BEGIN without "
			    "END: the file is truncated", name, begin);
		if (!is_cert_type(type, tlen)) {
			if (other == NULL) {
				other = type;
				otherlen = tlen;
				otherline = begin;
			}
			p = next;
			continue;
		}
		if (NSSBase64_DecodeBuffer(NULL, &der, body,
		    (unsigned)(p - body)) == NULL || der.len == 0) {
			SECITEM_FreeItem(&der, PR_FALSE);
			return kd_fail(KEYDB_EINPUT, "%s:%d: the certificate "
			    "is not valid base64", name, begin);
		}
		rc = keydb_decode(der.data, der.len, &c);
		SECITEM_FreeItem(&der, PR_FALSE);
		if (rc != KEYDB_OK) {
			char why[512];

			snprintf(why, sizeof(why), "%s", keydb_error());
			return kd_fail(rc, "%s:%d: %s", name, begin, why);
		}
		c.line = begin;
		if (push(out, &c) != 0) {
			keydb_cert_clear(&c);
			return kd_fail(KEYDB_EINPUT, "%s: more than %d "
			    "certificates", name, MAX_CERTS);
		}
		p = next;
	}
	if (out->n == 0 && other != NULL)
		return kd_fail(KEYDB_EINPUT, "%s:%d: no certificate in the "
		    "file, only %.*s", name, otherline, (int)otherlen, other);
	if (out->n == 0)
		return kd_fail(KEYDB_EINPUT, "%s: no certificate in the file",
		    name);
	return KEYDB_OK;
}

int
keydb_read_mem(const char *name, const unsigned char *buf, size_t len,
    struct keydb_certs *out)
{
	struct keydb_cert c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return kd_fail(KEYDB_EINPUT, "%s: empty file", name);
	/* PEM is text with an armour line; DER starts with a SEQUENCE. */
	if (memmem(buf, len, "-----BEGIN ", 11) != NULL)
		rc = read_pem(name, (const char *)buf, len, out);
	else if (buf[0] == 0x30) {
		rc = keydb_decode(buf, len, &c);
		if (rc == KEYDB_OK)
			push(out, &c);
		else {
			char why[512];

			snprintf(why, sizeof(why), "%s", keydb_error());
			rc = kd_fail(rc, "%s: DER: %s", name, why);
		}
	} else
		rc = kd_fail(KEYDB_EINPUT, "%s: not a certificate: neither "
		    "PEM nor DER", name);
	if (rc != KEYDB_OK)
		keydb_certs_free(out);
	return rc;
}

int
keydb_read_file(const char *path, struct keydb_certs *out)
{
	char *buf;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kd_read(path, KEYDB_MAX_FILE, &buf, &len)) != KEYDB_OK)
		return rc;
	rc = keydb_read_mem(path, (unsigned char *)buf, len, out);
	free(buf);
	return rc;
}
