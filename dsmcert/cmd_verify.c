#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"
#include "dsmcert/tlstarget.h"

/*
 * -verify: connect as the node will, and say before any backup runs
 * whether it will trust the server, and if not, why. One result (the
 * probe's), two renderers.
 */

static const char *
yesno(int ok)
{
	return ok ? "ok" : "FAILED";
}

/* Said when the host name was not needed, and why. */
static const char *
peer_note(const struct keydb_tls_result *r)
{
	if (r->chain.n == 0 || !r->peer || r->host_ok)
		return NULL;
	if (r->recorded)
		return "the server certificate is the one recorded for this "
		    "server, presented byte for byte: trusted as itself, by "
		    "its exact identity, whatever its trust flags or "
		    "basicConstraints; no host name need match";
	return "the server certificate is trusted as itself (P,,), by its "
	    "exact identity: as for the backup client, no host name need "
	    "match (a certificate issued by a trusted CA must)";
}

/*
 * A first contact, judged as -check -online judges it: the one failure
 * is that nothing here vouches for the certificate, the node takes an
 * unknown one on first contact (SSLACCEPTCERTFROMSERV YES, a fast-path
 * server), and no certificate is recorded for the server that it should
 * have presented instead.
 */
static int
first_contact(struct keydb *db, const struct opts *o,
    const struct tlstarget *t, const struct keydb_tls_result *r)
{
	struct keydb_certs all;
	int recorded = 0;

	if (r->reason != KEYDB_TLS_UNTRUSTED || !t->first_contact ||
	    r->time_ok != 1 || !r->usage_ok || o->server == NULL)
		return 0;
	if (keydb_list(db, &all) != KEYDB_OK)
		return 0;
	for (size_t i = 0; i < all.n && !recorded; i++)
		recorded = keydb_server_has(db, all.v[i].sha256, o->server);
	keydb_certs_free(&all);
	return !recorded;
}

static const char first_words[] = "first contact: not in the key "
    "database; the node takes it on first contact (SSLACCEPTCERTFROMSERV "
    "YES)";

static json_t *
names_json(const struct keydb_tls_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nnames; i++)
		json_array_append_new(a, json_text(r->names[i]));
	return a;
}

static json_t *
chain_json(const struct keydb_tls_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->chain.n; i++)
		json_array_append_new(a, cert_json(&r->chain.v[i], NULL));
	return a;
}

static int
render_json(const struct opts *o, const struct tlstarget *t,
    const struct keydb_tls_result *r, int first)
{
	int seen = r->chain.n > 0;

	return json_print(json_pack("{s:o?, s:o, s:i, s:o, s:b, s:s?, s:o?,"
	    " s:s?, s:s?, s:o?, s:o, s:o, s:o?, s:o?, s:o?, s:o?, s:b, s:b,"
	    " s:b, s:b, s:b, s:b, s:o?, s:b}",
	    "server", json_text(o->server), "host", json_text(t->host),
	    "port", t->tls.port, "from", json_text(t->from),
	    "trusted", r->reason == KEYDB_TLS_OK,
	    "reason", r->reason == KEYDB_TLS_OK ? NULL :
	    keydb_tls_reason_str(r->reason), "why", json_text(r->why),
	    "protocol", r->protocol, "cipher", r->cipher,
	    "anchor", json_text(r->anchor), "chain", chain_json(r),
	    "names", names_json(r),
	    "anchored", seen ? json_boolean(r->trusted) : NULL,
	    "host_ok", seen ? json_boolean(r->host_ok || r->peer) : NULL,
	    "validity_ok", seen ? json_boolean(r->time_ok == 1) : NULL,
	    "usage_ok", seen ? json_boolean(r->usage_ok) : NULL,
	    "client_requested", r->client_requested,
	    "client_sent", r->client_sent,
	    "tls12_minimum", t->tls.tls12, "fips_suites", t->tls.fips,
	    "fips_module", r->fips_module, "peer", seen && r->peer,
	    "note", json_text(first ? first_words : peer_note(r)),
	    "first_contact", first)) == 0 ? EXIT_OK : EXIT_USAGE;
}

