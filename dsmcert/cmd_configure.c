#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/trust/import.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"
#include "dsmcert/tlstarget.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/trust.h"
#include "optfile/optfile.h"

/*
 * -configure: carry out the plan. Certificates first, then each option
 * file in one atomic replace. The first failure stops the run; the plan
 * printed at the end says what was done and what was not.
 */

/* A copy of what was read, for add_certs() to take over. */
static int
certs_copy(const struct keydb_certs *from, struct keydb_certs *to)
{
	int rc;

	to->v = xmalloc((from->n ? from->n : 1) * sizeof(*to->v));
	memset(to->v, 0, (from->n ? from->n : 1) * sizeof(*to->v));
	for (to->n = 0; to->n < from->n; to->n++) {
		rc = keydb_decode(from->v[to->n].der, from->v[to->n].derlen,
		    &to->v[to->n]);
		if (rc != KEYDB_OK) {
			keydb_certs_free(to);
			return rc;
		}
		to->v[to->n].line = from->v[to->n].line;
	}
	return KEYDB_OK;
}

/*
 * A server's certificate file goes in as -add -server would put it in,
 * labelled with the server's section name. A certificate of the same
 * server under that label is an older one: the new one goes in beside it
 * (a renewal), so that the node trusts the server before and after it
 * switches.
 */
static int
import_step(struct keydb *db, const struct trust *t, struct plan_step *s)
{
	const struct inv_server *srv = s->server;
	struct keydb_certs copy = { 0 };
	struct add_how how = { 0 };
	char *refused, *conflict;
	int rc;

	if ((rc = certs_copy(&t->certfiles[srv - t->inv.servers], &copy)) !=
	    KEYDB_OK) {
		msg_error("%s: %s", srv->certfile, keydb_error());
		return exit_for_keydb(rc);
	}
	refused = xasprintf("get a valid certificate, or import it with "
	    "dsmcert -add -server %s -file %s -force if you must",
	    srv->name, srv->certfile);
	conflict = xasprintf("that label is not one of %s's certificates; "
	    "dsmcert -add -server %s -file %s -replace replaces it",
	    srv->name, srv->name, srv->certfile);
	how.server = srv->name;
	how.beside = 1;
	how.say = ADD_SAY_NOTHING;
	how.now = t->now;
	how.refused_hint = refused;
	how.conflict_hint = conflict;
	rc = add_certs(&how, db, srv->certfile, &copy, NULL);
	keydb_certs_free(&copy);
	free(refused);
	free(conflict);
	return rc;
}

/* Add to what a step says came of it. */
static void
outcome(struct plan_step *s, const char *what)
{
	char *p = xasprintf("%s%s%s", s->outcome ? s->outcome : "",
	    s->outcome ? "; " : "", what);

	free(s->outcome);
	s->outcome = p;
}

/*
 * Take the server off c; delete c unless something else still relies on
 * it (another server, an import without -server, a certfile).
 */
static int
let_go(struct keydb *db, const struct trust *t, struct plan_step *s,
    const struct keydb_cert *c, const struct inv_server *srv)
{
	char *others = NULL, *why;
	int rc;

	if (trust_cert_spare(t, db, c, srv)) {
		if ((rc = keydb_delete(db, c)) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			return exit_for_keydb(rc);
		}
		keydb_server_forget(db, c->sha256);
		return EXIT_OK;
	}
	if (srv != NULL)
		keydb_server_unlink(db, c->sha256, srv->name);
	keydb_server_get(db, c->sha256, &others);
	why = xasprintf("kept \"%s\", still relied on by %s", c->label,
	    others != NULL ? others : keydb_server_relied(db, c->sha256) ?
	    "an import without -server" : "the certfile of a server in use");
	outcome(s, why);
	free(why);
	free(others);
	return EXIT_OK;
}

