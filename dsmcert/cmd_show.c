#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/*
 * -show -label L: each certificate with that label in full, as
 * certutil -L -n would show it, with what dsmcert knows besides (its
 * servers, whether its private key is here).
 */

static json_t *
strs_json(const struct keydb_strs *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(a, json_text(s->v[i]));
	return a;
}

static void
strs_text(const char *name, const struct keydb_strs *s)
{
	fputs(name, stdout);
	if (s->n == 0)
		fputs("-", stdout);
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0)
			fputs(", ", stdout);
		msg_escaped(stdout, s->v[i]);
	}
	fputc('\n', stdout);
}

static const char *
bc_text(const struct keydb_detail *d, char *buf, size_t len)
{
	if (!d->has_bc)
		return "none (not a CA)";
	if (!d->ca)
		return "CA: no";
	if (d->path_len < 0)
		return "CA: yes";
	snprintf(buf, len, "CA: yes, path length %d", d->path_len);
	return buf;
}

static void
show_text(const struct keydb_cert *c, const struct keydb_detail *d,
    const struct keydb_strs *servers, int standalone)
{
	char nb[32], na[32], dl[48], bc[48];

	fmt_time(c->not_before, nb);
	fmt_time(c->not_after, na);
	msg_escaped(stdout, c->label);
	fputc('\n', stdout);
	strs_text("  servers:               ", servers);
	if (standalone)
		fputs("                         (also imported without "
		    "-server)\n", stdout);
	fputs("  subject:               ", stdout);
	msg_escaped(stdout, subject_text(c));
	fputs("\n  issuer:                ", stdout);
	msg_escaped(stdout, issuer_text(c));
	printf("\n  serial:                %s\n", d->serial);
	printf("  not before:            %s\n", nb);
	printf("  not after:             %s (%s)\n", na,
	    days_left_text(c, dl, sizeof(dl)));
	printf("  SHA-256:               %s\n", c->sha256);
	printf("  SHA-1:                 %s\n", d->sha1);
	printf("  key:                   %s %d bits\n", d->key_type,
	    d->key_bits);
	printf("  signature algorithm:   %s\n", c->sig_alg);
	printf("  basic constraints:     %s\n", bc_text(d, bc, sizeof(bc)));
	strs_text("  key usage:             ", &d->key_usage);
	strs_text("  extended key usage:    ", &d->ext_key_usage);
	strs_text("  subjectAltName:        ", &d->san);
	printf("  trust:                 %s\n", c->trust ? c->trust : "-");
	printf("  private key here:      %s\n", c->has_key ? "yes" : "no");
}

static json_t *
show_json(const struct keydb_cert *c, const struct keydb_detail *d,
    const struct keydb_strs *servers)
{
	json_t *j = cert_json(c, NULL);

	json_object_del(j, "server");
	json_object_set_new(j, "servers", strs_json(servers));
	json_object_set_new(j, "serial", json_string(d->serial));
	json_object_set_new(j, "sha1", json_string(d->sha1));
	json_object_set_new(j, "key", json_pack("{s:s, s:i}", "type",
	    d->key_type, "bits", d->key_bits));
	json_object_set_new(j, "signature_algorithm", json_text(c->sig_alg));
	json_object_set_new(j, "ca", json_boolean(d->ca));
	json_object_set_new(j, "path_len", d->ca && d->path_len >= 0 ?
	    json_integer(d->path_len) : json_null());
	json_object_set_new(j, "key_usage", strs_json(&d->key_usage));
	json_object_set_new(j, "ext_key_usage", strs_json(&d->ext_key_usage));
	json_object_set_new(j, "san", strs_json(&d->san));
	json_object_set_new(j, "has_private_key", json_boolean(c->has_key));
	return j;
}

int
cmd_show(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	json_t *arr = NULL;
	size_t shown = 0;
	int rc;

	if (o->label == NULL) {
		msg_error("-show needs -label L");
		return EXIT_USAGE;
	}
	if ((rc = db_open_list(o, KEYDB_READ, &db, &all)) != EXIT_OK)
		goto out;
	arr = o->json ? json_array() : NULL;
	for (size_t i = 0; i < all.n && rc == EXIT_OK; i++) {
		const struct keydb_cert *c = &all.v[i];
		struct keydb_strs servers = { 0 };
		struct keydb_detail d;
		int standalone = 0;

		if (strcmp(c->label, o->label) != 0)
			continue;
		if (keydb_cert_detail(c, &d) != KEYDB_OK) {
			msg_error("%s", keydb_error());
			rc = EXIT_DB;
			break;
		}
		keydb_servers_of(db, c->sha256, &servers, &standalone);
		if (arr != NULL)
			json_array_append_new(arr, show_json(c, &d, &servers));
		else {
			if (shown > 0)
				putchar('\n');
			show_text(c, &d, &servers, standalone);
		}
		shown++;
		keydb_strs_free(&servers);
		keydb_detail_free(&d);
	}
	if (rc == EXIT_OK && shown == 0) {
		msg_error("%s: no certificate labelled \"%s\"", keydb_dir(db),
		    o->label);
		msg_hint("dsmcert -list shows the labels");
		rc = EXIT_NOTFOUND;
	} else if (rc == EXIT_OK && arr != NULL) {
		json_print(arr);
		arr = NULL;
	}
out:
	json_decref(arr);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
