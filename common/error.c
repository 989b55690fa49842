#include <stdarg.h>
#include <stdio.h>

#include "common/common.h"

/*
 * The one message buffer of the libraries: keydb_error() and
 * optfile_error() both read it, kd_fail and of_fail both write it. A
 * message is read right after the call that failed, before any other
 * library call, so one buffer serves both.
 */
static char errbuf[1024];

const char *
cm_error(void)
{
	return errbuf;
}

int
cm_vfail(int status, const char *fmt, va_list ap)
{
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	return status;
}
