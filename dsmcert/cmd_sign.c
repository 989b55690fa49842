#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"
#include "dsmcert/render.h"

/* A year: what the vendors' internal CAs give their end certificates. */
#define LEAF_DAYS 365

/* The certificate is decoded again for JSON: scripts want its digest. */
static void
render(const struct opts *o, int days, const char *pem)
{
	struct keydb_certs c = { 0 };
	json_t *cert = NULL;

	if (!o->json) {
		msg_info("signed %s with CA \"%s\" for %d days; certificate "
		    "written to %s", o->file, o->ca, days, o->out);
		return;
	}
	if (keydb_read_mem(o->out, (const unsigned char *)pem, strlen(pem),
	    &c) == KEYDB_OK && c.n == 1)
		cert = cert_json(&c.v[0], NULL);
	json_print(json_pack("{s:o, s:o, s:i, s:o, s:o?}", "csr",
	    json_text(o->file), "ca", json_text(o->ca), "days", days,
	    "file", json_text(o->out), "certificate", cert));
	keydb_certs_free(&c);
}

int
cmd_sign(struct opts *o)
{
	struct keydb *db = NULL;
	struct outfile out;
	char *pem = NULL;
	int days, rc;

	if (o->file == NULL || o->ca == NULL || o->out == NULL) {
		msg_error("-sign needs -file REQ.csr, -ca L and -out CERT");
		return EXIT_USAGE;
	}
	if (!days_arg(o->days, LEAF_DAYS, &days))
		return EXIT_USAGE;
	if ((rc = outfile_json_clash(o->json, "-out", o->out)) != EXIT_OK)
		return rc;
	if ((rc = db_open(o, KEYDB_READ, &db)) != EXIT_OK)
		return rc;
	if ((rc = keydb_sign_csr(db, o->ca, o->file, days, &pem)) !=
	    KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if ((rc = outfile_open(&out, o->out, 0644)) != EXIT_OK ||
	    (rc = outfile_commit(&out, pem, strlen(pem))) != EXIT_OK)
		goto out;
	render(o, days, pem);
out:
	free(pem);
	keydb_close(db);
	return rc;
}
