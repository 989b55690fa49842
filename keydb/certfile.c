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

/* A PKCS#7 bundle: openssl's label, and the older ones still seen. */
static int
is_pkcs7_type(const char *t, size_t n)
{
	return (n == 5 && memcmp(t, "PKCS7", 5) == 0) ||
	    (n == 19 && memcmp(t, "PKCS #7 SIGNED DATA", 19) == 0) ||
	    (n == 3 && memcmp(t, "CMS", 3) == 0);
}

/*
 * The line starting at p, without its end; *next is the line after.
 * Lines end in LF, CR LF or a lone CR (old Mac editors).
 */
static size_t
line_len(const char *p, const char *end, const char **next)
{
	const char *e = p;
	size_t n;

	while (e < end && *e != '\n' && *e != '\r')
		e++;
	n = (size_t)(e - p);
	if (e < end && *e++ == '\r' && e < end && *e == '\n')
		e++;
	*next = e;
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
		if (!is_cert_type(type, tlen) && !is_pkcs7_type(type, tlen)) {
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
			return kd_fail(KEYDB_EINPUT, "%s:%d: the %s is not "
			    "valid base64", name, begin,
			    is_pkcs7_type(type, tlen) ? "PKCS#7 bundle" :
			    "certificate");
		}
		if (is_pkcs7_type(type, tlen)) {
			rc = kd_read_pkcs7(name, begin, der.data, der.len,
			    out);
			SECITEM_FreeItem(&der, PR_FALSE);
			if (rc != KEYDB_OK)
				return rc;
			p = next;
			continue;
		}
		rc = keydb_decode(der.data, der.len, &c);
		SECITEM_FreeItem(&der, PR_FALSE);
		if (rc != KEYDB_OK) {
			char why[512];

			snprintf(why, sizeof(why), "%s", keydb_error());
			return kd_fail(rc, "%s:%d: %s", name, begin, why);
		}
		c.line = begin;
		if ((rc = kd_certs_push(out, &c)) != KEYDB_OK) {
			char why[512];

			keydb_cert_clear(&c);
			snprintf(why, sizeof(why), "%s", keydb_error());
			return kd_fail(rc, "%s: %s", name, why);
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
	int rc;

	memset(out, 0, sizeof(*out));
	/* Windows editors save text with a byte-order mark in front. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (len == 0)
		return kd_fail(KEYDB_EINPUT, "%s: empty file", name);
	if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 ||
	    memcmp(buf, "\xFE\xFF", 2) == 0))
		return kd_fail(KEYDB_EINPUT, "%s: UTF-16 text; save it as "
		    "UTF-8 or ASCII", name);
	/* PEM is text with an armour line; DER starts with a SEQUENCE. */
	if (memmem(buf, len, "-----BEGIN ", 11) != NULL)
		rc = read_pem(name, (const char *)buf, len, out);
	else if (buf[0] == 0x30)
		rc = kd_read_der_certs(name, buf, len, out);
	else
		rc = kd_fail(KEYDB_EINPUT, "%s: not a certificate: neither "
		    "PEM nor DER", name);
	if (rc != KEYDB_OK)
		keydb_certs_free(out);
	return rc;
}

/*
 * The whole of a regular file, a pipe or standard input ("-"). Pipes
 * and terminals have no size to check first: reading stops past the
 * limit.
 */
int
keydb_input_read(const char *path, struct keydb_input *in)
{
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	char *buf;
	int rc;

	memset(in, 0, sizeof(*in));
	if ((rc = kd_read(path, KEYDB_MAX_FILE, &buf, &in->len)) != KEYDB_OK)
		return rc;
	in->buf = (unsigned char *)buf;
	in->name = xstrdup(name);
	return KEYDB_OK;
}

void
keydb_input_free(struct keydb_input *in)
{
	free(in->buf);
	free(in->name);
	memset(in, 0, sizeof(*in));
}

int
keydb_read_file(const char *path, struct keydb_certs *out)
{
	struct keydb_input in;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = keydb_input_read(path, &in)) != KEYDB_OK)
		return rc;
	rc = keydb_read_mem(in.name, in.buf, in.len, out);
	keydb_input_free(&in);
	return rc;
}