static void
render_text(const struct opts *o, const struct tlstarget *t,
    const struct keydb_tls_result *r, int first)
{
	char nb[32], na[32];

	printf("server:       %s%s%s:%d (%s)\n", o->server ? o->server : "",
	    o->server ? " at " : "", msg_esc(t->host), t->tls.port, t->from);
	if (r->protocol != NULL)
		printf("protocol:     %s, %s\n", r->protocol,
		    r->cipher ? r->cipher : "?");
	for (size_t i = 0; i < r->chain.n; i++) {
		const struct keydb_cert *c = &r->chain.v[i];

		fmt_time(c->not_before, nb);
		fmt_time(c->not_after, na);
		/* What the server sends is escaped, all of it. */
		printf("certificate %zu: %s\n", i, msg_esc(subject_text(c)));
		printf("  issuer:     %s\n", msg_esc(issuer_text(c)));
		printf("  valid:      %s to %s\n", nb, na);
		printf("  SHA-256:    %s\n", c->sha256);
	}
	if (r->chain.n > 0) {
		const struct keydb_cert *leaf = &r->chain.v[0];

		fmt_time(leaf->not_before, nb);
		fmt_time(leaf->not_after, na);
		if (r->anchor != NULL)
			printf("anchored by:  \"%s\" (SHA-256 %s)\n",
			    msg_esc(r->anchor),
			    r->anchor_sha256);
		else
			printf("anchored by:  nothing in the key database\n");
		printf("host name:    %s: %s (", msg_esc(t->host),
		    r->host_ok ? "ok" :
		    r->peer ? "not needed" : "FAILED");
		for (size_t i = 0; i < r->nnames; i++)
			printf("%s%s", i ? ", " : "", msg_esc(r->names[i]));
		printf("%s)\n", r->nnames ? "" : "no subjectAltName");
		printf("validity:     %s to %s: %s\n", nb, na,
		    r->time_ok == 1 ? "ok" : r->time_ok == 0 ? "EXPIRED" :
		    "NOT YET VALID");
		printf("key usage:    serverAuth: %s\n", yesno(r->usage_ok));
	}
	if (r->client_requested)
		printf("client cert:  requested by the server; %s\n",
		    r->client_sent ? "presented" : "none presented");
	if (peer_note(r) != NULL)
		printf("note:         %s\n", peer_note(r));
	printf("result:       %s\n", r->reason == KEYDB_TLS_OK ? "trusted" :
	    first ? first_words : keydb_tls_reason_str(r->reason));
}

static void
hint(const struct opts *o, const struct keydb_tls_result *r)
{
	const char *name = o->server ? o->server : "NAME";

	switch (r->reason) {
	case KEYDB_TLS_UNTRUSTED:
		msg_hint("check the fingerprint with the server's "
		    "administrator, then: dsmcert -fetch -server %s -pin "
		    "SHA256, or -add the CA root that issued it", name);
		break;
	case KEYDB_TLS_HOSTNAME:
		msg_hint("connect by a name the certificate lists, or have "
		    "it reissued with this name in its subjectAltName");
		break;
	case KEYDB_TLS_EXPIRED:
	case KEYDB_TLS_NOTYET:
		msg_hint("the server needs a certificate valid now; check "
		    "this machine's clock too");
		break;
	case KEYDB_TLS_CLIENTCERT:
		msg_hint("give -clientlabel LABEL of a client identity in the "
		    "key database, one the server's CA issued");
		break;
	case KEYDB_TLS_REFUSED:
	case KEYDB_TLS_TIMEOUT:
	case KEYDB_TLS_CONNECT:
		msg_hint("is the server up, and are TCPServeraddress and "
		    "TCPPort (or -host and -port) right?");
		break;
	default:
		break;
	}
}

int
cmd_verify(struct opts *o)
{
	struct tlstarget t;
	struct keydb_tls_result r = { 0 };
	struct keydb *db = NULL;
	int rc, first;

	if (o->server != NULL && !valid_name("server name", o->server))
		return EXIT_USAGE;
	if (o->clientlabel != NULL && !valid_name("-clientlabel",
	    o->clientlabel))
		return EXIT_USAGE;
	if ((rc = tlstarget_resolve(o, &t)) != EXIT_OK)
		return rc;
	t.tls.clientlabel = o->clientlabel;
	t.tls.server = o->server;
	if ((rc = db_open(o, KEYDB_READ, &db)) != EXIT_OK)
		goto out;
	if ((rc = keydb_tls_probe(db, &t.tls, &r)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto out;
	}
	if (t.tls.fips && !r.fips_module)
		msg_warn("SSLFIPSMODE YES: only FIPS-approved cipher suites "
		    "were offered, but NSS here is not in FIPS mode, so the "
		    "crypto module in use is not the validated one");
	first = first_contact(db, o, &t, &r);
	if (o->json)
		rc = render_json(o, &t, &r, first);
	else
		render_text(o, &t, &r, first);
	if (r.reason != KEYDB_TLS_OK && !first) {
		char brief[256] = "";

		if (r.chain.n > 0)
			cert_brief(&r.chain.v[0], brief, sizeof(brief));
		msg_error("%s:%d: %s: %s%s%s", t.host, t.tls.port,
		    keydb_tls_reason_str(r.reason), r.why,
		    *brief ? "; server certificate " : "", brief);
		hint(o, &r);
		rc = EXIT_CHECK;
	}
out:
	keydb_tls_result_free(&r);
	keydb_close(db);
	tlstarget_free(&t);
	return rc;
}
