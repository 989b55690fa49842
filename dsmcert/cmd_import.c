#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/import.h"

/*
 * -import -pkcs12 follows the rules of -add: the file is read and its
 * certificates checked before anything is written, all or nothing, and
 * a file whose every certificate (and key) is there already changes
 * nothing and says so.
 */

/* In the database before, with its key if the file brings one. */
static const struct keydb_cert *
present(const struct keydb_certs *before, const struct keydb_cert *c)
{
	const struct keydb_cert *have = db_by_sha(before, c->sha256);

	return have != NULL && (!c->has_key || have->has_key) ? have : NULL;
}

static int
check(const struct opts *o, const struct keydb_certs *file,
    const struct keydb_certs *before)
{
	const struct keydb_cert *old;
	int unstorable = 0, refused = 0, clashes = 0;

	for (size_t i = 0; i < file->n; i++) {
		const struct keydb_cert *c = &file->v[i];

		unstorable += add_check_storable(o->pkcs12, c);
		refused += add_check_validity(o->pkcs12, c, o->force,
		    clock_now());
		if ((old = db_same_serial(before, c)) != NULL) {
			msg_error("%s: %s (SHA-256 %s) has the issuer and "
			    "serial number of \"%s\" (SHA-256 %s), already in "
			    "the key database; NSS cannot hold both",
			    o->pkcs12, c->subject, c->sha256, old->label,
			    old->sha256);
			clashes++;
		}
	}
	if (unstorable > 0) {
		msg_hint("the key database cannot hold %s; nothing was "
		    "imported from %s", unstorable > 1 ? "them" : "it",
		    o->pkcs12);
		return EXIT_INPUT;
	}
	if (refused > 0) {
		msg_hint("use -force to import it anyway; nothing was "
		    "imported from %s", o->pkcs12);
		return EXIT_INPUT;
	}
	if (clashes > 0) {
		msg_hint("delete the certificate already there (dsmcert "
		    "-delete -label L) to import this file; nothing was "
		    "imported");
		return EXIT_CONFLICT;
	}
	return EXIT_OK;
}

static void
render_text(const struct opts *o, const struct keydb_certs *in,
    const struct keydb_certs *before, const struct keydb_certs *file)
{
	int changed = 0;

	for (size_t i = 0; i < in->n; i++) {
		const struct keydb_cert *c = &in->v[i];
		const struct keydb_cert *had = db_by_sha(before, c->sha256);
		const struct keydb_cert *f = db_by_sha(file, c->sha256);

		if (had == NULL)
			msg_info("imported \"%s\" from %s as \"%s\" (SHA-256 "
			    "%s)", c->subject, o->pkcs12, c->label, c->sha256);
		else if (f != NULL && present(before, f) == NULL)
			msg_info("added the private key of \"%s\" (SHA-256 %s) "
			    "from %s", had->label, c->sha256, o->pkcs12);
		else {
			msg_info("unchanged: %s (SHA-256 %s) is already in "
			    "the key database as \"%s\"", c->subject,
			    c->sha256, had->label);
			continue;
		}
		changed++;
	}
	if (changed == 0)
		msg_info("nothing changed");
}

/*
 * The import reports no trust; the listing has it, so JSON takes each
 * certificate from there when it can (a failed listing only loses trust).
 */
static void
render(const struct opts *o, struct keydb *db, const struct keydb_certs *in,
    const struct keydb_certs *before, const struct keydb_certs *file)
{
	struct keydb_certs all = { 0 };
	json_t *a;

	if (!o->json) {
		render_text(o, in, before, file);
		return;
	}
	if (keydb_list(db, &all) != KEYDB_OK)
		keydb_certs_free(&all);
	a = json_array();
	for (size_t i = 0; i < in->n; i++) {
		const struct keydb_cert *c = db_by_sha(&all, in->v[i].sha256);
		const struct keydb_cert *f = db_by_sha(file, in->v[i].sha256);
		char *server = NULL;
		json_t *j;

		keydb_server_get(db, in->v[i].sha256, &server);
		j = cert_json(c ? c : &in->v[i], server);
		json_object_set_new(j, "action", json_string(f != NULL &&
		    present(before, f) != NULL ? "present" : "imported"));
		json_array_append_new(a, j);
		free(server);
	}
	json_print(json_pack("{s:o, s:o}", "file", json_text(o->pkcs12),
	    "certificates", a));
	keydb_certs_free(&all);
}

/* Every certificate in the file, with its key, is there already. */
static int
all_present(const struct keydb_certs *file, const struct keydb_certs *before)
{
	for (size_t i = 0; i < file->n; i++)
		if (present(before, &file->v[i]) == NULL)
			return 0;
	return 1;
}

/*
 * -pwfile is the PKCS#12 password here, so the key database is opened
 * with its stash file alone.
 */
int
cmd_import(struct opts *o)
{
	struct opts dbo = *o;
	struct keydb_certs file = { 0 }, before = { 0 }, in = { 0 };
	struct keydb *db = NULL;
	int rc;

	if (o->pkcs12 == NULL || o->pwfile == NULL) {
		msg_error("-import needs -pkcs12 FILE and -pwfile PW (the "
		    "PKCS#12 password)");
		return EXIT_USAGE;
	}
	if (o->label != NULL && !valid_name("-label", o->label))
		return EXIT_USAGE;
	dbo.pwfile = NULL;
	if ((rc = db_open(&dbo, KEYDB_WRITE, &db)) != EXIT_OK)
		return rc;
	if ((rc = keydb_pkcs12_read(db, o->pkcs12, o->pwfile, &file)) !=
	    KEYDB_OK || (rc = keydb_list(db, &before)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if ((rc = check(o, &file, &before)) != EXIT_OK)
		goto out;
	/* Nothing to write: not even NSS's import of what is there. */
	if (all_present(&file, &before)) {
		render(o, db, &file, &before, &file);
		goto out;
	}
	if ((rc = keydb_pkcs12_import(db, o->pkcs12, o->pwfile, o->label,
	    &in)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	render(o, db, &in, &before, &file);
out:
	keydb_certs_free(&file);
	keydb_certs_free(&before);
	keydb_certs_free(&in);
	keydb_close(db);
	return rc;
}
