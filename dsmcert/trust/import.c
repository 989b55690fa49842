#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/import.h"
#include "dsmcert/trust/label.h"
#include "dsmcert/render.h"

/*
 * -add: a file is all or nothing. Every certificate in it is checked and
 * given a label first; only when none is refused and no label conflicts
 * is anything written, and a failure part way is rolled back.
 */

void
add_result_free(struct add_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].label);
	free(r->v);
	free(r->gone);
	keydb_certs_free(&r->file);
	keydb_certs_free(&r->db);
}

void
add_how_opts(struct add_how *h, const struct opts *o)
{
	memset(h, 0, sizeof(*h));
	h->server = o->server;
	h->label = o->label;
	h->replace = o->replace;
	h->force = o->force;
	h->say = o->json ? ADD_SAY_JSON : ADD_SAY_TEXT;
	h->now = clock_now();
}

/*
 * Is c the server's own: recorded for it, or, from before servers were
 * recorded, recorded for nothing at all (a label is then all we have)?
 */
static int
servers_own(struct keydb *db, const struct keydb_cert *c, const char *server)
{
	struct keydb_strs s;
	int standalone, rc;

	if (server == NULL)
		return 0;
	if (keydb_server_has(db, c->sha256, server))
		return 1;
	rc = keydb_servers_of(db, c->sha256, &s, &standalone);
	keydb_strs_free(&s);
	return rc == KEYDB_ENOTFOUND && !standalone;
}

/*
 * What planning asks once per certificate, by hash rather than by scan:
 * a bundle of thousands of certificates with one subject (the vendor's)
 * must not cost time in the square of its size.
 */
struct plan_index {
	struct cm_strmap db_sha;	/* SHA-256 -> index in r->db */
	struct cm_strmap file_sha;	/* SHA-256 seen earlier in the file */
	struct cm_strmap db_label;	/* label -> index in r->db */
	struct cm_strmap labels;	/* in the database or given here */
	struct cm_strmap next;	/* base name -> next number to try */
};

static void
plan_index_init(struct plan_index *x, const struct add_result *r)
{
	memset(x, 0, sizeof(*x));
	for (size_t i = 0; i < r->db.n; i++) {
		cm_strmap_put(&x->db_sha, r->db.v[i].sha256, i);
		if (r->db.v[i].label == NULL)
			continue;
		cm_strmap_put(&x->labels, r->db.v[i].label, i);
		/* The first of several under one label, as a scan finds. */
		if (!cm_strmap_get(&x->db_label, r->db.v[i].label, NULL))
			cm_strmap_put(&x->db_label, r->db.v[i].label, i);
	}
}

static void
plan_index_free(struct plan_index *x)
{
	cm_strmap_free(&x->db_sha);
	cm_strmap_free(&x->db_label);
	cm_strmap_free(&x->file_sha);
	cm_strmap_free(&x->labels);
	cm_strmap_free(&x->next);
}

/* Expired, not yet valid, weak: refusals counted, warnings printed. */
int
add_check_validity(const char *file, const struct keydb_cert *c, int force,
    int64_t now)
{
	char when[32], at[32];
	int refused = 0;

	snprintf(at, sizeof(at), c->line ? ":%d" : "", c->line);
	if (now > c->not_after || now < c->not_before) {
		int expired = now > c->not_after;

		fmt_time(expired ? c->not_after : c->not_before, when);
		if (force)
			msg_warn("%s%s: %s (SHA-256 %s) %s %s; imported "
			    "because of -force", file, at, subject_text(c),
			    c->sha256, expired ? "expired on" :
			    "is not valid before", when);
		else {
			msg_error("%s%s: %s (SHA-256 %s) %s %s", file, at,
			    subject_text(c), c->sha256, expired ? "expired on" :
			    "is not valid before", when);
			refused = 1;
		}
	}
	if (c->weak_sig)
		msg_warn("%s%s: %s (SHA-256 %s) has a weak signature (%s)",
		    file, at, subject_text(c), c->sha256, c->sig_alg);
	if (c->key_rsa && c->key_bits < 2048)
		msg_warn("%s%s: %s (SHA-256 %s) has a %d-bit RSA key; 2048 "
		    "bits is the least that is safe", file, at, subject_text(c),
		    c->sha256, c->key_bits);
	return refused;
}

