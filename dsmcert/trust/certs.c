#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/trust/label.h"
#include "dsmcert/db.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/trust.h"

/*
 * Trust over time: the certificates each server's nodes rely on, the
 * old and the new one of a renewal, the ones about to expire, and those
 * nobody relies on any more. Facts only; the policy and the renderers
 * decide what they mean.
 */

const char *
tcert_role_name(enum tcert_role r)
{
	switch (r) {
	case TCERT_NEW:
		return "new";
	case TCERT_OLD:
		return "old";
	case TCERT_CURRENT:
		break;
	}
	return "current";
}

const char *
tcert_state_name(enum tcert_state s)
{
	switch (s) {
	case TCERT_EXPIRING:
		return "expiring";
	case TCERT_EXPIRED:
		return "expired";
	case TCERT_NOTYET:
		return "not yet valid";
	case TCERT_VALID:
		break;
	}
	return "valid";
}

static void
server_clear(struct tserver *ts)
{
	free(ts->v);
	free(ts->new_label);
	free(ts->retire);
	free(ts->expired);
	free(ts->stale);
}

void
trust_certs_free(struct trust *t)
{
	if (t->servers != NULL)
		for (size_t i = 0; i < t->inv.nservers; i++)
			server_clear(&t->servers[i]);
	free(t->servers);
	if (t->rec != NULL)
		for (size_t i = 0; i < t->db.n; i++)
			keydb_strs_free(&t->rec[i].servers);
	free(t->rec);
	t->rec = NULL;
	for (size_t i = 0; i < t->nunused; i++) {
		keydb_strs_free(&t->unused[i].servers);
		free(t->unused[i].why);
	}
	free(t->unused);
	t->servers = NULL;
	t->unused = NULL;
	t->nunused = 0;
}

static enum tcert_state
state_of(const struct trust *t, const struct keydb_cert *c, long *days)
{
	*days = days_between(c->not_after, t->now);
	if (t->now < c->not_before)
		return TCERT_NOTYET;
	if (t->now > c->not_after)
		return TCERT_EXPIRED;
	if (*days < t->warn_days)
		return TCERT_EXPIRING;
	return TCERT_VALID;
}

enum tverdict
tcert_verdict(const struct tcert *tc, int presented)
{
	if (tc->role == TCERT_NEW)
		return TV_NEW;
	if (tc->role == TCERT_OLD && !(presented &&
	    (tc->state == TCERT_EXPIRING || tc->state == TCERT_EXPIRED)))
		return TV_REPLACED;
	switch (tc->state) {
	case TCERT_EXPIRING:
		return TV_EXPIRING;
	case TCERT_EXPIRED:
		return TV_EXPIRED;
	default:
		return TV_OK;
	}
}

const char *
tverdict_name(enum tverdict v)
{
	static const char *const name[] = { "ok", "expiring", "expired",
	    "replaced", "missing", "new" };

	return name[v];
}

int
trust_entry_needs_cert(const struct trust_entry *e)
{
	for (size_t j = 0; j < e->result.nitems; j++)
		if (e->result.items[j].kind == POLICY_CERT &&
		    e->result.pcase != POLICY_LEGACY)
			return 1;
	return 0;
}

int
trust_entry_missing(const struct trust_entry *e)
{
	return trust_entry_needs_cert(e) && !e->facts.have_cert;
}

/* Once: a certificate relied on through several facts is listed once. */
static void
put(const struct trust *t, struct tserver *ts, const struct keydb_cert *c,
    enum tcert_role role)
{
	struct tcert *v;

	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->v[i].c->sha256, c->sha256) == 0)
			return;
	v = ts->v = xreallocarray(ts->v, ts->n + 1, sizeof(*v));
	v[ts->n].c = c;
	v[ts->n].role = role;
	v[ts->n].state = state_of(t, c, &v[ts->n].days);
	ts->n++;
	ts->nnew += role == TCERT_NEW;
	ts->nold += role == TCERT_OLD;
}

struct shakey {
	const char *sha256;
	size_t i;
};

static int
shakey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct shakey *)a)->sha256,
	    ((const struct shakey *)b)->sha256);
}

/*
 * The record of every certificate, read once: asking the key database
 * certificate by certificate would cost the square of their number.
 */
