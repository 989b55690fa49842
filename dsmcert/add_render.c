#include <stdarg.h>
#include <stdio.h>

#include "dsmcert/add_render.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/*
 * What the import engine did, said as -add says it: one line per
 * certificate, or a JSON array (-add -json). The engine decides; this
 * only renders.
 */

/* What became of a certificate, where the caller wants it said. */
__attribute__((format(printf, 2, 3)))
static void
say(const struct add_how *h, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	FILE *f = h->say == ADD_SAY_TEXT ? stdout : stderr;

	if (msg_quiet || (h->say != ADD_SAY_TEXT && h->say != ADD_SAY_STDERR))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	msg_escaped(f, buf);
	fputc('\n', f);
}

static void
render_text(const struct add_result *r)
{
	const struct add_how *h = r->how;

	for (size_t i = 0; i < r->n; i++) {
		const struct add_item *it = &r->v[i];

		if (it->clash != NULL && (it->what == ADD_NEW ||
		    it->what == ADD_REPLACED))
			say(h, "removed \"%s\" (SHA-256 %s): the new "
			    "certificate has its issuer and serial number",
			    it->clash->label, it->clash->sha256);
		switch (it->what) {
		case ADD_NEW:
		case ADD_REPLACED:
			say(h, "%s %s as \"%s\" (SHA-256 %s, trust %s)",
			    it->what == ADD_NEW ? "imported" : "replaced",
			    subject_text(it->c), it->label, it->c->sha256,
			    keydb_default_trust(it->c));
			break;
		case ADD_SAME:
		case ADD_ELSEWHERE:
			if (it->linked)
				say(h, "linked: %s (SHA-256 %s) is already in "
				    "the key database as \"%s\"; now trusted for "
				    "server %s too", subject_text(it->c),
				    it->c->sha256, it->present_as, h->server);
			else if (it->what == ADD_SAME)
				say(h, "unchanged: \"%s\" (SHA-256 %s) is "
				    "already in the key database",
				    it->present_as, it->c->sha256);
			else
				say(h, "unchanged: %s (SHA-256 %s) is already "
				    "in the key database as \"%s\"",
				    subject_text(it->c), it->c->sha256,
				    it->present_as);
			break;
		case ADD_DUPLICATE:
			say(h, "skipped: %s (SHA-256 %s) appears twice in "
			    "the file", subject_text(it->c), it->c->sha256);
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

		json_array_append_new(a, json_pack("{s:o?, s:s, s:o, s:s}",
		    "label", json_text(it->present_as ? it->present_as :
		    it->label), "sha256", it->c->sha256,
		    "subject", json_text(it->c->subject),
		    "action", it->linked ? "linked" : what[it->what]));
	}
	json_print(a);
}

void
add_render_lines(const struct add_result *r)
{
	render_text(r);
}

void
add_render(const struct add_result *r)
{
	if (r->how->say == ADD_SAY_JSON)
		render_json(r);
	else {
		render_text(r);
		if (r->changed == 0)
			say(r->how, "nothing changed");
	}
}