/* A certificate NSS cannot store is refused, -force or not. */
int
add_check_storable(const char *file, const struct keydb_cert *c)
{
	char at[32];

	if (c->unstorable == NULL)
		return 0;
	snprintf(at, sizeof(at), c->line ? ":%d" : "", c->line);
	msg_error("%s%s: %s (SHA-256 %s): NSS cannot store this certificate: "
	    "%s", file, at, c->subject, c->sha256, c->unstorable);
	return 1;
}

/*
 * Two certificates of the file with one issuer and serial number but
 * different contents: NSS would hold only the first, so the file is bad.
 */
static int
file_clashes(const struct add_result *r)
{
	int bad = 0;

	for (size_t i = 0; i < r->file.n; i++)
		for (size_t j = 0; j < i; j++) {
			const struct keydb_cert *a = &r->file.v[j];
			const struct keydb_cert *b = &r->file.v[i];
			char at[32];

			if (a->isn_hash != b->isn_hash ||
			    strcmp(a->sha256, b->sha256) == 0 ||
			    !keydb_same_issuer_serial(a, b))
				continue;
			snprintf(at, sizeof(at), b->line ? ":%d" : "",
			    b->line);
			msg_error("%s%s: %s (SHA-256 %s) has the issuer and "
			    "serial number of %s (SHA-256 %s) earlier in the "
			    "file; NSS cannot hold both", r->source, at,
			    b->subject, b->sha256, a->subject, a->sha256);
			bad++;
			break;
		}
	if (bad > 0)
		msg_hint("keep one of each in %s; nothing was imported",
		    r->source);
	return bad;
}

/*
 * The same subject with a new key is the vendor's renewal: the new
 * certificate goes beside the old one, so that the node trusts the
 * server before and after it switches. -replace would drop the old one
 * at once, while the server may still present it.
 */
static void
renewal_hint(const char *server, const char *source)
{
	msg_hint("a renewal of %s's certificate? add it beside the old one: "
	    "dsmcert -add -server %s -label \"%s #2\" -file %s, or give "
	    "[%s] certfile = %s in the inventory and run dsmcert -configure; "
	    "-replace drops the old one at once, while the server may still "
	    "present it; nothing was imported", server, server, server, source,
	    server, source);
}

