#ifndef DSMCERT_MSG_H
#define DSMCERT_MSG_H

#include <stdio.h>

/*
 * Only dsmcert/ prints. Errors and warnings go to stderr prefixed with
 * "dsmcert: error:" / "dsmcert: warning:"; results go to stdout.
 */
extern int msg_quiet;	/* -q: no informational lines */
extern int msg_verbose;	/* -v: extra detail */

void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Something worth knowing that is no warning, on stderr. */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* s with control characters as \xNN. */
void msg_escaped(FILE *, const char *s);

/*
 * The last error printed, without the prefix ("" when none): -check
 * repeats it on standard output, where a monitoring system reads.
 */
const char *msg_last_error(void);

#endif
