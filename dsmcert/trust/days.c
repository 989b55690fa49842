#include <errno.h>
#include <stdlib.h>

#include "dsmcert/trust/days.h"
#include "dsmcert/msg.h"

int
days_arg(const char *s, int dflt, int *out)
{
	char *end;
	long v;

	if (s == NULL) {
		*out = dflt;
		return 1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 36500) {
		msg_error("-days \"%s\": give a whole number of days from 1 "
		    "to 36500", s);
		return 0;
	}
	*out = (int)v;
	return 1;
}

long
days_between(int64_t not_after, int64_t now)
{
	/* C divides toward zero, as the rule wants. */
	return (long)((not_after - now) / 86400);
}

static int64_t command_now;

void
clock_start(int64_t now)
{
	command_now = now;
}

int64_t
clock_now(void)
{
	return command_now;
}