/* The old certificates of a renewal: the expired ones, or all (-prune). */
static int
retire_step(struct keydb *db, const struct trust *t, struct plan_step *s)
{
	const struct tserver *ts = &t->servers[s->server - t->inv.servers];
	int rc = EXIT_OK;

	for (size_t k = 0; k < ts->n && rc == EXIT_OK; k++)
		if (ts->v[k].role == TCERT_OLD && (s->all ||
		    ts->v[k].state == TCERT_EXPIRED))
			rc = let_go(db, t, s, ts->v[k].c, ts->server);
	if (rc == EXIT_OK && (rc = keydb_commit(db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	}
	return rc;
}

/*
 * A certificate recorded only for servers nobody uses: unlinked, and
 * deleted unless it was imported without -server too.
 */
static int
prune_step(struct keydb *db, const struct trust *t, struct plan_step *s)
{
	const struct tunused *u = s->unused;
	int rc = EXIT_OK;

	for (size_t i = 0; i < u->servers.n; i++)
		keydb_server_unlink(db, u->c->sha256, u->servers.v[i]);
	if (!u->standalone)
		rc = let_go(db, t, s, u->c, NULL);
	if (rc == EXIT_OK && (rc = keydb_commit(db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	}
	return rc;
}

/* Every edit step of one file, in one replace. */
static int
edit_file(struct plan *p, size_t first)
{
	struct plan_step *f = &p->v[first];
	struct optfile_edits edits = { 0 };
	int rc = OPTFILE_OK, changed = 0;

	for (size_t i = first; i < p->n && rc == OPTFILE_OK; i++)
		if (p->v[i].kind == STEP_EDIT &&
		    strcmp(p->v[i].real, f->real) == 0)
			rc = optfile_edits_set(&edits, p->v[i].item->stanza,
			    p->v[i].item->option, p->v[i].item->value);
	if (rc == OPTFILE_OK) {
		optpaths_warn_owner(f->file);
		rc = optfile_commit(f->file, f->sys ? OPTFILE_SYS : OPTFILE_OPT,
		    &edits, &changed, NULL);
	}
	optfile_edits_free(&edits);
	for (size_t i = first; i < p->n; i++)
		if (p->v[i].kind == STEP_EDIT &&
		    strcmp(p->v[i].real, f->real) == 0)
			p->v[i].state = rc == OPTFILE_OK ? STEP_DONE :
			    STEP_FAILED;
	if (rc == OPTFILE_OK)
		return EXIT_OK;
	msg_error("%s", optfile_error());
	msg_hint("%s was left as it was", f->file);
	return optfile_exitcode(rc);
}

static int
execute(struct keydb *db, const struct trust *t, struct plan *p)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < p->n; i++) {
		struct plan_step *s = &p->v[i];

		if (s->kind == STEP_BYHAND || s->kind == STEP_HELD ||
		    s->state != STEP_PLANNED)
			continue;
		if (rc != EXIT_OK) {
			s->state = STEP_NOTDONE;
			continue;
		}
		switch (s->kind) {
		case STEP_IMPORT:
			rc = import_step(db, t, s);
			break;
		case STEP_RETIRE:
			rc = retire_step(db, t, s);
			break;
		case STEP_PRUNE:
			rc = prune_step(db, t, s);
			break;
		default:
			rc = edit_file(p, i);
			continue;
		}
		s->state = rc == EXIT_OK ? STEP_DONE : STEP_FAILED;
	}
	return rc;
}

/*
 * -prune -online: what each server with an old certificate presents now,
 * reached as its first node reaches it (the node's stanza, as -verify).
 * Not reached: NULL, and its old certificate stays.
 */
static int
seen_presenting(const struct trust *t, struct keydb *db,
    const struct opts *o, char ***out)
{
	char **seen = xcalloc(t->inv.nservers + 1, sizeof(*seen));

	*out = seen;
	for (size_t i = 0; i < t->inv.nservers; i++) {
		const struct tserver *ts = &t->servers[i];
		const struct trust_entry *e = NULL;
		struct opts target = { 0 };
		struct keydb_tls_result r = { 0 };
		struct tlstarget tt;
		int rc;

		for (size_t j = 0; j < t->n && e == NULL; j++)
			if (t->v[j].server == ts->server)
				e = &t->v[j];
		if (e == NULL || ts->nold == 0 || (o->server != NULL &&
		    strcasecmp(o->server, ts->server->name) != 0))
			continue;
		target.optfile = e->node->optfile;
		target.server = e->stanza;
		target.timeout = o->timeout;
		if ((rc = tlstarget_resolve(&target, &tt)) != EXIT_OK)
			return rc;
		msg_debug("%s: connecting to %s:%d (%s)", ts->server->name,
		    tt.host, tt.tls.port, tt.from);
		if ((rc = keydb_tls_probe(db, &tt.tls, &r)) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			tlstarget_free(&tt);
			return EXIT_DB;
		}
		if (r.chain.n > 0)
			seen[i] = xstrdup(r.chain.v[0].sha256);
		keydb_tls_result_free(&r);
		tlstarget_free(&tt);
	}
	return EXIT_OK;
}

static void
seen_free(const struct trust *t, char **seen)
{
	for (size_t i = 0; seen != NULL && i < t->inv.nservers; i++)
		free(seen[i]);
	free(seen);
}

/*
 * -prune -online: the servers are asked first, with the key database
 * opened read-only, so that no lock is held while waiting on the
 * network; the plan is then made under the write lock, on the database
 * as it is then. The inventory, read once, keeps its server indices.
 */
static int
ask_servers(struct trust *t, const struct opts *o, char ***seen)
{
	struct keydb *db;
	int rc;

	if ((rc = db_open_inv(o, t->inv.keydb, KEYDB_READ, &db)) != EXIT_OK)
		return rc;
	if ((rc = trust_gather(t, db, clock_now())) == EXIT_OK)
		rc = seen_presenting(t, db, o, seen);
	keydb_close(db);
	trust_forget(t);
	return rc;
}

/* -server and -online say which server -prune retires, and when. */
static int
prune_flags(const struct opts *o)
{
	if ((o->server != NULL || o->online || o->timeout != NULL) &&
	    !o->prune) {
		msg_error("-server, -online and -timeout go with -configure "
		    "-prune");
		msg_hint("usage: dsmcert %s", o->cmd->usage);
		return EXIT_USAGE;
	}
	if (o->timeout != NULL && !o->online) {
		msg_error("-timeout applies to -configure -prune -online only");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int
cmd_configure(struct opts *o)
{
	struct keydb *db;
	struct trust t;
	struct plan p = { 0 };
	size_t waiting = 0;
	char **seen = NULL;
	int rc;

	if ((rc = prune_flags(o)) != EXIT_OK)
		return rc;
	if ((rc = trust_inventory(&t, o)) != EXIT_OK ||
	    (o->prune && o->online && (rc = ask_servers(&t, o, &seen)) !=
	    EXIT_OK)) {
		seen_free(&t, seen);
		trust_free(&t);
		return rc;
	}
	rc = db_open_inv(o, t.inv.keydb, o->dryrun ? KEYDB_READ :
	    KEYDB_WRITE, &db);
	if (rc != EXIT_OK) {
		seen_free(&t, seen);
		trust_free(&t);
		return rc;
	}
	if ((rc = trust_gather(&t, db, clock_now())) != EXIT_OK ||
	    (rc = plan_build(&p, &t)) != EXIT_OK)
		goto out;
	if (o->prune && o->server != NULL &&
	    inventory_server(&t.inv, o->server) == NULL &&
	    !trust_named(&t, o->server)) {
		msg_error("-server %s: no server of that name in %s, nor a "
		    "stanza of a node's option files", o->server, t.inv.path);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (o->prune)
		plan_prune(&p, &t, o->server, seen);
	p.dryrun = o->dryrun;
	if (!o->dryrun)
		rc = execute(db, &t, &p);
	if (o->json) {
		json_t *j = plan_json(&p);

		/* A dry run also shows what the model found in place. */
		if (o->dryrun)
			json_object_set_new(j, "certificates",
			    trust_rows_json(&t));
		json_print(j);
	} else {
		plan_text(stdout, &p);
		if (!o->prune && t.nunused > 0)
			msg_info("%zu unused certificate%s kept (dsmcert -policy "
			    "names %s); dsmcert -configure -prune removes %s",
			    t.nunused, t.nunused > 1 ? "s" : "",
			    t.nunused > 1 ? "them" : "it",
			    t.nunused > 1 ? "them" : "it");
	}
	for (size_t i = 0; i < p.n; i++)
		waiting += p.v[i].kind == STEP_BYHAND ||
		    p.v[i].kind == STEP_HELD;
	if (rc == EXIT_OK && waiting > 0)
		rc = EXIT_CHECK;
out:
	seen_free(&t, seen);
	plan_free(&p);
	trust_free(&t);
	keydb_close(db);
	return rc;
}
