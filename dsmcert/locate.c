#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/trust/inventory.h"

#define DEFAULT_CONF "/etc/dsmcert/dsmcert.conf"
#define DEFAULT_ROOT_DB "/etc/dsmcert/keydb"

static void
set(struct location *l, const char *path, const char *why)
{
	l->path = xstrdup(path);
	l->why = xstrdup(why);
}

void
location_free(struct location *l)
{
	free(l->path);
	free(l->why);
	l->path = l->why = NULL;
}

const char *
locate_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
locate_config(const struct opts *o, struct location *l)
{
	const char *v;

	if (o->config != NULL)
		set(l, o->config, "-config");
	else if ((v = locate_env("DSMCERT_CONF")) != NULL)
		set(l, v, "$DSMCERT_CONF");
	else
		set(l, DEFAULT_CONF, "default");
	return EXIT_OK;
}

/* The inventory's [dsmcert] keydb, if the inventory names one. */
static int
config_keydb(const struct opts *o, char **out)
{
	struct location conf = { 0 };
	struct stat st;

	*out = NULL;
	locate_config(o, &conf);
	if (stat(conf.path, &st) != 0) {
		/* Only the default may be absent. */
		int e = errno;

		if (strcmp(conf.why, "default") == 0) {
			location_free(&conf);
			return EXIT_OK;
		}
		msg_error("%s: cannot read inventory (%s): %s", conf.path,
		    conf.why, strerror(e));
		location_free(&conf);
		return EXIT_INPUT;
	}
	if (!S_ISREG(st.st_mode)) {
		msg_error("%s: inventory is not a regular file", conf.path);
		location_free(&conf);
		return EXIT_INPUT;
	}
	if (inventory_keydb(conf.path, out) == -1) {
		msg_error("%s", inventory_error());
		location_free(&conf);
		return EXIT_INPUT;
	}
	location_free(&conf);
	return EXIT_OK;
}

static char *
home_db(void)
{
	const char *home = locate_env("HOME");
	struct passwd *pw;

	if (home == NULL && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	if (home == NULL)
		return NULL;
	return cm_path_join(home, ".dsmcert/keydb");
}

static int
keydb_from(const struct opts *o, int have_inv, const char *inv_keydb,
    struct location *l)
{
	const char *v;
	char *p;
	int rc;

	if (o->db != NULL) {
		set(l, o->db, "-db");
		return EXIT_OK;
	}
	if ((v = locate_env("DSMCERT_DB")) != NULL) {
		set(l, v, "$DSMCERT_DB");
		return EXIT_OK;
	}
	if (have_inv)
		p = xstrdup(inv_keydb);
	else if ((rc = config_keydb(o, &p)) != EXIT_OK)
		return rc;
	if (p != NULL) {
		l->path = p;
		l->why = xstrdup("inventory [dsmcert] keydb");
		return EXIT_OK;
	}
	if ((v = locate_env("PASSWORDDIR")) != NULL) {
		set(l, v, "$PASSWORDDIR");
		return EXIT_OK;
	}
	if ((v = locate_env("DSM_DIR")) != NULL) {
		set(l, v, "$DSM_DIR");
		return EXIT_OK;
	}
	if (geteuid() == 0) {
		set(l, DEFAULT_ROOT_DB, "default for root");
		return EXIT_OK;
	}
	if ((p = home_db()) == NULL) {
		msg_error("no key database given and no home directory");
		msg_hint("give -db DIR or set DSMCERT_DB");
		return EXIT_USAGE;
	}
	l->path = p;
	l->why = xstrdup("default");
	return EXIT_OK;
}

int
locate_keydb(const struct opts *o, struct location *l)
{
	return keydb_from(o, 0, NULL, l);
}

int
locate_keydb_inv(const struct opts *o, const char *inv_keydb,
    struct location *l)
{
	return keydb_from(o, 1, inv_keydb, l);
}
