#include <ctype.h>
#include <string.h>

#include "dsmcert/trust/srvversion.h"

/* Enough for 8.1.14.000 and any plausible release; keeps us off overflow. */
#define MAXDIGITS 5

int
srvversion_parse(const char *s, struct srvversion *out)
{
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return -1;
	if (*s == 'V' || *s == 'v')
		s++;
	for (;;) {
		unsigned val = 0;
		int digits = 0;

		while (isdigit((unsigned char)*s)) {
			if (++digits > MAXDIGITS)
				return -1;
			val = val * 10 + (unsigned)(*s++ - '0');
		}
		if (digits == 0 || n == 4)
			return -1;
		out->v[n++] = val;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return -1;
	}
	return n >= 3 ? 0 : -1;
}

int
srvversion_cmp(const struct srvversion *a, const struct srvversion *b)
{
	for (int i = 0; i < 4; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] < b->v[i] ? -1 : 1;
	return 0;
}

int
srvversion_current(const struct srvversion *v)
{
	static const struct srvversion v718 = { { 7, 1, 8, 0 } };
	static const struct srvversion v800 = { { 8, 0, 0, 0 } };
	static const struct srvversion v812 = { { 8, 1, 2, 0 } };

	if (srvversion_cmp(v, &v718) >= 0 && srvversion_cmp(v, &v800) < 0)
		return 1;
	return srvversion_cmp(v, &v812) >= 0;
}
