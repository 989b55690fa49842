#include <stdio.h>
#include <string.h>

#include "dsmcert/msg.h"
#include "dsmcert/check.h"
#include "dsmcert/render.h"

/*
 * -check's plugin output and its JSON. The first line is what a
 * monitoring system shows and keeps: "DSMCERT STATUS - summary", then
 * after '|' the days left of each certificate as performance data, in
 * the format of the monitoring plugin guidelines:
 * 'label'=value[UOM];[warn];[crit];[min];[max]. The lines after it
 * (the plugin's long output) say, per node and server, what -check saw.
 */


/*
 * A label as the guidelines allow it: quoted, a quote doubled; '=' and
 * '|' (which end a label or the data) and control characters as '_'.
 */
static void
perf_label(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\'')
			fputs("''", f);
		else if (c == '=' || c == '|' || c < 0x20 || c == 0x7f)
			fputc('_', f);
		else
			fputc(c, f);
	}
	fputc('\'', f);
}

/*
 * Days left, without a unit (the guidelines know none for days); warn
 * below warn_days, critical below 0, in the guidelines' range notation.
 */
static void
perfdata(FILE *f, const struct check *ck)
{
	int first = 1;

	for (size_t i = 0; i < ck->nrows; i++) {
		if (!check_first_row(ck, i, 0))
			continue;
		fputs(first ? " | " : " ", f);
		first = 0;
		perf_label(f, ck->rows[i].cert->label);
		fprintf(f, "=%ld;%d:;0:", ck->rows[i].days, ck->warn_days);
	}
}

static void
row_text(FILE *f, const struct check *ck, const struct check_row *r)
{
	const struct check_pair *p = &ck->pairs[r->pair];
	char brief[512], na[32], dl[48];

	fprintf(f, "%s -> %s: %s: ", p->node, p->server,
	    check_state_name(r->state));
	if (r->cert == NULL) {
		fprintf(f, "no certificate for the server in the key "
		    "database\n");
		return;
	}
	cert_brief(r->cert, brief, sizeof(brief));
	fmt_time(r->cert->not_after, na);
	fprintf(f, "%s, not after %s (%s)%s%s\n", brief, na,
	    days_left_text(r->cert, dl, sizeof(dl)),
	    r->state == CHECK_CERT_REPLACED ? "; a later one with its "
	    "subject is in place" : r->state == CHECK_CERT_ACKED ?
	    "; its expiry is acknowledged until " : "",
	    r->state == CHECK_CERT_ACKED ? r->ack_until : "");
}

static void
probe_text(FILE *f, const struct check *ck, size_t i)
{
	const struct check_pair *p = &ck->pairs[i];
	const struct check_probe *pr = &ck->probes[i];

	fprintf(f, "%s -> %s", p->node, p->server);
	if (pr->verdict == CHECK_NO_TLS) {
		fprintf(f, ": not connected: legacy authentication, no TLS\n");
		return;
	}
	fprintf(f, " at %s:%d: %s", pr->host, pr->port,
	    check_verdict_name(pr->verdict));
	if (pr->verdict == CHECK_FIRST_CONTACT)
		fprintf(f, ": not in the key database; the node takes it on "
		    "first contact (SSLACCEPTCERTFROMSERV YES)");
	else if (pr->why != NULL)
		fprintf(f, ": %s", pr->why);
	if (pr->sha256 != NULL && pr->verdict != CHECK_TRUSTED)
		fprintf(f, "; it presents %s (SHA-256 %s)", pr->subject,
		    pr->sha256);
	fputc('\n', f);
}

void
check_text(FILE *f, const struct check *ck)
{
	fprintf(f, "DSMCERT %s - ", check_status_name(ck->status));
	msg_escaped(f, ck->summary != NULL ? ck->summary : "");
	if (ck->status != CHECK_UNKNOWN)
		perfdata(f, ck);
	fputc('\n', f);
	for (size_t i = 0; i < ck->nrows; i++)
		row_text(f, ck, &ck->rows[i]);
	for (size_t i = 0; ck->probes != NULL && i < ck->npairs; i++)
		probe_text(f, ck, i);
	check_identity_text(f, ck);
}

static json_t *
row_json(const struct check *ck, const struct check_row *r)
{
	const struct check_pair *p = &ck->pairs[r->pair];
	char na[32];

	if (r->cert == NULL)
		return json_pack("{s:s, s:s, s:n, s:n, s:n, s:n, s:s}",
		    "node", p->node, "server", p->server, "label", "sha256",
		    "not_after", "days_left", "state",
		    check_state_name(r->state));
	fmt_time(r->cert->not_after, na);
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:I, s:s}",
	    "node", p->node, "server", p->server, "label", r->cert->label,
	    "sha256", r->cert->sha256, "not_after", na,
	    "days_left", (json_int_t)r->days,
	    "state", check_state_name(r->state));
}

static json_t *
probe_json(const struct check *ck, size_t i)
{
	const struct check_pair *p = &ck->pairs[i];
	const struct check_probe *pr = &ck->probes[i];
	int tls = pr->verdict != CHECK_NO_TLS;

	return json_pack("{s:s, s:s, s:s?, s:o, s:s?, s:s, s:s?, s:s?, s:s?}",
	    "node", p->node, "server", p->server, "host", pr->host,
	    "port", tls ? json_integer(pr->port) : json_null(),
	    "from", pr->from, "result", check_verdict_name(pr->verdict),
	    "reason", tls && pr->verdict != CHECK_TRUSTED ?
	    keydb_tls_reason_str(pr->reason) : NULL,
	    "why", pr->why, "sha256", pr->sha256);
}

json_t *
check_json(const struct check *ck)
{
	json_t *rows = json_array(), *online = json_null();

	for (size_t i = 0; i < ck->nrows; i++)
		json_array_append_new(rows, row_json(ck, &ck->rows[i]));
	if (ck->probes != NULL) {
		online = json_array();
		for (size_t i = 0; i < ck->npairs; i++)
			json_array_append_new(online, probe_json(ck, i));
	}
	return json_pack("{s:s, s:s, s:i, s:o, s:o, s:o}",
	    "status", check_status_name(ck->status),
	    "summary", ck->summary != NULL ? ck->summary : "",
	    "warn_days", ck->warn_days, "certificates", rows,
	    "online", online, "identities", check_identity_json(ck));
}
