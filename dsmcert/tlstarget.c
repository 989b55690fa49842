#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/trust/inventory.h"
#include "dsmcert/locate.h"
#include "dsmcert/msg.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/tlstarget.h"

#define DEFAULT_TIMEOUT 10
#define DEFAULT_PORT 1500

/* A whole decimal number in [lo, hi], or -1. */
static long
number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	return v;
}

static int
from_optfile(const struct opts *o, enum sysfind_kind kind,
    const char *sysfile, struct tlstarget *t)
{
	struct optset s;
	struct optfile_value v;
	const char *stanza;
	int rc;

	if ((rc = optset_load_node(NULL, o->optfile, "-optfile", kind,
	    sysfile, o->server, &s)) != EXIT_OK)
		return rc;
	stanza = optset_stanza_name(&s);
	if (t->host == NULL && optfile_effective(s.sys, s.stanza, s.opt,
	    "TCPServeraddress", &v) == OPTFILE_OK && v.value != NULL)
		t->host = xstrdup(v.value);
	if (t->tls.port == 0 && optfile_effective(s.sys, s.stanza, s.opt,
	    "TCPPort", &v) == OPTFILE_OK && v.value != NULL) {
		if ((t->tls.port = (int)number(v.value, 1, 65535)) < 0) {
			msg_error("%s:%d: TCPPort \"%s\" is not a port",
			    v.file ? v.file : "?", v.line, v.value);
			optset_free(&s);
			return EXIT_INPUT;
		}
	}
	if (optfile_effective(s.sys, s.stanza, s.opt, "SSLDISABLELEGACYtls",
	    &v) == OPTFILE_OK)
		t->tls.tls12 = optfile_yes(&v) == 1;
	if (optfile_effective(s.sys, s.stanza, s.opt, "SSLFIPSMODE", &v) ==
	    OPTFILE_OK)
		t->tls.fips = optfile_yes(&v) == 1;
	/* Its default is YES. */
	t->first_contact = optfile_effective(s.sys, s.stanza, s.opt,
	    "SSLACCEPTCERTFROMSERV", &v) != OPTFILE_OK || v.value == NULL ||
	    optfile_yes(&v) != 0;
	t->from = xasprintf("stanza %s of %s", stanza ? stanza : "(none)",
	    s.sys ? s.sys->path : s.opt->path);
	optset_free(&s);
	return EXIT_OK;
}

/*
 * -server names a stanza rather than an inventory server: connect as the
 * first node whose dsm.sys (found as for that node's kind) holds it.
 * EXIT_NOTFOUND when none does.
 */
static int
from_node_stanza(const struct opts *o, const struct inventory *inv,
    struct tlstarget *t)
{
	for (size_t i = 0; i < inv->nnodes; i++) {
		const struct inv_node *n = &inv->nodes[i];
		enum sysfind_kind kind = n->role == INV_CLIENT ?
		    SYSFIND_CLIENT : SYSFIND_API;
		struct optpaths p;
		struct optfile *sys = NULL;
		int found = 0;

		optpaths_resolve_node(n->optfile, "the inventory", kind,
		    n->sysfile, &p);
		if (p.sys_exists && optfile_load(p.sys, OPTFILE_SYS, &sys) ==
		    OPTFILE_OK)
			found = optfile_stanza_find(sys, o->server) >= 0;
		optfile_free(sys);
		optpaths_free(&p);
		if (found) {
			struct opts node = *o;

			node.optfile = n->optfile;
			return from_optfile(&node, kind, n->sysfile, t);
		}
	}
	return EXIT_NOTFOUND;
}

static int
from_inventory(const struct opts *o, const char *config,
    struct tlstarget *t)
{
	struct inventory inv;
	const struct inv_server *srv;
	int rc;

