#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"

static json_t *
where_json(const char *path, const char *why, int exists)
{
	return json_pack("{s:o?, s:o?, s:b}", "path", json_text(path), "why",
	    json_text(why), "exists", exists);
}

static void
where_text(const char *what, const char *path, const char *why, int exists)
{
	if (path == NULL)
		return;
	printf("%-8s %s (%s%s)\n", what, path, why,
	    exists ? "" : "; absent");
}

/* -where: every path the other commands would use, and why. */
int
cmd_where(struct opts *o)
{
	struct location db = { 0 }, conf = { 0 };
	struct optpaths op = { 0 };
	int rc;

	if ((rc = locate_keydb(o, &db)) != EXIT_OK)
		return rc;
	locate_config(o, &conf);
	if ((rc = optpaths_resolve(o->optfile, "-optfile", &op)) != EXIT_OK) {
		location_free(&db);
		location_free(&conf);
		return rc;
	}
	if (o->json) {
		json_print(json_pack("{s:o, s:o, s:o, s:o}",
		    "keydb", where_json(db.path, db.why,
		    access(db.path, F_OK) == 0),
		    "config", where_json(conf.path, conf.why,
		    access(conf.path, F_OK) == 0),
		    "dsm_opt", where_json(op.opt, op.opt_why, op.opt_exists),
		    "dsm_sys", where_json(op.sys, op.sys_why, op.sys_exists)));
	} else {
		where_text("keydb:", db.path, db.why,
		    access(db.path, F_OK) == 0);
		where_text("config:", conf.path, conf.why,
		    access(conf.path, F_OK) == 0);
		where_text("dsm.opt:", op.opt, op.opt_why, op.opt_exists);
		where_text("dsm.sys:", op.sys, op.sys_why, op.sys_exists);
	}
	optpaths_free(&op);
	location_free(&db);
	location_free(&conf);
	return EXIT_OK;
}
