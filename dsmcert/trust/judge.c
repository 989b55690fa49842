#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dsmcert/check.h"

/*
 * -check's verdict: the worst of its rows and probes, and the first
 * line's words. The first line names every problem, each once however
 * many nodes share it: a monitoring system shows that line alone.
 */

void
check_free(struct check *ck)
{
	for (size_t i = 0; ck->probes != NULL && i < ck->npairs; i++) {
		struct check_probe *p = &ck->probes[i];

		free(p->host);
		free(p->from);
		free(p->why);
		free(p->sha256);
		free(p->subject);
	}
	free(ck->probes);
	free(ck->pairs);
	free(ck->rows);
	free(ck->summary);
	check_identities_free(ck);
	memset(ck, 0, sizeof(*ck));
}

const char *
check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_OK:
		return "OK";
	case CHECK_WARNING:
		return "WARNING";
	case CHECK_CRITICAL:
		return "CRITICAL";
	case CHECK_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

const char *
check_state_name(enum check_state s)
{
	switch (s) {
	case CHECK_CERT_OK:
		return "ok";
	case CHECK_CERT_EXPIRING:
		return "expiring";
	case CHECK_CERT_EXPIRED:
		return "expired";
	case CHECK_CERT_REPLACED:
		return "replaced";
	case CHECK_CERT_ACKED:
		return "acknowledged";
	case CHECK_CERT_MISSING:
		break;
	}
	return "missing";
}

const char *
check_verdict_name(enum check_verdict v)
{
	switch (v) {
	case CHECK_NO_TLS:
		return "no tls";
	case CHECK_TRUSTED:
		return "trusted";
	case CHECK_FIRST_CONTACT:
		return "first contact";
	case CHECK_UNTRUSTED:
		return "untrusted";
	case CHECK_UNREACHABLE:
		break;
	}
	return "unreachable";
}

static enum check_status
row_status(const struct check_row *r)
{
	switch (r->state) {
	case CHECK_CERT_EXPIRED:
	case CHECK_CERT_MISSING:
		return CHECK_CRITICAL;
	case CHECK_CERT_EXPIRING:
		return CHECK_WARNING;
	default:
		return CHECK_OK;
	}
}

static enum check_status
probe_status(const struct check_probe *p)
{
	if (p->verdict == CHECK_UNTRUSTED)
		return CHECK_CRITICAL;
	if (p->verdict == CHECK_UNREACHABLE)
		return CHECK_WARNING;
	return CHECK_OK;
}

/* Was the same problem said for an earlier row or probe? */
static int
row_said(const struct check *ck, size_t i)
{
	const struct check_row *r = &ck->rows[i];

	for (size_t j = 0; j < i; j++) {
		const struct check_row *o = &ck->rows[j];

		if (o->state != r->state)
			continue;
		if (r->cert == NULL ?
		    strcmp(ck->pairs[o->pair].node, ck->pairs[r->pair].node) ==
		    0 && strcasecmp(ck->pairs[o->pair].server,
		    ck->pairs[r->pair].server) == 0 :
		    strcmp(o->cert->sha256, r->cert->sha256) == 0)
			return 1;
	}
	return 0;
}

static int
probe_said(const struct check *ck, size_t i)
{
	const struct check_probe *p = &ck->probes[i];

	for (size_t j = 0; j < i; j++) {
		const struct check_probe *o = &ck->probes[j];

		if (o->verdict == p->verdict && o->host != NULL &&
		    p->host != NULL && strcasecmp(o->host, p->host) == 0 &&
		    o->port == p->port)
			return 1;
	}
	return 0;
}

static const char *
plural(long n)
{
	return n == 1 || n == -1 ? "" : "s";
}

/* The label, and the server when the label does not say it. */
static void
cert_name(FILE *f, const char *label, const char *server)
{
	fputs(label, f);
	if (strcasecmp(label, server) != 0)
		fprintf(f, " for %s", server);
}

/*
 * Is pair i the first with a renewal waiting for its server? A certfile
 * that holds a new certificate not yet imported is a warning: the node
 * does not trust the server once it switches.
 */
static int
renewal_first(const struct check *ck, size_t i)
{
	if (!ck->pairs[i].renewal_pending)
		return 0;
	for (size_t j = 0; j < i; j++)
		if (ck->pairs[j].renewal_pending &&
		    strcasecmp(ck->pairs[j].server, ck->pairs[i].server) == 0)
			return 0;
	return 1;
}

