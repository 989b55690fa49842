#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/check.h"
#include "dsmcert/warndays.h"
#include "dsmcert/db.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/trust.h"

/*
 * -check: the monitoring command. It reads what -policy reads, never
 * changes anything, and answers as a monitoring plugin does: exit 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN, and a first line a monitoring
 * system shows as it is.
 */

/* The model's certificate of each row (NULL: missing), beside ck->rows. */
struct relied {
	const struct tcert **v;
	size_t n;
};

static void
add_row(struct check *ck, struct relied *rl, size_t pair,
    const struct tcert *tc)
{
	struct check_row *v = xreallocarray(ck->rows, ck->nrows + 1,
	    sizeof(*v));
	const struct tcert **w = xreallocarray(rl->v, rl->n + 1, sizeof(*w));

	ck->rows = v;
	rl->v = w;
	memset(&v[ck->nrows], 0, sizeof(*v));
	v[ck->nrows].pair = pair;
	v[ck->nrows].cert = tc != NULL ? tc->c : NULL;
	v[ck->nrows].days = tc != NULL ? tc->days : 0;
	w[rl->n++] = tc;
	ck->nrows++;
}

/*
 * Per node and server, what the model says it relies on: the
 * certificates of the key database it trusts the server through, and
 * "missing" when it needs one and has none.
 */
static void
gather(struct check *ck, struct relied *rl, const struct trust *t)
{
	ck->pairs = xcalloc(t->n + 1, sizeof(*ck->pairs));
	for (size_t i = 0; i < t->n; i++) {
		const struct trust_entry *e = &t->v[i];
		const struct tserver *ts = e->certs;
		struct check_pair *p = &ck->pairs[ck->npairs];

		p->node = e->node->name;
		p->server = e->server->name;
		p->optfile = e->node->optfile;
		p->sysfile = e->node->sysfile;
		p->api = e->node->role != INV_CLIENT;
		p->stanza = e->stanza;
		p->tls = e->server->current || policy_yes(e->value[TRUST_SSL], 0);
		p->needs_cert = trust_entry_needs_cert(e);
		p->first_contact = e->result.pcase == POLICY_FASTPATH &&
		    !p->needs_cert && policy_yes(e->value[TRUST_ACCEPT], 1);
		for (size_t k = 0; k < ts->n; k++)
			if (ts->v[k].role != TCERT_NEW) {
				add_row(ck, rl, ck->npairs, &ts->v[k]);
				p->ncerts++;
			}
		if (trust_entry_missing(e))
			add_row(ck, rl, ck->npairs, NULL);
		/* Delivered beside the one in use, not imported yet. */
		for (size_t k = 0; k < ts->n && p->ncerts > 0; k++)
			if (ts->v[k].role == TCERT_NEW)
				p->renewal_pending = 1;
		ck->npairs++;
	}
}

/* The model's verdict on each row; with -online, knowing what was seen. */
static void
classify(struct check *ck, const struct relied *rl)
{
	static const enum check_state as[] = {
		[TV_OK] = CHECK_CERT_OK, [TV_EXPIRING] = CHECK_CERT_EXPIRING,
		[TV_EXPIRED] = CHECK_CERT_EXPIRED,
		[TV_REPLACED] = CHECK_CERT_REPLACED,
		[TV_MISSING] = CHECK_CERT_MISSING, [TV_NEW] = CHECK_CERT_OK,
	};

	for (size_t i = 0; i < ck->nrows; i++) {
		struct check_row *r = &ck->rows[i];
		const struct check_probe *pr = ck->probes != NULL ?
		    &ck->probes[r->pair] : NULL;
		int seen;

		if (rl->v[i] == NULL) {
			r->state = CHECK_CERT_MISSING;
			continue;
		}
		seen = pr != NULL && pr->sha256 != NULL &&
		    strcmp(pr->sha256, r->cert->sha256) == 0;
		r->state = as[tcert_verdict(rl->v[i], seen)];
	}
}

/* The check could not tell: say why on the first line too. */
static void
unknown(struct check *ck)
{
	ck->status = CHECK_UNKNOWN;
	free(ck->summary);
	ck->summary = xstrdup(*msg_last_error() ? msg_last_error() :
	    "it could not tell; see the errors");
}

/* The Prometheus file first: when it cannot be written, that is said. */
static int
finish(const struct opts *o, struct check *ck, const char *prom, int64_t now)
{
	if (ck->status != CHECK_UNKNOWN)
		check_judge(ck);
	if (prom != NULL && check_prom(ck, prom, now) != 0)
		unknown(ck);
	if (o->json)
		json_print(check_json(ck));
	else
		check_text(stdout, ck);
	return ck->status;
}

int
check_refused(void)
{
	fputs("DSMCERT UNKNOWN - ", stdout);
	msg_escaped(stdout, *msg_last_error() ? msg_last_error() :
	    "usage error");
	putchar('\n');
	return CHECK_UNKNOWN;
}

/* A -prom file that can be written: not empty, not standard output. */
static int
prom_ok(const char *path)
{
	return path == NULL || (*path != '\0' && strcmp(path, "-") != 0);
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Usage errors of -check's own flags; the plugin says UNKNOWN to them. */
static int
usage_ok(const struct opts *o, struct check *ck)
{
	if (o->days != NULL) {
		int d = warn_days_parse(o->days);

		if (d < 0) {
			msg_error("-days \"%s\": " WARN_DAYS_RANGE " (as "
			    "warn_days in the inventory)", o->days);
			return 0;
		}
		ck->warn_days = d;
	}
	if (!prom_ok(o->prom)) {
		msg_error("-prom \"%s\": give the file to write; standard "
		    "output holds the plugin's lines", o->prom);
		return 0;
	}
	/* Written all the same: another reader may want that name. */
	if (o->prom != NULL && !ends_with(o->prom, ".prom"))
		msg_warn("-prom %s: node_exporter's textfile collector reads "
		    "only files whose names end in .prom; it will not read "
		    "this one", o->prom);
	if (o->timeout != NULL && !o->online) {
		msg_error("-timeout applies to -check -online only");
		return 0;
	}
	return 1;
}

int
cmd_check(struct opts *o)
{
	struct check ck = { .warn_days = INV_WARN_DAYS };
	struct relied rl = { NULL, 0 };
	struct trust t = { 0 };
	struct keydb *db = NULL;
	/* Even a usage error is written to a good file: it tells. */
	const char *prom = prom_ok(o->prom) ? o->prom : NULL;
	int64_t now = clock_now();
	int rc;

	if (!usage_ok(o, &ck)) {
		unknown(&ck);
		goto out;
	}
	ck.online = o->online;
	if (trust_inventory(&t, o) != EXIT_OK) {
		unknown(&ck);
		goto out;
	}
	if (o->days == NULL)
		ck.warn_days = t.inv.warn_days;
	t.warn_days = ck.warn_days;
	if (db_open_inv(o, t.inv.keydb, KEYDB_READ, &db) != EXIT_OK ||
	    trust_gather(&t, db, now) != EXIT_OK) {
		unknown(&ck);
		goto out;
	}
	gather(&ck, &rl, &t);
	if (ck.online && check_online(&ck, db, o) != EXIT_OK)
		unknown(&ck);
	classify(&ck, &rl);
	/* After classify: an acknowledgement quiets a judged row. */
	if (check_identities(&ck, db, &t.inv, now) != 0)
		unknown(&ck);
out:
	rc = finish(o, &ck, prom, now);
	free(rl.v);
	check_free(&ck);
	trust_free(&t);
	keydb_close(db);
	return rc;
}
