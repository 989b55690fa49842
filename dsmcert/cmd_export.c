#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/labelcase.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"
#include "dsmcert/render.h"

static void
render_json(const struct opts *o, struct keydb *db,
    const struct keydb_certs *all)
{
	json_t *a = json_array();

	for (size_t i = 0; i < all->n; i++) {
		char *server = NULL;

		if (strcmp(all->v[i].label, o->label) != 0)
			continue;
		keydb_server_get(db, all->v[i].sha256, &server);
		json_array_append_new(a, cert_json(&all->v[i], server));
		free(server);
	}
	json_print(json_pack("{s:o, s:o}", "file", json_text(o->file),
	    "certificates", a));
}

int
cmd_export(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	struct outfile of;
	char *pem = NULL;
	size_t len = 0;
	int rc, n = 0;

	if (o->pkcs12 != NULL)
		return cmd_export_pkcs12(o);
	if (o->label == NULL || o->file == NULL) {
		msg_error("-export needs -label L and -file OUT");
		return EXIT_USAGE;
	}
	if ((rc = outfile_json_clash(o->json, "-file", o->file)) != EXIT_OK)
		return rc;
	if ((rc = db_open_list(o, KEYDB_READ, &db, &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		char *one;

		if (strcmp(all.v[i].label, o->label) != 0)
			continue;
		if ((one = keydb_pem(&all.v[i])) == NULL) {
			msg_error("\"%s\": cannot encode", o->label);
			rc = EXIT_DB;
			goto out;
		}
		pem = xreallocarray(pem, len + strlen(one) + 1, 1);
		strcpy(pem + len, one);
		len += strlen(one);
		free(one);
		n++;
	}
	if (n == 0) {
		msg_error("%s: no certificate labelled \"%s\"", keydb_dir(db),
		    o->label);
		label_case_hint(&all, o->label);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	/* A certificate is public: 0644. */
	if ((rc = outfile_open(&of, o->file, 0644)) != EXIT_OK ||
	    (rc = outfile_commit(&of, pem, len)) != EXIT_OK)
		goto out;
	if (o->json)
		render_json(o, db, &all);
	else if (strcmp(o->file, "-") != 0)
		msg_info("wrote \"%s\" to %s", o->label, o->file);
out:
	free(pem);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
