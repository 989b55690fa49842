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

/*
 * s with control characters (C0, DEL, C1) and bytes that are not UTF-8
 * as \xNN: every value from a certificate, a file or a server, in every
 * text output. msg_esc returns it as a string, valid for the next 15
 * calls (so several can stand in one printf); NULL stays NULL.
 */
void msg_escaped(FILE *, const char *s);
const char *msg_esc(const char *s);

/*
 * The last error printed, without the prefix ("" when none): -check
 * repeats it on standard output, where a monitoring system reads.
 */
const char *msg_last_error(void);

#endif
