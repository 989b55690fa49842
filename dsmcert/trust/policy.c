#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dsmcert/trust/policy.h"

#define DEFAULT_PORT "1500"

int
policy_yes(const char *v, int def)
{
	if (v == NULL)
		return def;
	return strcasecmp(v, "yes") == 0;
}

static struct policy_item *
add(struct policy_result *r, enum policy_kind kind, const char *why)
{
	struct policy_item *it;

	/* The decisions below add at most POLICY_MAXITEMS items. */
	if (r->nitems == POLICY_MAXITEMS)
		abort();
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->why = why;
	return it;
}

static void
want_yesno(struct policy_result *r, const char *option,
    const struct policy_opt *o, int def, int want, const char *why)
{
	struct policy_item *it = add(r, POLICY_OPTION, why);

	it->option = option;
	snprintf(it->value, sizeof(it->value), "%s", want ? "YES" : "NO");
	it->have = o->value != NULL ? o->value : def ? "YES" : "NO";
	it->have_default = o->value == NULL;
	it->met = o->value != NULL ? strcasecmp(o->value, it->value) == 0 :
	    def == want;
	it->file = o->file;
	it->stanza = o->stanza;
}

static void
want_port(struct policy_result *r, const struct policy_opt *o, unsigned port,
    const char *why)
{
	struct policy_item *it = add(r, POLICY_OPTION, why);
	const char *have = o->value != NULL ? o->value : DEFAULT_PORT;
	char *end;
	unsigned long v = strtoul(have, &end, 10);

	it->option = "TCPPort";
	snprintf(it->value, sizeof(it->value), "%u", port);
	it->have = have;
	it->have_default = o->value == NULL;
	it->met = *have != '\0' && *end == '\0' && v == port;
	it->file = o->file;
	it->stanza = o->stanza;
}

static void
want_cert(struct policy_result *r, const struct policy_facts *f,
    const char *why)
{
	struct policy_item *it = add(r, POLICY_CERT, why);

	it->met = f->have_cert;
	it->certfile = f->certfile;
	it->label = f->server;
	it->detail = f->stale;
}

/*
 * SSL YES and the TLS port switch the node to TLS. Without the
 * certificate, and none to import first, the node could not reach the
 * server after the switch: it waits.
 */
static void
hold_switch(struct policy_result *r, const struct policy_facts *f)
{
	int held = 0;

	for (size_t i = 0; i < r->nitems; i++) {
		struct policy_item *it = &r->items[i];

		if (it->kind != POLICY_OPTION || it->met)
			continue;
		it->held = 1;
		it->label = f->server;
		held = 1;
	}
	if (held)
		r->note = "the switch to TLS (SSL YES, the TLS port) is held "
		    "until the certificate is in the key database: without "
		    "it the node could not reach the server";
}

static void
decide_current(const struct policy_facts *f, struct policy_result *r)
{
	int accept = policy_yes(f->acceptcert.value, 1);

	if (f->have_cert) {
		r->pcase = POLICY_HAVECERT;
		want_cert(r, f, "the node trusts the server through it");
		r->note = "SSLACCEPTCERTFROMSERV does not apply; the TLS "
		    "level follows the server's";
	} else if (f->autocert) {
		r->pcase = POLICY_FASTPATH;
		/*
		 * Acceptance turned off is never turned back on: the node
		 * then needs the certificate in the key database, imported
		 * from certfile or obtained by hand.
		 */
		if (!accept) {
			want_cert(r, f, "SSLACCEPTCERTFROMSERV is NO, so the "
			    "certificate must be in the key database");
			r->note = "SSLACCEPTCERTFROMSERV NO is kept: it could "
			    "be YES, as this server hands out its certificate "
			    "on first contact, but dsmcert never weakens what "
			    "an administrator set";
		} else
			want_yesno(r, "SSLACCEPTCERTFROMSERV", &f->acceptcert,
			    1, 1, "the certificate arrives on first contact");
	} else {
		r->pcase = POLICY_NOAUTO;
		want_yesno(r, "SSLACCEPTCERTFROMSERV", &f->acceptcert, 1, 0,
		    "the server may not hand out its certificate");
		want_cert(r, f, "the server's certificate or its CA root "
		    "must be in place before first contact");
	}
	if (f->encrypt)
		want_yesno(r, "SSL", &f->ssl, 0, 1,
		    "all data to this server must be encrypted");
}

static void
decide_legacy(const struct policy_facts *f, struct policy_result *r)
{
	if (f->encrypt || policy_yes(f->ssl.value, 0)) {
		r->pcase = POLICY_LEGACY_TLS;
		want_yesno(r, "SSL", &f->ssl, 0, 1, f->encrypt ?
		    "all data to this server must be encrypted" :
		    "the node uses TLS with this server");
		want_cert(r, f, "a legacy server's certificate is never "
		    "handed out");
		if (f->tlsport != 0)
			want_port(r, &f->tcpport, f->tlsport,
			    "the server takes TLS on its TLS port");
		if (!f->have_cert && f->certfile == NULL)
			hold_switch(r, f);
		return;
	}
	r->pcase = POLICY_LEGACY;
	if (f->have_cert) {
		want_cert(r, f, "in place for the server's upgrade");
		r->note = "SSLACCEPTCERTFROMSERV does not apply: the "
		    "certificate is in place for the server's upgrade";
		return;
	}
	want_yesno(r, "SSLACCEPTCERTFROMSERV", &f->acceptcert, 1, 0,
	    "set ahead of the server's upgrade to 7.1.8/8.1.2 or later");
	if (f->certfile != NULL)
		want_cert(r, f, "needed before first contact after the "
		    "server's upgrade");
	else
		r->note = "before the first contact after the server's "
		    "upgrade to 7.1.8/8.1.2 or later, import its "
		    "certificate (certfile in the inventory)";
}

