#include <stdio.h>
#include <string.h>

#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/trust/trust.h"

/* Index into value[]/setat[] of an option item; -1 for a certificate. */
static int
opt_index(const struct policy_item *it)
{
	if (it->kind != POLICY_OPTION)
		return -1;
	if (strcmp(it->option, "SSL") == 0)
		return TRUST_SSL;
	if (strcmp(it->option, "TCPPort") == 0)
		return TRUST_PORT;
	return TRUST_ACCEPT;
}

/* "SSL YES (dsm.sys:12)", "SSLACCEPTCERTFROMSERV YES (the default)". */
static void
in_place(const struct trust_entry *e, const struct policy_item *it,
    char *buf, size_t bufsz)
{
	int i = opt_index(it);

	if (i < 0)
		snprintf(buf, bufsz, "certificate %s in the key database",
		    e->have_label != NULL ? e->have_label : it->label);
	else if (e->setat[i] != NULL)
		snprintf(buf, bufsz, "%s %s (%s)", it->option, it->have,
		    e->setat[i]);
	else
		snprintf(buf, bufsz, "%s %s (the default)", it->option,
		    it->have);
}

static void
where(const struct trust_entry *e, char *buf, size_t bufsz)
{
	if (e->stanza != NULL)
		snprintf(buf, bufsz, "stanza %s of %s%s%s%s", e->stanza,
		    e->editfile, e->sys_why ? " (" : "",
		    e->sys_why ? e->sys_why : "", e->sys_why ? ")" : "");
	else
		snprintf(buf, bufsz, "%s", e->editfile);
}

static void
list(FILE *f, const char *title, const struct trust_entry *e, int met,
    int actions)
{
	const struct policy_result *r = &e->result;
	char buf[2048];
	int first = 1;

	for (size_t i = 0; i < r->nitems; i++) {
		const struct policy_item *it = &r->items[i];

		if (it->met != met)
			continue;
		if (met)
			in_place(e, it, buf, sizeof(buf));
		else if (actions)
			policy_action_text(it, buf, sizeof(buf));
		else
			policy_item_text(it, buf, sizeof(buf));
		fprintf(f, "  %-10s%s\n", first ? title : "", msg_esc(buf));
		first = 0;
	}
	if (first)
		fprintf(f, "  %-10s%s\n", title, "nothing");
}

/* Each certificate the node relies on for the server, and its standing. */
static void
certs_text(FILE *f, const struct trust_entry *e)
{
	const struct tserver *ts = e->certs;
	char when[32], left[48];

	for (size_t k = 0; k < ts->n; k++) {
		const struct tcert *tc = &ts->v[k];

		fmt_time(tc->c->not_after, when);
		if (tc->role == TCERT_NEW)
			fprintf(f, "  %-10s(in %s) ", k ? "" : "certs:",
			    msg_esc(ts->server->certfile));
		else
			fprintf(f, "  %-10s\"%s\" ", k ? "" : "certs:",
			    msg_esc(tc->c->label ? tc->c->label : ""));
		fprintf(f, "SHA-256 %s, not after %s (%s): %s, %s\n",
		    tc->c->sha256, when, days_left_text(tc->c, left,
		    sizeof(left)), tcert_role_name(tc->role),
		    tcert_state_name(tc->state));
	}
}

static void
unused_text(FILE *f, const struct trust *t)
{
	char when[32];

	if (t->nunused == 0)
		return;
	fprintf(f, "\nunused certificates (dsmcert -configure -prune removes "
	    "them):\n");
	for (size_t i = 0; i < t->nunused; i++) {
		const struct tunused *u = &t->unused[i];

		fmt_time(u->c->not_after, when);
		fprintf(f, "  \"%s\" (SHA-256 %s, not after %s): recorded for "
		    "%s\n", msg_esc(u->c->label ? u->c->label : ""),
		    u->c->sha256, when, msg_esc(u->why));
	}
}

void
trust_unused_warn(const struct trust *t)
{
	for (size_t i = 0; i < t->nunused; i++)
		msg_warn("\"%s\" (SHA-256 %s) is recorded only for %s; "
		    "dsmcert -configure -prune takes it away",
		    t->unused[i].c->label ? t->unused[i].c->label : "",
		    t->unused[i].c->sha256, t->unused[i].why);
}

void
trust_text(FILE *f, const struct trust *t)
{
	size_t out = trust_outstanding(t);
	char buf[2048];

	for (size_t i = 0; i < t->n; i++) {
		const struct trust_entry *e = &t->v[i];
		const struct inv_server *s = e->server;
		int ok = policy_compliant(&e->result);

		where(e, buf, sizeof(buf));
		fprintf(f, "%s%s (%s) -> %s, %s: %s\n", i ? "\n" : "",
		    e->node->name, inv_role_name(e->node->role), s->name,
		    msg_esc(buf),
		    ok ? "compliant" : "action needed");
		fprintf(f, "  %-10s%s (%s)\n", "version:", s->version,
		    s->current ? "current" : "legacy");
		fprintf(f, "  %-10s%s%s\n", "case:",
		    policy_case_text(e->result.pcase),
		    e->result.encrypt ? "; all data encrypted" : "");
		list(f, "in place:", e, 1, 0);
		list(f, "missing:", e, 0, 0);
		list(f, "actions:", e, 0, 1);
		certs_text(f, e);
		for (size_t k = 0; k < e->nnotes; k++)
			fprintf(f, "  %-10s%s\n", "note:",
			    msg_esc(e->notes[k]));
	}
	unused_text(f, t);
	if (out == 0)
		fprintf(f, "\nevery node and server: compliant, nothing to "
		    "do\n");
	else
		fprintf(f, "\n%zu of %zu node and server pairs need action; "
		    "dsmcert -configure carries it out\n", out, t->n);
}

