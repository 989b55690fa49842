#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"
#include "dsmcert/vendor.h"
#include "dsmcert/where_nodes.h"
#include "keydb/keydb.h"

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

static void
scan_dir_of(struct vendor_files *vf, const char *file)
{
	char *d, *slash;

	if (file == NULL)
		return;
	d = xstrdup(file);
	if ((slash = strrchr(d, '/')) == NULL)
		vendor_scan(vf, ".");
	else if (slash == d)
		vendor_scan(vf, "/");
	else {
		*slash = '\0';
		vendor_scan(vf, d);
	}
	free(d);
}

/*
 * The vendor's files where the vendor's client keeps them: beside our
 * key database (which may be $PASSWORDDIR or $DSM_DIR itself), in
 * $PASSWORDDIR, $DSM_DIR, and beside dsm.opt and dsm.sys.
 */
static void
vendor_where(struct vendor_files *vf, const char *keydb,
    const struct optpaths *op)
{
	vendor_scan(vf, keydb);
	vendor_scan(vf, getenv("PASSWORDDIR"));
	vendor_scan(vf, getenv("DSM_DIR"));
	scan_dir_of(vf, op->opt);
	scan_dir_of(vf, op->sys);
}

static json_t *
vendor_json(const struct vendor_files *vf)
{
	json_t *a = json_array();

	for (size_t i = 0; i < vf->n; i++)
		json_array_append_new(a, json_pack("{s:o, s:s}", "path",
		    json_text(vf->v[i].path), "what", vf->v[i].what));
	return a;
}

/* The files of a legacy dbm database in the key database directory. */
static const char *const legacy_names[] = { KEYDB_LEGACY_CERT,
    KEYDB_LEGACY_KEY };
#define NLEGACY (sizeof(legacy_names) / sizeof(legacy_names[0]))

static char *
legacy_path(const char *dir, size_t i)
{
	char *p = cm_path_join(dir, legacy_names[i]);

	if (access(p, F_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static json_t *
legacy_json(const char *dir, enum keydb_legacy state)
{
	json_t *files;
	char *p;

	if (state == KEYDB_LEGACY_NONE)
		return json_null();
	files = json_array();
	for (size_t i = 0; i < NLEGACY; i++)
		if ((p = legacy_path(dir, i)) != NULL) {
			json_array_append_new(files, json_text(p));
			free(p);
		}
	return json_pack("{s:o, s:s}", "files", files, "state",
	    state == KEYDB_LEGACY_SHADOWED ? "shadowed" : "unmigrated");
}

static void
legacy_text(const char *dir, enum keydb_legacy state)
{
	char *p;

	if (state == KEYDB_LEGACY_NONE)
		return;
	for (size_t i = 0; i < NLEGACY; i++)
		if ((p = legacy_path(dir, i)) != NULL) {
			printf("%-8s %s (NSS dbm database; %s)\n", "legacy:", p,
			    state == KEYDB_LEGACY_SHADOWED ? "not used: "
			    "cert9.db is beside it" : "the next write migrates "
			    "it");
			free(p);
		}
}

/* -where: every path the other commands would use, and why. */
int
cmd_where(struct opts *o)
{
	struct location db = { 0 }, conf = { 0 };
	struct optpaths op = { 0 };
	struct vendor_files vf = { 0 };
	enum keydb_legacy legacy;
	int rc;

	if ((rc = locate_keydb(o, &db)) != EXIT_OK)
		return rc;
	locate_config(o, &conf);
	if ((rc = optpaths_resolve(o->optfile, "-optfile", &op)) != EXIT_OK) {
		location_free(&db);
		location_free(&conf);
		return rc;
	}
	vendor_where(&vf, db.path, &op);
	legacy = keydb_legacy(db.path);
	if (o->json) {
		json_print(json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		    "keydb", where_json(db.path, db.why,
		    access(db.path, F_OK) == 0),
		    "config", where_json(conf.path, conf.why,
		    access(conf.path, F_OK) == 0),
		    "dsm_opt", where_json(op.opt, op.opt_why, op.opt_exists),
		    "dsm_sys", where_json(op.sys, op.sys_why, op.sys_exists),
		    "vendor_files", vendor_json(&vf),
		    "legacy_keydb", legacy_json(db.path, legacy),
		    "nodes", where_nodes(o)));
	} else {
		where_text("keydb:", db.path, db.why,
		    access(db.path, F_OK) == 0);
		where_text("config:", conf.path, conf.why,
		    access(conf.path, F_OK) == 0);
		where_text("dsm.opt:", op.opt, op.opt_why, op.opt_exists);
		where_text("dsm.sys:", op.sys, op.sys_why, op.sys_exists);
		where_nodes(o);
		for (size_t i = 0; i < vf.n; i++)
			printf("%-8s %s (%s, the vendor's; never read)\n",
			    "vendor:", vf.v[i].path, vf.v[i].what);
		legacy_text(db.path, legacy);
	}
	vendor_files_free(&vf);
	optpaths_free(&op);
	location_free(&db);
	location_free(&conf);
	return EXIT_OK;
}
