#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/trust.h"

void
plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].text);
		free(p->v[i].nodes);
		free(p->v[i].file);
		free(p->v[i].real);
		free(p->v[i].outcome);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Add a node to the step's list, once. Nodes come in inventory order. */
static void
add_node(struct plan_step *s, const char *node)
{
	size_t have = s->nodes != NULL ? strlen(s->nodes) : 0;
	size_t n = strlen(node);
	char *p;

	if (s->last != NULL && strcmp(s->last, node) == 0)
		return;
	p = xreallocarray(s->nodes, have + n + 3, 1);
	snprintf(p + have, n + 3, "%s%s", have ? ", " : "", node);
	s->nodes = p;
	s->last = node;
}

static enum step_kind
kind_of(const struct policy_item *it)
{
	if (it->kind == POLICY_OPTION)
		return it->held ? STEP_HELD : STEP_EDIT;
	if (!policy_item_doable(it))
		return STEP_BYHAND;
	return it->kind == POLICY_RETIRE ? STEP_RETIRE : STEP_IMPORT;
}

static int
is_edit(enum step_kind kind)
{
	return kind == STEP_EDIT || kind == STEP_HELD;
}

/* The same step already planned, or one it conflicts with. */
static struct plan_step *
find(struct plan *p, enum step_kind kind, const struct policy_item *it,
    const char *real, const struct inv_server *srv)
{
	for (size_t i = 0; i < p->n; i++) {
		struct plan_step *s = &p->v[i];

		if (s->kind != kind)
			continue;
		if (!is_edit(kind) && s->server == srv)
			return s;
		if (is_edit(kind) && strcmp(s->real, real) == 0 &&
		    strcmp(s->item->option, it->option) == 0 &&
		    (s->item->stanza == NULL ? it->stanza == NULL :
		    it->stanza != NULL &&
		    strcasecmp(s->item->stanza, it->stanza) == 0))
			return s;
	}
	return NULL;
}

static int
add_item(struct plan *p, const struct trust_entry *e,
    const struct policy_item *it)
{
	enum step_kind kind = kind_of(it);
	char real[PATH_MAX], text[2048];
	struct plan_step *s, *v;

	if (is_edit(kind) && realpath(e->editfile, real) == NULL)
		snprintf(real, sizeof(real), "%s", e->editfile);
	if ((s = find(p, kind, it, real, e->server)) != NULL) {
		if (is_edit(kind) && strcasecmp(s->item->value,
		    it->value) != 0) {
			msg_error("%s: stanza %s: node %s needs %s %s but "
			    "node %s needs %s %s", e->editfile,
			    it->stanza ? it->stanza : "(none)", s->nodes,
			    s->item->option, s->item->value, e->node->name,
			    it->option, it->value);
			msg_hint("give the nodes stanzas of their own; "
			    "nothing was changed");
			return EXIT_CONFLICT;
		}
		add_node(s, e->node->name);
		return EXIT_OK;
	}
	v = p->v = xreallocarray(p->v, p->n + 1, sizeof(*v));
	s = &v[p->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->item = it;
	s->server = e->server;
	policy_action_text(it, text, sizeof(text));
	s->text = xstrdup(text);
	if (is_edit(kind)) {
		s->file = xstrdup(e->editfile);
		s->real = xstrdup(real);
		s->sys = e->edit_sys;
	}
	add_node(s, e->node->name);
	return EXIT_OK;
}

/*
 * Imports come first: a certificate in place harms nothing, while
 * SSLACCEPTCERTFROMSERV NO without it would cut the node off. Held
 * edits come last, after what a person must do to release them.
 */
int
plan_build(struct plan *p, const struct trust *t)
{
	static const enum step_kind order[] = {
		STEP_IMPORT, STEP_EDIT, STEP_RETIRE, STEP_BYHAND, STEP_HELD
	};
	int rc;

	memset(p, 0, sizeof(*p));
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; i < t->n; i++) {
			const struct policy_result *r = &t->v[i].result;

			for (size_t j = 0; j < r->nitems; j++) {
				const struct policy_item *it = &r->items[j];

				if (it->met || kind_of(it) != order[k])
					continue;
				if ((rc = add_item(p, &t->v[i], it)) !=
				    EXIT_OK)
					return rc;
			}
		}
	return EXIT_OK;
}

static const char *
state_word(const struct plan *p, const struct plan_step *s)
{
	if (s->kind == STEP_BYHAND)
		return "by hand";
	if (s->kind == STEP_HELD)
		return "held";
	if (p->dryrun)
		return "would";
	switch (s->state) {
	case STEP_DONE:
		return "done";
	case STEP_FAILED:
		return "failed";
	case STEP_NOTDONE:
		return "not done";
	case STEP_PLANNED:
		break;
	}
	return "planned";
}

void
plan_text(FILE *f, const struct plan *p)
{
	size_t byhand = 0, held = 0;

	if (p->n == 0) {
		fprintf(f, "nothing to do: every node and server is "
		    "compliant\n");
		return;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->v[i];

		fprintf(f, "%s: %s%s%s", state_word(p, s), s->text,
		    s->outcome ? "; " : "", s->outcome ? s->outcome : "");
		if (s->nodes != NULL)
			fprintf(f, " (for %s)", s->nodes);
		fputc('\n', f);
		byhand += p->v[i].kind == STEP_BYHAND;
		held += p->v[i].kind == STEP_HELD;
	}
	if (p->dryrun)
		fprintf(f, "dry run: nothing was changed\n");
	if (byhand > 0)
		fprintf(f, "%zu step%s left to do by hand\n", byhand,
		    byhand > 1 ? "s" : "");
	if (held > 0)
		fprintf(f, "%zu edit%s held until a certificate is in the "
		    "key database: switched to TLS without it, a node could "
		    "not reach its server\n", held, held > 1 ? "s" : "");
}

json_t *
plan_json(const struct plan *p)
{
	json_t *o = json_object(), *a = json_array();

	for (size_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->v[i];
		json_t *step = json_object();

		json_object_set_new(step, "action", json_text(s->text));
		json_object_set_new(step, "state",
		    json_string(state_word(p, s)));
		json_object_set_new(step, "nodes", json_text(s->nodes));
		if (s->outcome != NULL)
			json_object_set_new(step, "outcome",
			    json_text(s->outcome));
		json_array_append_new(a, step);
	}
	json_object_set_new(o, "dryrun", json_boolean(p->dryrun));
	json_object_set_new(o, "steps", a);
	return o;
}