static json_t *
strings(const struct trust_entry *e, int met, int actions)
{
	const struct policy_result *r = &e->result;
	json_t *a = json_array();
	char buf[2048];

	for (size_t i = 0; i < r->nitems; i++) {
		const struct policy_item *it = &r->items[i];

		if (it->met != met)
			continue;
		if (met)
			in_place(e, it, buf, sizeof(buf));
		else if (actions)
			policy_action_text(it, buf, sizeof(buf));
		else
			policy_item_text(it, buf, sizeof(buf));
		json_array_append_new(a, json_text(buf));
	}
	return a;
}

static json_t *
certs_json(const struct trust_entry *e)
{
	const struct tserver *ts = e->certs;
	json_t *a = json_array();
	char when[32];

	for (size_t k = 0; k < ts->n; k++) {
		const struct tcert *tc = &ts->v[k];

		fmt_time(tc->c->not_after, when);
		json_array_append_new(a, json_pack("{s:s?, s:s, s:s, s:s, s:I, "
		    "s:s, s:s, s:s, s:b}",
		    "label", tc->role == TCERT_NEW ? NULL : tc->c->label,
		    "sha256", tc->c->sha256, "subject", tc->c->subject,
		    "not_after", when, "days_left", (json_int_t)tc->days,
		    "role", tcert_role_name(tc->role),
		    "state", tcert_state_name(tc->state),
		    "verdict", tverdict_name(tcert_verdict(tc, 0)),
		    "in_keydb", tc->role != TCERT_NEW));
	}
	return a;
}

json_t *
trust_json(const struct trust *t)
{
	json_t *a = json_array();

	for (size_t i = 0; i < t->n; i++) {
		const struct trust_entry *e = &t->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "node", json_text(e->node->name));
		json_object_set_new(o, "role",
		    json_string(inv_role_name(e->node->role)));
		json_object_set_new(o, "server", json_text(e->server->name));
		json_object_set_new(o, "version",
		    json_text(e->server->version));
		json_object_set_new(o, "class", json_string(e->server->current ?
		    "current" : "legacy"));
		json_object_set_new(o, "case",
		    json_string(policy_case_name(e->result.pcase)));
		json_object_set_new(o, "encrypt",
		    json_boolean(e->result.encrypt));
		json_object_set_new(o, "file", json_text(e->editfile));
		json_object_set_new(o, "stanza", e->stanza != NULL ?
		    json_text(e->stanza) : json_null());
		json_object_set_new(o, "compliant",
		    json_boolean(policy_compliant(&e->result)));
		json_object_set_new(o, "in_place", strings(e, 1, 0));
		json_object_set_new(o, "missing", strings(e, 0, 0));
		json_object_set_new(o, "actions", strings(e, 0, 1));
		json_object_set_new(o, "note", e->result.note != NULL ?
		    json_text(e->result.note) : json_null());
		json_object_set_new(o, "notes", json_array());
		for (size_t k = 0; k < e->nnotes; k++)
			json_array_append_new(json_object_get(o, "notes"),
			    json_text(e->notes[k]));
		json_object_set_new(o, "certificates", certs_json(e));
		json_object_set_new(o, "certificate_missing",
		    json_boolean(trust_entry_missing(e)));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
trust_rows_json(const struct trust *t)
{
	json_t *a = json_array();

	for (size_t i = 0; i < t->n; i++) {
		const struct trust_entry *e = &t->v[i];
		const struct tserver *ts = e->certs;

		for (size_t k = 0; k < ts->n; k++) {
			const struct tcert *tc = &ts->v[k];

			if (tc->role == TCERT_NEW)
				continue;
			json_array_append_new(a, json_pack("{s:o, s:o, s:o?, "
			    "s:s, s:I, s:s}", "node", json_text(e->node->name),
			    "server", json_text(e->server->name),
			    "label", json_text(tc->c->label),
			    "sha256", tc->c->sha256,
			    "days_left", (json_int_t)tc->days,
			    "state", tverdict_name(tcert_verdict(tc, 0))));
		}
		if (trust_entry_missing(e))
			json_array_append_new(a, json_pack("{s:o, s:o, s:n, "
			    "s:n, s:n, s:s}", "node", json_text(e->node->name),
			    "server", json_text(e->server->name), "label",
			    "sha256", "days_left", "state",
			    tverdict_name(TV_MISSING)));
	}
	return a;
}
