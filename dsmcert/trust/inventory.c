#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser/iniparser.h>

#include "common/common.h"
#include "dsmcert/iniscan.h"
#include "dsmcert/trust/inventory.h"
#include "dsmcert/warndays.h"

static char errbuf[1536];

const char *
inventory_error(void)
{
	return errbuf;
}

__attribute__((format(printf, 1, 2)))
static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -1;
}

/* iniparser reports through a callback; keep its words for our message. */
static char inierr[512];

static int
ini_errback(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(inierr, sizeof(inierr), fmt, ap);
	va_end(ap);
	inierr[strcspn(inierr, "\n")] = '\0';
	return n;
}

const char *
inv_role_name(enum inv_role role)
{
	switch (role) {
	case INV_DATAMOVER:
		return "datamover";
	case INV_VMCLI:
		return "vmcli";
	case INV_CLIENT:
		break;
	}
	return "client";
}

static void
node_clear(struct inv_node *n)
{
	for (size_t i = 0; i < n->nstanzas; i++)
		free(n->stanzas[i]);
	free(n->stanzas);
	free(n->name);
	free(n->optfile);
	free(n->sysfile);
}

static void
server_clear(struct inv_server *s)
{
	free(s->name);
	free(s->host);
	free(s->version);
	free(s->certfile);
}

void
inventory_free(struct inventory *inv)
{
	for (size_t i = 0; i < inv->nnodes; i++)
		node_clear(&inv->nodes[i]);
	for (size_t i = 0; i < inv->nservers; i++)
		server_clear(&inv->servers[i]);
	for (size_t i = 0; i < inv->nacks; i++)
		free(inv->acks[i].name);
	free(inv->nodes);
	free(inv->servers);
	free(inv->acks);
	free(inv->keydb);
	free(inv->path);
	memset(inv, 0, sizeof(*inv));
}

/* What load() works with while it walks one section. */
struct ctx {
	const char *path;
	dictionary *d;
	const struct ini_section *sec;
	char dir[1024];		/* the inventory's directory, for relative paths */
};

static int
key_line(const struct ctx *c, const char *key)
{
	for (size_t i = 0; i < c->sec->nkeys; i++)
		if (strcmp(c->sec->keys[i].name, key) == 0)
			return c->sec->keys[i].line;
	return 0;
}

/* The value of key in this section; NULL when absent. */
static const char *
get(const struct ctx *c, const char *key)
{
	char full[256];
	const char *v;
	size_t i;

	if (key_line(c, key) == 0)
		return NULL;
	/* iniparser keys its dictionary as "section:key", lower case. */
	snprintf(full, sizeof(full), "%s:%s", c->sec->name, key);
	for (i = 0; full[i]; i++)
		full[i] = (char)tolower((unsigned char)full[i]);
	v = iniparser_getstring(c->d, full, NULL);
	if (v == NULL)
		fail("%s:%d: [%s] %s: changed while it was read", c->path,
		    key_line(c, key), c->sec->name, key);
	return v;
}

__attribute__((format(printf, 3, 4)))
static int
bad(const struct ctx *c, const char *key, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (key == NULL)
		return fail("%s:%d: [%s]: %s", c->path, c->sec->line,
		    c->sec->name, why);
	return fail("%s:%d: [%s] %s: %s", c->path, key_line(c, key),
	    c->sec->name, key, why);
}

/* A required, non-empty value; NULL (error set) when absent or empty. */
static const char *
need(const struct ctx *c, const char *key)
{
	const char *v;

	if (key_line(c, key) == 0) {
		bad(c, NULL, "missing key '%s'", key);
		return NULL;
	}
	if ((v = get(c, key)) == NULL)
		return NULL;
	if (*v == '\0') {
		bad(c, key, "empty value");
		return NULL;
	}
	return v;
}

/* Every key of the section must be one of the blank-separated known. */
static int
known_keys(const struct ctx *c, const char *known)
{
	for (size_t i = 0; i < c->sec->nkeys; i++) {
		const char *k = c->sec->keys[i].name;
		size_t n = strlen(k);
		const char *p = known;
		int found = 0;

		while (*p != '\0' && !found) {
			size_t len = strcspn(p, " ");
			found = len == n && strncmp(p, k, n) == 0;
			p += len;
			p += strspn(p, " ");
		}
		if (!found)
			return bad(c, k, "unknown key (known here: %s)", known);
	}
	return 0;
}

