#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/label.h"

/* One chain CA: imported under label, or already there (label or NULL). */
struct chain_item {
	const struct keydb_cert *c;	/* in the file's list */
	const char *file;
	char *label;			/* owned */
	int present;
};

/* What -receive did, for either renderer. */
struct received {
	const char *file;
	const struct keydb_cert *c;
	char *label;			/* the key's; owned */
	struct chain_item *v;
	size_t n;
};

static void
received_free(struct received *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].label);
	free(r->v);
	free(r->label);
	*r = (struct received){ 0 };
}

static void
chain_add(struct received *r, const struct keydb_cert *c, const char *file,
    const char *label, int present)
{
	char *copy = xstrdup(label);

	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct chain_item){ c, file, copy, present };
}

static int
import_chain(struct keydb *db, const struct keydb_certs *chain, size_t from,
    const char *path, struct received *r)
{
	struct keydb_certs all = { 0 };
	int rc;

	for (size_t i = from; i < chain->n; i++) {
		const struct keydb_cert *c = &chain->v[i], *there;
		char *label;

		keydb_certs_free(&all);
		if ((rc = keydb_list(db, &all)) != KEYDB_OK)
			goto fail;
		if ((there = db_by_sha(&all, c->sha256)) != NULL) {
			chain_add(r, c, path, there->label, 1);
			continue;
		}
		label = chain_label(&all, c);
		rc = keydb_import(db, c, label, keydb_default_trust(c));
		if (rc == KEYDB_OK)
			chain_add(r, c, path, label, 0);
		free(label);
		if (rc != KEYDB_OK)
			goto fail;
	}
	keydb_certs_free(&all);
	return EXIT_OK;
fail:
	msg_error("%s", keydb_error());
	keydb_certs_free(&all);
	return exit_for_keydb(rc);
}

static void
render_text(const struct received *r)
{
	msg_info("installed %s on key \"%s\" (SHA-256 %s)", r->file, r->label,
	    r->c->sha256);
	for (size_t i = 0; i < r->n; i++) {
		const struct chain_item *it = &r->v[i];

		if (it->present)
			msg_info("chain CA \"%s\" already in the key database",
			    subject_text(it->c));
		else
			msg_info("imported chain CA \"%s\" from %s as \"%s\" "
			    "(SHA-256 %s)", subject_text(it->c), it->file,
			    it->label, it->c->sha256);
	}
}

static void
render_json(const struct received *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->n; i++) {
		const struct chain_item *it = &r->v[i];

		json_array_append_new(a, json_pack("{s:o?, s:s, s:o, s:o, s:s}",
		    "label", json_text(it->label), "sha256", it->c->sha256,
		    "subject", json_text(it->c->subject),
		    "file", json_text(it->file),
		    "action", it->present ? "present" : "imported"));
	}
	json_print(json_pack("{s:o, s:o, s:s, s:o, s:o}", "file",
	    json_text(r->file), "label", json_text(r->label),
	    "sha256", r->c->sha256, "subject", json_text(r->c->subject),
	    "chain", a));
}

/*
 * Chain certificates must be CAs, and every certificate one NSS can
 * store: refuse before anything is imported.
 */
static int
chain_ok(const struct keydb_certs *l, size_t from, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].unstorable != NULL) {
			msg_error("%s: certificate \"%s\" (SHA-256 %s): NSS "
			    "cannot store this certificate: %s", path,
			    l->v[i].subject, l->v[i].sha256,
			    l->v[i].unstorable);
			return 0;
		}
	for (size_t i = from; i < l->n; i++)
		if (!l->v[i].is_ca) {
			msg_error("%s: certificate \"%s\" (SHA-256 %s) is not a "
			    "CA; a chain holds CA certificates only", path,
			    subject_text(&l->v[i]), l->v[i].sha256);
			return 0;
		}
	return 1;
}

int
cmd_receive(struct opts *o)
{
	struct keydb_certs signed_ = { 0 }, chain = { 0 };
	struct keydb_input in = { 0 }, inchain = { 0 };
	struct received r = { 0 };
	struct keydb *db = NULL;
	int rc;

	if (o->file == NULL) {
		msg_error("-receive needs -file SIGNED");
		return EXIT_USAGE;
	}
	/* Read whole first: a slow pipe on -file - holds no lock. */
	if ((rc = keydb_input_read(o->file, &in)) != KEYDB_OK ||
	    (o->chain != NULL &&
	    (rc = keydb_input_read(o->chain, &inchain)) != KEYDB_OK)) {
		msg_error("%s", keydb_error());
		keydb_input_free(&in);
		return exit_for_keydb(rc);
	}
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK)
		goto out;
	/* The signed file may carry its chain after the certificate. */
	if ((rc = keydb_read_mem(in.name, in.buf, in.len, &signed_)) !=
	    KEYDB_OK || (o->chain != NULL && (rc = keydb_read_mem(
	    inchain.name, inchain.buf, inchain.len, &chain)) != KEYDB_OK)) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (!chain_ok(&signed_, 1, in.name) ||
	    (o->chain != NULL && !chain_ok(&chain, 0, inchain.name))) {
		rc = EXIT_INPUT;
		goto out;
	}
	if ((rc = keydb_receive(db, &signed_.v[0], &r.label)) != KEYDB_OK) {
		msg_error("%s: %s", in.name, keydb_error());
		if (rc == KEYDB_EINPUT)
			msg_hint("-receive installs certificates for requests "
			    "made with -gen csr on this key database");
		rc = exit_for_keydb(rc);
		goto out;
	}
	r.file = in.name;
	r.c = &signed_.v[0];
	rc = import_chain(db, &signed_, 1, in.name, &r);
	if (rc == EXIT_OK && o->chain != NULL)
		rc = import_chain(db, &chain, 0, inchain.name, &r);
	/* Even after a failure: the certificate is installed. */
	if (o->json)
		render_json(&r);
	else
		render_text(&r);
out:
	received_free(&r);
	keydb_certs_free(&signed_);
	keydb_certs_free(&chain);
	keydb_input_free(&in);
	keydb_input_free(&inchain);
	keydb_close(db);
	return rc;
}
