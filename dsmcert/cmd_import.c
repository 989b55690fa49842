#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

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
		for (size_t i = 0; i < in.n; i++)
			msg_info("imported \"%s\" from %s as \"%s\" (SHA-256 "
			    "%s)", in.v[i].subject, o->pkcs12, in.v[i].label,
			    in.v[i].sha256);
		rc = EXIT_OK;
	}
	keydb_certs_free(&in);
	keydb_close(db);
	return rc;
}
