#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/trust/trust.h"
#include "optfile/optfile.h"

static const char *const optname[TRUST_NOPTS] = {
	"SSL", "SSLACCEPTCERTFROMSERV", "TCPPort",
};

static void
entry_clear(struct trust_entry *e)
{
	for (int i = 0; i < TRUST_NOPTS; i++) {
		free(e->value[i]);
		free(e->setat[i]);
	}
	free(e->stanza);
	free(e->editfile);
	free(e->sys_why);
	free(e->have_label);
	for (size_t i = 0; i < e->nnotes; i++)
		free(e->notes[i]);
	free(e->notes);
}

void
trust_forget(struct trust *t)
{
	struct inventory inv = t->inv;
	int warn_days = t->warn_days;

	for (size_t i = 0; i < t->n; i++)
		entry_clear(&t->v[i]);
	free(t->v);
	trust_certs_free(t);
	if (t->certfiles != NULL)
		for (size_t i = 0; i < t->inv.nservers; i++)
			keydb_certs_free(&t->certfiles[i]);
	free(t->certfiles);
	keydb_strs_free(&t->named);
	keydb_certs_free(&t->db);
	memset(t, 0, sizeof(*t));
	t->inv = inv;
	t->warn_days = warn_days;
}

void
trust_free(struct trust *t)
{
	trust_forget(t);
	inventory_free(&t->inv);
	memset(t, 0, sizeof(*t));
}

size_t
trust_outstanding(const struct trust *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += !policy_compliant(&t->v[i].result);
	return n;
}

static struct trust_entry *
new_entry(struct trust *t)
{
	struct trust_entry *v = xreallocarray(t->v, t->n + 1, sizeof(*v));

	t->v = v;
	memset(&v[t->n], 0, sizeof(v[t->n]));
	return &v[t->n++];
}

/*
 * The certificate the node trusts the server through now: the server's
 * current one, else (a renewal not yet imported) the old one. NULL when
 * none is in the database, or when part of the certfile is missing.
 */
static const struct keydb_cert *
cert_in_place(const struct tserver *ts)
{
	for (int old = 0; old < 2; old++)
		for (size_t k = 0; k < ts->n; k++)
			if (ts->v[k].role == (old ? TCERT_OLD : TCERT_CURRENT) &&
			    (ts->nnew == 0 || old))
				return ts->v[k].c;
	return NULL;
}

static int
add_entry(struct trust *t, const struct inv_node *n,
    const struct optset *f, int stanza)
{
	struct optfile_value host, val[TRUST_NOPTS];
	const struct inv_server *s;
	const struct keydb_cert *have;
	struct tserver *ts;
	struct trust_entry *e;
	const char *sname = stanza == OPTFILE_GLOBAL ? NULL :
	    f->sys->stanzas[stanza].name;
	unsigned long port;
	size_t nmatch;
	char where[PATH_MAX + 32];
	int rc;

	if ((rc = optfile_effective(f->sys, stanza, f->opt,
	    "TCPServeraddress", &host)) != OPTFILE_OK) {
		msg_error("%s", optfile_error());
		return optfile_exitcode(rc);
	}
	for (int i = 0; i < TRUST_NOPTS; i++)
		if ((rc = optfile_effective(f->sys, stanza, f->opt, optname[i],
		    &val[i])) != OPTFILE_OK) {
			msg_error("%s", optfile_error());
			return optfile_exitcode(rc);
		}
	port = val[TRUST_PORT].value != NULL ?
	    strtoul(val[TRUST_PORT].value, NULL, 10) : 1500;
	s = inventory_match(&t->inv, host.value, (unsigned)port, &nmatch);
	if (sname != NULL)
		snprintf(where, sizeof(where), "stanza %s of %s", sname,
		    f->sys->path);
	else
		snprintf(where, sizeof(where), "%s", f->opt->path);
	if (s == NULL || nmatch > 1) {
		msg_error("node %s, %s: TCPServeraddress %s port %lu %s",
		    n->name, where, host.value != NULL ? host.value : "(none)",
		    port, s == NULL ? "is no server's address in the "
		    "inventory" : "matches more than one server");
		msg_hint("give the server a section in %s whose address "
		    "is %s:%lu", t->inv.path, host.value != NULL ?
		    host.value : "HOST", port);
		return EXIT_INPUT;
	}
	e = new_entry(t);
	e->node = n;
	e->server = s;
	e->stanza = xstrdup(sname);
	e->edit_sys = f->sys != NULL;
	e->editfile = xstrdup(f->sys != NULL ? f->sys->path : f->opt->path);
	if (f->sys != NULL)
		e->sys_why = xstrdup(f->paths.sys_why);
	for (int i = 0; i < TRUST_NOPTS; i++) {
		if (val[i].file == NULL)
			continue;
		e->value[i] = xstrdup(val[i].value);
		snprintf(where, sizeof(where), "%s:%d", val[i].file,
		    val[i].line);
		e->setat[i] = xstrdup(where);
	}
	ts = &t->servers[s - t->inv.servers];
	ts->used = 1;
	e->certs = ts;
	have = cert_in_place(ts);
	if (have != NULL)
		e->have_label = xstrdup(have->label);

	e->facts.server = s->name;
	e->facts.current = s->current;
	e->facts.autocert = s->autocert;
	e->facts.encrypt = s->encrypt;
	e->facts.tlsport = s->tlsport;
	e->facts.have_cert = have != NULL;
	e->facts.certfile = ts->stale == NULL ? s->certfile : NULL;
	e->facts.stale = ts->stale;
	e->facts.renew_label = ts->new_label;
	e->facts.retire = ts->retire;
	e->facts.expired = ts->expired;
	{
		struct policy_opt *o[TRUST_NOPTS] = {
			&e->facts.ssl, &e->facts.acceptcert, &e->facts.tcpport,
		};

		for (int i = 0; i < TRUST_NOPTS; i++) {
			o[i]->value = e->value[i];
			o[i]->file = e->editfile;
			o[i]->stanza = e->stanza;
			o[i]->line = val[i].line;
		}
	}
	policy_decide(&e->facts, &e->result);
	if (e->result.note != NULL) {
		e->notes = xmalloc(sizeof(*e->notes));
		e->notes[e->nnotes++] = xstrdup(e->result.note);
	}
	trust_entry_notes(e);
	return EXIT_OK;
}

