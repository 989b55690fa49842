#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/labelcase.h"
#include "dsmcert/msg.h"
#include "dsmcert/pkcs11.h"
#include "dsmcert/render.h"

/*
 * -list: one entry per certificate object. With -server or -label, only
 * those; finding none of them is "not found" (4), while an empty
 * database listed whole is just empty (0).
 */
int
cmd_list(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	json_t *arr = o->json ? json_array() : NULL;
	size_t shown = 0;
	int rc;

	if (o->pkcs11 || o->token || o->id || o->pinfile) {
		json_decref(arr);
		return list_pkcs11(o);
	}
	if ((rc = db_open_list(o, KEYDB_READ, &db, &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		const struct keydb_cert *c = &all.v[i];
		char *server = NULL;

		if ((o->server && !keydb_server_has(db, c->sha256,
		    o->server)) || (o->label && strcmp(c->label, o->label) != 0))
			continue;
		keydb_server_get(db, c->sha256, &server);
		if (arr != NULL)
			json_array_append_new(arr, cert_json(c, server));
		else {
			if (shown > 0)
				putchar('\n');
			cert_text(stdout, c, server);
		}
		shown++;
		free(server);
	}
	if (arr != NULL) {
		json_print(arr);
		arr = NULL;
	}
	if (shown == 0 && (o->server || o->label)) {
		msg_error("%s: no certificate %s \"%s\"", keydb_dir(db),
		    o->server ? "for server" : "labelled",
		    o->server ? o->server : o->label);
		if (o->server == NULL)
			label_case_hint(&all, o->label);
		rc = EXIT_NOTFOUND;
	} else if (!keydb_exists(db) && !o->json) {
		msg_debug("%s: no key database yet", keydb_dir(db));
	}
out:
	json_decref(arr);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
