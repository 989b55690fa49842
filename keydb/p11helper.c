#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"
#include "keydb/keydb.h"
#include "keydb/p11helper.h"
#include "keydb/p11load.h"

/*
 * The certificates on a module's tokens, read through libpkcs11-helper,
 * which p11load.c loads on the first call (p11h): most commands never
 * read a token and start without it and its libcrypto.
 */

/* Nobody is at the terminal to insert a token or type a PIN. */
static PKCS11H_BOOL
token_hook(void *global, void *user, pkcs11h_token_id_t token, unsigned retry)
{
	(void)global;
	(void)user;
	(void)token;
	(void)retry;
	return FALSE;
}

static PKCS11H_BOOL
pin_hook(void *global, void *user, pkcs11h_token_id_t token, unsigned retry,
    char *pin, size_t max)
{
	const char *have = global;

	(void)user;
	(void)token;
	/* A wrong PIN is not tried again: tokens lock after a few. */
	if (have == NULL || retry > 0 || strlen(have) >= max)
		return FALSE;
	memcpy(pin, have, strlen(have) + 1);
	return TRUE;
}

/* By id, then by encoding: the same order on every run. */
static int
by_id(const void *a, const void *b)
{
	const struct p11_object *x = a, *y = b;
	size_t n = x->idlen < y->idlen ? x->idlen : y->idlen;
	int c = n > 0 ? memcmp(x->id, y->id, n) : 0;

	if (c != 0)
		return c;
	if (x->idlen != y->idlen)
		return x->idlen < y->idlen ? -1 : 1;
	n = x->derlen < y->derlen ? x->derlen : y->derlen;
	if (n > 0 && (c = memcmp(x->der, y->der, n)) != 0)
		return c;
	return (x->derlen > y->derlen) - (x->derlen < y->derlen);
}

/* Every certificate on one token, issuers and end entities alike. */
static int
read_token(const char *module, pkcs11h_token_id_t tok,
    const unsigned char *want, size_t wantlen, struct p11_objects *out)
{
	pkcs11h_certificate_id_list_t lists[2] = { NULL, NULL };
	size_t first = out->n;
	CK_RV rv;

	rv = p11h.certificate_enumTokenCertificateIds(tok,
	    PKCS11H_ENUM_METHOD_RELOAD, NULL, 0, &lists[0], &lists[1]);
	if (rv != CKR_OK)
		return kd_fail(KEYDB_EINPUT, "%s: token \"%s\": cannot list "
		    "its certificates: %s", module, tok->label,
		    p11h.getMessage(rv));
	for (int i = 0; i < 2; i++)
		for (pkcs11h_certificate_id_list_t l = lists[i]; l != NULL;
		    l = l->next) {
			pkcs11h_certificate_id_t c = l->certificate_id;
			struct p11_object *v;

			if (want != NULL && (c->attrCKA_ID_size != wantlen ||
			    memcmp(c->attrCKA_ID, want, wantlen) != 0))
				continue;
			v = out->v = xreallocarray(out->v, out->n + 1,
			    sizeof(*v));
			v[out->n].token = xstrdup(tok->label);
			v[out->n].id = xmemdup(c->attrCKA_ID,
			    c->attrCKA_ID_size);
			v[out->n].idlen = c->attrCKA_ID_size;
			v[out->n].der = xmemdup(c->certificate_blob,
			    c->certificate_blob_size);
			v[out->n].derlen = c->certificate_blob_size;
			out->n++;
		}
	p11h.certificate_freeCertificateIdList(lists[0]);
	p11h.certificate_freeCertificateIdList(lists[1]);
	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(*out->v), by_id);
	return KEYDB_OK;
}

static int
login(const char *module, pkcs11h_token_id_t tok, const char *pin,
    const char *pinfile)
{
	CK_RV rv = p11h.token_login(tok, TRUE, pin);

	switch (rv) {
	case CKR_OK:
		return KEYDB_OK;
	case CKR_PIN_INCORRECT:
	case CKR_PIN_INVALID:
	case CKR_PIN_LEN_RANGE:
		return kd_fail(KEYDB_EINPUT, "%s: token \"%s\": wrong PIN in "
		    "%s", module, tok->label, pinfile);
	case CKR_PIN_LOCKED:
		return kd_fail(KEYDB_EINPUT, "%s: token \"%s\": the PIN is "
		    "locked after too many wrong tries", module, tok->label);
	default:
		return kd_fail(KEYDB_EINPUT, "%s: token \"%s\": cannot log "
		    "in: %s", module, tok->label, p11h.getMessage(rv));
	}
}