static int
gather_node(struct trust *t, struct optcache *cache,
    const struct inv_node *n)
{
	struct optset f;
	char why[64];
	int rc, stanza;

	snprintf(why, sizeof(why), "node %s", n->name);
	if ((rc = optset_load_node(cache, n->optfile, why,
	    n->role == INV_CLIENT ? SYSFIND_CLIENT : SYSFIND_API, n->sysfile,
	    NULL, &f)) != EXIT_OK) {
		msg_hint("the option file of node %s (%s:%d)", n->name,
		    t->inv.path, n->line);
		goto out;
	}
	/* Every stanza, the inventory's or not: its server is relied on. */
	for (int k = 0; f.sys != NULL && k < (int)f.sys->nstanzas; k++)
		if (!trust_named(t, f.sys->stanzas[k].name)) {
			struct keydb_strs *s = &t->named;

			s->v = xreallocarray(s->v, s->n + 1, sizeof(char *));
			s->v[s->n++] = xstrdup(f.sys->stanzas[k].name);
		}
	if (n->nstanzas == 0) {
		msg_debug("node %s uses %s (%s)", n->name,
		    optset_stanza_name(&f) ? optset_stanza_name(&f) :
		    f.paths.opt, f.stanza_why);
		rc = add_entry(t, n, &f, f.stanza);
		goto out;
	}
	for (size_t i = 0; i < n->nstanzas && rc == EXIT_OK; i++) {
		stanza = f.sys != NULL ?
		    optfile_stanza_find(f.sys, n->stanzas[i]) : -1;
		if (stanza < 0) {
			msg_error("%s:%d: [%s] servers: no stanza %s in %s",
			    t->inv.path, n->line, n->name, n->stanzas[i],
			    f.paths.sys);
			rc = EXIT_INPUT;
			break;
		}
		rc = add_entry(t, n, &f, stanza);
	}
out:
	optset_free(&f);
	return rc;
}

static int
read_certfiles(struct trust *t)
{
	t->certfiles = xcalloc(t->inv.nservers + 1, sizeof(*t->certfiles));
	for (size_t i = 0; i < t->inv.nservers; i++) {
		const struct inv_server *s = &t->inv.servers[i];
		int rc;

		if (s->certfile == NULL)
			continue;
		rc = keydb_read_file(s->certfile, &t->certfiles[i]);
		if (rc != KEYDB_OK) {
			msg_error("%s", keydb_error());
			msg_hint("the certfile of [%s] (%s:%d)", s->name,
			    t->inv.path, s->line);
			return EXIT_INPUT;
		}
		if (t->certfiles[i].n == 0) {
			msg_error("%s: no certificate in it", s->certfile);
			msg_hint("the certfile of [%s] (%s:%d)", s->name,
			    t->inv.path, s->line);
			return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

int
trust_inventory(struct trust *t, const struct opts *o)
{
	struct location conf = { 0 };

	memset(t, 0, sizeof(*t));
	locate_config(o, &conf);
	if (inventory_load(conf.path, &t->inv) == -1) {
		msg_error("%s", inventory_error());
		if (strcmp(conf.why, "default") == 0)
			msg_hint("give the inventory with -config FILE or "
			    "DSMCERT_CONF; see dsmcert.conf(5)");
		else
			msg_hint("correct the inventory; dsmcert.conf(5) lists "
			    "every section and key it takes");
		location_free(&conf);
		return EXIT_INPUT;
	}
	location_free(&conf);
	if (t->inv.nnodes == 0) {
		msg_error("%s: no node sections (type = node)", t->inv.path);
		msg_hint("see dsmcert.conf(5) for an example machine");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int
trust_named(const struct trust *t, const char *server)
{
	for (size_t i = 0; i < t->named.n; i++)
		if (strcasecmp(t->named.v[i], server) == 0)
			return 1;
	return 0;
}

int
trust_gather(struct trust *t, struct keydb *db, int64_t now)
{
	struct optcache cache = { NULL, 0 };
	int rc = EXIT_OK;

	/* Only labels, fingerprints and subjects are compared here. */
	if (keydb_list_certs(db, &t->db) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return EXIT_DB;
	}
	if ((rc = read_certfiles(t)) != EXIT_OK)
		return rc;
	t->now = now;
	if (t->warn_days == 0)
		t->warn_days = t->inv.warn_days;
	trust_certs(t, db);
	/* Entries keep copies of what they need from the files. */
	for (size_t i = 0; i < t->inv.nnodes && rc == EXIT_OK; i++)
		rc = gather_node(t, &cache, &t->inv.nodes[i]);
	optcache_free(&cache);
	if (rc == EXIT_OK)
		trust_unused(t);
	return rc;
}
