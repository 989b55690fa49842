#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

/*
 * -delete -label L removes exactly the certificate(s) under that label;
 * -delete -server NAME every certificate added for that server. Other
 * certificates with the same subject are never touched.
 */
int
cmd_delete(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	int rc, n = 0;

	if ((o->label == NULL) == (o->server == NULL)) {
		msg_error("-delete needs -label L or -server NAME, not both");
		return EXIT_USAGE;
	}
	if ((rc = db_open_list(o, KEYDB_WRITE, &db, &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		const struct keydb_cert *c = &all.v[i];
		int match;

		if (o->label != NULL)
			match = strcmp(c->label, o->label) == 0;
		else {
			char *server = NULL;

			keydb_server_get(db, c->sha256, &server);
			match = server != NULL &&
			    strcmp(server, o->server) == 0;
			free(server);
		}
		if (!match)
			continue;
		if ((rc = keydb_delete(db, c)) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			rc = exit_for_keydb(rc);
			goto out;
		}
		keydb_server_set(db, c->sha256, NULL);
		msg_info("deleted \"%s\" (%s, SHA-256 %s)", c->label,
		    c->subject, c->sha256);
		n++;
	}
	if ((rc = keydb_commit(db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (n == 0) {
		msg_error("%s: no certificate %s \"%s\"", keydb_dir(db),
		    o->label ? "labelled" : "for server",
		    o->label ? o->label : o->server);
		msg_hint("dsmcert -list shows what is there");
		rc = EXIT_NOTFOUND;
	}
out:
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
