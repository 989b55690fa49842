#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/labelcase.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/* What was deleted: an index into the listing, with the server it had. */
struct deleted {
	struct {
		size_t idx;
		char *server;	/* owned; NULL when none */
	} *v;
	size_t n;
};

static void
deleted_add(struct deleted *d, size_t i, char *server)
{
	d->v = xreallocarray(d->v, d->n + 1, sizeof(*d->v));
	d->v[d->n].idx = i;
	d->v[d->n++].server = server;
}

static void
deleted_free(struct deleted *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].server);
	free(d->v);
	*d = (struct deleted){ 0 };
}

static void
render(const struct opts *o, const struct keydb_certs *all,
    const struct deleted *d)
{
	json_t *a = o->json ? json_array() : NULL;

	for (size_t i = 0; i < d->n; i++) {
		const struct keydb_cert *c = &all->v[d->v[i].idx];

		if (a != NULL)
			json_array_append_new(a, cert_json(c, d->v[i].server));
		else
			msg_info("deleted \"%s\" (%s, SHA-256 %s)", c->label,
			    subject_text(c), c->sha256);
	}
	if (a != NULL)
		json_print(a);
}

/*
 * -server NAME: unlink NAME from a certificate recorded for it. Kept
 * when another server, or an import without -server, still relies on
 * it (1, said why); else deleted (0).
 */
static int
unlink_server(const struct opts *o, struct keydb *db,
    const struct keydb_cert *c)
{
	char *others = NULL;

	keydb_server_unlink(db, c->sha256, o->server);
	if (!keydb_server_relied(db, c->sha256))
		return 0;
	keydb_server_get(db, c->sha256, &others);
	if (o->json)
		msg_debug("kept \"%s\"", c->label);
	else
		msg_info("kept \"%s\" (SHA-256 %s): no longer for %s, still "
		    "relied on by %s", c->label, c->sha256, o->server,
		    others != NULL ? others :
		    "an import without -server");
	free(others);
	return 1;
}

/*
 * -delete -label L removes exactly the certificate(s) under that label;
 * -delete -server NAME takes NAME off every certificate recorded for it
 * and deletes those that nothing else relies on. Other certificates
 * with the same subject are never touched.
 */
int
cmd_delete(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct deleted d = { 0 };
	struct keydb *db = NULL;
	size_t kept = 0;
	int rc;

	if ((o->label == NULL) == (o->server == NULL)) {
		msg_error("-delete needs -label L or -server NAME, not both");
		return EXIT_USAGE;
	}
	if ((rc = db_open_list(o, KEYDB_WRITE, &db, &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		const struct keydb_cert *c = &all.v[i];
		char *server = NULL;

		/* The server map is scanned per lookup: only for a match. */
		if (o->label != NULL && strcmp(c->label, o->label) != 0)
			continue;
		if (o->label == NULL && !keydb_server_has(db, c->sha256,
		    o->server))
			continue;
		keydb_server_get(db, c->sha256, &server);
		if (o->label == NULL && unlink_server(o, db, c)) {
			free(server);
			kept++;
			continue;
		}
		if ((rc = keydb_delete(db, c)) != KEYDB_OK) {
			free(server);
			msg_error("%s", keydb_error());
			rc = exit_for_keydb(rc);
			break;
		}
		keydb_server_forget(db, c->sha256);
		deleted_add(&d, i, server);
	}
	if (rc == EXIT_OK && (rc = keydb_commit(db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	}
	/* Even after a failure: what is gone from NSS is gone. */
	render(o, &all, &d);
	if (rc == EXIT_OK && d.n == 0 && kept == 0) {
		msg_error("%s: no certificate %s \"%s\"", keydb_dir(db),
		    o->label ? "labelled" : "for server",
		    o->label ? o->label : o->server);
		if (o->label != NULL)
			label_case_hint(&all, o->label);
		else
			msg_hint("dsmcert -list shows what is there");
		rc = EXIT_NOTFOUND;
	}
out:
	deleted_free(&d);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
