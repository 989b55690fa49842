#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/common.h"
#include "dsmcert/check.h"
#include "dsmcert/db.h"
#include "dsmcert/days.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust.h"

/*
 * -check: the monitoring command. It reads what -policy reads, never
 * changes anything, and answers as a monitoring plugin does: exit 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN, and a first line a monitoring
 * system shows as it is.
 */

#define DEFAULT_WARN_DAYS 90

/* A label given to the server's certificates: NAME, or NAME #N. */
static int
labelled_for(const struct keydb_cert *c, const char *server)
{
	size_t n = strlen(server);

	return c->label != NULL && strncasecmp(c->label, server, n) == 0 &&
	    (c->label[n] == '\0' || strncmp(c->label + n, " #", 2) == 0);
}

/*
 * Does a server rely on c? When it is recorded for the server, labelled
 * for it, one of its certfile's, or the CA root that issued that file's
 * certificate: whatever the node may be trusting the server through.
 */
static int
relied(struct keydb *db, const struct keydb_cert *c, const char *server,
    const struct keydb_certs *file)
{
	if (keydb_server_has(db, c->sha256, server) || labelled_for(c, server))
		return 1;
	for (size_t i = 0; i < file->n; i++)
		if (strcmp(file->v[i].sha256, c->sha256) == 0)
			return 1;
	return file->n > 0 && c->is_ca && !file->v[0].self_signed &&
	    strcmp(c->subject, file->v[0].issuer) == 0;
}

static void
add_row(struct check *ck, size_t pair, const struct keydb_cert *c)
{
	struct check_row *v = xreallocarray(ck->rows, ck->nrows + 1,
	    sizeof(*v));

	ck->rows = v;
	memset(&v[ck->nrows], 0, sizeof(*v));
	v[ck->nrows].pair = pair;
	v[ck->nrows].cert = c;
	ck->nrows++;
}

/*
 * The one place that reads the policy's verdicts: per node and server,
 * whether a certificate is needed, and the certificates in the key
 * database that serve it.
 */
static void
gather(struct check *ck, const struct trust *t, struct keydb *db)
{
	ck->pairs = calloc(t->n + 1, sizeof(*ck->pairs));
	if (ck->pairs == NULL)
		abort();
	for (size_t i = 0; i < t->n; i++) {
		const struct trust_entry *e = &t->v[i];
		const struct inv_server *s = e->server;
		const struct keydb_certs *file =
		    &t->certfiles[s - t->inv.servers];
		struct check_pair *p = &ck->pairs[ck->npairs];

		p->node = e->node->name;
		p->server = s->name;
		p->optfile = e->node->optfile;
		p->stanza = e->stanza;
		p->tls = s->current || policy_yes(e->value[TRUST_SSL], 0);
		/* A legacy server reached without TLS needs none yet. */
		for (size_t j = 0; j < e->result.nitems; j++)
			if (e->result.items[j].kind == POLICY_CERT &&
			    e->result.pcase != POLICY_LEGACY)
				p->needs_cert = 1;
		p->first_contact = e->result.pcase == POLICY_FASTPATH &&
		    !p->needs_cert && policy_yes(e->value[TRUST_ACCEPT], 1);
		for (size_t j = 0; j < t->db.n; j++)
			if (relied(db, &t->db.v[j], s->name, file)) {
				add_row(ck, ck->npairs, &t->db.v[j]);
				p->ncerts++;
			}
		if (p->needs_cert && p->ncerts == 0)
			add_row(ck, ck->npairs, NULL);
		ck->npairs++;
	}
}

/*
 * Is c the old certificate of a renewal: one of the same server with its
 * subject lasts longer and is valid now? The vendor renews its
 * self-signed certificate under the same subject, and -configure keeps
 * the old one beside the new until the server has switched.
 */
static int
replaced(const struct check *ck, const struct check_row *r, int64_t now)
{
	for (size_t i = 0; i < ck->nrows; i++) {
		const struct check_row *o = &ck->rows[i];

		if (o->pair == r->pair && o->cert != NULL &&
		    o->cert->not_after > r->cert->not_after &&
		    o->cert->not_before <= now && o->cert->not_after > now &&
		    strcmp(o->cert->subject, r->cert->subject) == 0)
			return 1;
	}
	return 0;
}

static void
classify(struct check *ck, int64_t now)
{
	for (size_t i = 0; i < ck->nrows; i++) {
		struct check_row *r = &ck->rows[i];

		if (r->cert == NULL) {
			r->state = CHECK_CERT_MISSING;
			continue;
		}
		r->days = days_left(r->cert);
		if (replaced(ck, r, now))
			r->state = CHECK_CERT_REPLACED;
		else if (r->cert->not_after <= now)
			r->state = CHECK_CERT_EXPIRED;
		else if (r->days < ck->warn_days)
			r->state = CHECK_CERT_EXPIRING;
		else
			r->state = CHECK_CERT_OK;
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

/* Usage errors of -check's own flags; the plugin says UNKNOWN to them. */
static int
usage_ok(const struct opts *o, struct check *ck)
{
	if (!days_arg(o->days, DEFAULT_WARN_DAYS, &ck->warn_days))
		return 0;
	if (!prom_ok(o->prom)) {
		msg_error("-prom \"%s\": give the file to write; standard "
		    "output holds the plugin's lines", o->prom);
		return 0;
	}
	if (o->timeout != NULL && !o->online) {
		msg_error("-timeout applies to -check -online only");
		return 0;
	}
	return 1;
}

int
cmd_check(struct opts *o)
{
	struct check ck = { .warn_days = DEFAULT_WARN_DAYS };
	struct trust t = { 0 };
	struct keydb *db = NULL;
	/* Even a usage error is written to a good file: it tells. */
	const char *prom = prom_ok(o->prom) ? o->prom : NULL;
	int64_t now = (int64_t)time(NULL);
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
	if (db_open(o, KEYDB_READ, &db) != EXIT_OK ||
	    trust_gather(&t, db) != EXIT_OK) {
		unknown(&ck);
		goto out;
	}
	gather(&ck, &t, db);
	classify(&ck, now);
	if (ck.online && check_online(&ck, db, o) != EXIT_OK)
		unknown(&ck);
out:
	rc = finish(o, &ck, prom, now);
	check_free(&ck);
	trust_free(&t);
	keydb_close(db);
	return rc;
}
