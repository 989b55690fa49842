#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/render.h"

/*
 * Strings reach the JSON renderers from option files, inventories,
 * certificate names and paths, none of which promises UTF-8; jansson
 * refuses anything else, and a refused string used to vanish from the
 * output. One rule, dsmcert(1) JSON OUTPUT: valid UTF-8 is kept, every
 * other byte is read as latin-1 (ISO 8859-1), the code point of its
 * value, since latin-1 is what non-UTF-8 option files hold.
 */

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 when none. */
static size_t
utf8_seq(const unsigned char *s)
{
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned char c = s[0];
	unsigned cp;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	cp = c & (0x3fu >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *
json_utf8(const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = strlen(in), o = 0, n;
	char *out;

	/* A latin-1 byte takes two bytes in UTF-8 at most. */
	out = xmalloc(2 * len + 1);
	while (*s != '\0') {
		if ((n = utf8_seq(s)) > 0) {
			memcpy(out + o, s, n);
			o += n;
			s += n;
			continue;
		}
		out[o++] = (char)(0xc0 | *s >> 6);
		out[o++] = (char)(0x80 | (*s & 0x3f));
		s++;
	}
	out[o] = '\0';
	return out;
}

json_t *
json_text(const char *s)
{
	json_t *j;
	char *u;

	if (s == NULL)
		return NULL;
	if ((j = json_string(s)) != NULL)
		return j;
	u = json_utf8(s);
	j = json_string(u);
	free(u);
	if (j == NULL)
		abort();	/* out of memory: the rule makes valid UTF-8 */
	return j;
}
