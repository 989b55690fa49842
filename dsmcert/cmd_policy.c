#include <stdio.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/trust/identity.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/trust.h"

/*
 * -policy: what each node needs from each server it uses, what is in
 * place and what is missing. Reads only; exit 6 while anything is to do,
 * so that installers can gate on it.
 */
int
cmd_policy(struct opts *o)
{
	struct keydb *db;
	struct trust t;
	int rc;

	if ((rc = trust_inventory(&t, o)) != EXIT_OK) {
		trust_free(&t);
		return rc;
	}
	if ((rc = db_open_inv(o, t.inv.keydb, KEYDB_READ, &db)) != EXIT_OK) {
		trust_free(&t);
		return rc;
	}
	if ((rc = trust_gather(&t, db, clock_now())) == EXIT_OK) {
		if (o->json) {
			json_print(trust_json(&t));
			trust_unused_warn(&t);
		} else
			trust_text(stdout, &t);
		policy_identities(db, &t, o->json);
		rc = trust_outstanding(&t) > 0 ? EXIT_CHECK : EXIT_OK;
	}
	trust_free(&t);
	keydb_close(db);
	return rc;
}
