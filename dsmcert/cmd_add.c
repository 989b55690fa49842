#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "dsmcert/add.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/pkcs11.h"
#include "dsmcert/render.h"

/*
 * -add: a file is all or nothing. Every certificate in it is checked and
 * given a label first; only when none is refused and no label conflicts
 * is anything written, and a failure part way is rolled back.
 */

enum add_what {
	ADD_NEW,	/* imported */
	ADD_REPLACED,	/* imported in place of another under its label */
	ADD_SAME,	/* already there under this label */
	ADD_ELSEWHERE,	/* already there under another label */
	ADD_DUPLICATE,	/* twice in the file; the first counts */
};

struct add_item {
	struct keydb_cert *c;
	char *label;
	enum add_what what;
	const char *present_as;	/* label it already has */
};

struct add_result {
	const char *source;	/* the file or token, for messages */
	struct add_item *v;
	size_t n;
	struct keydb_certs file;	/* what the file holds */
	struct keydb_certs db;		/* what the database held */
};

static void
add_result_free(struct add_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].label);
	free(r->v);
	keydb_certs_free(&r->file);
	keydb_certs_free(&r->db);
}

char *
add_label(const char *base, size_t k)
{
	return k <= 1 ? xstrdup(base) : xasprintf("%s #%zu", base, k);
}

/* Is label taken, in the database or earlier in this file? */
static int
label_taken(const struct add_result *r, size_t upto, const char *label)
{
	size_t idx;

	if (db_with_label(&r->db, label, &idx, 1) > 0)
		return 1;
	for (size_t i = 0; i < upto; i++)
		if (r->v[i].label != NULL && strcmp(r->v[i].label, label) == 0)
			return 1;
	return 0;
}

/* Expired, not yet valid, weak: refusals counted, warnings printed. */
static int
check_validity(const char *file, const struct keydb_cert *c, int force)
{
	time_t now = time(NULL);
	char when[32], at[32];
	int refused = 0;

	snprintf(at, sizeof(at), c->line ? ":%d" : "", c->line);
	if (now > c->not_after || now < c->not_before) {
		int expired = now > c->not_after;

		fmt_time(expired ? c->not_after : c->not_before, when);
		if (force)
			msg_warn("%s%s: %s (SHA-256 %s) %s %s; imported "
			    "because of -force", file, at, c->subject,
			    c->sha256, expired ? "expired on" :
			    "is not valid before", when);
		else {
			msg_error("%s%s: %s (SHA-256 %s) %s %s", file, at,
			    c->subject, c->sha256, expired ? "expired on" :
			    "is not valid before", when);
			refused = 1;
		}
	}
	if (c->weak_sig)
		msg_warn("%s%s: %s (SHA-256 %s) has a weak signature (%s)",
		    file, at, c->subject, c->sha256, c->sig_alg);
	if (c->key_rsa && c->key_bits < 2048)
		msg_warn("%s%s: %s (SHA-256 %s) has a %d-bit RSA key; 2048 "
		    "bits is the least that is safe", file, at, c->subject,
		    c->sha256, c->key_bits);
	return refused;
}

/* Decide, for each certificate, its label and what happens to it. */
static int
plan(const struct opts *o, struct add_result *r)
{
	const char *base = o->label ? o->label : o->server;
	int conflicts = 0;

	for (size_t i = 0; i < r->n; i++) {
		struct add_item *it = &r->v[i];
		const struct keydb_cert *have = db_by_sha(&r->db, it->c->sha256);
		size_t idx;

		for (size_t j = 0; j < i; j++)
			if (strcmp(r->v[j].c->sha256, it->c->sha256) == 0) {
				it->what = ADD_DUPLICATE;
				break;
			}
		if (it->what == ADD_DUPLICATE)
			continue;
		if (base != NULL) {
			it->label = add_label(base, i + 1);
		} else if (have == NULL) {
			const char *name = it->c->name ? it->c->name :
			    "certificate";
			size_t k = 1;

			/* Subject names may hold ':'; labels may not. */
			char *clean = xstrdup(name);
			for (char *p = clean; *p; p++)
				if (*p == ':' || (unsigned char)*p < 0x20)
					*p = '_';
			do {
				free(it->label);
				it->label = add_label(clean, k++);
			} while (label_taken(r, i, it->label));
			free(clean);
		}
		if (have != NULL) {
			it->present_as = have->label;
			it->what = (it->label == NULL ||
			    strcmp(have->label, it->label) == 0) ? ADD_SAME :
			    ADD_ELSEWHERE;
			continue;
		}
		if (db_with_label(&r->db, it->label, &idx, 1) > 0) {
			if (o->replace) {
				it->what = ADD_REPLACED;
				continue;
			}
			msg_error("%s: label \"%s\" already holds another "
			    "certificate (%s, SHA-256 %s)", r->source, it->label,
			    r->db.v[idx].subject, r->db.v[idx].sha256);
			conflicts++;
			continue;
		}
		it->what = ADD_NEW;
	}
	if (conflicts > 0)
		msg_hint("use -replace to replace it, or -label to add it "
		    "under another label; nothing was imported");
	return conflicts;
}

/*
 * Undo the imports of this run after a failure part way. Each import is
 * NSS's own transaction, in place: a crash between two leaves a database
 * that opens, holding part of the file, and running -add again completes
 * it.
 */
static void
rollback(struct keydb *db, struct add_result *r, size_t upto)
{
	for (size_t i = 0; i < upto; i++) {
		if (r->v[i].what != ADD_NEW && r->v[i].what != ADD_REPLACED)
			continue;
		if (keydb_delete(db, r->v[i].c) != KEYDB_OK)
			msg_error("could not undo the import of %s: %s",
			    r->v[i].label, keydb_error());
	}
}

