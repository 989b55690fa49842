#include <stdlib.h>
#include <strings.h>

#include "dsmcert/cli.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/* A CA outlives what it signs: ten years unless told. */
#define CA_DAYS 3650

static void
render(const struct opts *o, int days, const char *dir)
{
	if (o->json) {
		json_print(json_pack("{s:o, s:o, s:i, s:s, s:o}", "label",
		    json_text(o->label), "subject", json_text(o->subject),
		    "days", days, "trust", "C,,", "keydb", json_text(dir)));
		return;
	}
	msg_info("created CA \"%s\" (%s), valid %d days, trusted C,, in %s",
	    o->label, o->subject, days, dir);
	msg_info("give clients its certificate: dsmcert -export -label \"%s\" "
	    "-file FILE", o->label);
}

int
cmd_ca(struct opts *o)
{
	enum keydb_keytype t;
	struct keydb *db = NULL;
	int days, rc;

	if (strcasecmp(o->cmdarg, "create") != 0) {
		msg_error("-ca %s: only -ca create is known", o->cmdarg);
		return EXIT_USAGE;
	}
	if (o->label == NULL || o->subject == NULL) {
		msg_error("-ca create needs -label L and -subject DN");
		return EXIT_USAGE;
	}
	if (!valid_name("-label", o->label) ||
	    !days_arg(o->days, CA_DAYS, &days))
		return EXIT_USAGE;
	if (keydb_keytype(o->keytype, &t) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return EXIT_USAGE;
	}
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK)
		return rc;
	if ((rc = keydb_ca_create(db, o->label, o->subject, days, t)) !=
	    KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	} else {
		render(o, days, keydb_dir(db));
		rc = EXIT_OK;
	}
	keydb_close(db);
	return rc;
}
