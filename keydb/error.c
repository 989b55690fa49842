#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <prerror.h>
#include <secerr.h>

#include "keydb/internal.h"

const char *
keydb_error(void)
{
	return cm_error();
}

int
kd_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = cm_vfail(status, fmt, ap);
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

/*
 * A password or PIN file (what: "password", "PIN"), with the message
 * every caller gives for it; status is what a failure returns.
 */
int
kd_secret(const char *path, const char *what, int status, char **out)
{
	char why[PATH_MAX + 256];
	mode_t mode;
	int rc;

	*out = NULL;
	rc = cm_secret_read(path, out, &mode, why, sizeof(why));
	if (rc == CM_UNSAFE)
		return kd_fail(status, "%s: %s", path, why);

	if (rc == CM_EXPOSED)
		return kd_fail(status, "%s: %s file is readable by group or "
		    "others (mode %04o); chmod 600 it", path, what,
		    (unsigned)mode);
	if (rc != CM_OK)
		return kd_fail(status, "%s: cannot read %s file: %s", path,
		    what, cm_strerror(rc));
	return KEYDB_OK;
}

/* The whole of an input file, "-" for standard input, at most max bytes. */
int
kd_read(const char *path, size_t max, char **buf, size_t *len)
{
	char why[PATH_MAX + 256];
	int rc;

	if (strcmp(path, "-") == 0)
		rc = cm_file_read_fd(0, max, buf, len);
	else
		rc = cm_file_read_safe(path, max, buf, len, why, sizeof(why));
	if (rc == CM_UNSAFE)
		return kd_fail(KEYDB_EINPUT, "%s: %s", path, why);
	if (rc == CM_TOOBIG)
		return kd_fail(KEYDB_EINPUT, "%s: larger than %zu bytes, too "
		    "large for this kind of file", path, max);
	if (rc != CM_OK)
		return kd_fail(KEYDB_EINPUT, "%s: cannot read: %s", path,
		    cm_strerror(rc));
	return KEYDB_OK;
}
