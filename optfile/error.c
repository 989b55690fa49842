#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "optfile/internal.h"

const char *
optfile_error(void)
{
	return cm_error();
}

int
of_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = cm_vfail(status, fmt, ap);
	va_end(ap);
	return status;
}

