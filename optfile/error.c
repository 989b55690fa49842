#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optfile/internal.h"

static char errbuf[1024];

const char *
optfile_error(void)
{
	return errbuf;
}

int
of_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return status;
}

int
of_nomem(void)
{
	return of_fail(OPTFILE_ENOMEM, "out of memory");
}
