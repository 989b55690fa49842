#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/trust.h"

/*
 * -modify -label L -trust T: the trust of each certificate with label
 * L, changed in place under the write lock. Taking away the trust a node
 * needs for its server (P or C for TLS servers) is refused without
 * -force, naming the nodes (from the inventory, when there is one) or
 * else the servers the certificate is recorded for.
 */

static const char *const known_trust[] = { "P,,", "C,,", "CT,,", ",," };

static int
trust_ok(const char *t)
{
	for (size_t i = 0; i < sizeof(known_trust) / sizeof(known_trust[0]);
	    i++)
		if (strcmp(t, known_trust[i]) == 0)
			return 1;
	return 0;
}

/* Does a trust string let the certificate vouch for a TLS server? */
static int
serves_tls(const char *t)
{
	size_t n = t != NULL ? strcspn(t, ",") : 0;

	return memchr(t, 'P', n) != NULL || memchr(t, 'C', n) != NULL;
}

/* The nodes of the inventory that talk to one of servers, "a, b". */
static char *
nodes_of(const struct opts *o, struct keydb *db,
    const struct keydb_strs *servers)
{
	struct location conf = { 0 };
	struct trust t;
	char *list = NULL;
	size_t len = 0;

	locate_config(o, &conf);
	if (conf.path == NULL || access(conf.path, F_OK) != 0) {
		location_free(&conf);
		return NULL;
	}
	location_free(&conf);
	if (trust_inventory(&t, o) != EXIT_OK ||
	    trust_gather(&t, db, clock_now()) != EXIT_OK) {
		trust_free(&t);
		return NULL;
	}
	for (size_t i = 0; i < t.n; i++) {
		const struct trust_entry *e = &t.v[i];
		int uses = 0;

		for (size_t k = 0; k < servers->n && !uses; k++)
			uses = strcasecmp(servers->v[k], e->server->name) == 0;
		/* Once each, however many of its stanzas use the server. */
		for (size_t k = 0; k < i && uses; k++)
			for (size_t m = 0; m < servers->n && uses; m++)
				if (t.v[k].node == e->node && strcasecmp(
				    servers->v[m], t.v[k].server->name) == 0)
					uses = 0;
		if (!uses)
			continue;
		list = xreallocarray(list, len + strlen(e->node->name) + 3, 1);
		len += (size_t)sprintf(list + len, "%s%s", len ? ", " : "",
		    e->node->name);
	}
	trust_free(&t);
	return list;
}

static char *
joined(const struct keydb_strs *s)
{
	size_t len = 1;
	char *out;

	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + 2;
	out = xmalloc(len);
	out[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0)
			strcat(out, ", ");
		strcat(out, s->v[i]);
	}
	return out;
}

/* 0 when the change may go ahead; prints why not. */
static int
guard(const struct opts *o, struct keydb *db, const struct keydb_cert *c)
{
	struct keydb_strs servers = { 0 };
	char *nodes, *names, brief[256];

	if (!serves_tls(c->trust) || serves_tls(o->trust))
		return 0;
	if (keydb_servers_of(db, c->sha256, &servers, NULL) != KEYDB_OK)
		return 0;
	cert_brief(c, brief, sizeof(brief));
	names = joined(&servers);
	nodes = nodes_of(o, db, &servers);
	if (o->force && nodes != NULL)
		msg_warn("%s: node %s will no longer trust server %s with "
		    "trust %s (-force)", brief, nodes, names, o->trust);
	else if (o->force)
		msg_warn("%s is recorded for server %s: a node talking to it "
		    "will no longer trust it with trust %s (-force)", brief,
		    names, o->trust);
	else {
		if (nodes != NULL)
			msg_error("%s: node %s would no longer trust server %s "
			    "with trust %s", brief, nodes, names, o->trust);
		else
			msg_error("%s is recorded for server %s: a node "
			    "talking to it would no longer trust it with "
			    "trust %s", brief, names, o->trust);
		msg_hint("add -force to change it all the same");
	}
	free(nodes);
	free(names);
	keydb_strs_free(&servers);
	return o->force ? 0 : -1;
}

