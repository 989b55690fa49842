#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nss.h>

#include "keydb/internal.h"
#include "keydb/p11helper.h"
#include "keydb/pkcs11.h"

static int
read_pin(const char *path, char **out)
{
	int rc = kd_secret(path, "PIN", KEYDB_EINPUT, out);

	if (rc == KEYDB_OK && **out == '\0') {
		cm_secret_free(*out);
		*out = NULL;
		return kd_fail(KEYDB_EINPUT, "%s: PIN file is empty", path);
	}
	return rc;
}

char *
p11_hex(const unsigned char *d, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = xmalloc(2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[d[i] >> 4];
		s[2 * i + 1] = digits[d[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

void
p11_objects_free(struct p11_objects *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].token);
		free(l->v[i].id);
		free(l->v[i].der);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
keydb_token_certs_free(struct keydb_token_certs *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->token[i]);
		free(t->id[i]);
	}
	free(t->token);
	free(t->id);
	keydb_certs_free(&t->certs);
	memset(t, 0, sizeof(*t));
}

static int
decode_all(const char *module, const struct p11_objects *l,
    struct keydb_token_certs *out)
{
	out->ntokens = l->ntokens;
	if (l->n == 0)
		return KEYDB_OK;
	out->certs.v = xcalloc(l->n, sizeof(*out->certs.v));
	out->token = xcalloc(l->n, sizeof(*out->token));
	out->id = xcalloc(l->n, sizeof(*out->id));
	for (size_t i = 0; i < l->n; i++) {
		const struct p11_object *o = &l->v[i];
		char why[512];
		int rc;

		out->token[i] = xstrdup(o->token);
		out->id[i] = p11_hex(o->id, o->idlen);
		out->n = out->certs.n = i + 1;
		rc = keydb_decode(o->der, o->derlen, &out->certs.v[i]);
		if (rc != KEYDB_OK) {
			snprintf(why, sizeof(why), "%s", keydb_error());
			return kd_fail(rc, "%s: token \"%s\", id %s: %s",
			    module, o->token, out->id[i], why);
		}
	}
	return KEYDB_OK;
}

int
keydb_pkcs11_read(const char *module, const char *token,
    const unsigned char *id, size_t idlen, const char *pinfile,
    struct keydb_token_certs *out)
{
	struct p11_objects l = { 0 };
	char *pin = NULL;
	int own_nss = 0, rc;

	memset(out, 0, sizeof(*out));
	if (module == NULL || *module == '\0')
		return kd_fail(KEYDB_EINPUT, "no PKCS#11 module given");
	if (pinfile != NULL && (rc = read_pin(pinfile, &pin)) != KEYDB_OK)
		return rc;
	rc = p11_read(module, token, id, idlen, pin, pinfile, &l);
	cm_secret_free(pin);
	if (rc != KEYDB_OK)
		return rc;
	/* Decoding needs NSS; without a key database open, a bare one. */
	if (!NSS_IsInitialized()) {
		if (NSS_NoDB_Init(NULL) != SECSuccess) {
			p11_objects_free(&l);
			return kd_fail(KEYDB_EDB, "cannot initialise NSS: %s",
			    kd_nsserr());
		}
		own_nss = 1;
	}
	rc = decode_all(module, &l, out);
	if (own_nss)
		NSS_Shutdown();
	p11_objects_free(&l);
	if (rc != KEYDB_OK)
		keydb_token_certs_free(out);
	return rc;
}
