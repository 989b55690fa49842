#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

/* A label for a chain CA no other certificate has: CN, then "CN #2"... */
static char *
chain_label(const struct keydb_certs *all, const struct keydb_cert *c)
{
	const char *base = c->name != NULL ? c->name : "CA";
	size_t n = strlen(base) + 16, idx[1];
	char *l = malloc(n);

	if (l == NULL)
		abort();
	snprintf(l, n, "%s", base);
	for (int i = 2; db_with_label(all, l, idx, 1) > 0; i++)
		snprintf(l, n, "%s #%d", base, i);
	for (char *p = l; *p; p++)
		if (*p == ':')
			*p = ' ';	/* NSS reads ':' as a token name */
	return l;
}

static int
import_chain(struct keydb *db, const struct keydb_certs *chain, size_t from,
    const char *path)
{
	struct keydb_certs all = { 0 };
	int rc;

	for (size_t i = from; i < chain->n; i++) {
		const struct keydb_cert *c = &chain->v[i];
		char *label;

		keydb_certs_free(&all);
		if ((rc = keydb_list(db, &all)) != KEYDB_OK)
			goto fail;
		if (db_by_sha(&all, c->sha256) != NULL) {
			msg_info("chain CA \"%s\" already in the key database",
			    c->subject);
			continue;
		}
		label = chain_label(&all, c);
		rc = keydb_import(db, c, label, keydb_default_trust(c));
		if (rc == KEYDB_OK)
			msg_info("imported chain CA \"%s\" from %s as \"%s\" "
			    "(SHA-256 %s)", c->subject, path, label,
			    c->sha256);
		free(label);
		if (rc != KEYDB_OK)
			goto fail;
	}
	keydb_certs_free(&all);
	return EXIT_OK;
fail:
	msg_error("%s", keydb_error());
	keydb_certs_free(&all);
	return exit_for_keydb(rc);
}

/* Chain certificates must be CAs: refuse before anything is imported. */
static int
chain_ok(const struct keydb_certs *l, size_t from, const char *path)
{
	for (size_t i = from; i < l->n; i++)
		if (!l->v[i].is_ca) {
			msg_error("%s: certificate \"%s\" (SHA-256 %s) is not a "
			    "CA; a chain holds CA certificates only", path,
			    l->v[i].subject, l->v[i].sha256);
			return 0;
		}
	return 1;
}

int
cmd_receive(struct opts *o)
{
	struct keydb_certs signed_ = { 0 }, chain = { 0 };
	struct keydb *db = NULL;
	char *label = NULL;
	int rc;

	if (o->file == NULL) {
		msg_error("-receive needs -file SIGNED");
		return EXIT_USAGE;
	}
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK)
		return rc;
	/* The signed file may carry its chain after the certificate. */
	if ((rc = keydb_read_file(o->file, &signed_)) != KEYDB_OK ||
	    (o->chain != NULL &&
	    (rc = keydb_read_file(o->chain, &chain)) != KEYDB_OK)) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (!chain_ok(&signed_, 1, o->file) ||
	    (o->chain != NULL && !chain_ok(&chain, 0, o->chain))) {
		rc = EXIT_INPUT;
		goto out;
	}
	if ((rc = keydb_receive(db, &signed_.v[0], &label)) != KEYDB_OK) {
		msg_error("%s: %s", o->file, keydb_error());
		if (rc == KEYDB_EINPUT)
			msg_hint("-receive installs certificates for requests "
			    "made with -gen csr on this key database");
		rc = exit_for_keydb(rc);
		goto out;
	}
	msg_info("installed %s on key \"%s\" (SHA-256 %s)", o->file, label,
	    signed_.v[0].sha256);
	if ((rc = import_chain(db, &signed_, 1, o->file)) != EXIT_OK)
		goto out;
	if (o->chain != NULL)
		rc = import_chain(db, &chain, 0, o->chain);
out:
	free(label);
	keydb_certs_free(&signed_);
	keydb_certs_free(&chain);
	keydb_close(db);
	return rc;
}
