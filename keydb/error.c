#include <stdarg.h>
#include <stdio.h>

#include <prerror.h>
#include <secerr.h>

#include "keydb/internal.h"

static char errbuf[1024];

const char *
keydb_error(void)
{
	return errbuf;
}

int
kd_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return status;
}

/* NSS's own words for its last error, for the end of a message. */
const char *
kd_nsserr(void)
{
	PRErrorCode code = PR_GetError();
	const char *s = PR_ErrorToString(code, PR_LANGUAGE_I_DEFAULT);

	if (s == NULL || *s == '\0')
		s = PR_ErrorToName(code);
	return s != NULL ? s : "unknown NSS error";
}
