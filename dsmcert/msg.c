#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
 * Labels, subjects, file names and whatever a server sends come from
 * outside: a control character in one (an escape sequence, a line end)
 * is shown as \xNN, never sent raw to the terminal or the log. C0 and
 * DEL, and C1 too: U+0080-U+009F in UTF-8 (\xc2\x9b is CSI to a
 * UTF-8 terminal) and 0x80-0x9f where it is not part of valid UTF-8
 * (0x9b alone is CSI to an 8-bit one). The one function for every text
 * output;
 * JSON escapes as JSON does and keeps every byte.
 */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 :
	    p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;

	if (p[0] >= 0xf5)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* U+0080-U+009F: the C1 controls. */
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	return n;
}

void
msg_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		size_t n = *p < 0x80 ? 1 : utf8_len(p);

		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
			/* U+0080-U+009F, both bytes shown */
			fprintf(f, "\\xc2\\x%02x", p[1]);
			p += 2;
			continue;
		}
		/* Other bytes that are not UTF-8 (Latin-1 text) stay. */
		if (n == 0 && *p >= 0xa0)
			n = 1;
		if (n == 0 || *p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}

/* A ring of results, so that a few can stand in one printf. */
#define ESC_RING 16
static char *esc_ring[ESC_RING];
static unsigned esc_next;

const char *
msg_esc(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	unsigned i = esc_next++ % ESC_RING;

	if (s == NULL)
		return NULL;
	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	msg_escaped(f, s);
	if (fclose(f) != 0)
		abort();
	free(esc_ring[i]);
	esc_ring[i] = buf;
	return buf;
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
