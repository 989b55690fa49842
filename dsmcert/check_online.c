#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/check.h"
#include "dsmcert/msg.h"
#include "dsmcert/tlstarget.h"

/*
 * -check -online: connect to the server of every node and server pair
 * that talks TLS, at the address and port of the node's stanza, with its
 * TLS options, exactly as -verify does, and judge what it presents
 * against this key database. One server reached through several stanzas
 * is connected to once.
 */

static void
copy_probe(struct check_probe *to, const struct check_probe *from)
{
	to->verdict = from->verdict;
	to->host = xstrdup(from->host);
	to->port = from->port;
	to->reason = from->reason;
	to->why = xstrdup(from->why);
	to->sha256 = xstrdup(from->sha256);
	to->subject = xstrdup(from->subject);
}

/* An earlier probe of the same address, port and TLS options. */
static const struct check_probe *
done_before(const struct check *ck, size_t n, const struct tlstarget *t,
    const int *mode)
{
	for (size_t i = 0; i < n; i++) {
		const struct check_probe *p = &ck->probes[i];

		if (p->verdict != CHECK_NO_TLS && p->host != NULL &&
		    strcasecmp(p->host, t->host) == 0 &&
		    p->port == t->tls.port && mode[i] ==
		    (t->tls.tls12 | t->tls.fips << 1))
			return p;
	}
	return NULL;
}

static enum check_verdict
verdict(const struct check_pair *p, enum keydb_tls_reason reason)
{
	switch (reason) {
	case KEYDB_TLS_OK:
		return CHECK_TRUSTED;
	case KEYDB_TLS_REFUSED:
	case KEYDB_TLS_TIMEOUT:
	case KEYDB_TLS_CONNECT:
		return CHECK_UNREACHABLE;
	case KEYDB_TLS_UNTRUSTED:
		/* Not here, and none needed: the node will take it. */
		if (p->first_contact && p->ncerts == 0)
			return CHECK_FIRST_CONTACT;
		return CHECK_UNTRUSTED;
	default:
		return CHECK_UNTRUSTED;
	}
}

static int
probe(struct check *ck, size_t i, struct keydb *db, const struct opts *o,
    int *mode)
{
	const struct check_pair *p = &ck->pairs[i];
	struct check_probe *pr = &ck->probes[i];
	const struct check_probe *before;
	struct opts target = { 0 };
	struct tlstarget t;
	struct keydb_tls_result r = { 0 };
	int rc;

	/* The node's own stanza, as -verify -optfile F -server S reads it. */
	target.optfile = p->optfile;
	target.server = p->stanza;
	target.timeout = o->timeout;
	if ((rc = tlstarget_resolve_node(&target, p->api ? SYSFIND_API :
	    SYSFIND_CLIENT, p->sysfile, &t)) != EXIT_OK)
		return rc;
	mode[i] = t.tls.tls12 | t.tls.fips << 1;
	t.tls.server = p->server;
	if ((before = done_before(ck, i, &t, mode)) != NULL) {
		copy_probe(pr, before);
		pr->verdict = verdict(p, before->reason);
		pr->from = t.from;
		free(t.host);
		return EXIT_OK;
	}
	msg_debug("node %s, server %s: connecting to %s:%d (%s)", p->node,
	    p->server, t.host, t.tls.port, t.from);
	if ((rc = keydb_tls_probe(db, &t.tls, &r)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		tlstarget_free(&t);
		return EXIT_DB;
	}
	pr->host = t.host;
	pr->port = t.tls.port;
	pr->from = t.from;
	pr->reason = r.reason;
	pr->verdict = verdict(p, r.reason);
	if (r.reason != KEYDB_TLS_OK)
		pr->why = xstrdup(r.why);
	if (r.chain.n > 0) {
		pr->sha256 = xstrdup(r.chain.v[0].sha256);
		pr->subject = xstrdup(r.chain.v[0].subject);
	}
	keydb_tls_result_free(&r);
	return EXIT_OK;
}

int
check_online(struct check *ck, struct keydb *db, const struct opts *o)
{
	int *mode;
	int rc = EXIT_OK;

	ck->probes = xcalloc(ck->npairs + 1, sizeof(*ck->probes));
	mode = xcalloc(ck->npairs + 1, sizeof(*mode));
	for (size_t i = 0; i < ck->npairs && rc == EXIT_OK; i++)
		if (ck->pairs[i].tls)
			rc = probe(ck, i, db, o, mode);
	free(mode);
	return rc;
}
