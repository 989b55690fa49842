#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/common.h"
#include "dsmcert/add_render.h"
#include "dsmcert/trust/import.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/tlstarget.h"

/*
 * -fetch: show what a server presents; with -pin, import its leaf
 * certificate only when the fingerprint the admin got out of band
 * matches. This replaces trust on first use with a checked step.
 */

/* Upper-case hex without colons; 0 unless it is 64 hex digits. */
static int
pin_norm(const char *in, char out[65])
{
	size_t n = 0;

	for (const char *p = in; *p; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || n >= 64)
			return 0;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	return n == 64;
}

/* Entries already in the database get their label and trust shown. */
static void
mark_known(struct keydb_certs *chain, const struct keydb_certs *all)
{
	for (size_t i = 0; i < chain->n; i++) {
		const struct keydb_cert *d = db_by_sha(all, chain->v[i].sha256);

		if (d == NULL)
			continue;
		free(chain->v[i].label);
		free(chain->v[i].trust);
		chain->v[i].label = xstrdup(d->label);
		chain->v[i].trust = xstrdup(d->trust);
	}
}

/*
 * The leaf goes in as -add would put it in: same checks, labels, record
 * of the server, all or nothing. It came from a server, not a file, so
 * a certificate that is out of date is a failed check.
 */
static int
import_leaf(struct opts *o, struct keydb *db, const struct keydb_cert *leaf,
    const char *label, const char *source)
{
	struct keydb_certs one = { 0 };
	struct add_how how;
	struct add_result r;
	char *hint;
	int rc;

	one.v = xmalloc(sizeof(*one.v));
	if ((rc = keydb_decode(leaf->der, leaf->derlen, &one.v[0])) !=
	    KEYDB_OK) {
		free(one.v);
		msg_error("%s: %s", source, keydb_error());
		return exit_for_keydb(rc);
	}
	one.n = 1;
	add_how_opts(&how, o);
	how.label = label;
	/* With -json, stdout holds the JSON alone; what was done goes aside. */
	how.say = o->json ? ADD_SAY_STDERR : ADD_SAY_TEXT;
	how.refused_hint = "the server needs a valid certificate; nothing "
	    "was imported";
	hint = xasprintf("give another -label, or -delete -label \"%s\" "
	    "first; nothing was imported", label);
	how.conflict_hint = hint;
	if ((rc = add_certs(&how, db, source, &one, &r)) == EXIT_OK) {
		add_render(&r);
		add_result_free(&r);
	}
	keydb_certs_free(&one);
	free(hint);
	return rc == EXIT_INPUT ? EXIT_CHECK : rc;
}

int
cmd_fetch(struct opts *o)
{
	struct tlstarget t;
	struct keydb_tls_result r = { 0 };
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	const char *label = o->label ? o->label : o->server;
	char want[65], got[65], source[300];
	int rc;

	if (o->server != NULL && !valid_name("server name", o->server))
		return EXIT_USAGE;
	if (o->label != NULL && !valid_name("label", o->label))
		return EXIT_USAGE;
	if (o->pin != NULL && !pin_norm(o->pin, want)) {
		msg_error("-pin \"%s\": give the SHA-256 fingerprint, 64 hex "
		    "digits with or without colons", o->pin);
		return EXIT_USAGE;
	}
	if (o->pin != NULL && label == NULL) {
		msg_error("-fetch -pin needs -server NAME or -label L to "
		    "label the certificate");
		return EXIT_USAGE;
	}
	if ((rc = tlstarget_resolve(o, &t)) != EXIT_OK)
		return rc;
	t.tls.accept_any = 1;
	/* No lock while the network is waited on: read now, take the write
	 * lock only to import, and read again under it. */
	if ((rc = db_open(o, KEYDB_READ, &db)) != EXIT_OK)
		goto out;
	if ((rc = keydb_tls_probe(db, &t.tls, &r)) != KEYDB_OK ||
	    (rc = keydb_list(db, &all)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (r.chain.n == 0) {
		msg_error("%s:%d: %s: %s", t.host, t.tls.port,
		    keydb_tls_reason_str(r.reason), r.why ? r.why : "");
		rc = EXIT_CHECK;
		goto out;
	}
	mark_known(&r.chain, &all);
	if (o->json) {
		json_t *a = json_array();

		for (size_t i = 0; i < r.chain.n; i++)
			json_array_append_new(a, cert_json(&r.chain.v[i],
			    NULL));
		json_print(a);
	} else {
		for (size_t i = 0; i < r.chain.n; i++) {
			if (i > 0)
				putchar('\n');
			cert_text(stdout, &r.chain.v[i], NULL);
		}
	}
	if (o->pin == NULL) {
		if (!o->json)
			msg_info("%s:%d presented %zu certificate%s; nothing "
			    "imported (give -pin SHA256 to import the "
			    "server's certificate)", t.host, t.tls.port,
			    r.chain.n, r.chain.n == 1 ? "" : "s");
		goto out;
	}
	pin_norm(r.chain.v[0].sha256, got);
	if (strcmp(want, got) != 0) {
		msg_error("%s:%d: the server's certificate %s (SHA-256 %s) "
		    "does not match -pin %s; nothing imported", t.host,
		    t.tls.port, subject_text(&r.chain.v[0]),
		    r.chain.v[0].sha256, o->pin);
		msg_hint("check the fingerprint with the server's "
		    "administrator; a mismatch may mean another server "
		    "answers at this address");
		rc = EXIT_CHECK;
		goto out;
	}
	snprintf(source, sizeof(source), "%s:%d", t.host, t.tls.port);
	keydb_close(db);
	if ((rc = db_open(o, KEYDB_WRITE, &db)) == EXIT_OK)
		rc = import_leaf(o, db, &r.chain.v[0], label, source);
out:
	keydb_certs_free(&all);
	keydb_tls_result_free(&r);
	keydb_close(db);
	tlstarget_free(&t);
	return rc;
}