/* Decide, for each certificate, its label and what happens to it. */
static int
plan(struct add_result *r)
{
	const struct add_how *h = r->how;
	const char *base = h->label ? h->label : h->server;
	int conflicts = 0, clashes = 0, renewals = 0;
	struct plan_index x;

	plan_index_init(&x, r);
	for (size_t i = 0; i < r->n; i++) {
		struct add_item *it = &r->v[i];
		const struct keydb_cert *have = NULL;
		size_t idx;

		if (cm_strmap_get(&x.db_sha, it->c->sha256, &idx))
			have = &r->db.v[idx];
		if (cm_strmap_get(&x.file_sha, it->c->sha256, NULL)) {
			it->what = ADD_DUPLICATE;
			continue;
		}
		cm_strmap_put(&x.file_sha, it->c->sha256, i);
		if (base != NULL) {
			it->label = add_label(base, i + 1);
			cm_strmap_put(&x.labels, it->label, i);
		} else if (have == NULL) {
			const char *name = it->c->name ? it->c->name :
			    "certificate";

			/* Subject names may hold ':'; labels may not. */
			char *clean = label_clean(name);

			it->label = free_label(&x.labels, &x.next, clean);
			cm_strmap_put(&x.labels, it->label, i);
			free(clean);
		}
		if (have != NULL) {
			it->present_as = have->label;
			it->what = (it->label == NULL ||
			    strcmp(have->label, it->label) == 0) ? ADD_SAME :
			    ADD_ELSEWHERE;
			continue;
		}
		if ((it->clash = db_same_serial(&r->db, it->c)) != NULL &&
		    !h->replace) {
			char at[32];

			snprintf(at, sizeof(at), it->c->line ? ":%d" : "",
			    it->c->line);
			msg_error("%s%s: %s (SHA-256 %s) has the issuer and "
			    "serial number of \"%s\" (SHA-256 %s), already in "
			    "the key database; NSS cannot hold both",
			    r->source, at, it->c->subject, it->c->sha256,
			    it->clash->label, it->clash->sha256);
			clashes++;
			continue;
		}
		/* Without a name given, the new one takes the old's label. */
		if (it->clash != NULL && base == NULL) {
			free(it->label);
			it->label = xstrdup(it->clash->label);
			it->what = ADD_REPLACED;
			continue;
		}
		if (cm_strmap_get(&x.db_label, it->label, &idx)) {
			if (h->replace) {
				it->what = ADD_REPLACED;
				it->displaced = &r->db.v[idx];
				continue;
			}
			/* A renewal: the new one beside the server's old one. */
			if (h->beside && servers_own(r->kdb, &r->db.v[idx],
			    h->server)) {
				free(it->label);
				it->label = free_label(&x.labels, &x.next, base);
				cm_strmap_put(&x.labels, it->label, i);
				it->what = ADD_NEW;
				continue;
			}
			msg_error("%s: label \"%s\" already holds another "
			    "certificate (%s, SHA-256 %s)", r->source, it->label,
			    subject_text(&r->db.v[idx]), r->db.v[idx].sha256);
			/* The server's, same subject, new key: renewed. */
			if (h->server != NULL && strcmp(r->db.v[idx].subject,
			    it->c->subject) == 0)
				renewals++;
			conflicts++;
			continue;
		}
		it->what = ADD_NEW;
	}
	plan_index_free(&x);
	if (clashes > 0)
		msg_hint("%s", h->clash_hint != NULL ? h->clash_hint :
		    "use -replace to replace the certificate already there; "
		    "nothing was imported");
	else if (conflicts > 0 && renewals > 0 && h->conflict_hint == NULL)
		renewal_hint(h->server, r->source);
	else if (conflicts > 0)
		msg_hint("%s", h->conflict_hint != NULL ? h->conflict_hint :
		    "use -replace to replace it, or -label to add it under "
		    "another label; nothing was imported");
	return conflicts + clashes;
}

/*
 * Take a certificate of the database out before its replacement goes in,
 * once however many of the file's certificates replace it, and its
 * record with it. 1 when it went now, 0 when it had gone already, -1 on
 * an error (printed).
 */
static int
remove_old(struct keydb *db, struct add_result *r,
    const struct keydb_cert *old)
{
	size_t k = (size_t)(old - r->db.v);

	if (r->gone[k])
		return 0;
	if (keydb_delete(db, old) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return -1;
	}
	r->gone[k] = 1;
	keydb_server_forget(db, old->sha256);
	return 1;
}

/*
 * -replace of a certificate with the issuer and serial number of one in
 * the database: NSS refuses the new one while the old one is there, so
 * the old one goes first.
 */
static int
remove_clashes(struct keydb *db, struct add_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct keydb_cert *old = r->v[i].clash;

		if (old == NULL || (r->v[i].what != ADD_NEW &&
		    r->v[i].what != ADD_REPLACED))
			continue;
		if (remove_old(db, r, old) < 0)
			return EXIT_DB;
	}
	return EXIT_OK;
}

/*
 * -replace under a label that a certificate with another subject holds:
 * NSS gives a label to one subject only, so the old one goes first (put
 * back should the import fail).
 */
static int
remove_displaced(struct keydb *db, struct add_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct keydb_cert *old = r->v[i].displaced;
		int rc;

		if (old == NULL || r->v[i].what != ADD_REPLACED ||
		    strcmp(old->subject, r->v[i].c->subject) == 0)
			continue;
		if ((rc = remove_old(db, r, old)) < 0)
			return EXIT_DB;
		if (rc == 0)
			continue;
		r->removed++;
		msg_info("removed \"%s\" (SHA-256 %s), replaced", old->label,
		    old->sha256);
	}
	return EXIT_OK;
}

/*
 * Undo the imports and removals of this run after a failure part way.
 * Each import is NSS's own transaction, in place: a crash between two
 * leaves a database that opens, holding part of the file, and running
 * -add again completes it.
 */
