#include <stdarg.h>
#include <stdio.h>

#include "dsmcert/msg.h"

int msg_quiet;
int msg_verbose;
static char last_error[1024];

const char *
msg_last_error(void)
{
	return last_error;
}

/*
 * Labels, subjects and file names come from outside: a control
 * character in one (an escape sequence, a line end) is shown as \xNN,
 * never sent raw to the terminal or the log.
 */
void
msg_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void
vmsg(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fputs(prefix, f);
	msg_escaped(f, buf);
	fputc('\n', f);
}

void
msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vmsg(stderr, "dsmcert: error: ", fmt, ap);
	va_end(ap);
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stderr, "dsmcert: warning: ", fmt, ap);
	va_end(ap);
}

void
msg_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stderr, "dsmcert: hint: ", fmt, ap);
	va_end(ap);
}

/* Informational results: stdout, silenced by -q. */
void
msg_note(const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(stderr, "dsmcert: note: ", fmt, ap);
	va_end(ap);
}

void
msg_info(const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(stdout, "", fmt, ap);
	va_end(ap);
}

void
msg_debug(const char *fmt, ...)
{
	va_list ap;

	if (!msg_verbose)
		return;
	va_start(ap, fmt);
	vmsg(stderr, "dsmcert: ", fmt, ap);
	va_end(ap);
}
