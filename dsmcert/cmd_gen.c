#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dsmcert/cli.h"
#include "dsmcert/csrfields.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/trust/identity.h"
#include "dsmcert/msg.h"
#include "dsmcert/outfile.h"
#include "dsmcert/render.h"

static void
render(const struct opts *o, const char *label, const char *dir)
{
	const char *type = o->keytype ? o->keytype : "rsa2048";

	if (o->json) {
		json_print(json_pack("{s:o, s:o, s:o, s:o}", "csr",
		    json_text(o->out), "key_label", json_text(label),
		    "key_type", json_text(type), "keydb", json_text(dir)));
		return;
	}
	msg_info("generated key \"%s\" (%s) in %s; request written to %s",
	    label, type, dir, o->out);
	msg_info("have it signed, then: dsmcert -receive -file SIGNED");
}

/*
 * -gen csr -renew L: a new key under L and a request with the subject,
 * subjectAltName and extended key usage of L's certificate. The fields
 * come from that certificate, so none is given here.
 */
static int
renew(struct opts *o)
{
	struct keydb_certs all = { 0 };
	const struct keydb_cert *c;
	struct keydb *db = NULL;
	struct outfile out = { 0 };
	const char *type = NULL;
	char *pem = NULL;
	int rc, opened = 0;

	if (o->country || o->state || o->city || o->org || o->hostname ||
	    o->orgunit || o->email || o->san || o->eku || o->label) {
		msg_error("-gen csr -renew L takes the subject, subjectAltName "
		    "and extended key usage from L's certificate; give none "
		    "of -c -sp -cl -on -hn -ou -email -san -eku -label");
		return EXIT_USAGE;
	}
	if (o->keytype != NULL && keydb_keytype(o->keytype,
	    &(enum keydb_keytype){ 0 }) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return EXIT_USAGE;
	}
	if ((rc = outfile_open(&out, o->out, 0644)) != EXIT_OK)
		return rc;
	opened = 1;
	if ((rc = db_open_list(o, KEYDB_WRITE, &db, &all)) != EXIT_OK)
		goto done;
	if ((c = identity_current(&all, o->renew)) == NULL) {
		size_t idx[1];

		msg_error("%s: %s \"%s\"", keydb_dir(db),
		    db_with_label(&all, o->renew, idx, 1) > 0 ?
		    "no private key here for the certificate labelled" :
		    "no certificate labelled", o->renew);
		msg_hint("-renew takes an identity: a certificate whose key "
		    "is in the key database (-gen csr and -receive, -import, "
		    "-ca create)");
		rc = EXIT_NOTFOUND;
		goto done;
	}
	if ((rc = keydb_renew_csr(db, c, o->keytype, &pem, &type)) !=
	    KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = rc == KEYDB_EINPUT ? EXIT_USAGE : exit_for_keydb(rc);
		goto done;
	}
	opened = 0;
	if ((rc = outfile_commit(&out, pem, strlen(pem))) != EXIT_OK)
		goto done;
	if (o->json)
		json_print(json_pack("{s:o, s:o, s:s, s:o, s:s, s:o}", "csr",
		    json_text(o->out), "key_label", json_text(c->label),
		    "key_type", type, "keydb", json_text(keydb_dir(db)),
		    "renews", c->sha256, "subject", json_text(c->subject)));
	else {
		msg_info("generated a new key \"%s\" (%s) in %s; request to "
		    "renew %s written to %s", c->label, type, keydb_dir(db),
		    subject_text(c), o->out);
		msg_info("have it signed, then: dsmcert -receive -file SIGNED; "
		    "the current certificate and key stay until then");
	}
done:
	if (opened)
		outfile_abort(&out);
	free(pem);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}

int
cmd_gen(struct opts *o)
{
	struct keydb_csr r = { 0 };
	struct keydb *db = NULL;
	struct outfile out = { 0 };
	char country[3], *pem = NULL;
	int rc, opened = 0;

	if (strcasecmp(o->cmdarg, "csr") != 0) {
		msg_error("-gen %s: only -gen csr is known", o->cmdarg);
		return EXIT_USAGE;
	}
	if (o->out == NULL) {
		msg_error("-gen csr needs -out FILE for the request");
		return EXIT_USAGE;
	}
	if ((rc = outfile_json_clash(o->json, "-out", o->out)) != EXIT_OK)
		return rc;
	if (o->renew != NULL)
		return renew(o);
	/* Every field is judged before the database or a key is touched. */
	if (!csr_fields_ok(o))
		return EXIT_USAGE;
	r.label = o->label != NULL ? o->label : o->hostname;
	if (!valid_name("-label", r.label))
		return EXIT_USAGE;
	if (keydb_keytype(o->keytype, &r.keytype) != KEYDB_OK ||
	    keydb_check_eku(o->eku) != KEYDB_OK ||
	    keydb_check_san(o->san) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return EXIT_USAGE;
	}
	country[0] = (char)toupper((unsigned char)o->country[0]);
	country[1] = (char)toupper((unsigned char)o->country[1]);
	country[2] = '\0';
	r.country = country;
	r.state = o->state;
	r.city = o->city;
	r.org = o->org;
	r.orgunit = o->orgunit;
	r.host = o->hostname;
	r.email = o->email;
	r.san = o->san;
	r.eku = o->eku;

	if ((rc = outfile_open(&out, o->out, 0644)) != EXIT_OK)
		return rc;
	opened = 1;
	if ((rc = db_open(o, KEYDB_WRITE, &db)) != EXIT_OK)
		goto done;
	if ((rc = keydb_gen_csr(db, &r, &pem)) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		rc = exit_for_keydb(rc);
		goto done;
	}
	opened = 0;
	if ((rc = outfile_commit(&out, pem, strlen(pem))) != EXIT_OK) {
		msg_hint("the key \"%s\" is in %s; run -gen csr again with "
		    "another -label", r.label, keydb_dir(db));
		goto done;
	}
	render(o, r.label, keydb_dir(db));
done:
	if (opened)
		outfile_abort(&out);
	free(pem);
	keydb_close(db);
	return rc;
}
