#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * Reading values for a node. The stanza of dsm.sys is the administrator's
 * word on how to reach a server, so it wins over dsm.opt; what neither
 * file sets takes the client's documented default.
 */

/* The scope an option lives in: DEFAULTServer is read from the head. */
static int
scope(const struct optfile *f, const struct optfile_optdef *def, int stanza)
{
	if (f->kind == OPTFILE_OPT)
		return OPTFILE_GLOBAL;
	if (def != NULL && def->home == OPTFILE_HOME_HEAD)
		return OPTFILE_GLOBAL;
	return stanza;
}

/*
 * The lines of a scope: one run of the file, so that reading a value
 * costs the length of its stanza, not of the whole dsm.sys.
 */
static void
scope_lines(const struct optfile *f, int stanza, size_t *from, size_t *to)
{
	*from = *to = 0;
	if (f->kind == OPTFILE_OPT || f->nstanzas == 0) {
		if (stanza == OPTFILE_GLOBAL)
			*to = f->nlines;
	} else if (stanza == OPTFILE_GLOBAL) {
		*to = (size_t)f->stanzas[0].first;
	} else if (stanza >= 0 && (size_t)stanza < f->nstanzas) {
		*from = (size_t)f->stanzas[stanza].first;
		*to = (size_t)f->stanzas[stanza].last + 1;
	}
}

static const struct optfile_line *
find_def(const struct optfile *f, int stanza,
    const struct optfile_optdef *def, const char *name)
{
	const struct optfile_line *hit = NULL;
	size_t from, to;

	if (f == NULL)
		return NULL;
	stanza = scope(f, def, stanza);
	scope_lines(f, stanza, &from, &to);
	for (size_t i = from; i < to; i++) {
		const struct optfile_line *l = &f->lines[i];

		if (l->stanza == stanza && of_line_is(l, def, name))
			hit = l;
	}
	return hit;
}

const struct optfile_line *
optfile_find(const struct optfile *f, int stanza, const char *name)
{
	const struct optfile_optdef *def;

	if (optfile_lookup(name, &def) != OPTFILE_OK)
		return NULL;
	return find_def(f, stanza, def, name);
}

static int
effective(const struct optfile *sys, int stanza, const struct optfile *opt,
    const struct optfile_optdef *def, const char *name,
    struct optfile_value *out, int depth)
{
	const struct optfile_line *l = NULL;
	const struct optfile *in = NULL;

	memset(out, 0, sizeof(*out));
	out->def = def;
	out->name = def != NULL ? def->name : name;
	out->multi = optfile_accumulates(out->name);
	if (sys != NULL && (l = find_def(sys, stanza, def, name)) != NULL)
		in = sys;
	else if (opt != NULL && (l = find_def(opt, OPTFILE_GLOBAL, def,
	    name)) != NULL)
		in = opt;
	if (l != NULL) {
		out->value = l->value;
		out->file = in->path;
		out->line = l->lineno;
		if (def == NULL)
			out->name = l->name;
		return OPTFILE_OK;
	}
	out->is_default = 1;
	if (def == NULL)
		return OPTFILE_OK;
	if (def->def_from != NULL && depth < 4) {
		const struct optfile_optdef *from;
		struct optfile_value v;

		if (optfile_lookup(def->def_from, &from) != OPTFILE_OK)
			return OPTFILE_ENAME;
		effective(sys, stanza, opt, from, def->def_from, &v, depth + 1);
		out->value = v.value;
		return OPTFILE_OK;
	}
	out->value = def->def;
	return OPTFILE_OK;
}

int
optfile_effective(const struct optfile *sys, int stanza,
    const struct optfile *opt, const char *name, struct optfile_value *out)
{
	const struct optfile_optdef *def;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = optfile_lookup(name, &def)) != OPTFILE_OK)
		return rc;
	return effective(sys, stanza, opt, def, name, out, 0);
}

int
optfile_yes(const struct optfile_value *v)
{
	if (v->value == NULL)
		return -1;
	return strcasecmp(v->value, "YES") == 0;
}

static int
push(struct optfile_value **v, size_t *n, size_t *cap,
    const struct optfile_value *x)
{
	*v = xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *x;
	return OPTFILE_OK;
}

static int
seen(const struct optfile_value *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].def == NULL && strcasecmp(v[i].name, name) == 0)
			return 1;
	return 0;
}

/* Every line of an option in one file's scope, in file order. */
static int
each_line(const struct optfile *f, int stanza, const struct optfile_value *v,
    const char *name, struct optfile_value **out, size_t *n, size_t *cap)
{
	size_t from, to;

	if (f == NULL)
		return OPTFILE_OK;
	stanza = scope(f, v->def, stanza);
	scope_lines(f, stanza, &from, &to);
	for (size_t i = from; i < to; i++) {
		const struct optfile_line *l = &f->lines[i];
		struct optfile_value x = *v;
		int rc;

		if (l->stanza != stanza || !of_line_is(l, v->def, name))
			continue;
		x.value = l->value;
		x.file = f->path;
		x.line = l->lineno;
		if ((rc = push(out, n, cap, &x)) != OPTFILE_OK)
			return rc;
	}
	return OPTFILE_OK;
}