/* yes/no, without case; def when the key is absent. 0/1, or -1. */
static int
yesno(const struct ctx *c, const char *key, int def)
{
	const char *v;

	if (key_line(c, key) == 0)
		return def;
	if ((v = get(c, key)) == NULL)
		return -1;
	if (strcasecmp(v, "yes") == 0)
		return 1;
	if (strcasecmp(v, "no") == 0)
		return 0;
	return bad(c, key, "'%s': expected yes or no", v);
}

/* A TCP port as the client takes it, 1 to 32767; 0 when bad. */
static unsigned
port_value(const char *s)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s) || strlen(s) > 5)
		return 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 32767)
		return 0;
	return (unsigned)v;
}

/* Whole days, 0 to ten years; -1 when bad. */
static int
days_value(const char *s)
{
	return warn_days_parse(s);
}

/* A path; relative ones are taken from the inventory's directory. */
static char *
path_value(const struct ctx *c, const char *v)
{
	if (v[0] == '/' || c->dir[0] == '\0')
		return xstrdup(v);
	return cm_path_join(c->dir, v);
}

/* Names become certificate labels and stanza references: keep them plain. */
static int
check_name(const struct ctx *c)
{
	const char *p = c->sec->name;

	if (strlen(p) > 64)
		return bad(c, NULL, "section name longer than 64 characters");
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("._-", *p) == NULL)
			return bad(c, NULL, "section name: use letters, "
			    "digits, '.', '_' and '-' only");
	return 0;
}