static void
records(struct trust *t, struct keydb *db)
{
	struct shakey *k = xmalloc((t->db.n ? t->db.n : 1) * sizeof(*k));
	struct keydb_strs sha, srv;

	t->rec = xcalloc(t->db.n + 1, sizeof(*t->rec));
	for (size_t i = 0; i < t->db.n; i++) {
		k[i].sha256 = t->db.v[i].sha256;
		k[i].i = i;
	}
	qsort(k, t->db.n, sizeof(*k), shakey_cmp);
	keydb_server_links(db, &sha, &srv);
	for (size_t j = 0; j < sha.n; j++) {
		struct shakey want = { sha.v[j], 0 }, *hit;
		struct keydb_strs *s;

		hit = bsearch(&want, k, t->db.n, sizeof(*k), shakey_cmp);
		if (hit == NULL)
			continue;
		if (srv.v[j][0] == '\0') {
			t->rec[hit->i].standalone = 1;
			continue;
		}
		s = &t->rec[hit->i].servers;
		s->v = xreallocarray(s->v, s->n + 1, sizeof(char *));
		s->v[s->n++] = xstrdup(srv.v[j]);
	}
	keydb_strs_free(&sha);
	keydb_strs_free(&srv);
	free(k);
}

static int
rec_has(const struct trec *r, const char *server)
{
	for (size_t i = 0; i < r->servers.n; i++)
		if (strcasecmp(r->servers.v[i], server) == 0)
			return 1;
	return 0;
}

/*
 * Is c the server's by the record? From before servers were recorded,
 * a certificate recorded for no server is the server's by its label;
 * one imported without -server stays the admin's own when the certfile
 * names another, so that it is never retired as an old one.
 */
static int
recorded_for(const struct trust *t, const struct keydb_cert *c,
    const struct inv_server *s, int have_file)
{
	const struct trec *r = &t->rec[c - t->db.v];

	if (rec_has(r, s->name))
		return 1;
	return labelled_for(c->label, s->name) && r->servers.n == 0 &&
	    !(have_file && r->standalone);
}

/* The CA certificate in the database that issued c, if any. */
static const struct keydb_cert *
issuer_of(const struct trust *t, const struct keydb_cert *c)
{
	if (c->self_signed)
		return NULL;
	for (size_t j = 0; j < t->db.n; j++)
		if (t->db.v[j].is_ca &&
		    strcmp(t->db.v[j].subject, c->issuer) == 0)
			return &t->db.v[j];
	return NULL;
}

/* Append "SEP\"LABEL\" (SHA-256 X), WORDS DATE" to *buf. */
static void
describe(char **buf, const struct tcert *tc, const char *words)
{
	char when[32], *p;

	fmt_time(tc->c->not_after, when);
	p = xasprintf("%s%s\"%s\" (SHA-256 %s), %s %s", *buf ? *buf : "",
	    *buf ? "; " : "", tc->c->label ? tc->c->label : "",
	    tc->c->sha256, words, when);
	free(*buf);
	*buf = p;
}

