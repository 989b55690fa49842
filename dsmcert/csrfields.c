#include <ctype.h>
#include <string.h>

#include "dsmcert/csrfields.h"
#include "dsmcert/msg.h"
#include "keydb/keydb.h"

/* Characters, not bytes: -1 when s is not UTF-8 or holds a control. */
static long
chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		int more = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 :
		    (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;

		if (more < 0 || *p < 0x20 || *p == 0x7f)
			return -1;
		for (p++; more > 0; more--, p++)
			if ((*p & 0xc0) != 0x80)
				return -1;
		n++;
	}
	return n;
}

static int
field(const char *flag, const char *what, const char *v, long max)
{
	long n;

	if (v == NULL) {
		msg_error("-%s (%s) is required", flag, what);
		return 0;
	}
	if ((n = chars(v)) < 0) {
		msg_error("-%s (%s) \"%s\": not UTF-8 text, or holds a "
		    "control character", flag, what, v);
		return 0;
	}
	if (n == 0 || n > max) {
		msg_error("-%s (%s) must be 1 to %ld characters; \"%s\" has "
		    "%ld", flag, what, max, v, n);
		return 0;
	}
	if (v[0] == ' ' || v[strlen(v) - 1] == ' ') {
		msg_error("-%s (%s) \"%s\" starts or ends with a blank", flag,
		    what, v);
		return 0;
	}
	return 1;
}

int
csr_fields_ok(const struct opts *o)
{
	const char *c = o->country;

	if (c == NULL) {
		msg_error("-c (country) is required");
		return 0;
	}
	if (strlen(c) != 2 || !isalpha((unsigned char)c[0]) ||
	    !isalpha((unsigned char)c[1])) {
		msg_error("-c (country) must be a two-letter code such as US; "
		    "got \"%s\"", c);
		return 0;
	}
	if (!field("sp", "state or province", o->state, 60) ||
	    !field("cl", "city or locality", o->city, 50) ||
	    !field("on", "organisation", o->org, 60) ||
	    !field("hn", "host name", o->hostname, 60))
		return 0;
	if (o->orgunit != NULL &&
	    !field("ou", "organisational unit", o->orgunit, 64))
		return 0;
	if (!keydb_valid_hostname(o->hostname)) {
		msg_error("-hn (host name) \"%s\" is not a valid host name: "
		    "letters, digits and '-' in dot-separated labels",
		    o->hostname);
		return 0;
	}
	if (o->email != NULL && !field("email", "e-mail address", o->email,
	    128))
		return 0;
	return 1;
}
