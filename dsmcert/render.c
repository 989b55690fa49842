#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dsmcert/render.h"

void
fmt_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "%lld", (long long)t);
}

void
cert_text(FILE *f, const struct keydb_cert *c, const char *server)
{
	char nb[32], na[32];

	fmt_time(c->not_before, nb);
	fmt_time(c->not_after, na);
	fprintf(f, "%s\n", c->label ? c->label : "(no label)");
	fprintf(f, "  server:      %s\n", server ? server : "-");
	fprintf(f, "  subject:     %s\n", subject_text(c));
	fprintf(f, "  issuer:      %s\n", issuer_text(c));
	fprintf(f, "  not before:  %s\n", nb);
	fprintf(f, "  not after:   %s\n", na);
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
	return json_pack("{s:s?, s:s?, s:s, s:s, s:s, s:s, s:s, s:s?}",
	    "label", c->label, "server", server,
	    "subject", c->subject, "issuer", c->issuer,
	    "not_before", nb, "not_after", na,
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
	int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);

	fputc('\n', stdout);
	json_decref(j);
	return rc;
}