/* Certificates under the label (or the server) that the new ones replace. */
static int
remove_replaced(const struct opts *o, struct keydb *db, struct add_result *r)
{
	for (size_t i = 0; i < r->db.n; i++) {
		const struct keydb_cert *old = &r->db.v[i];
		int stale = 0, kept = 0;
		char *srv = NULL;

		for (size_t j = 0; j < r->n; j++) {
			if (strcmp(r->v[j].c->sha256, old->sha256) == 0)
				kept = 1;
			if (r->v[j].what == ADD_REPLACED &&
			    strcmp(r->v[j].label, old->label) == 0)
				stale = 1;
		}
		/* -replace -server: the server's old set goes entirely. */
		if (!stale && o->server != NULL &&
		    keydb_server_get(db, old->sha256, &srv) == KEYDB_OK) {
			stale = strcmp(srv, o->server) == 0;
			free(srv);
		}
		if (!stale || kept)
			continue;
		if (keydb_delete(db, old) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			return EXIT_DB;
		}
		keydb_server_set(db, old->sha256, NULL);
		msg_info("removed %s (SHA-256 %s), replaced", old->label,
		    old->sha256);
	}
	return EXIT_OK;
}

static void
render_text(const struct add_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct add_item *it = &r->v[i];

		switch (it->what) {
		case ADD_NEW:
		case ADD_REPLACED:
			msg_info("%s %s as \"%s\" (SHA-256 %s, trust %s)",
			    it->what == ADD_NEW ? "imported" : "replaced",
			    it->c->subject, it->label, it->c->sha256,
			    keydb_default_trust(it->c));
			break;
		case ADD_SAME:
			msg_info("unchanged: \"%s\" (SHA-256 %s) is already "
			    "in the key database", it->present_as,
			    it->c->sha256);
			break;
		case ADD_ELSEWHERE:
			msg_info("unchanged: %s (SHA-256 %s) is already in the "
			    "key database as \"%s\"", it->c->subject,
			    it->c->sha256, it->present_as);
			break;
		case ADD_DUPLICATE:
			msg_info("skipped: %s (SHA-256 %s) appears twice in "
			    "the file", it->c->subject, it->c->sha256);
			break;
		}
	}
}

static void
render_json(const struct add_result *r)
{
	static const char *what[] = { "imported", "replaced", "unchanged",
	    "present", "duplicate" };
	json_t *a = json_array();

	for (size_t i = 0; i < r->n; i++) {
		const struct add_item *it = &r->v[i];

		json_array_append_new(a, json_pack("{s:s?, s:s, s:s, s:s}",
		    "label", it->label ? it->label : it->present_as,
		    "sha256", it->c->sha256, "subject", it->c->subject,
		    "action", what[it->what]));
	}
	json_print(a);
}

/*
 * Import certs, read from source (a file or a token), into db, opened
 * for writing: the whole of -add after reading. Takes certs over.
 */
int
add_certs(const struct opts *o, struct keydb *db, const char *source,
    struct keydb_certs *certs)
{
	struct add_result r = { 0 };
	size_t done = 0;
	int rc, refused = 0, changed = 0;

	r.source = source;
	r.file = *certs;
	*certs = (struct keydb_certs){ 0 };
	for (size_t i = 0; i < r.file.n; i++)
		refused += check_validity(source, &r.file.v[i], o->force);
	if (refused > 0) {
		msg_hint("use -force to import it anyway; nothing was "
		    "imported from %s", source);
		rc = EXIT_INPUT;
		goto out;
	}
	/*
	 * Planning needs labels and fingerprints only: without trust the
	 * listing reads one object per certificate instead of six.
	 */
	if ((rc = keydb_list_certs(db, &r.db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if ((r.v = calloc(r.file.n, sizeof(*r.v))) == NULL)
		abort();
	r.n = r.file.n;
	for (size_t i = 0; i < r.n; i++)
		r.v[i].c = &r.file.v[i];
	if (plan(o, &r) > 0) {
		rc = EXIT_CONFLICT;
		goto out;
	}
	for (done = 0; done < r.n; done++) {
		struct add_item *it = &r.v[done];

		if (it->what != ADD_NEW && it->what != ADD_REPLACED)
			continue;
		rc = keydb_import(db, it->c, it->label,
		    keydb_default_trust(it->c));
		if (rc != KEYDB_OK) {
			msg_error("%s", keydb_error());
			rollback(db, &r, done);
			msg_error("nothing from %s was imported", source);
			rc = exit_for_keydb(rc);
			goto out;
		}
		changed++;
	}
	if (o->replace && (rc = remove_replaced(o, db, &r)) != EXIT_OK)
		goto out;
	if (o->server != NULL)
		for (size_t i = 0; i < r.n; i++)
			if (r.v[i].what != ADD_DUPLICATE &&
			    r.v[i].what != ADD_ELSEWHERE)
				keydb_server_set(db, r.v[i].c->sha256,
				    o->server);
	if ((rc = keydb_commit(db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (o->json)
		render_json(&r);
	else {
		render_text(&r);
		if (changed == 0)
			msg_info("nothing changed");
	}
	rc = EXIT_OK;
out:
	add_result_free(&r);
	return rc;
}

int
cmd_add(struct opts *o)
{
	struct keydb_certs file = { 0 };
	struct keydb *db = NULL;
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
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK)
		return rc;

	if ((rc = keydb_read_file(o->file, &file)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
	} else
		rc = add_certs(o, db, o->file, &file);
	keydb_certs_free(&file);
	keydb_close(db);
	return rc;
}