/* Every problem of one severity, in the order found. */
static void
problems(FILE *f, const struct check *ck, enum check_status sev, int *n)
{
	for (size_t i = 0; i < ck->nrows; i++) {
		const struct check_row *r = &ck->rows[i];
		const struct check_pair *p = &ck->pairs[r->pair];

		if (row_status(r) != sev || row_said(ck, i))
			continue;
		fputs(*n > 0 ? "; " : "", f);
		(*n)++;
		if (r->state == CHECK_CERT_MISSING)
			fprintf(f, "%s has no certificate for %s", p->node,
			    p->server);
		else {
			cert_name(f, r->cert->label, p->server);
			if (r->state == CHECK_CERT_EXPIRED)
				fprintf(f, " expired %ld day%s ago", -r->days,
				    plural(r->days));
			else
				fprintf(f, " expires in %ld day%s", r->days,
				    plural(r->days));
		}
	}
	for (size_t i = 0; sev == CHECK_WARNING && i < ck->npairs; i++) {
		if (!renewal_first(ck, i))
			continue;
		fprintf(f, "%s%s: renewal delivered, not imported: run dsmcert "
		    "-configure", *n > 0 ? "; " : "", ck->pairs[i].server);
		(*n)++;
	}
	for (size_t i = 0; ck->probes != NULL && i < ck->npairs; i++) {
		const struct check_probe *pr = &ck->probes[i];

		if (probe_status(pr) != sev || probe_said(ck, i))
			continue;
		fprintf(f, "%s%s at %s:%d %s: %s", *n > 0 ? "; " : "",
		    ck->pairs[i].server, pr->host, pr->port,
		    pr->verdict == CHECK_UNTRUSTED ? "presents a certificate "
		    "not trusted here" : "cannot be reached", pr->why);
		(*n)++;
	}
}

/* "3 certificates for 4 node and server pairs, the next to expire ..." */
static void
all_well(FILE *f, const struct check *ck)
{
	const struct check_row *next = NULL;
	size_t ncerts = 0, probed = 0, trusted = 0, first = 0;

	for (size_t i = 0; i < ck->nrows; i++) {
		const struct check_row *r = &ck->rows[i];

		if (r->cert == NULL || r->state == CHECK_CERT_REPLACED)
			continue;
		if (!row_said(ck, i))
			ncerts++;
		if (next == NULL || r->cert->not_after < next->cert->not_after)
			next = r;
	}
	if (next == NULL)
		fprintf(f, "no node relies on a certificate in the key "
		    "database (%zu node and server pair%s)", ck->npairs,
		    plural((long)ck->npairs));
	else
		fprintf(f, "%zu certificate%s for %zu node and server pair%s, "
		    "the next to expire %s in %ld day%s", ncerts,
		    plural((long)ncerts), ck->npairs, plural((long)ck->npairs),
		    next->cert->label, next->days, plural(next->days));
	for (size_t i = 0; ck->probes != NULL && i < ck->npairs; i++) {
		probed += ck->probes[i].verdict != CHECK_NO_TLS;
		trusted += ck->probes[i].verdict == CHECK_TRUSTED;
		first += ck->probes[i].verdict == CHECK_FIRST_CONTACT;
	}
	/* A first contact is no failure, but nothing here trusts it yet. */
	if (ck->probes != NULL)
		fprintf(f, "; %zu of %zu server connection%s trusted", trusted,
		    probed, plural((long)probed));
	if (first > 0)
		fprintf(f, ", %zu first contact%s (the node takes the "
		    "certificate then)", first, plural((long)first));
}

void
check_judge(struct check *ck)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int n = 0;

	ck->status = CHECK_OK;
	for (size_t i = 0; i < ck->nrows; i++)
		if (row_status(&ck->rows[i]) > ck->status)
			ck->status = row_status(&ck->rows[i]);
	for (size_t i = 0; ck->probes != NULL && i < ck->npairs; i++)
		if (probe_status(&ck->probes[i]) > ck->status)
			ck->status = probe_status(&ck->probes[i]);
	for (size_t i = 0; i < ck->npairs; i++)
		if (ck->pairs[i].renewal_pending && ck->status < CHECK_WARNING)
			ck->status = CHECK_WARNING;
	if (check_identity_status(ck) > ck->status)
		ck->status = check_identity_status(ck);
	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	if (ck->status == CHECK_OK)
		all_well(f, ck);
	problems(f, ck, CHECK_CRITICAL, &n);
	check_identity_problems(f, ck, CHECK_CRITICAL, &n);
	problems(f, ck, CHECK_WARNING, &n);
	check_identity_problems(f, ck, CHECK_WARNING, &n);
	check_identity_summary(f, ck);
	fclose(f);
	free(ck->summary);
	ck->summary = buf;
}

/*
 * Is row i the first of its certificate (per_server: of its certificate
 * and server), not the old one of a renewal? Each certificate is then
 * measured once, and the one being replaced raises no alarm.
 */
int
check_first_row(const struct check *ck, size_t i, int per_server)
{
	const struct check_row *r = &ck->rows[i];

	if (r->cert == NULL || r->state == CHECK_CERT_REPLACED)
		return 0;
	for (size_t j = 0; j < i; j++) {
		const struct check_row *o = &ck->rows[j];

		if (o->cert != NULL && o->state != CHECK_CERT_REPLACED &&
		    strcmp(o->cert->sha256, r->cert->sha256) == 0 &&
		    (!per_server || strcasecmp(ck->pairs[o->pair].server,
		    ck->pairs[r->pair].server) == 0))
			return 0;
	}
	return 1;
}
