#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/trust/identity.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"
#include "dsmcert/render.h"

/* -export -label L -pkcs12 FILE -pwfile PW: key, certificate, chain. */
int
cmd_export_pkcs12(struct opts *o)
{
	struct opts dbo = *o;
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	struct outfile out;
	unsigned char *p12 = NULL;
	const struct keydb_cert *id;
	size_t len = 0, idx[2];
	int rc, n;

	if (o->label == NULL || o->pwfile == NULL || o->file != NULL) {
		msg_error("-export -pkcs12 FILE needs -label L and -pwfile PW "
		    "(the PKCS#12 password), and no -file");
		return EXIT_USAGE;
	}
	if ((rc = outfile_json_clash(o->json, "-pkcs12", o->pkcs12)) !=
	    EXIT_OK)
		return rc;
	/* -pwfile is the file's password; the database uses its stash. */
	dbo.pwfile = NULL;
	if ((rc = db_open_list(&dbo, KEYDB_READ, &db, &all)) != EXIT_OK)
		goto out;
	/*
	 * A renewed identity holds its old certificate and key beside the
	 * new ones: the current one is exported, as a TLS client shows it.
	 */
	if ((n = db_with_label(&all, o->label, idx, 2)) > 1 &&
	    (id = identity_current(&all, o->label)) != NULL) {
		idx[0] = (size_t)(id - all.v);
		n = 1;
	}
	if (n != 1) {
		msg_error("%s: %s \"%s\"", keydb_dir(db), n == 0 ?
		    "no certificate labelled" : "more than one certificate "
		    "labelled", o->label);
		rc = n == 0 ? EXIT_NOTFOUND : EXIT_CONFLICT;
		goto out;
	}
	if ((rc = keydb_pkcs12_export(db, &all.v[idx[0]], o->pwfile, &p12,
	    &len)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	/* It holds a private key: owner only. */
	if ((rc = outfile_open(&out, o->pkcs12, 0600)) != EXIT_OK ||
	    (rc = outfile_commit(&out, p12, len)) != EXIT_OK)
		goto out;
	if (o->json) {
		char *server = NULL;

		keydb_server_get(db, all.v[idx[0]].sha256, &server);
		json_print(json_pack("{s:o, s:o}", "file", json_text(o->pkcs12),
		    "certificate", cert_json(&all.v[idx[0]], server)));
		free(server);
	} else
		msg_info("wrote \"%s\" with its key to %s", o->label,
		    o->pkcs12);
out:
	if (p12 != NULL) {
		explicit_bzero(p12, len);
		free(p12);
	}
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