static void
server_certs(struct trust *t, size_t i)
{
	const struct inv_server *s = &t->inv.servers[i];
	const struct keydb_certs *f = &t->certfiles[i];
	struct tserver *ts = &t->servers[i];
	const struct keydb_cert *ca;
	size_t missing = 0, valid = 0;

	ts->server = s;
	/* What the certfile holds, in the database or still to come. */
	for (size_t k = 0; k < f->n; k++) {
		const struct keydb_cert *d = db_by_sha(&t->db, f->v[k].sha256);

		if (d != NULL)
			put(t, ts, d, TCERT_CURRENT);
		else
			missing++;
	}
	if (missing > 0 && (ca = issuer_of(t, &f->v[0])) != NULL)
		put(t, ts, ca, TCERT_CURRENT);
	else if (missing > 0)
		for (size_t k = 0; k < f->n; k++)
			if (db_by_sha(&t->db, f->v[k].sha256) == NULL)
				put(t, ts, &f->v[k], TCERT_NEW);
	/* What was imported for it: older ones when the certfile differs. */
	for (size_t j = 0; j < t->db.n; j++)
		if (recorded_for(t, &t->db.v[j], s, f->n > 0))
			put(t, ts, &t->db.v[j], f->n > 0 ? TCERT_OLD :
			    TCERT_CURRENT);
	/* Without a certfile, an expired one beside a valid one is old. */
	for (size_t k = 0; k < ts->n && f->n == 0; k++)
		valid += ts->v[k].state != TCERT_EXPIRED;
	for (size_t k = 0; k < ts->n && f->n == 0 && valid > 0; k++)
		if (ts->v[k].state == TCERT_EXPIRED) {
			ts->v[k].role = TCERT_OLD;
			ts->nold++;
		}
	/*
	 * Without a certfile, one that a later certificate with its subject,
	 * valid now, succeeds is old too: the vendor renews under the same
	 * subject, and the old one stays beside the new until the switch.
	 */
	for (size_t k = 0; k < ts->n && f->n == 0; k++) {
		struct tcert *tc = &ts->v[k];

		if (tc->role != TCERT_CURRENT)
			continue;
		for (size_t o = 0; o < ts->n; o++) {
			const struct keydb_cert *oc = ts->v[o].c;

			if (o != k && oc->not_after > tc->c->not_after &&
			    oc->not_before <= t->now &&
			    oc->not_after >= t->now &&
			    strcmp(oc->subject, tc->c->subject) == 0) {
				tc->role = TCERT_OLD;
				ts->nold++;
				break;
			}
		}
	}
	ts->renewed = ts->nold > 0;
	/* An expired certfile is not imported: a step by hand. */
	for (size_t k = 0; k < ts->n; k++) {
		const struct tcert *tc = &ts->v[k];
		char when[32], *p;
		int expired = tc->state == TCERT_EXPIRED;

		if (tc->role != TCERT_NEW || (!expired &&
		    tc->state != TCERT_NOTYET))
			continue;
		fmt_time(expired ? tc->c->not_after : tc->c->not_before, when);
		p = xasprintf("%s%sthe certificate in %s (SHA-256 %s) %s %s",
		    ts->stale ? ts->stale : "", ts->stale ? "; " : "",
		    s->certfile, tc->c->sha256, expired ? "expired on" :
		    "is not valid before", when);
		free(ts->stale);
		ts->stale = p;
	}
	if (ts->nnew > 0 && ts->nold > 0 && ts->stale == NULL)
		ts->new_label = add_label_free(&t->db, s->name);
	for (size_t k = 0; k < ts->n; k++) {
		const struct tcert *tc = &ts->v[k];

		if (tc->state != TCERT_EXPIRED)
			continue;
		if (tc->role == TCERT_OLD)
			describe(&ts->retire, tc, "expired on");
		else if (tc->role == TCERT_CURRENT)
			describe(&ts->expired, tc, "expired on");
	}
}

void
trust_certs(struct trust *t, struct keydb *db)
{
	records(t, db);
	t->servers = xcalloc(t->inv.nservers + 1, sizeof(*t->servers));
	for (size_t i = 0; i < t->inv.nservers; i++)
		server_certs(t, i);
}

/* Does a server that a node uses rely on c, other than except? */
static int
used_relies(const struct trust *t, const struct keydb_cert *c,
    const struct inv_server *except, int any_role)
{
	for (size_t i = 0; i < t->inv.nservers; i++) {
		const struct tserver *ts = &t->servers[i];

		if (!ts->used || ts->server == except)
			continue;
		for (size_t k = 0; k < ts->n; k++)
			if ((any_role || ts->v[k].role == TCERT_CURRENT) &&
			    strcmp(ts->v[k].c->sha256, c->sha256) == 0)
				return 1;
	}
	return 0;
}

int
trust_cert_spare(const struct trust *t, struct keydb *db,
    const struct keydb_cert *c, const struct inv_server *except)
{
	struct keydb_strs srv;
	int standalone, busy;

	keydb_servers_of(db, c->sha256, &srv, &standalone);
	busy = standalone;
	for (size_t i = 0; i < srv.n; i++)
		if (except == NULL || strcasecmp(srv.v[i], except->name) != 0)
			busy = 1;
	keydb_strs_free(&srv);
	return !busy && !used_relies(t, c, except, 0);
}

static void
unused_add(struct trust *t, const struct keydb_cert *c,
    struct keydb_strs *srv, int standalone)
{
	struct tunused *v = xreallocarray(t->unused, t->nunused + 1,
	    sizeof(*v));
	struct tunused *u;

