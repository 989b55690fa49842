#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsmcert/add.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"
#include "dsmcert/trust.h"
#include "optfile/optfile.h"

/*
 * -configure: carry out the plan. Certificates first, then each option
 * file in one atomic replace. The first failure stops the run; the plan
 * printed at the end says what was done and what was not.
 */

/*
 * Import a server's certificate file, all or nothing, labelled as -add
 * labels a bundle: NAME, NAME #2, ... in file order.
 */
static int
import_step(struct keydb *db, const struct trust *t, struct plan_step *s)
{
	const struct keydb_certs *file =
	    &t->certfiles[s->server - t->inv.servers];
	const char *path = s->server->certfile;
	time_t now = time(NULL);
	size_t done = 0, idx;
	char *label;
	int rc = KEYDB_OK;

	for (size_t k = 0; k < file->n; k++) {
		const struct keydb_cert *c = &file->v[k];

		if (c->unstorable != NULL) {
			msg_error("%s: %s (SHA-256 %s): NSS cannot store this "
			    "certificate: %s", path, c->subject, c->sha256,
			    c->unstorable);
			return EXIT_INPUT;
		}
		if (now > c->not_after || now < c->not_before) {
			msg_error("%s: %s (SHA-256 %s) is %s", path,
			    subject_text(c),
			    c->sha256, now > c->not_after ? "expired" :
			    "not valid yet");
			msg_hint("get a valid certificate, or import it with "
			    "dsmcert -add -force if you must");
			return EXIT_INPUT;
		}
		if (db_by_sha(&t->db, c->sha256) != NULL)
			continue;
		label = add_label(s->server->name, k + 1);
		if (db_with_label(&t->db, label, &idx, 1) > 0) {
			msg_error("%s: label \"%s\" already holds another "
			    "certificate (%s, SHA-256 %s)", path, label,
			    subject_text(&t->db.v[idx]), t->db.v[idx].sha256);
			msg_hint("the server's certificate changed? dsmcert "
			    "-add -server %s -file %s -replace", s->server->name,
			    path);
			free(label);
			return EXIT_CONFLICT;
		}
		free(label);
	}
	for (size_t k = 0; k < file->n && rc == KEYDB_OK; k++) {
		const struct keydb_cert *c = &file->v[k];

		if (db_by_sha(&t->db, c->sha256) != NULL)
			continue;
		label = add_label(s->server->name, k + 1);
		rc = keydb_import(db, c, label, keydb_default_trust(c));
		if (rc == KEYDB_OK)
			rc = keydb_server_link(db, c->sha256, s->server->name, NULL);
		free(label);
		if (rc == KEYDB_OK)
			done = k + 1;
	}
	if (rc == KEYDB_OK)
		return EXIT_OK;
	msg_error("%s", keydb_error());
	for (size_t k = 0; k < done; k++)
		if (db_by_sha(&t->db, file->v[k].sha256) == NULL &&
		    keydb_delete(db, &file->v[k]) != KEYDB_OK)
			msg_error("could not undo the import of %s: %s",
			    file->v[k].sha256, keydb_error());
	return exit_for_keydb(rc);
}

/* Every edit step of one file, in one replace. */
static int
edit_file(struct plan *p, size_t first)
{
	struct plan_step *f = &p->v[first];
	struct optfile_edits edits = { 0 };
	int rc = OPTFILE_OK, changed = 0;

	for (size_t i = first; i < p->n && rc == OPTFILE_OK; i++)
		if (p->v[i].kind == STEP_EDIT &&
		    strcmp(p->v[i].real, f->real) == 0)
			rc = optfile_edits_set(&edits, p->v[i].item->stanza,
			    p->v[i].item->option, p->v[i].item->value);
	if (rc == OPTFILE_OK) {
		optpaths_warn_owner(f->file);
		rc = optfile_commit(f->file, f->sys ? OPTFILE_SYS : OPTFILE_OPT,
		    &edits, &changed, NULL);
	}
	optfile_edits_free(&edits);
	for (size_t i = first; i < p->n; i++)
		if (p->v[i].kind == STEP_EDIT &&
		    strcmp(p->v[i].real, f->real) == 0)
			p->v[i].state = rc == OPTFILE_OK ? STEP_DONE :
			    STEP_FAILED;
	if (rc == OPTFILE_OK)
		return EXIT_OK;
	msg_error("%s", optfile_error());
	msg_hint("%s was left as it was", f->file);
	return optfile_exitcode(rc);
}

static int
execute(struct keydb *db, const struct trust *t, struct plan *p)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < p->n; i++) {
		struct plan_step *s = &p->v[i];

		if (s->kind == STEP_BYHAND || s->kind == STEP_HELD ||
		    s->state != STEP_PLANNED)
			continue;
		if (rc != EXIT_OK) {
			s->state = STEP_NOTDONE;
			continue;
		}
		if (s->kind == STEP_IMPORT) {
			rc = import_step(db, t, s);
			s->state = rc == EXIT_OK ? STEP_DONE : STEP_FAILED;
		} else {
			rc = edit_file(p, i);
		}
	}
	return rc;
}

int
cmd_configure(struct opts *o)
{
	struct keydb *db;
	struct trust t;
	struct plan p = { 0 };
	size_t waiting = 0;
	int rc;

	if ((rc = trust_inventory(&t, o)) != EXIT_OK) {
		trust_free(&t);
		return rc;
	}
	rc = db_open(o, o->dryrun ? KEYDB_READ : KEYDB_WRITE, &db);
	if (rc != EXIT_OK) {
		trust_free(&t);
		return rc;
	}
	if ((rc = trust_gather(&t, db)) != EXIT_OK ||
	    (rc = plan_build(&p, &t)) != EXIT_OK)
		goto out;
	p.dryrun = o->dryrun;
	if (!o->dryrun)
		rc = execute(db, &t, &p);
	if (o->json)
		json_print(plan_json(&p));
	else
		plan_text(stdout, &p);
	for (size_t i = 0; i < p.n; i++)
		waiting += p.v[i].kind == STEP_BYHAND ||
		    p.v[i].kind == STEP_HELD;
	if (rc == EXIT_OK && waiting > 0)
		rc = EXIT_CHECK;
out:
	plan_free(&p);
	trust_free(&t);
	keydb_close(db);
	return rc;
}