/* "A", "B", "C": the labels there are, for a not-found message. */
static void
token_names(pkcs11h_token_id_list_t list, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; list != NULL && used < len; list = list->next) {
		int w = snprintf(buf + used, len - used, "%s\"%s\"",
		    used > 0 ? ", " : "", list->token_id->label);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/*
 * Tokens by label, then serial number: slot numbers are no order (a
 * module may derive them from the serial), labels are what admins see.
 */
static int
by_label(const void *a, const void *b)
{
	pkcs11h_token_id_t x = *(const pkcs11h_token_id_t *)a;
	pkcs11h_token_id_t y = *(const pkcs11h_token_id_t *)b;
	int c = strcmp(x->label, y->label);

	return c != 0 ? c : strcmp(x->serialNumber, y->serialNumber);
}

static int
read_tokens(const char *module, const char *token, const unsigned char *id,
    size_t idlen, const char *pin, const char *pinfile,
    struct p11_objects *out)
{
	pkcs11h_token_id_list_t list = NULL, t;
	pkcs11h_token_id_t *pick = NULL;
	size_t matching = 0;
	char names[512];
	CK_RV rv;
	int rc = KEYDB_OK;

	rv = p11h.token_enumTokenIds(PKCS11H_ENUM_METHOD_RELOAD, &list);
	if (rv != CKR_OK)
		return kd_fail(KEYDB_EINPUT, "%s: cannot list its tokens: %s",
		    module, p11h.getMessage(rv));
	for (t = list; t != NULL; t = t->next)
		if (token == NULL || strcmp(t->token_id->label, token) == 0) {
			pick = xreallocarray(pick, matching + 1, sizeof(*pick));
			pick[matching++] = t->token_id;
		}
	if (matching > 1)
		qsort(pick, matching, sizeof(*pick), by_label);
	token_names(list, names, sizeof(names));
	if (list == NULL)
		rc = kd_fail(KEYDB_ENOTFOUND, "%s: no token present", module);
	else if (matching == 0)
		rc = kd_fail(KEYDB_ENOTFOUND, "%s: no token labelled \"%s\" "
		    "(there are %s)", module, token, names);
	else if (pin != NULL && matching > 1)
		rc = kd_fail(KEYDB_EINPUT, "%s: a PIN is tried on one token "
		    "only, and there are %s; name one with -token", module,
		    names);
	for (size_t i = 0; rc == KEYDB_OK && i < matching; i++) {
		out->ntokens++;
		if (pin != NULL)
			rc = login(module, pick[i], pin, pinfile);
		if (rc == KEYDB_OK)
			rc = read_token(module, pick[i], id, idlen, out);
	}
	if (rc == KEYDB_OK && id != NULL && out->n == 0) {
		char *idhex = p11_hex(id, idlen);

		rc = kd_fail(KEYDB_ENOTFOUND, "%s: no certificate with id %s "
		    "on %s%s%s", module, idhex, token ? "token \"" : "",
		    token ? token : names, token ? "\"" : "");
		free(idhex);
	}
	free(pick);
	p11h.token_freeTokenIdList(list);
	return rc;
}

int
p11_read(const char *module, const char *token, const unsigned char *id,
    size_t idlen, const char *pin, const char *pinfile,
    struct p11_objects *out)
{
	struct stat st;
	CK_RV rv;
	int rc;

	memset(out, 0, sizeof(*out));
	/* dlopen() would search for a bare name; a path must be there. */
	if (strchr(module, '/') != NULL && stat(module, &st) != 0)
		return kd_fail(KEYDB_EINPUT, "%s: cannot open PKCS#11 "
		    "module: %s", module, strerror(errno));
	if (strchr(module, '/') != NULL && !S_ISREG(st.st_mode))
		return kd_fail(KEYDB_EINPUT, "%s: not a regular file",
		    module);
	if ((rc = p11h_load()) != KEYDB_OK)
		return rc;
	if ((rv = p11h.initialize()) != CKR_OK)
		return kd_fail(KEYDB_EDB, "cannot initialise "
		    "libpkcs11-helper: %s", p11h.getMessage(rv));
	/* Its log says nothing more than the return codes, on stderr. */
	p11h.setLogLevel(PKCS11H_LOG_QUIET);
	p11h.setTokenPromptHook(token_hook, NULL);
	p11h.setPINPromptHook(pin_hook, (void *)pin);
	p11h.setProtectedAuthentication(FALSE);
	p11h.setMaxLoginRetries(1);

	rv = p11h.addProvider(module, module, FALSE,
	    PKCS11H_PRIVATEMODE_MASK_AUTO, PKCS11H_SLOTEVENT_METHOD_AUTO, 0,
	    FALSE);
	if (rv != CKR_OK)
		rc = kd_fail(KEYDB_EINPUT, "%s: cannot load it as a PKCS#11 "
		    "module (%s): give the path of the token's PKCS#11 library",
		    module, p11h.getMessage(rv));
	else
		rc = read_tokens(module, token, id, idlen, pin, pinfile, out);
	p11h.terminate();
	if (rc != KEYDB_OK)
		p11_objects_free(out);
	return rc;
}