	t->unused = v;
	u = &v[t->nunused++];
	u->c = c;
	u->servers = *srv;
	u->standalone = standalone;
	u->why = NULL;
	for (size_t i = 0; i < srv->n; i++) {
		char *p = xasprintf("%s%s%s, which %s", u->why ? u->why : "",
		    u->why ? "; " : "", srv->v[i],
		    inventory_server(&t->inv, srv->v[i]) != NULL ?
		    "no node uses" : "is not in the inventory");

		free(u->why);
		u->why = p;
	}
	if (standalone) {
		char *p = xasprintf("%s; imported without -server too, so it "
		    "stays", u->why);

		free(u->why);
		u->why = p;
	}
}

void
trust_unused(struct trust *t)
{
	for (size_t j = 0; j < t->db.n; j++) {
		const struct keydb_cert *c = &t->db.v[j];
		const struct trec *r = &t->rec[j];
		struct keydb_strs srv;
		int used = 0;

		/* Recorded for servers, none of them relied on. */
		if (r->servers.n == 0 || used_relies(t, c, NULL, 1))
			continue;
		for (size_t i = 0; i < r->servers.n; i++) {
			const struct inv_server *s = inventory_server(&t->inv,
			    r->servers.v[i]);

			used += s != NULL && t->servers[s - t->inv.servers].used;
			/* The vendor's way: -add -server for a stanza of a
			   node's dsm.sys that the inventory does not list. */
			used += trust_named(t, r->servers.v[i]);
		}
		if (used > 0)
			continue;
		srv.n = r->servers.n;
		srv.v = xmalloc(srv.n * sizeof(char *));
		for (size_t i = 0; i < srv.n; i++)
			srv.v[i] = xstrdup(r->servers.v[i]);
		unused_add(t, c, &srv, r->standalone);
	}
}

__attribute__((format(printf, 2, 3)))
static void
note(struct trust_entry *e, const char *fmt, ...)
{
	char **v = xreallocarray(e->notes, e->nnotes + 1, sizeof(*v));
	char buf[2048];
	va_list ap;

	e->notes = v;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	v[e->nnotes++] = xstrdup(buf);
}

/* "\"LABEL\" (SHA-256 X, not after D)", or the file for a new one. */
static void
name(const struct tserver *ts, const struct tcert *tc, char *buf, size_t len)
{
	char when[32];

	fmt_time(tc->c->not_after, when);
	if (tc->role == TCERT_NEW)
		snprintf(buf, len, "the certificate in %s (SHA-256 %s, not "
		    "after %s)", ts->server->certfile, tc->c->sha256, when);
	else
		snprintf(buf, len, "\"%s\" (SHA-256 %s, not after %s)",
		    tc->c->label ? tc->c->label : "", tc->c->sha256, when);
}

/*
 * What is worth knowing and not yet due: a renewal (old and new named),
 * a certificate about to expire. What is due is an item of the policy.
 */
void
trust_entry_notes(struct trust_entry *e)
{
	const struct tserver *ts = e->certs;
	const struct tcert *cur = NULL;
	char a[512], b[512];

	for (size_t k = 0; k < ts->n && cur == NULL; k++)
		if (ts->v[k].role != TCERT_OLD)
			cur = &ts->v[k];
	for (size_t k = 0; k < ts->n; k++) {
		const struct tcert *tc = &ts->v[k];

		name(ts, tc, a, sizeof(a));
		if (tc->role == TCERT_OLD && tc->state != TCERT_EXPIRED &&
		    cur != NULL) {
			name(ts, cur, b, sizeof(b));
			if (ts->nnew > 0)
				note(e, "renewed: the old certificate is %s; "
				    "the new one is %s", a, b);
			else
				note(e, "renewed: the new certificate %s is in "
				    "place beside the old one, %s, which is "
				    "retired when it expires, or by dsmcert "
				    "-configure -prune once the server has "
				    "switched", b, a);
		}
		if (tc->role != TCERT_OLD && tc->state == TCERT_EXPIRING)
			note(e, "%s expires in %ld day%s: renew it before "
			    "then", a, tc->days, tc->days == 1 ? "" : "s");
		if (tc->role != TCERT_OLD && tc->state == TCERT_NOTYET)
			note(e, "%s is not valid yet", a);
	}
}
