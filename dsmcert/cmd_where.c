#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/* -where: every path the other commands would use, and why. */
int
cmd_where(struct opts *o)
{
	struct location db = { 0 }, conf = { 0 };
	int rc;

	if ((rc = locate_keydb(o, &db)) != EXIT_OK)
		return rc;
	locate_config(o, &conf);
	if (o->json) {
		json_print(json_pack("{s:{s:s, s:s, s:b}, s:{s:s, s:s, s:b}}",
		    "keydb", "path", db.path, "why", db.why,
		    "exists", access(db.path, F_OK) == 0,
		    "config", "path", conf.path, "why", conf.why,
		    "exists", access(conf.path, F_OK) == 0));
	} else {
		printf("keydb:   %s (%s%s)\n", db.path, db.why,
		    access(db.path, F_OK) == 0 ? "" : "; not created yet");
		printf("config:  %s (%s%s)\n", conf.path, conf.why,
		    access(conf.path, F_OK) == 0 ? "" : "; absent");
	}
	location_free(&db);
	location_free(&conf);
	return EXIT_OK;
}