static int
rollback(struct keydb *db, struct add_result *r, size_t upto)
{
	int left = 0;

	for (size_t i = 0; i < upto; i++) {
		if (r->v[i].what != ADD_NEW && r->v[i].what != ADD_REPLACED)
			continue;
		if (keydb_delete(db, r->v[i].c) != KEYDB_OK) {
			msg_error("could not undo the import of \"%s\": %s",
			    r->v[i].label, keydb_error());
			left++;
		}
	}
	for (size_t k = 0; r->gone != NULL && k < r->db.n; k++) {
		const struct keydb_cert *old = &r->db.v[k];

		if (r->gone[k] && keydb_import(db, old, old->label,
		    old->trust != NULL ? old->trust :
		    keydb_default_trust(old)) != KEYDB_OK) {
			msg_error("could not put back \"%s\": %s", old->label,
			    keydb_error());
			left++;
		}
	}
	return left;
}

/*
 * What of this run's imports is still in the database: NSS can report a
 * deletion done that a full disk kept from being written.
 */
static size_t
still_there(struct keydb *db, struct add_result *r, size_t upto)
{
	struct keydb_certs now = { 0 };
	struct cm_strmap have = { 0 };
	size_t left = 0;

	if (keydb_list_certs(db, &now) != KEYDB_OK)
		return 1;
	for (size_t i = 0; i < now.n; i++)
		cm_strmap_put(&have, now.v[i].sha256, i);
	for (size_t i = 0; i < upto && i < r->n; i++)
		if ((r->v[i].what == ADD_NEW || r->v[i].what == ADD_REPLACED) &&
		    cm_strmap_get(&have, r->v[i].c->sha256, NULL) &&
		    db_by_sha(&r->db, r->v[i].c->sha256) == NULL) {
			if (keydb_delete(db, r->v[i].c) != KEYDB_OK)
				left++;
		}
	cm_strmap_free(&have);
	keydb_certs_free(&now);
	return left;
}

/* After a failure part way: undone, and said so truthfully. */
static void
undo(struct keydb *db, struct add_result *r, size_t upto, const char *source)
{
	int left;

	/* On a connection of its own: the failed one may be stuck. */
	if (keydb_reopen(db) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		left = 1;
	} else
		left = rollback(db, r, upto);
	/* Looked at afresh, and what is left taken out once more. */
	if (left == 0 && (keydb_reopen(db) != KEYDB_OK ||
	    still_there(db, r, upto + 1) > 0))
		left = 1;
	if (left == 0)
		msg_error("nothing from %s was imported", source);
	else
		msg_error("%s was imported in part and could not be undone "
		    "whole (see above); run the same -add again once the "
		    "cause is fixed", source);
}

/*
 * -replace: the certificate under a label the new ones take is deleted;
 * with -server, the server's other certificates are unlinked from it,
 * and deleted when no other server, and no import without -server,
 * still relies on them.
 */
static int
remove_replaced(const struct add_how *h, struct keydb *db,
    struct add_result *r)
{
	for (size_t i = 0; i < r->db.n; i++) {
		const struct keydb_cert *old = &r->db.v[i];
		int stale = 0, kept = 0;

		if (r->gone[i])
			continue;

		for (size_t j = 0; j < r->n; j++) {
			if (strcmp(r->v[j].c->sha256, old->sha256) == 0)
				kept = 1;
			if (r->v[j].what == ADD_REPLACED &&
			    strcmp(r->v[j].label, old->label) == 0)
				stale = 1;
		}
		if (kept)
			continue;
		if (!stale && h->server != NULL &&
		    keydb_server_has(db, old->sha256, h->server)) {
			keydb_server_unlink(db, old->sha256, h->server);
			r->removed++;
			if (keydb_server_relied(db, old->sha256)) {
				char *srv = NULL;

				keydb_server_get(db, old->sha256, &srv);
				msg_info("unlinked \"%s\" (SHA-256 %s) from %s; "
				    "kept for %s", old->label, old->sha256,
				    h->server, srv != NULL ? srv :
				    "an import without -server");
				free(srv);
				continue;
			}
			stale = 1;
		}
		if (!stale)
			continue;
		if (keydb_delete(db, old) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			return EXIT_DB;
		}
		keydb_server_forget(db, old->sha256);
		r->removed++;
		msg_info("removed \"%s\" (SHA-256 %s), replaced", old->label,
		    old->sha256);
	}
	return EXIT_OK;
}

