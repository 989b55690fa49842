#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"

/*
 * -query: the effective values of the stanza a node uses. One result
 * (a list of optfile_value), two renderers.
 */

static json_t *
value_json(const struct optfile_value *v)
{
	return json_pack("{s:o, s:o?, s:b, s:o?, s:i}", "name",
	    json_text(v->name), "value", json_text(v->value), "default",
	    v->is_default, "file", json_text(v->file), "line", v->line);
}

static int
render_json(const struct optset *s, const struct optfile_value *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, value_json(&v[i]));
	return json_print(json_pack("{s:o?, s:o?, s:o?, s:o?, s:o}",
	    "dsm.opt", json_text(s->opt ? s->opt->path : NULL),
	    "dsm.sys", json_text(s->sys ? s->sys->path : NULL),
	    "stanza", json_text(optset_stanza_name(s)),
	    "stanza_from", json_text(s->stanza_why), "options", a));
}

static void
render_text(const struct optfile_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%-24s %s%s\n", v[i].name, v[i].value,
		    v[i].is_default ? "  (default)" : "");
}

/* The options named on the command line. */
static int
named(const struct optset *s, struct opts *o, struct optfile_value **out)
{
	struct optfile_value *v;

	if ((v = calloc((size_t)o->npos, sizeof(*v))) == NULL) {
		msg_error("out of memory");
		return EXIT_USAGE;
	}
	for (int i = 0; i < o->npos; i++) {
		if (optfile_effective(s->sys, s->stanza, s->opt, o->pos[i],
		    &v[i]) != OPTFILE_OK) {
			msg_error("%s", optfile_error());
			free(v);
			return EXIT_USAGE;
		}
		if (v[i].value == NULL) {
			msg_error("%s is not set%s%s and has no default",
			    v[i].name, s->sys ? " in stanza " : "",
			    s->sys ? optset_stanza_name(s) : "");
			free(v);
			return EXIT_NOTFOUND;
		}
	}
	*out = v;
	return EXIT_OK;
}

int
cmd_query(struct opts *o)
{
	struct optset s;
	struct optfile_value *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = optset_load(o->optfile, "-optfile", o->server, &s)) !=
	    EXIT_OK)
		goto out;
	msg_debug("stanza %s (%s)", optset_stanza_name(&s) ?
	    optset_stanza_name(&s) : "(none)", s.stanza_why);
	if (o->npos > 0) {
		if ((rc = named(&s, o, &v)) != EXIT_OK)
			goto out;
		n = (size_t)o->npos;
	} else if (optfile_effective_all(s.sys, s.stanza, s.opt, &v, &n) !=
	    OPTFILE_OK) {
		msg_error("%s", optfile_error());
		rc = EXIT_INPUT;
		goto out;
	}
	if (o->json)
		rc = render_json(&s, v, n) == 0 ? EXIT_OK : EXIT_USAGE;
	else if (o->npos == 1)
		printf("%s\n", v[0].value);
	else
		render_text(v, n);
out:
	free(v);
	optset_free(&s);
	return rc;
}