int
optfile_effective_each(const struct optfile *sys, int stanza,
    const struct optfile *opt, const char *name, struct optfile_value **out,
    size_t *nout)
{
	struct optfile_value v, *all = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = optfile_effective(sys, stanza, opt, name, &v)) !=
	    OPTFILE_OK)
		return rc;
	if (!v.multi)
		rc = push(&all, &n, &cap, &v);
	else {
		v.is_default = 0;
		rc = each_line(sys, stanza, &v, name, &all, &n, &cap);
		if (rc == OPTFILE_OK && opt != NULL)
			rc = each_line(opt, OPTFILE_GLOBAL, &v, name, &all,
			    &n, &cap);
	}
	if (rc != OPTFILE_OK) {
		free(all);
		return rc;
	}
	*out = all;
	*nout = n;
	return OPTFILE_OK;
}

/* Unknown options of one file's scope, each name once. */
static int
unknown(const struct optfile *f, int stanza, const struct optfile *sys,
    int sstanza, const struct optfile *opt, struct optfile_value **v,
    size_t *n, size_t *cap)
{
	size_t from, to;

	if (f == NULL)
		return OPTFILE_OK;
	scope_lines(f, stanza, &from, &to);
	for (size_t i = from; i < to; i++) {
		const struct optfile_line *l = &f->lines[i];
		struct optfile_value x;
		int rc;

		if (l->kind != OPTFILE_OPTION || l->def != NULL ||
		    l->stanza != stanza || seen(*v, *n, l->name))
			continue;
		effective(sys, sstanza, opt, NULL, l->name, &x, 0);
		if ((rc = push(v, n, cap, &x)) != OPTFILE_OK)
			return rc;
	}
	return OPTFILE_OK;
}

int
optfile_effective_all(const struct optfile *sys, int stanza,
    const struct optfile *opt, struct optfile_value **out, size_t *nout)
{
	struct optfile_value *v = NULL, x;
	size_t n = 0, cap = 0;
	int rc = OPTFILE_OK;

	for (size_t i = 0; rc == OPTFILE_OK && i < optfile_nopts; i++) {
		const struct optfile_optdef *def = &optfile_opts[i];

		if (sys != NULL && def == of_replservername)
			continue;
		effective(sys, stanza, opt, def, def->name, &x, 0);
		if (x.value != NULL)
			rc = push(&v, &n, &cap, &x);
	}
	if (rc == OPTFILE_OK && sys != NULL)
		rc = unknown(sys, stanza, sys, stanza, opt, &v, &n, &cap);
	if (rc == OPTFILE_OK)
		rc = unknown(opt, OPTFILE_GLOBAL, sys, stanza, opt, &v, &n,
		    &cap);
	if (rc != OPTFILE_OK) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return OPTFILE_OK;
}

int
optfile_pick_stanza(const struct optfile *sys, const struct optfile *opt,
    const char *want, int *stanza, const char **why)
{
	const struct optfile_line *l;
	int i;

	*stanza = OPTFILE_GLOBAL;
	if (sys == NULL) {
		*why = "no dsm.sys: dsm.opt holds every option";
		return OPTFILE_OK;
	}
	if (want != NULL) {
		*why = "-server";
		if ((i = optfile_stanza_find(sys, want)) < 0)
			return of_fail(OPTFILE_ENOTFOUND,
			    "%s: no stanza SErvername %s", sys->path, want);
		*stanza = i;
		return OPTFILE_OK;
	}
	if (opt != NULL &&
	    (l = find_def(opt, OPTFILE_GLOBAL, of_servername, NULL)) != NULL) {
		*why = "SErvername in dsm.opt";
		if ((i = optfile_stanza_find(sys, l->value)) < 0)
			return of_fail(OPTFILE_ENOTFOUND,
			    "%s:%d: SErvername %s: %s has no such stanza",
			    opt->path, l->lineno, l->value, sys->path);
		*stanza = i;
		return OPTFILE_OK;
	}
	if ((l = find_def(sys, OPTFILE_GLOBAL, of_defaultserver, NULL)) !=
	    NULL) {
		*why = "DEFAULTServer in dsm.sys";
		if ((i = optfile_stanza_find(sys, l->value)) < 0)
			return of_fail(OPTFILE_ENOTFOUND,
			    "%s:%d: DEFAULTServer %s: no such stanza",
			    sys->path, l->lineno, l->value);
		*stanza = i;
		return OPTFILE_OK;
	}
	*why = "the first stanza of dsm.sys";
	for (size_t j = 0; j < sys->nstanzas; j++)
		if (!sys->stanzas[j].repl) {
			*stanza = (int)j;
			return OPTFILE_OK;
		}
	return of_fail(OPTFILE_ENOTFOUND, "%s: no SErvername stanza",
	    sys->path);
}
