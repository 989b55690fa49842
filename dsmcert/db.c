#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"

int
exit_for_keydb(int status)
{
	switch (status) {
	case KEYDB_OK:
		return EXIT_OK;
	case KEYDB_EINPUT:
		return EXIT_INPUT;
	case KEYDB_ENOTFOUND:
		return EXIT_NOTFOUND;
	case KEYDB_ECONFLICT:
		return EXIT_CONFLICT;
	default:
		return EXIT_DB;
	}
}

/*
 * The password is missing or wrong: say where it goes, and name a stash
 * an earlier dsmcert left under the vendor's name, which is not read.
 */
static void
hint_password(const char *dir)
{
	char *old = cm_path_join(dir, KEYDB_OLD_STASH);

	msg_hint("give -pwfile FILE, or put the password in %s/%s (mode 0600)",
	    dir, KEYDB_STASH);
	if (access(old, F_OK) == 0)
		msg_hint("%s is not read: it is the vendor's GSKit stash "
		    "name; if an earlier dsmcert made it, rename it to %s",
		    old, KEYDB_STASH);
	free(old);
}

/* A legacy dbm database beside the key database, or migrated just now. */
static void
say_legacy(const struct keydb *db, const char *dir)
{
	switch (keydb_legacy_found(db)) {
	case KEYDB_LEGACY_ALONE:
		msg_warn("%s: %s is a legacy NSS dbm database, read as it "
		    "is; the next command that writes migrates it to cert9.db",
		    dir, KEYDB_LEGACY_CERT);
		break;
	case KEYDB_LEGACY_SHADOWED:
		msg_warn("%s: the legacy NSS dbm database %s beside cert9.db "
		    "is not used: its certificates and keys are not in the "
		    "key database", dir, KEYDB_LEGACY_CERT);
		msg_hint("merge it with certutil --upgrade-merge -d sql:%s "
		    "--source-dir %s --upgrade-id dsmcert-legacy "
		    "--upgrade-token-name legacy, then rename %s and %s; see "
		    "dsmcert(1), KEY DATABASE", dir, dir, KEYDB_LEGACY_CERT,
		    KEYDB_LEGACY_KEY);
		break;
	case KEYDB_LEGACY_MIGRATED:
		msg_warn("%s", keydb_legacy_note(db));
		break;
	default:
		break;
	}
}

/* Is there an NSS database of ours in dir already? */
static int
has_db(const char *dir)
{
	char *p = xasprintf("%s/cert9.db", dir);
	int yes = access(p, F_OK) == 0;

	free(p);
	return yes;
}

/*
 * A new key database is made by the command's first write, deep inside
 * it; once the command has run, say where one was made and why there
 * (an admin with DSM_DIR set may not expect the client's directory).
 */
static char *new_path, *new_why;

static void
say_created(void)
{
	if (new_path != NULL && has_db(new_path))
		msg_note("created a new key database in %s (chosen by %s; "
		    "dsmcert -where shows the order)", new_path, new_why);
	free(new_path);
	free(new_why);
	new_path = new_why = NULL;
}

static void
watch_creation(const struct location *l)
{
	if (new_path != NULL)
		return;
	new_path = xstrdup(l->path);
	new_why = xstrdup(l->why);
	atexit(say_created);
}

static int
open_at(const struct opts *o, int have_inv, const char *inv_keydb,
    enum keydb_mode mode, struct keydb **db)
{
	struct location l = { 0 };
	int rc, fresh;

	*db = NULL;
	if ((rc = have_inv ? locate_keydb_inv(o, inv_keydb, &l) :
	    locate_keydb(o, &l)) != EXIT_OK)
		return rc;
	msg_debug("key database %s (%s)", l.path, l.why);
	fresh = mode != KEYDB_READ && !has_db(l.path);
	rc = keydb_open(db, l.path, mode, o->pwfile);
	if (rc == KEYDB_OK && fresh)
		watch_creation(&l);
	if (rc != KEYDB_OK) {
		msg_error("%s", keydb_error());
		if (rc == KEYDB_EAUTH)
			hint_password(l.path);
		else if (rc == KEYDB_ELEGACY)
			msg_hint("it is damaged, incomplete (%s and %s go "
			    "together), or this NSS is built without dbm "
			    "support: migrate it with certutil where NSS "
			    "reads dbm, or move it aside to start a new key "
			    "database; see dsmcert(1), KEY DATABASE",
			    KEYDB_LEGACY_CERT, KEYDB_LEGACY_KEY);
		else if (rc == KEYDB_EDB)
			msg_hint("the key database was chosen by %s; "
			    "dsmcert -where shows the order", l.why);
	} else
		say_legacy(*db, l.path);
	location_free(&l);
	return exit_for_keydb(rc);
}

int
db_open(const struct opts *o, enum keydb_mode mode, struct keydb **db)
{
	return open_at(o, 0, NULL, mode, db);
}

int
db_open_inv(const struct opts *o, const char *inv_keydb,
    enum keydb_mode mode, struct keydb **db)
{
	return open_at(o, 1, inv_keydb, mode, db);
}

int
db_open_list(const struct opts *o, enum keydb_mode mode, struct keydb **db,
    struct keydb_certs *all)
{
	int rc;

	memset(all, 0, sizeof(*all));
	if ((rc = db_open(o, mode, db)) != EXIT_OK)
		return rc;
	if ((rc = keydb_list(*db, all)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return exit_for_keydb(rc);
	}
	return EXIT_OK;
}

int
db_with_label(const struct keydb_certs *l, const char *label, size_t *idx,
    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].label != NULL && strcmp(l->v[i].label, label) == 0) {
			if (n < max)
				idx[n] = i;
			n++;
		}
	return (int)n;
}

const struct keydb_cert *
db_by_sha(const struct keydb_certs *l, const char *sha256)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].sha256, sha256) == 0)
			return &l->v[i];
	return NULL;
}

const struct keydb_cert *
db_same_serial(const struct keydb_certs *l, const struct keydb_cert *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].isn_hash == c->isn_hash &&
		    strcmp(l->v[i].sha256, c->sha256) != 0 &&
		    keydb_same_issuer_serial(&l->v[i], c))
			return &l->v[i];
	return NULL;
}

int
valid_name(const char *what, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 200) {
		msg_error("%s must be 1 to 200 characters long", what);
		return 0;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			msg_error("%s \"%s\" contains a control character",
			    what, s);
			return 0;
		}
		if (*p == ':') {
			/* NSS reads "token:name", so ':' cannot be a label. */
			msg_error("%s \"%s\" contains ':', which NSS reads as "
			    "a token name", what, s);
			return 0;
		}
	}
	if (s[0] == ' ' || s[n - 1] == ' ') {
		msg_error("%s \"%s\" starts or ends with a blank", what, s);
		return 0;
	}
	return 1;
}
