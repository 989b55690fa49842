#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"

/*
 * -setopt OPTION VALUE and -unsetopt OPTION, on the stanza a node uses.
 *
 * Which file: the line in effect is edited where it is (the stanza of
 * dsm.sys before dsm.opt, as the client reads them). A new line goes
 * where the option belongs: DEFAULTServer at the head of dsm.sys,
 * SErvername and DOMain in dsm.opt, the rest in the stanza. Without a
 * dsm.sys, dsm.opt holds everything. -unsetopt removes the option from
 * the stanza and from dsm.opt, so that the default is what remains.
 */

struct target {
	const struct optfile *file;
	const char *stanza;	/* NULL: the head of dsm.sys, or dsm.opt */
};

static int
usage_error(void)
{
	msg_error("%s", optfile_error());
	return EXIT_USAGE;
}

/* SErvername: in dsm.opt it chooses the stanza; in dsm.sys it starts one. */
static int
is_choice(const struct optfile_optdef *def)
{
	return def != NULL && strcmp(def->name, "SErvername") == 0;
}

static int
is_choice_name(const char *name)
{
	const struct optfile_optdef *def;

	return optfile_lookup(name, &def) == OPTFILE_OK && is_choice(def);
}

static int
where_set(const struct optset *s, const char *name, struct target *t)
{
	const struct optfile_optdef *def;
	const char *stanza = optset_stanza_name(s);

	if (optfile_lookup(name, &def) != OPTFILE_OK)
		return usage_error();
	t->file = NULL;
	t->stanza = NULL;
	if (s->sys == NULL) {
		t->file = s->opt;
		return EXIT_OK;
	}
	if (def != NULL && def->home == OPTFILE_HOME_HEAD) {
		t->file = s->sys;
		return EXIT_OK;
	}
	if (is_choice(def)) {
		if (s->opt == NULL) {
			msg_error("%s: SErvername starts a stanza here; there is "
			    "no dsm.opt to choose one in", s->sys->path);
			return EXIT_USAGE;
		}
		t->file = s->opt;
		return EXIT_OK;
	}
	if (def != NULL && def->home == OPTFILE_HOME_OPT && s->opt != NULL &&
	    optfile_find(s->sys, s->stanza, name) == NULL) {
		t->file = s->opt;
		return EXIT_OK;
	}
	if (optfile_find(s->sys, s->stanza, name) == NULL && s->opt != NULL &&
	    optfile_find(s->opt, OPTFILE_GLOBAL, name) != NULL) {
		t->file = s->opt;
		return EXIT_OK;
	}
	t->file = s->sys;
	t->stanza = stanza;
	return EXIT_OK;
}

static int
commit(const struct target *t, struct optfile_edits *e, int *changed)
{
	int rc;

	optpaths_warn_owner(t->file->path);
	rc = optfile_commit(t->file->path, t->file->kind, e, changed, NULL);
	if (rc == OPTFILE_OK)
		return EXIT_OK;
	msg_error("%s", optfile_error());
	if (rc == OPTFILE_EVALUE || rc == OPTFILE_ENAME)
		return EXIT_USAGE;
	if (rc == OPTFILE_EPARSE)
		msg_hint("fix the line; the file is left as it is");
	return optfile_exitcode(rc);
}

static void
report(struct opts *o, const struct target *t, const char *name,
    const char *value, int changed)
{
	const char *in = t->stanza ? " in stanza " : "";
	const char *st = t->stanza ? t->stanza : "";
	const struct optfile_optdef *def = NULL;
	char *canon = NULL;

	/* Say it as the file now says it. */
	if (optfile_lookup(name, &def) == OPTFILE_OK && def != NULL)
		name = def->name;
	if (value != NULL && def != NULL &&
	    optfile_check_value(def, value, &canon) == OPTFILE_OK &&
	    def->type != OPTFILE_STRING)
		value = canon;

	if (o->json)
		json_print(json_pack("{s:o, s:o?, s:o, s:o?, s:b}", "file",
		    json_text(t->file->path), "stanza", json_text(t->stanza),
		    "option", json_text(name), "value", json_text(value),
		    "changed", changed));
	else if (value != NULL && changed && optfile_accumulates(name))
		msg_info("%s: %s %s added%s%s", t->file->path, name, value,
		    in, st);
	else if (value != NULL && changed)
		msg_info("%s: %s set to %s%s%s", t->file->path, name, value,
		    in, st);
	else if (value != NULL && optfile_accumulates(name))
		msg_info("%s: %s %s is there already%s%s; nothing to do",
		    t->file->path, name, value, in, st);
	else if (value != NULL)
		msg_info("%s: %s is already %s%s%s; nothing to do",
		    t->file->path, name, value, in, st);
	else if (changed)
		msg_info("%s: %s removed%s%s", t->file->path, name, in, st);
	else
		msg_info("%s: %s is not set%s%s; nothing to do",
		    t->file->path, name, in, st);
	free(canon);
}