	if (o->server == NULL) {
		msg_error("-config needs -server NAME to pick the server");
		return EXIT_USAGE;
	}
	if (inventory_load(config, &inv) != 0) {
		msg_error("%s", inventory_error());
		msg_hint("correct the inventory; dsmcert.conf(5) lists every "
		    "section and key it takes");
		return EXIT_INPUT;
	}
	if ((srv = inventory_server(&inv, o->server)) == NULL &&
	    (rc = from_node_stanza(o, &inv, t)) != EXIT_NOTFOUND) {
		inventory_free(&inv);
		return rc;
	}
	if (srv == NULL) {
		msg_error("%s: no server \"%s\", and no node's dsm.sys has a "
		    "stanza of that name", config, o->server);
		msg_hint("give -server the name of a server section of the "
		    "inventory, or -optfile FILE to connect as a node's "
		    "stanza says");
		inventory_free(&inv);
		return EXIT_NOTFOUND;
	}
	/* The fast path: a node takes the certificate on first contact. */
	t->first_contact = srv->current && srv->autocert;
	if (t->host == NULL)
		t->host = xstrdup(srv->host);
	if (t->tls.port == 0)
		t->tls.port = (int)(srv->tlsport ? srv->tlsport :
		    srv->port ? srv->port : DEFAULT_PORT);
	t->from = xasprintf("server %s of %s", srv->name, config);
	inventory_free(&inv);
	return EXIT_OK;
}

int
tlstarget_resolve(const struct opts *o, struct tlstarget *t)
{
	return tlstarget_resolve_node(o, SYSFIND_CLIENT, NULL, t);
}

/*
 * The inventory as every command finds it, when one is given or the
 * default one exists; NULL when there is none to read.
 */
static char *
inventory_path(const struct opts *o)
{
	struct location l = { 0 };
	char *p = NULL;

	locate_config(o, &l);
	if (strcmp(l.why, "default") != 0 || access(l.path, F_OK) == 0)
		p = xstrdup(l.path);
	location_free(&l);
	return p;
}

int
tlstarget_resolve_node(const struct opts *o, enum sysfind_kind kind,
    const char *sysfile, struct tlstarget *t)
{
	char *config = NULL;
	long v;
	int rc = EXIT_OK;

	memset(t, 0, sizeof(*t));
	t->tls.timeout = DEFAULT_TIMEOUT;
	if (o->timeout != NULL) {
		if ((v = number(o->timeout, 1, 3600)) < 0) {
			msg_error("-timeout \"%s\": give whole seconds, 1 to "
			    "3600", o->timeout);
			return EXIT_USAGE;
		}
		t->tls.timeout = (int)v;
	}
	if (o->port != NULL) {
		if ((v = number(o->port, 1, 65535)) < 0) {
			msg_error("-port \"%s\": give a port, 1 to 65535",
			    o->port);
			return EXIT_USAGE;
		}
		t->tls.port = (int)v;
	}
	if (o->host != NULL) {
		if (*o->host == '\0' || strlen(o->host) > 255 ||
		    strpbrk(o->host, " \t\r\n/") != NULL) {
			msg_error("-host \"%s\" is not a host name or address",
			    o->host);
			return EXIT_USAGE;
		}
		t->host = xstrdup(o->host);
	}
	/* With both given, no option file is needed, but one named is read. */
	if (t->host == NULL || t->tls.port == 0 || o->optfile != NULL) {
		if (o->optfile == NULL && (o->server != NULL ||
		    o->config != NULL) && (config = inventory_path(o)) != NULL)
			rc = from_inventory(o, config, t);
		else
			rc = from_optfile(o, kind, sysfile, t);
		free(config);
	}
	if (rc != EXIT_OK) {
		tlstarget_free(t);
		return rc;
	}
	if (t->host == NULL)
		t->host = xstrdup("localhost");
	if (t->tls.port == 0)
		t->tls.port = DEFAULT_PORT;
	if (t->from == NULL)
		t->from = xstrdup("-host and -port");
	t->tls.host = t->host;
	return EXIT_OK;
}

void
tlstarget_free(struct tlstarget *t)
{
	free(t->host);
	free(t->from);
	memset(t, 0, sizeof(*t));
}