/*
 * Import certs, read from source (a file or a token), into db, opened
 * for writing: the whole of -add after reading. Takes certs over. What
 * became of each certificate is left in *out on success.
 */
int
add_certs(const struct add_how *h, struct keydb *db, const char *source,
    struct keydb_certs *certs, struct add_result *out)
{
	struct add_result r = { 0 };
	size_t done = 0;
	int rc, refused = 0, unstorable = 0, changed = 0;

	r.how = h;
	r.kdb = db;
	r.source = source;
	r.file = *certs;
	*certs = (struct keydb_certs){ 0 };
	for (size_t i = 0; i < r.file.n; i++) {
		unstorable += add_check_storable(source, &r.file.v[i]);
		refused += add_check_validity(source, &r.file.v[i], h->force,
		    h->now);
	}
	if (unstorable > 0) {
		msg_hint("the key database cannot hold %s; nothing was "
		    "imported from %s", unstorable > 1 ? "them" : "it",
		    source);
		rc = EXIT_INPUT;
		goto out;
	}
	if (refused > 0) {
		if (h->refused_hint != NULL)
			msg_hint("%s", h->refused_hint);
		else
			msg_hint("use -force to import it anyway; nothing was "
			    "imported from %s", source);
		rc = EXIT_INPUT;
		goto out;
	}
	r.v = xcalloc(r.file.n, sizeof(*r.v));
	r.n = r.file.n;
	for (size_t i = 0; i < r.n; i++)
		r.v[i].c = &r.file.v[i];
	if (file_clashes(&r) > 0) {
		rc = EXIT_INPUT;
		goto out;
	}
	/*
	 * Planned under the lock, on the database as it is then: two first
	 * writers racing to create it must not both plan on an empty one.
	 */
	/* Labels and fingerprints only: one object read per certificate. */
	if ((rc = keydb_create(db)) != KEYDB_OK ||
	    (rc = keydb_list_certs(db, &r.db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	r.gone = xcalloc(r.db.n + 1, 1);
	if (plan(&r) > 0) {
		rc = EXIT_CONFLICT;
		goto out;
	}
	{
		size_t n = 0;

		for (size_t i = 0; i < r.n; i++)
			n += r.v[i].what == ADD_NEW ||
			    r.v[i].what == ADD_REPLACED;
		if ((rc = keydb_room(db, n)) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			msg_hint("free some space, then run the same -add again");
			rc = exit_for_keydb(rc);
			goto out;
		}
	}
	if ((rc = remove_clashes(db, &r)) != EXIT_OK ||
	    (rc = remove_displaced(db, &r)) != EXIT_OK) {
		undo(db, &r, 0, source);
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
			undo(db, &r, done, source);
			rc = exit_for_keydb(rc);
			goto out;
		}
		changed++;
	}
	/* Recorded first: -replace then sees who else relies on what. */
	for (size_t i = 0; i < r.n; i++) {
		struct add_item *it = &r.v[i];

		if (it->what == ADD_DUPLICATE)
			continue;
		keydb_server_link(db, it->c->sha256, h->server, &it->linked);
		/* Only news for what was there: the rest is imported. */
		if (h->server == NULL || (it->what != ADD_SAME &&
		    it->what != ADD_ELSEWHERE))
			it->linked = 0;
		changed += it->linked;
	}
	if (h->replace && (rc = remove_replaced(h, db, &r)) != EXIT_OK)
		goto out;
	changed += (int)r.removed;
	if ((rc = keydb_commit(db)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	r.changed = changed;
	rc = EXIT_OK;
out:
	/* The caller renders what came of it, or lets it go. */
	if (out != NULL && rc == EXIT_OK)
		*out = r;
	else
		add_result_free(&r);
	return rc;
}