/*
 * A server's certificate changes: renewed on the server, the new one
 * goes in beside the old, which is retired once it has expired. Only
 * what is due is added: a renewal in its overlap, or a certificate
 * about to expire, is a note for the caller to make, not an item.
 */
static void
decide_over_time(const struct policy_facts *f, struct policy_result *r)
{
	struct policy_item *it;

	if (f->renew_label != NULL) {
		it = add(r, POLICY_RENEW, "the node trusts the server before "
		    "and after it switches to its renewed certificate");
		it->certfile = f->certfile;
		it->label = f->renew_label;
	}
	if (f->retire != NULL) {
		it = add(r, POLICY_RETIRE, "the renewed certificate replaces "
		    "it");
		it->label = f->server;
		it->detail = f->retire;
	}
	if (f->expired != NULL) {
		it = add(r, POLICY_EXPIRED, "an expired certificate no longer "
		    "lets the node trust the server");
		it->label = f->server;
		it->detail = f->expired;
	}
}

void
policy_decide(const struct policy_facts *f, struct policy_result *r)
{
	memset(r, 0, sizeof(*r));
	r->current = f->current;
	r->encrypt = f->encrypt;
	if (f->current)
		decide_current(f, r);
	else
		decide_legacy(f, r);
	decide_over_time(f, r);
}

int
policy_compliant(const struct policy_result *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (!r->items[i].met)
			return 0;
	return 1;
}

int
policy_item_doable(const struct policy_item *it)
{
	if (it->met || it->held || it->kind == POLICY_EXPIRED)
		return 0;
	return it->kind == POLICY_OPTION || it->kind == POLICY_RETIRE ||
	    it->certfile != NULL;
}

const char *
policy_case_name(enum policy_case c)
{
	switch (c) {
	case POLICY_FASTPATH:
		return "fastpath";
	case POLICY_NOAUTO:
		return "noauto";
	case POLICY_HAVECERT:
		return "havecert";
	case POLICY_LEGACY:
		return "legacy";
	case POLICY_LEGACY_TLS:
		break;
	}
	return "legacy-tls";
}

const char *
policy_case_text(enum policy_case c)
{
	switch (c) {
	case POLICY_FASTPATH:
		return "current, automatic certificate distribution (fast "
		    "path)";
	case POLICY_NOAUTO:
		return "current, automatic certificate distribution not "
		    "allowed";
	case POLICY_HAVECERT:
		return "current, the certificate is already in place";
	case POLICY_LEGACY:
		return "legacy, TLS not required";
	case POLICY_LEGACY_TLS:
		break;
	}
	return "legacy, TLS required";
}

static void
where(const struct policy_item *it, char *buf, size_t bufsz)
{
	if (it->stanza != NULL)
		snprintf(buf, bufsz, "in stanza %s of %s", it->stanza,
		    it->file != NULL ? it->file : "?");
	else
		snprintf(buf, bufsz, "in %s", it->file != NULL ? it->file :
		    "?");
}

void
policy_item_text(const struct policy_item *it, char *buf, size_t bufsz)
{
	char w[1024];

	switch (it->kind) {
	case POLICY_CERT:
		snprintf(buf, bufsz, "certificate %s in the key database",
		    it->label);
		return;
	case POLICY_RENEW:
		snprintf(buf, bufsz, "the renewed certificate in %s in the "
		    "key database", it->certfile);
		return;
	case POLICY_RETIRE:
		snprintf(buf, bufsz, "no expired old certificate of %s in the "
		    "key database", it->label);
		return;
	case POLICY_EXPIRED:
		snprintf(buf, bufsz, "a valid certificate of %s in the key "
		    "database", it->label);
		return;
	case POLICY_OPTION:
		break;
	}
	where(it, w, sizeof(w));
	snprintf(buf, bufsz, "%s %s %s", it->option, it->value, w);
}

void
policy_action_text(const struct policy_item *it, char *buf, size_t bufsz)
{
	char w[1024];

	switch (it->kind) {
	case POLICY_CERT:
		if (it->certfile != NULL)
			snprintf(buf, bufsz, "import %s as %s", it->certfile,
			    it->label);
		else if (it->detail != NULL)
			snprintf(buf, bufsz, "obtain a valid certificate of %s "
			    "(%s) and name it in the inventory's certfile",
			    it->label, it->detail);
		else
			snprintf(buf, bufsz, "obtain the certificate of %s "
			    "(the server's cert256.arm, or its CA root) and "
			    "name it in the inventory's certfile", it->label);
		return;
	case POLICY_RENEW:
		snprintf(buf, bufsz, "import %s as %s, beside the old "
		    "certificate (renewed)", it->certfile, it->label);
		return;
	case POLICY_RETIRE:
		snprintf(buf, bufsz, "retire %s", it->detail);
		return;
	case POLICY_EXPIRED:
		snprintf(buf, bufsz, "obtain the renewed certificate of %s "
		    "(%s) and name it in the inventory's certfile", it->label,
		    it->detail);
		return;
	case POLICY_OPTION:
		break;
	}
	where(it, w, sizeof(w));
	snprintf(buf, bufsz, "set %s %s %s (from %s%s)%s%s%s", it->option,
	    it->value, w, it->have, it->have_default ? ", the default" : "",
	    it->held ? " once the certificate of " : "",
	    it->held ? it->label : "",
	    it->held ? " is in the key database" : "");
}
