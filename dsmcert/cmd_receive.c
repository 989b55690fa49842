#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/add_render.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/import.h"

/* What -receive did, for either renderer. */
struct received {
	const char *file;
	const struct keydb_cert *c;
	char *label;			/* the key's; owned */
	struct add_result chain[2];	/* the engine's, per file read */
	const char *from[2];		/* where each was read */
	size_t n;
};

static void
received_free(struct received *r)
{
	for (size_t i = 0; i < r->n; i++)
		add_result_free(&r->chain[i]);
	free(r->label);
	*r = (struct received){ 0 };
}

/* The certificates of l from index from on, moved out into rest. */
static void
split(struct keydb_certs *l, size_t from, struct keydb_certs *rest)
{
	rest->n = from < l->n ? l->n - from : 0;
	rest->v = xreallocarray(NULL, rest->n ? rest->n : 1,
	    sizeof(*rest->v));
	if (rest->n > 0)
		memcpy(rest->v, l->v + from, rest->n * sizeof(*rest->v));
	if (from < l->n)
		l->n = from;
}

/*
 * The chain's CAs go in as -add imports CA roots, through the one import
 * engine: its checks, its labels, its record, its result. Takes l over.
 */
static int
import_chain(const struct opts *o, struct keydb *db, struct keydb_certs *l,
    const char *path, int64_t now, struct received *r)
{
	struct add_how how;
	int rc;

	add_how_opts(&how, o);
	how.server = NULL;
	how.label = NULL;
	how.replace = 0;
	how.now = now;
	how.say = o->json ? ADD_SAY_NOTHING : ADD_SAY_TEXT;
	how.clash_hint = "delete the certificate already there (dsmcert "
	    "-delete -label L), then run the same -receive again; the "
	    "certificate is installed, its chain is not";
	if (l->n == 0)
		return EXIT_OK;
	rc = add_certs(&how, db, path, l, &r->chain[r->n]);
	keydb_certs_free(l);
	if (rc == EXIT_OK) {
		/* The result points at how: it is said before how goes. */
		if (!o->json)
			add_render_lines(&r->chain[r->n]);
		r->chain[r->n].how = NULL;
		r->from[r->n++] = path;
	}
	return rc;
}

static void
render_json(const struct received *r)
{
	json_t *a = json_array();

	for (size_t k = 0; k < r->n; k++)
		for (size_t i = 0; i < r->chain[k].n; i++) {
			const struct add_item *it = &r->chain[k].v[i];
			int fresh = it->what == ADD_NEW ||
			    it->what == ADD_REPLACED;

			json_array_append_new(a, json_pack(
			    "{s:o?, s:s, s:o, s:o, s:s}",
			    "label", json_text(it->present_as ?
			    it->present_as : it->label), "sha256",
			    it->c->sha256, "subject", json_text(it->c->subject),
			    "file", json_text(r->from[k]),
			    "action", fresh ? "imported" : "present"));
		}
	json_print(json_pack("{s:o, s:o, s:s, s:o, s:o}", "file",
	    json_text(r->file), "label", json_text(r->label),
	    "sha256", r->c->sha256, "subject", json_text(r->c->subject),
	    "chain", a));
}

/*
 * The engine's refusal of a chain CA out of its dates, said before the
 * certificate is installed: -receive then changes nothing.
 */
static int
chain_dated(const struct keydb_certs *l, size_t from, const char *path,
    int force, int64_t now)
{
	int refused = 0;

	for (size_t i = from; !force && i < l->n; i++)
		if (now > l->v[i].not_after || now < l->v[i].not_before)
			refused += add_check_validity(path, &l->v[i], 0, now);
	if (refused > 0)
		msg_hint("use -force to import it anyway; nothing was "
		    "imported");
	return refused == 0;
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
	struct keydb_certs signed_ = { 0 }, chain = { 0 }, tail = { 0 };
	struct keydb_input in = { 0 }, inchain = { 0 };
	struct received r = { 0 };
	struct keydb *db = NULL;
	int64_t now = clock_now();
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
	    (o->chain != NULL && !chain_ok(&chain, 0, inchain.name)) ||
	    !chain_dated(&signed_, 1, in.name, o->force, now) ||
	    (o->chain != NULL &&
	    !chain_dated(&chain, 0, inchain.name, o->force, now))) {
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
	if (!o->json)
		msg_info("installed %s on key \"%s\" (SHA-256 %s)", r.file,
		    r.label, r.c->sha256);
	split(&signed_, 1, &tail);
	rc = import_chain(o, db, &tail, in.name, now, &r);
	if (rc == EXIT_OK && o->chain != NULL)
		rc = import_chain(o, db, &chain, inchain.name, now, &r);
	/* Even after a failure: the certificate is installed. */
	if (o->json)
		render_json(&r);
out:
	received_free(&r);
	keydb_certs_free(&signed_);
	keydb_certs_free(&chain);
	keydb_certs_free(&tail);
	keydb_input_free(&in);
	keydb_input_free(&inchain);
	keydb_close(db);
	return rc;
}
