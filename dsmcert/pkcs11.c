#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/add_render.h"
#include "dsmcert/trust/import.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/pkcs11.h"
#include "dsmcert/render.h"
#include "keydb/pkcs11.h"

/*
 * -add -pkcs11 and -list -pkcs11: the token is read first, before the
 * key database is opened, so that a missing module, token or PIN
 * leaves the database untouched and unlocked.
 */

/* -id HEX: hex digits, in pairs, ':' between pairs allowed. */
static int
parse_id(const char *s, unsigned char **id, size_t *len)
{
	size_t n = 0, max = strlen(s) / 2 + 1;
	unsigned char *b = xmalloc(max);

	while (*s != '\0') {
		unsigned v;

		if (*s == ':' && n > 0 && s[1] != '\0') {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) ||
		    sscanf(s, "%2x", &v) != 1)
			break;
		b[n++] = (unsigned char)v;
		s += 2;
	}
	if (*s != '\0' || n == 0) {
		free(b);
		return 0;
	}
	*id = b;
	*len = n;
	return 1;
}

/* Flags of -pkcs11 given without it, or flags that do not go with it. */
static int
check_flags(const struct opts *o, const char *cmd)
{
	if (o->pkcs11 == NULL) {
		msg_error("-%s needs -pkcs11 MODULE", o->token ? "token" :
		    o->id ? "id" : "pinfile");
		msg_hint("usage: dsmcert %s", o->cmd->usage);
		return EXIT_USAGE;
	}
	if (o->file != NULL) {
		msg_error("-%s takes -file PATH or -pkcs11 MODULE, not both",
		    cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
read_token(const struct opts *o, struct keydb_token_certs *t)
{
	unsigned char *id = NULL;
	size_t idlen = 0;
	int rc;

	if (o->id != NULL && !parse_id(o->id, &id, &idlen)) {
		msg_error("-id \"%s\": not a hexadecimal object id (such as "
		    "01 or 0A:1B)", o->id);
		return EXIT_USAGE;
	}
	rc = keydb_pkcs11_read(o->pkcs11, o->token, id, idlen, o->pinfile, t);
	free(id);
	if (rc != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return exit_for_keydb(rc);
	}
	return EXIT_OK;
}

/* Where the certificates came from, for messages. */
static void
source_name(const struct opts *o, const struct keydb_token_certs *t,
    char *buf, size_t len)
{
	if (t->ntokens == 1 && t->n > 0)
		snprintf(buf, len, "%s, token \"%s\"", o->pkcs11, t->token[0]);
	else
		snprintf(buf, len, "%s", o->pkcs11);
}

static void
hint_private(const struct opts *o)
{
	if (o->pinfile == NULL)
		msg_hint("a token may show private certificates only after "
		    "login: give -token LABEL -pinfile FILE");
}

int
add_pkcs11(struct opts *o)
{
	struct keydb_token_certs t = { 0 };
	struct keydb_certs certs;
	struct keydb *db = NULL;
	struct add_how how;
	struct add_result r;
	char source[512];
	int rc;

	if ((rc = check_flags(o, "add")) != EXIT_OK)
		return rc;
	if ((o->server && !valid_name("server name", o->server)) ||
	    (o->label && !valid_name("label", o->label)))
		return EXIT_USAGE;
	if ((rc = read_token(o, &t)) != EXIT_OK)
		return rc;
	source_name(o, &t, source, sizeof(source));
	if (t.certs.n == 0) {
		msg_error("%s: no certificate on %s", source, o->token ?
		    "the token" : "any token");
		hint_private(o);
		keydb_token_certs_free(&t);
		return EXIT_NOTFOUND;
	}
	for (size_t i = 0; i < t.n; i++)
		msg_debug("%s: token \"%s\", id %s: %s", o->pkcs11,
		    t.token[i], t.id[i], subject_text(&t.certs.v[i]));
	if ((rc = db_open(o, KEYDB_WRITE, &db)) == EXIT_OK) {
		certs = t.certs;
		t.certs = (struct keydb_certs){ 0 };
		add_how_opts(&how, o);
		if ((rc = add_certs(&how, db, source, &certs, &r)) ==
		    EXIT_OK) {
			add_render(&r);
			add_result_free(&r);
		}
		keydb_certs_free(&certs);
	}
	keydb_close(db);
	keydb_token_certs_free(&t);
	return rc;
}

static void
token_text(const struct keydb_cert *c, const char *token, const char *id)
{
	char nb[32], na[32];

	fmt_time(c->not_before, nb);
	fmt_time(c->not_after, na);
	printf("%s\n", token);
	printf("  id:          %s\n", *id ? id : "-");
	printf("  subject:     %s\n", subject_text(c));
	printf("  issuer:      %s\n", issuer_text(c));
	printf("  not before:  %s\n", nb);
	printf("  not after:   %s\n", na);
	printf("  SHA-256:     %s\n", c->sha256);
}

int
list_pkcs11(struct opts *o)
{
	struct keydb_token_certs t = { 0 };
	json_t *arr;
	int rc;

	if ((rc = check_flags(o, "list")) != EXIT_OK)
		return rc;
	if (o->server != NULL || o->label != NULL) {
		msg_error("-%s selects from the key database; -list -pkcs11 "
		    "lists a token: use -token LABEL or -id HEX",
		    o->server ? "server" : "label");
		return EXIT_USAGE;
	}
	if ((rc = read_token(o, &t)) != EXIT_OK)
		return rc;
	if (o->json) {
		arr = json_array();
		for (size_t i = 0; i < t.n; i++) {
			const struct keydb_cert *c = &t.certs.v[i];
			char nb[32], na[32];

			fmt_time(c->not_before, nb);
			fmt_time(c->not_after, na);
			json_array_append_new(arr, json_pack("{s:o, s:o, s:o, "
			    "s:o, s:s, s:s, s:s}",
			    "token", json_text(t.token[i]),
			    "id", json_text(t.id[i]),
			    "subject", json_text(c->subject),
			    "issuer", json_text(c->issuer), "not_before", nb,
			    "not_after", na, "sha256", c->sha256));
		}
		json_print(arr);
	} else
		for (size_t i = 0; i < t.n; i++) {
			if (i > 0)
				putchar('\n');
			token_text(&t.certs.v[i], t.token[i], t.id[i]);
		}
	if (t.n == 0 && !o->json) {
		msg_info("%s: no certificate on %s", o->pkcs11, o->token ?
		    "the token" : "any token");
		hint_private(o);
	}
	keydb_token_certs_free(&t);
	return EXIT_OK;
}
