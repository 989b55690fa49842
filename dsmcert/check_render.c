#include <stdio.h>
#include <stdlib.h>
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
		else if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] < 0xa0) {
			fputc('_', f);	/* a C1 control in UTF-8 */
			s++;
		} else if (c == '=' || c == '|' || c < 0x20 || c == 0x7f ||
		    (c >= 0x80 && c < 0xa0))
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
	fprintf(f, "%s, not after %s (%s)%s%s\n", msg_esc(brief), na,
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
	fprintf(f, " at %s:%d: %s", msg_esc(pr->host), pr->port,
	    check_verdict_name(pr->verdict));
	if (pr->verdict == CHECK_FIRST_CONTACT)
		fprintf(f, ": not in the key database; the node takes it on "
		    "first contact (SSLACCEPTCERTFROMSERV YES)");
	else if (pr->why != NULL)
		fprintf(f, ": %s", msg_esc(pr->why));
	if (pr->sha256 != NULL && pr->verdict != CHECK_TRUSTED)
		fprintf(f, "; it presents %s (SHA-256 %s)", msg_esc(pr->subject),
		    pr->sha256);
	fputc('\n', f);
}

/*
 * Nagios reads '|' anywhere in the output as the start of performance
 * data, and rewrites ';' (its field separator) on the status line: there
 * they become '/' and ',' outside the performance data, so the line
 * shown is the line written.
 */
static void
plugin_safe(FILE *to, char *text, size_t len, int status_line)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] == ';' && status_line)
			text[i] = ',';
		else if (text[i] == '|')
			text[i] = '/';
	fwrite(text, 1, len, to);
	free(text);
}

void
check_text(FILE *f, const struct check *ck)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	fprintf(f, "DSMCERT %s - ", check_status_name(ck->status));
	if ((m = open_memstream(&buf, &len)) == NULL)
		abort();
	msg_escaped(m, ck->summary != NULL ? ck->summary : "");
	fclose(m);
	plugin_safe(f, buf, len, 1);
	if (ck->status != CHECK_UNKNOWN)
		perfdata(f, ck);
	fputc('\n', f);
	if ((m = open_memstream(&buf, &len)) == NULL)
		abort();
	for (size_t i = 0; i < ck->nrows; i++)
		row_text(m, ck, &ck->rows[i]);
	for (size_t i = 0; ck->probes != NULL && i < ck->npairs; i++)
		probe_text(m, ck, i);
	check_identity_text(m, ck);
	fclose(m);
	plugin_safe(f, buf, len, 0);
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
