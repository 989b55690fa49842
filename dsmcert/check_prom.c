#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/check.h"
#include "dsmcert/msg.h"

/*
 * -check -prom FILE: the same result as Prometheus text, for
 * node_exporter's textfile collector. The collector reads every *.prom
 * file of its directory whenever it is scraped, so the file is replaced
 * whole by a rename, never written in place: a scrape sees the last run
 * or this one, never half of one. Mode 0644: the collector seldom runs
 * as root.
 */

/* Length of the valid UTF-8 sequence at s, 0 when there is none. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/*
 * A label value as the text format wants it: backslash, double quote
 * and line feed escaped; a byte that is not UTF-8 becomes U+FFFD.
 */
static void
label_value(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p != '\0') {
		size_t n = utf8_len(p);

		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"')
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (n == 0)
			fputs("\xef\xbf\xbd", f);
		else
			fwrite(p, 1, n, f);
		p += n == 0 ? 1 : n;
	}
	fputc('"', f);
}

static void
family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void
cert_labels(FILE *f, const struct check *ck, const struct check_row *r)
{
	fputs("{label=", f);
	label_value(f, r->cert->label != NULL ? r->cert->label : "");
	fputs(",server=", f);
	label_value(f, ck->pairs[r->pair].server);
	fputs(",sha256=", f);
	label_value(f, r->cert->sha256);
	fputc('}', f);
}


/*
 * Prometheus wants base units (promtool check metrics): time left and
 * the warning horizon are in seconds, not days.
 */
static void
certificates(FILE *f, const struct check *ck, int64_t now)
{
	family(f, "dsmcert_certificate_not_after_seconds", "When a "
	    "certificate a node relies on expires, in seconds since the "
	    "epoch.");
	for (size_t i = 0; i < ck->nrows; i++)
		if (check_first_row(ck, i, 1)) {
			fputs("dsmcert_certificate_not_after_seconds", f);
			cert_labels(f, ck, &ck->rows[i]);
			fprintf(f, " %lld\n",
			    (long long)ck->rows[i].cert->not_after);
		}
	check_identity_prom(f, ck, "dsmcert_certificate_not_after_seconds", 0,
	    now, label_value);
	family(f, "dsmcert_certificate_remaining_seconds", "Seconds until "
	    "it expires, from dsmcert_check_timestamp_seconds; negative once "
	    "it has.");
	for (size_t i = 0; i < ck->nrows; i++)
		if (check_first_row(ck, i, 1)) {
			fputs("dsmcert_certificate_remaining_seconds", f);
			cert_labels(f, ck, &ck->rows[i]);
			fprintf(f, " %lld\n",
			    (long long)(ck->rows[i].cert->not_after - now));
		}
	check_identity_prom(f, ck, "dsmcert_certificate_remaining_seconds", 1,
	    now, label_value);
}

/* 1 for a node with no certificate for a server that needs one. */
static void
missing(FILE *f, const struct check *ck)
{
	family(f, "dsmcert_certificate_missing", "1 when a node has no "
	    "certificate for a server that needs one, else 0.");
	for (size_t i = 0; i < ck->npairs; i++) {
		const struct check_pair *p = &ck->pairs[i];
		int again = 0;

		for (size_t j = 0; j < i && !again; j++)
			again = strcmp(ck->pairs[j].node, p->node) == 0 &&
			    strcasecmp(ck->pairs[j].server, p->server) == 0;
		if (!p->needs_cert || again)
			continue;
		fputs("dsmcert_certificate_missing{node=", f);
		label_value(f, p->node);
		fputs(",server=", f);
		label_value(f, p->server);
		fprintf(f, "} %d\n", p->ncerts == 0);
	}
}

/* -online: one series per server address reached through TLS. */
static void
servers(FILE *f, const struct check *ck, int trusted)
{
	for (size_t i = 0; i < ck->npairs; i++) {
		const struct check_probe *p = &ck->probes[i];
		int again = 0;

		for (size_t j = 0; j < i && !again; j++)
			again = ck->probes[j].host != NULL && p->host != NULL &&
			    strcasecmp(ck->probes[j].host, p->host) == 0 &&
			    ck->probes[j].port == p->port &&
			    strcasecmp(ck->pairs[j].server,
			    ck->pairs[i].server) == 0;
		if (p->verdict == CHECK_NO_TLS || again ||
		    (trusted && p->verdict == CHECK_UNREACHABLE))
			continue;
		fprintf(f, "dsmcert_server_%s{server=", trusted ? "trusted" :
		    "reachable");
		label_value(f, ck->pairs[i].server);
		fputs(",host=", f);
		label_value(f, p->host);
		fprintf(f, ",port=\"%d\"} %d\n", p->port, trusted ?
		    p->verdict == CHECK_TRUSTED ||
		    p->verdict == CHECK_FIRST_CONTACT :
		    p->verdict != CHECK_UNREACHABLE);
	}
}

static void
render(FILE *f, const struct check *ck, int64_t now)
{
	family(f, "dsmcert_check_status", "The result of dsmcert -check: "
	    "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	fprintf(f, "dsmcert_check_status %d\n", (int)ck->status);
	family(f, "dsmcert_check_timestamp_seconds", "When dsmcert -check "
	    "ran, in seconds since the epoch.");
	fprintf(f, "dsmcert_check_timestamp_seconds %lld\n", (long long)now);
	family(f, "dsmcert_check_warn_seconds", "How long ahead of an "
	    "expiry dsmcert -check warns (its warning days, in seconds).");
	fprintf(f, "dsmcert_check_warn_seconds %lld\n",
	    (long long)ck->warn_days * 86400);
	if (ck->status == CHECK_UNKNOWN)
		return;
	certificates(f, ck, now);
	missing(f, ck);
	if (ck->probes == NULL)
		return;
	family(f, "dsmcert_server_reachable", "1 when dsmcert -check "
	    "-online reached the server, else 0.");
	servers(f, ck, 0);
	family(f, "dsmcert_server_trusted", "1 when the certificate the "
	    "server presented is trusted here or taken on first contact, "
	    "else 0; absent when it was not reached.");
	servers(f, ck, 1);
}

int
check_prom(const struct check *ck, const char *path, int64_t now)
{
	char *buf = NULL, why[4352];
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	render(f, ck, now);
	fclose(f);
	/* The output gate, as for every file written: /dev/null stays a
	 * device, a user's link leads root only to that user's file. */
	rc = cm_gate_write(path, buf, len, 0644, why, sizeof(why));
	free(buf);
	if (rc == CM_UNSAFE) {
		msg_error("-prom %s: %s; refusing to write it", path, why);
		return -1;
	}
	if (rc != CM_OK) {
		int missing = rc == CM_ERRNO && errno == ENOENT;

		msg_error("-prom %s: cannot write it: %s", path,
		    cm_strerror(rc));
		if (missing)
			msg_hint("its directory must exist: node_exporter's "
			    "--collector.textfile.directory");
		return -1;
	}
	return 0;
}
