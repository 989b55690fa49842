#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/*
 * -passwd: the key database's password, from the old one (-pwfile, else
 * the stash file) to the first line of -newpwfile. The stash file, when
 * there is one, holds the new password afterwards; a wrong old password
 * changes nothing.
 */
int
cmd_passwd(struct opts *o)
{
	struct keydb *db = NULL;
	char *newpw = NULL, why[PATH_MAX + 256];
	mode_t mode;
	int rc, stashed = 0;

	if (o->newpwfile == NULL) {
		msg_error("-passwd needs -newpwfile FILE (the new password; "
		    "-pwfile FILE gives the old one)");
		return EXIT_USAGE;
	}
	rc = cm_secret_read(o->newpwfile, &newpw, &mode, why, sizeof(why));
	if (rc == CM_UNSAFE) {
		msg_error("%s: %s", o->newpwfile, why);
		return EXIT_INPUT;
	}
	if (rc == CM_EXPOSED) {
		msg_error("%s: password file is readable by group or others "
		    "(mode %04o); chmod 600 it", o->newpwfile, (unsigned)mode);
		return EXIT_INPUT;
	}
	if (rc != CM_OK) {
		msg_error("%s: cannot read password file: %s", o->newpwfile,
		    cm_strerror(rc));
		return EXIT_INPUT;
	}
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK)
		goto out;
	if (!keydb_exists(db)) {
		msg_error("%s: no key database yet", keydb_dir(db));
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if ((rc = keydb_change_password(db, newpw, &stashed)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (o->json)
		json_print(json_pack("{s:o, s:b}", "keydb",
		    json_text(keydb_dir(db)), "stash_rewritten", stashed));
	else
		msg_info("%s: password changed%s", keydb_dir(db), stashed ?
		    "; the stash file " KEYDB_STASH " holds the new one" : "");
out:
	cm_secret_free(newpw);
	keydb_close(db);
	return rc;
}
