#include <stdlib.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/*
 * The import reports no trust; the listing has it, so JSON takes each
 * certificate from there when it can (a failed listing only loses trust).
 */
static void
render(const struct opts *o, struct keydb *db, const struct keydb_certs *in)
{
	struct keydb_certs all = { 0 };
	json_t *a;

	if (!o->json) {
		for (size_t i = 0; i < in->n; i++)
			msg_info("imported \"%s\" from %s as \"%s\" (SHA-256 "
			    "%s)", subject_text(&in->v[i]), o->pkcs12,
			    in->v[i].label,
			    in->v[i].sha256);
		return;
	}
	if (keydb_list(db, &all) != KEYDB_OK)
		keydb_certs_free(&all);
	a = json_array();
	for (size_t i = 0; i < in->n; i++) {
		const struct keydb_cert *c = db_by_sha(&all, in->v[i].sha256);
		char *server = NULL;

		keydb_server_get(db, in->v[i].sha256, &server);
		json_array_append_new(a, cert_json(c ? c : &in->v[i], server));
		free(server);
	}
	json_print(json_pack("{s:o, s:o}", "file", json_text(o->pkcs12),
	    "certificates", a));
	keydb_certs_free(&all);
}

/*
 * -pwfile is the PKCS#12 password here, so the key database is opened
 * with its stash file alone.
 */
int
cmd_import(struct opts *o)
{
	struct opts dbo = *o;
	struct keydb_certs in = { 0 };
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
	rc = keydb_pkcs12_import(db, o->pkcs12, o->pwfile, o->label, &in);
	if (rc != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	} else {
		render(o, db, &in);
		rc = EXIT_OK;
	}
	keydb_certs_free(&in);
	keydb_close(db);
	return rc;
}