static int
parse_address(const struct ctx *c, const char *v, struct inv_server *s)
{
	const char *host = v, *colon, *hend;
	size_t hlen;

	/* [v6addr]:port, host:port, host, or a bare IPv6 address. */
	if (*v == '[') {
		if ((hend = strchr(v, ']')) == NULL)
			return bad(c, "address", "'%s': no closing ]", v);
		host = v + 1;
		colon = hend[1] == ':' ? hend + 1 : NULL;
		if (hend[1] != '\0' && colon == NULL)
			return bad(c, "address", "'%s': text after ]", v);
	} else {
		colon = strchr(v, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* IPv6 without a port */
		hend = colon != NULL ? colon : v + strlen(v);
	}
	hlen = (size_t)(hend - host);
	if (hlen == 0)
		return bad(c, "address", "'%s': no host name", v);
	/* Brackets or colons: an IPv6 address, hex digits, ':' and '.'. */
	if (*v == '[' || memchr(host, ':', hlen) != NULL)
		for (const char *p = host; p < hend; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' &&
			    *p != '.')
				return bad(c, "address", "'%s': neither "
				    "HOST:PORT nor an IPv6 address; write "
				    "[ADDR]:PORT", v);
	for (const char *p = host; p < hend; p++)
		if (isspace((unsigned char)*p) || *p == '[' || *p == ']' ||
		    *p == '/')
			return bad(c, "address", "'%s': not a host name", v);
	if (colon != NULL && (s->port = port_value(colon + 1)) == 0)
		return bad(c, "address", "'%s': port must be 1 to 32767", v);
	s->host = xstrndup(host, hlen);
	return 0;
}

static int
load_server(const struct ctx *c, struct inv_server *s)
{
	const char *v;

	if (known_keys(c, "type address version autocert certfile encrypt "
	    "tlsport") == -1 || check_name(c) == -1)
		return -1;
	s->name = xstrdup(c->sec->name);
	s->line = c->sec->line;
	if ((v = need(c, "address")) == NULL || parse_address(c, v, s) == -1)
		return -1;
	if ((v = need(c, "version")) == NULL)
		return -1;
	if (srvversion_parse(v, &s->ver) == -1)
		return bad(c, "version", "'%s': not a server version (write "
		    "it as 8.1.14, V8.1.14 or 8.1.14.000)", v);
	s->version = xstrdup(v);
	s->current = srvversion_current(&s->ver);
	if ((s->autocert = yesno(c, "autocert", 1)) == -1 ||
	    (s->encrypt = yesno(c, "encrypt", 0)) == -1)
		return -1;
	if (key_line(c, "certfile") != 0) {
		if ((v = need(c, "certfile")) == NULL)
			return -1;
		s->certfile = path_value(c, v);
	}
	if (key_line(c, "tlsport") != 0) {
		if ((v = need(c, "tlsport")) == NULL)
			return -1;
		if ((s->tlsport = port_value(v)) == 0)
			return bad(c, "tlsport", "'%s': must be 1 to 32767",
			    v);
	}
	/*
	 * A legacy server encrypts only on its TLS port: without it the
	 * policy could not tell the node where to connect.
	 */
	if (!s->current && s->encrypt && s->tlsport == 0)
		return bad(c, NULL, "missing key 'tlsport': version %s is "
		    "earlier than 7.1.8/8.1.2 and encrypt = yes, so the "
		    "nodes must use the server's TLS port", s->version);
	return 0;
}

static int
add_stanza(const struct ctx *c, struct inv_node *n, const char *w, size_t len)
{
	char **v;

	for (size_t i = 0; i < n->nstanzas; i++)
		if (strlen(n->stanzas[i]) == len &&
		    strncasecmp(n->stanzas[i], w, len) == 0)
			return bad(c, "servers", "'%.*s' given twice",
			    (int)len, w);
	v = n->stanzas = xreallocarray(n->stanzas, n->nstanzas + 1,
	    sizeof(*v));
	v[n->nstanzas] = xstrndup(w, len);
	n->nstanzas++;
	return 0;
}

static int
load_node(const struct ctx *c, struct inv_node *n)
{
	const char *v;

	if (known_keys(c, "type role optfile sysfile servers") == -1 ||
	    check_name(c) == -1)
		return -1;
	n->name = xstrdup(c->sec->name);
	n->line = c->sec->line;
	if ((v = need(c, "role")) == NULL)
		return -1;
	if (strcasecmp(v, "datamover") == 0)
		n->role = INV_DATAMOVER;
	else if (strcasecmp(v, "vmcli") == 0)
		n->role = INV_VMCLI;
	else if (strcasecmp(v, "client") == 0)
		n->role = INV_CLIENT;
	else
		return bad(c, "role", "'%s': expected datamover, vmcli or "
		    "client", v);
	if ((v = need(c, "optfile")) == NULL)
		return -1;
	n->optfile = path_value(c, v);
	if (key_line(c, "sysfile") != 0) {
		if ((v = need(c, "sysfile")) == NULL)
			return -1;
		n->sysfile = path_value(c, v);
	}
	if (key_line(c, "servers") != 0) {
		if ((v = need(c, "servers")) == NULL)
			return -1;
		/* Stanza names, separated by commas and/or blanks. */
		while (*v != '\0') {
			size_t len;

			v += strspn(v, ", \t");
			if ((len = strcspn(v, ", \t")) == 0)
				break;
			if (add_stanza(c, n, v, len) == -1)
				return -1;
			v += len;
		}
		if (n->nstanzas == 0)
			return bad(c, "servers", "no stanza names");
	}
	return 0;
}

/* Two servers with one address would make stanza matching ambiguous. */
static int
check_addresses(const struct inventory *inv)
{
	for (size_t i = 0; i < inv->nservers; i++)
		for (size_t j = 0; j < i; j++) {
			const struct inv_server *a = &inv->servers[j];
			const struct inv_server *b = &inv->servers[i];

			if (strcasecmp(a->host, b->host) != 0)
				continue;
			if (a->port != 0 && b->port != 0 && a->port != b->port)
				continue;
			return fail("%s:%d: [%s] address: same server "
			    "address as [%s] on line %d; give each its "
			    "port", inv->path, b->line, b->name, a->name,
			    a->line);
		}
	return 0;
}

/* An acknowledged expiry: sha256 and until (dsmcert.conf(5)). */
static int
load_ack(const struct ctx *c, struct inventory *inv)
{
	const char *sha, *until, *why;
	struct inv_ack *v, a = { 0 };

	if (known_keys(c, "type sha256 until") == -1 ||
	    (sha = need(c, "sha256")) == NULL ||
	    (until = need(c, "until")) == NULL)
		return -1;
	if (inv_ack_parse(sha, until, &a, &why) == -1)
		return bad(c, why, strcmp(why, "sha256") == 0 ? "'%s': a "
		    "SHA-256 fingerprint, 32 hex pairs" : "'%s': a date, "
		    "YYYY-MM-DD", strcmp(why, "sha256") == 0 ? sha : until);
	v = xreallocarray(inv->acks, inv->nacks + 1, sizeof(*v));
	inv->acks = v;
	a.name = xstrdup(c->sec->name);
	a.line = c->sec->line;
	v[inv->nacks++] = a;
	return 0;
}

static int
load_section(struct ctx *c, struct inventory *inv)
{
	const char *type;

	if (strcasecmp(c->sec->name, "dsmcert") == 0) {
		const char *v;

		if (known_keys(c, "keydb warn_days") == -1)
			return -1;
		if (key_line(c, "keydb") != 0) {
			if ((v = need(c, "keydb")) == NULL)
				return -1;
			/* As every path of the inventory: from its folder. */
			inv->keydb = path_value(c, v);
		}
		if (key_line(c, "warn_days") != 0) {
			if ((v = need(c, "warn_days")) == NULL)
				return -1;
			if ((inv->warn_days = days_value(v)) < 0)
				return bad(c, "warn_days", "'%s': "
				    WARN_DAYS_RANGE, v);
		}
		return 0;
	}
	if ((type = need(c, "type")) == NULL)
		return -1;
	if (strcasecmp(type, "node") == 0) {
		struct inv_node *v = xreallocarray(inv->nodes,
		    inv->nnodes + 1, sizeof(*v));

		inv->nodes = v;
		memset(&v[inv->nnodes], 0, sizeof(*v));
		return load_node(c, &v[inv->nnodes++]);
	}
	if (strcasecmp(type, "server") == 0) {
		struct inv_server *v = xreallocarray(inv->servers,
		    inv->nservers + 1, sizeof(*v));

		inv->servers = v;
		memset(&v[inv->nservers], 0, sizeof(*v));
		return load_server(c, &v[inv->nservers++]);
	}
	if (strcasecmp(type, "ack") == 0)
		return load_ack(c, inv);
	return bad(c, "type", "'%s': expected node, server or ack", type);
}

/* The inventory's directory, which its relative paths start from. */
static int
set_dir(struct ctx *c, const char *path)
{
	const char *slash;

	if ((slash = strrchr(path, '/')) != NULL) {
		if ((size_t)(slash - path) >= sizeof(c->dir))
			return fail("%s: path too long", path);
		memcpy(c->dir, path, (size_t)(slash - path));
		c->dir[slash - path] = '\0';
		if (slash == path)
			strcpy(c->dir, "/");
	} else {
		strcpy(c->dir, ".");
	}
	return 0;
}

int
inventory_keydb(const char *path, char **keydb)
{
	struct ctx c;
	dictionary *d;
	const char *v;

	*keydb = NULL;
	memset(&c, 0, sizeof(c));
	if (set_dir(&c, path) == -1)
		return -1;
	inierr[0] = '\0';
	iniparser_set_error_callback(ini_errback);
	d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	if (d == NULL)
		return fail("%s: %s", path, inierr[0] ? inierr :
		    "cannot be read");
	v = iniparser_getstring(d, "dsmcert:keydb", NULL);
	if (v != NULL && *v != '\0')
		*keydb = path_value(&c, v);
	iniparser_freedict(d);
	return 0;
}

int
inventory_load(const char *path, struct inventory *inv)
{
	struct ini_scan scan;
	struct ctx c;
	int rc = -1;

	memset(inv, 0, sizeof(*inv));
	memset(&c, 0, sizeof(c));
	inv->warn_days = INV_WARN_DAYS;
	if (iniscan_file(path, &scan, errbuf, sizeof(errbuf)) == -1)
		return -1;
	c.path = path;
	if (set_dir(&c, path) == -1) {
		iniscan_free(&scan);
		return -1;
	}
	inierr[0] = '\0';
	iniparser_set_error_callback(ini_errback);
	c.d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	if (c.d == NULL) {
		fail("%s: %s", path, inierr[0] ? inierr : "cannot be read");
		goto out;
	}
	inv->path = xstrdup(path);
	for (size_t i = 0; i < scan.n; i++) {
		c.sec = &scan.v[i];
		if (load_section(&c, inv) == -1)
			goto out;
	}
	rc = check_addresses(inv);
out:
	if (c.d != NULL)
		iniparser_freedict(c.d);
	iniscan_free(&scan);
	if (rc == -1)
		inventory_free(inv);
	return rc;
}

const struct inv_server *
inventory_match(const struct inventory *inv, const char *host, unsigned port,
    size_t *nmatch)
{
	const struct inv_server *found = NULL;

	*nmatch = 0;
	if (host == NULL)
		return NULL;
	for (size_t i = 0; i < inv->nservers; i++) {
		const struct inv_server *s = &inv->servers[i];

		if (strcasecmp(s->host, host) != 0)
			continue;
		if (s->port != 0 && port != s->port &&
		    (s->tlsport == 0 || port != s->tlsport))
			continue;
		if (found == NULL)
			found = s;
		(*nmatch)++;
	}
	return found;
}

const struct inv_server *
inventory_server(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->nservers; i++)
		if (strcasecmp(inv->servers[i].name, name) == 0)
			return &inv->servers[i];
	return NULL;
}
