#include <stdio.h>

#include "dsmcert/add_render.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/pkcs11.h"
#include "dsmcert/trust/import.h"

/*
 * -add: a file is all or nothing. The import engine (trust/import.c)
 * checks and labels every certificate in it first, and writes only when
 * none is refused and no label conflicts; this is the verb around it.
 */

int
cmd_add(struct opts *o)
{
	struct keydb_certs file = { 0 };
	struct keydb_input in = { 0 };
	struct keydb *db = NULL;
	struct add_how how;
	int rc;

	if (o->pkcs11 || o->token || o->id || o->pinfile)
		return add_pkcs11(o);
	if (o->file == NULL) {
		msg_error("-add needs -file PATH");
		msg_hint("usage: dsmcert %s", o->cmd->usage);
		return EXIT_USAGE;
	}
	if ((o->server && !valid_name("server name", o->server)) ||
	    (o->label && !valid_name("label", o->label)))
		return EXIT_USAGE;
	/* Read whole first: a slow pipe on -file - holds no lock. */
	if ((rc = keydb_input_read(o->file, &in)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return exit_for_keydb(rc);
	}
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK) {
		keydb_input_free(&in);
		return rc;
	}
	if ((rc = keydb_read_mem(in.name, in.buf, in.len, &file)) !=
	    KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	} else {
		struct add_result r;

		add_how_opts(&how, o);
		if ((rc = add_certs(&how, db, in.name, &file, &r)) == EXIT_OK) {
			add_render(&r);
			add_result_free(&r);
		}
	}
	keydb_certs_free(&file);
	keydb_input_free(&in);
	keydb_close(db);
	return rc;
}
