#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/trust.h"

/*
 * -configure -prune: the admin says the servers have switched. Every old
 * certificate of a renewal goes once its successor is in place (or
 * imported by this run), and so does every certificate recorded only for
 * servers that no node uses. A root imported without -server never goes.
 */

static struct plan_step *
push(struct plan *p, enum step_kind kind, const struct inv_server *srv)
{
	struct plan_step *v = xreallocarray(p->v, p->n + 1, sizeof(*v));

	p->v = v;
	memset(&v[p->n], 0, sizeof(v[p->n]));
	v[p->n].kind = kind;
	v[p->n].server = srv;
	return &v[p->n++];
}

static struct plan_step *
find(struct plan *p, enum step_kind kind, const struct inv_server *srv)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == kind && p->v[i].server == srv)
			return &p->v[i];
	return NULL;
}

/* The nodes that use srv, in inventory order, once each. */
static char *
nodes_of(const struct trust *t, const struct inv_server *srv)
{
	char *list = NULL, *p;
	const char *last = NULL;

	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].server != srv ||
		    (last != NULL && strcmp(last, t->v[i].node->name) == 0))
			continue;
		last = t->v[i].node->name;
		p = xasprintf("%s%s%s", list ? list : "", list ? ", " : "",
		    last);
		free(list);
		list = p;
	}
	return list;
}

/* Its successor is there, or comes with this run, and is valid. */
static int
successor_ready(const struct plan *p, const struct tserver *ts)
{
	int valid = 0;

	for (size_t k = 0; k < ts->n; k++)
		valid += ts->v[k].role != TCERT_OLD &&
		    (ts->v[k].state == TCERT_VALID ||
		    ts->v[k].state == TCERT_EXPIRING);
	if (valid == 0)
		return 0;
	for (size_t i = 0; i < p->n && ts->nnew > 0; i++)
		if (p->v[i].kind == STEP_IMPORT && p->v[i].server == ts->server)
			return 1;
	return ts->nnew == 0;
}

static void
retire_old(struct plan *p, const struct trust *t, const struct tserver *ts)
{
	struct plan_step *s;
	char when[32], *text = NULL, *x;

	for (size_t k = 0; k < ts->n; k++) {
		const struct tcert *tc = &ts->v[k];

		if (tc->role != TCERT_OLD)
			continue;
		fmt_time(tc->c->not_after, when);
		x = xasprintf("%s%s\"%s\" (SHA-256 %s), %s %s", text ? text :
		    "retire ", text ? "; " : "", tc->c->label ? tc->c->label :
		    "", tc->c->sha256, tc->state == TCERT_EXPIRED ?
		    "expired on" : "not after", when);
		free(text);
		text = x;
	}
	/* One step per server: the expired ones' step now takes them all. */
	if ((s = find(p, STEP_RETIRE, ts->server)) != NULL)
		free(s->text);
	else {
		s = push(p, STEP_RETIRE, ts->server);
		s->nodes = nodes_of(t, ts->server);
	}
	s->text = text;
	s->all = 1;
}

/* Was the server seen presenting a certificate of its that is not old? */
static int
switched(const struct tserver *ts, const char *sha256)
{
	if (sha256 == NULL)
		return 0;
	for (size_t k = 0; k < ts->n; k++)
		if (strcmp(ts->v[k].c->sha256, sha256) == 0)
			return ts->v[k].role != TCERT_OLD;
	return 0;
}

/* Not yet: the server still presents the old one, or was not reached. */
static void
wait_switch(struct plan *p, const struct trust *t, const struct tserver *ts,
    const char *sha256)
{
	struct plan_step *s = push(p, STEP_BYHAND, ts->server);

	s->nodes = nodes_of(t, ts->server);
	s->text = xasprintf("retire the old certificate of %s once the "
	    "server presents its new one (%s); run dsmcert -configure -prune "
	    "-server %s -online again then", ts->server->name, sha256 == NULL ?
	    "it could not be reached" : "it still presents the old one",
	    ts->server->name);
}

/* Is u recorded for only (or is there no such limit)? */
static int
prunes(const struct tunused *u, const char *only)
{
	if (only == NULL)
		return 1;
	for (size_t k = 0; k < u->servers.n; k++)
		if (strcasecmp(u->servers.v[k], only) != 0)
			return 0;
	return u->servers.n > 0;
}

void
plan_prune(struct plan *p, const struct trust *t, const char *only,
    char *const *seen)
{
	struct plan_step *v;
	size_t n = 0;
	char when[32];

	for (size_t i = 0; i < t->inv.nservers; i++) {
		const struct tserver *ts = &t->servers[i];

		if (!ts->used || ts->nold == 0 || !successor_ready(p, ts) ||
		    (only != NULL && strcasecmp(only, ts->server->name) != 0))
			continue;
		if (seen != NULL && !switched(ts, seen[i]))
			wait_switch(p, t, ts, seen[i]);
		else
			retire_old(p, t, ts);
	}
	for (size_t i = 0; i < t->nunused; i++) {
		const struct tunused *u = &t->unused[i];
		struct plan_step *s;
		char *names = NULL, *x;

		if (!prunes(u, only))
			continue;
		s = push(p, STEP_PRUNE, NULL);

		for (size_t k = 0; k < u->servers.n; k++) {
			x = xasprintf("%s%s%s", names ? names : "",
			    names ? ", " : "", u->servers.v[k]);
			free(names);
			names = x;
		}
		fmt_time(u->c->not_after, when);
		if (u->standalone)
			s->text = xasprintf("unlink %s from \"%s\" (SHA-256 "
			    "%s): recorded for %s", names, u->c->label ?
			    u->c->label : "", u->c->sha256, u->why);
		else
			s->text = xasprintf("remove \"%s\" (SHA-256 %s), not "
			    "after %s: recorded only for %s", u->c->label ?
			    u->c->label : "", u->c->sha256, when, u->why);
		free(names);
		s->unused = u;
	}
	/* Steps by hand stay last, as plan_build orders them. */
	v = xmalloc((p->n ? p->n : 1) * sizeof(*v));
	for (int byhand = 0; byhand < 2; byhand++)
		for (size_t i = 0; i < p->n; i++)
			if ((p->v[i].kind == STEP_BYHAND) == byhand)
				v[n++] = p->v[i];
	free(p->v);
	p->v = v;
}
