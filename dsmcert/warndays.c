#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dsmcert/warndays.h"

int
warn_days_parse(const char *s)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s) || strlen(s) > 4)
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > WARN_DAYS_MAX)
		return -1;
	return (int)v;
}
