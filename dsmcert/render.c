#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dsmcert/msg.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/days.h"

void
fmt_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "%lld", (long long)t);
}

/* Whole days left, by the command's clock (days.h: toward zero). */
long
days_left(const struct keydb_cert *c)
{
	return days_between(c->not_after, clock_now());
}

const char *
days_left_text(const struct keydb_cert *c, char *buf, size_t len)
{
	long d = days_left(c);

	if (c->not_after < clock_now() && d == 0)
		snprintf(buf, len, "expired today");
	else if (d >= 0)
		snprintf(buf, len, "%ld day%s left", d, d == 1 ? "" : "s");
	else
		snprintf(buf, len, "expired %ld day%s ago", -d,
		    d == -1 ? "" : "s");
	return buf;
}

/* One line of text output; names from outside are escaped. */
static void
field(FILE *f, const char *name, const char *value)
{
	fputs(name, f);
	msg_escaped(f, value);
	fputc('\n', f);
}

void
cert_text(FILE *f, const struct keydb_cert *c, const char *server)
{
	char nb[32], na[32], dl[48];

	fmt_time(c->not_before, nb);
	fmt_time(c->not_after, na);
	field(f, "", c->label ? c->label : "(no label)");
	field(f, "  server:      ", server ? server : "-");
	field(f, "  subject:     ", subject_text(c));
	field(f, "  issuer:      ", issuer_text(c));
	/* Whether it can vouch for others, as -show's basic constraints. */
	fprintf(f, "  CA:          %s\n", c->is_ca ? "yes" : "no");
	fprintf(f, "  not before:  %s\n", nb);
	fprintf(f, "  not after:   %s (%s)\n", na, days_left_text(c, dl,
	    sizeof(dl)));
	fprintf(f, "  SHA-256:     %s\n", c->sha256);
	if (c->trust != NULL)
		fprintf(f, "  trust:       %s\n", c->trust);
}

const char *
subject_text(const struct keydb_cert *c)
{
	return c->subject != NULL && c->subject[0] != '\0' ? c->subject :
	    "(empty subject)";
}

const char *
issuer_text(const struct keydb_cert *c)
{
	return c->issuer != NULL && c->issuer[0] != '\0' ? c->issuer :
	    "(empty issuer)";
}

json_t *
cert_json(const struct keydb_cert *c, const char *server)
{
	char nb[32], na[32];

	fmt_time(c->not_before, nb);
	fmt_time(c->not_after, na);
	return json_pack("{s:o?, s:o?, s:o, s:o, s:s, s:s, s:I, s:s, s:s?}",
	    "label", json_text(c->label), "server", json_text(server),
	    "subject", json_text(c->subject), "issuer", json_text(c->issuer),
	    "not_before", nb, "not_after", na,
	    "days_left", (json_int_t)days_left(c),
	    "sha256", c->sha256, "trust", c->trust);
}

void
cert_brief(const struct keydb_cert *c, char *buf, size_t len)
{
	const char *name = c->label ? c->label : subject_text(c);

	snprintf(buf, len, "\"%s\" (SHA-256 %s)", name, c->sha256);
}

int
json_print(json_t *j)
{
	int rc;

	/* A document that could not be built is no empty success. */
	if (j == NULL) {
		msg_error("the JSON output could not be built");
		return -1;
	}
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);

	fputc('\n', stdout);
	json_decref(j);
	return rc;
}