int
cmd_modify(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	json_t *arr = o->json ? json_array() : NULL;
	size_t n = 0;
	int rc;

	if (o->label == NULL || o->trust == NULL) {
		msg_error("-modify needs -label L and -trust T");
		json_decref(arr);
		return EXIT_USAGE;
	}
	if (!trust_ok(o->trust)) {
		msg_error("-trust \"%s\": write P,, (a server trusted as "
		    "itself), C,, (a CA of servers), CT,, (a CA of servers "
		    "and clients) or ,, (none)", o->trust);
		json_decref(arr);
		return EXIT_USAGE;
	}
	/* Locked before reading what will be written back. */
	if ((rc = db_open_list(o, o->dryrun ? KEYDB_READ : KEYDB_WRITE, &db,
	    &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		const struct keydb_cert *c = &all.v[i];

		if (strcmp(c->label, o->label) != 0)
			continue;
		n++;
		if (guard(o, db, c) != 0) {
			rc = EXIT_CONFLICT;
			goto out;
		}
	}
	if (n == 0) {
		msg_error("%s: no certificate labelled \"%s\"", keydb_dir(db),
		    o->label);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	for (size_t i = 0; i < all.n; i++) {
		const struct keydb_cert *c = &all.v[i];
		char brief[256];
		const char *action;

		if (strcmp(c->label, o->label) != 0)
			continue;
		cert_brief(c, brief, sizeof(brief));
		if (!o->dryrun && keydb_set_trust(db, c, o->trust) !=
		    KEYDB_OK) {
			msg_error("%s", keydb_error());
			rc = EXIT_DB;
			goto out;
		}
		action = o->dryrun ? "would change" : "changed";
		if (arr != NULL)
			json_array_append_new(arr, json_pack("{s:o, s:s, s:s?, "
			    "s:s, s:s}", "label", json_text(c->label),
			    "sha256", c->sha256, "old_trust", c->trust,
			    "trust", o->trust, "action", o->dryrun ?
			    "would change" : "changed"));
		else
			msg_info("%s the trust of %s from %s to %s", action,
			    brief, c->trust ? c->trust : "?", o->trust);
	}
out:
	if (arr != NULL && rc == EXIT_OK) {
		json_print(arr);
		arr = NULL;
	}
	json_decref(arr);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}

/*
 * -rename -label OLD -to NEW: every certificate labelled OLD and the
 * keys that go with it (an identity's, a pending renewal's). The server
 * record is kept by fingerprint, so it follows the certificates.
 */
int
cmd_rename(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	size_t n = 0;
	int rc;

	if (o->label == NULL || o->to == NULL) {
		msg_error("-rename needs -label OLD and -to NEW");
		return EXIT_USAGE;
	}
	if (!valid_name("-to", o->to))
		return EXIT_USAGE;
	if ((rc = db_open_list(o, o->dryrun ? KEYDB_READ : KEYDB_WRITE, &db,
	    &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i].label, o->label) == 0)
			n++;
	if (n == 0) {
		msg_error("%s: no certificate labelled \"%s\"", keydb_dir(db),
		    o->label);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (strcmp(o->label, o->to) != 0 && keydb_label_taken(db, o->to)) {
		msg_error("%s: label \"%s\" is already taken by a certificate "
		    "or key", keydb_dir(db), o->to);
		msg_hint("choose another -to, or -delete -label %s first",
		    o->to);
		rc = EXIT_CONFLICT;
		goto out;
	}
	for (size_t i = 0; i < all.n && !o->dryrun; i++) {
		if (strcmp(all.v[i].label, o->label) != 0)
			continue;
		if (keydb_relabel(db, &all.v[i], o->to) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			rc = EXIT_DB;
			goto out;
		}
	}
	if (!o->dryrun && keydb_relabel_keys(db, o->label, o->to) !=
	    KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = EXIT_DB;
		goto out;
	}
	if (o->json)
		json_print(json_pack("{s:o, s:o, s:I, s:s}", "label",
		    json_text(o->label), "to", json_text(o->to), "certificates",
		    (json_int_t)n, "action", o->dryrun ? "would rename" :
		    "renamed"));
	else
		msg_info("%s \"%s\" to \"%s\" (%zu certificate%s)",
		    o->dryrun ? "would rename" : "renamed", o->label, o->to, n,
		    n == 1 ? "" : "s");
out:
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
