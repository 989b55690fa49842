#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dsmcert/trust/inventory.h"

/*
 * An acknowledged expiry (dsmcert.conf(5), type = ack): a certificate
 * named by its SHA-256 fingerprint, and the last day -check keeps quiet
 * about its expiry. The fingerprint is taken with or without colons, in
 * either case, and kept as openssl prints it.
 */

static int
parse_sha256(const char *s, char out[96])
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)*s) || n >= 64)
			return -1;
		if (n > 0 && n % 2 == 0)
			out[n / 2 * 3 - 1] = ':';
		out[n / 2 * 3 + n % 2] = (char)toupper((unsigned char)*s);
		n++;
	}
	if (n != 64)
		return -1;
	out[95] = '\0';
	return 0;
}

/* YYYY-MM-DD, a real day; the end of it, UTC. */
static int
parse_day(const char *s, int64_t *end)
{
	struct tm tm = { 0 }, back;
	time_t t;
	int y, m, d, len = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 ||
	    len != 10 || s[len] != '\0' || y < 1970 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	if ((t = timegm(&tm)) == (time_t)-1 || gmtime_r(&t, &back) == NULL ||
	    back.tm_mday != d)
		return -1;	/* 2027-02-30 */
	*end = (int64_t)t;
	return 0;
}

int
inv_ack_parse(const char *sha256, const char *until, struct inv_ack *a,
    const char **why)
{
	if (parse_sha256(sha256, a->sha256) != 0) {
		*why = "sha256";
		return -1;
	}
	if (parse_day(until, &a->until_t) != 0) {
		*why = "until";
		return -1;
	}
	snprintf(a->until, sizeof(a->until), "%s", until);
	return 0;
}