/*
 * The client refuses to start on an option it does not know: only the
 * names it documents are written, another one only with -force (a newer
 * client's). A misspelt name is refused with the nearest documented one.
 */
static int
setopt_name_ok(const struct opts *o)
{
	const struct optfile_optdef *def;
	const char *name = o->pos[0], *near;

	if (optfile_lookup(name, &def) != OPTFILE_OK)
		return usage_error();
	if (def != NULL || optfile_documented(name))
		return EXIT_OK;
	if (o->force) {
		msg_warn("%s is not an option the client documents; written "
		    "as asked (-force)", name);
		return EXIT_OK;
	}
	near = optfile_nearest(name);
	msg_error("%s is not an option the client documents%s%s%s", name,
	    near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
	msg_hint("a client refuses to start on an option it does not know; "
	    "give -force to write it all the same (for a newer client)");
	return EXIT_INPUT;
}

int
cmd_setopt(struct opts *o)
{
	struct optset s;
	struct optfile_edits e = { NULL, 0 };
	struct target t;
	int rc, changed = 0;

	if (o->npos != 2) {
		msg_error("-setopt needs OPTION and VALUE");
		msg_hint("usage: dsmcert %s", o->cmd->usage);
		return EXIT_USAGE;
	}
	if ((rc = setopt_name_ok(o)) != EXIT_OK)
		return rc;
	if ((rc = optset_load(o->optfile, "-optfile", o->server, &s)) !=
	    EXIT_OK)
		goto out;
	if ((rc = where_set(&s, o->pos[0], &t)) != EXIT_OK)
		goto out;
	if (t.file == s.opt && s.sys != NULL && is_choice_name(o->pos[0]) &&
	    optfile_stanza_find(s.sys, o->pos[1]) < 0) {
		msg_error("%s: no stanza SErvername %s to choose", s.sys->path,
		    o->pos[1]);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (optfile_edits_set(&e, t.stanza, o->pos[0], o->pos[1]) !=
	    OPTFILE_OK) {
		rc = usage_error();
		goto out;
	}
	if ((rc = commit(&t, &e, &changed)) == EXIT_OK)
		report(o, &t, o->pos[0], o->pos[1], changed);
out:
	optfile_edits_free(&e);
	optset_free(&s);
	return rc;
}

/* Remove the option from one file, if it is set there. */
static int
unset_in(struct opts *o, const struct target *t, const char *name,
    int *any)
{
	struct optfile_edits e = { NULL, 0 };
	int rc, changed = 0;
	int scope = OPTFILE_GLOBAL;

	if (t->stanza != NULL)
		scope = optfile_stanza_find(t->file, t->stanza);
	if (optfile_find(t->file, scope, name) == NULL)
		return EXIT_OK;
	if (optfile_edits_unset(&e, t->stanza, name) != OPTFILE_OK)
		return usage_error();
	if ((rc = commit(t, &e, &changed)) == EXIT_OK) {
		report(o, t, name, NULL, changed);
		*any = 1;
	}
	optfile_edits_free(&e);
	return rc;
}

int
cmd_unsetopt(struct opts *o)
{
	struct optset s;
	const struct optfile_optdef *def;
	struct target t;
	int rc, any = 0;

	if (o->npos != 1) {
		msg_error("-unsetopt needs OPTION");
		msg_hint("usage: dsmcert %s", o->cmd->usage);
		return EXIT_USAGE;
	}
	if ((rc = optset_load(o->optfile, "-optfile", o->server, &s)) !=
	    EXIT_OK)
		goto out;
	if (optfile_lookup(o->pos[0], &def) != OPTFILE_OK) {
		rc = usage_error();
		goto out;
	}
	if (s.sys != NULL && !is_choice(def)) {
		t.file = s.sys;
		t.stanza = def != NULL && def->home == OPTFILE_HOME_HEAD ?
		    NULL : optset_stanza_name(&s);
		if ((rc = unset_in(o, &t, o->pos[0], &any)) != EXIT_OK)
			goto out;
	}
	if (s.opt != NULL) {
		t.file = s.opt;
		t.stanza = NULL;
		if ((rc = unset_in(o, &t, o->pos[0], &any)) != EXIT_OK)
			goto out;
	}
	if (!any) {
		t.file = s.sys ? s.sys : s.opt;
		t.stanza = s.sys ? optset_stanza_name(&s) : NULL;
		report(o, &t, o->pos[0], NULL, 0);
	}
out:
	optset_free(&s);
	return rc;
}
