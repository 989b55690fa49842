#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pkcs11-helper-1.0/pkcs11h-certificate.h>
#include <pkcs11-helper-1.0/pkcs11h-core.h>
#include <pkcs11-helper-1.0/pkcs11h-token.h>

#include "keydb/keydb.h"
#include "keydb/p11helper.h"

struct errbuf {
	char *s;
	size_t len;
};

static int
fail(struct errbuf *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct errbuf *e, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->s, e->len, fmt, ap);
	va_end(ap);
	return status;
}

/*
 * libpkcs11-helper, and the libcrypto it pulls in, are loaded only when
 * a token is read: linked in, they cost every command about 2 ms of
 * start-up and 1.6 MiB (bench/README), for a feature most runs never
 * use. It is not part of NSS; NSS's own libraries are linked as usual.
 */
#define HELPER_SONAME "libpkcs11-helper.so.1"

/* What is called of it: one list for the table and for the lookup. */
#define HELPER_FUNCS \
	X(getMessage) \
	X(certificate_enumTokenCertificateIds) \
	X(certificate_freeCertificateIdList) \
	X(token_login) \
	X(token_enumTokenIds) \
	X(token_freeTokenIdList) \
	X(initialize) \
	X(setLogLevel) \
	X(setTokenPromptHook) \
	X(setPINPromptHook) \
	X(setProtectedAuthentication) \
	X(setMaxLoginRetries) \
	X(addProvider) \
	X(terminate)

static struct {
#define X(f) __typeof__(pkcs11h_##f) *f;
	HELPER_FUNCS
#undef X
} H;

static int
load_helper(struct errbuf *e)
{
	static const char *const names[] = {
#define X(f) "pkcs11h_" #f,
		HELPER_FUNCS
#undef X
	};
	static void *lib;
	void **slot = (void **)&H;

	if (lib != NULL)
		return KEYDB_OK;
	if ((lib = dlopen(HELPER_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return fail(e, KEYDB_EDB, "cannot load %s: %s (needed for "
		    "PKCS#11 tokens)", HELPER_SONAME, dlerror());
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((slot[i] = dlsym(lib, names[i])) == NULL) {
			dlclose(lib);
			lib = NULL;
			return fail(e, KEYDB_EDB, "%s has no %s", HELPER_SONAME,
			    names[i]);
		}
	return KEYDB_OK;
}

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

char *
p11_hex(const unsigned char *d, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = malloc(2 * n + 1);

	if (s == NULL)
		abort();
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[d[i] >> 4];
		s[2 * i + 1] = digits[d[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

static void *
dup(const void *p, size_t n)
{
	void *q = malloc(n > 0 ? n : 1);

	if (q == NULL)
		abort();
	if (n > 0)
		memcpy(q, p, n);
	return q;
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
    const unsigned char *want, size_t wantlen, struct p11_objects *out,
    struct errbuf *e)
{
	pkcs11h_certificate_id_list_t lists[2] = { NULL, NULL };
	size_t first = out->n;
	CK_RV rv;

	rv = H.certificate_enumTokenCertificateIds(tok,
	    PKCS11H_ENUM_METHOD_RELOAD, NULL, 0, &lists[0], &lists[1]);
	if (rv != CKR_OK)
		return fail(e, KEYDB_EINPUT, "%s: token \"%s\": cannot list "
		    "its certificates: %s", module, tok->label,
		    H.getMessage(rv));
	for (int i = 0; i < 2; i++)
		for (pkcs11h_certificate_id_list_t l = lists[i]; l != NULL;
		    l = l->next) {
			pkcs11h_certificate_id_t c = l->certificate_id;
			struct p11_object *v;

			if (want != NULL && (c->attrCKA_ID_size != wantlen ||
			    memcmp(c->attrCKA_ID, want, wantlen) != 0))
				continue;
			v = realloc(out->v, (out->n + 1) * sizeof(*v));
			if (v == NULL)
				abort();
			out->v = v;
			v[out->n].token = dup(tok->label,
			    strlen(tok->label) + 1);
			v[out->n].id = dup(c->attrCKA_ID, c->attrCKA_ID_size);
			v[out->n].idlen = c->attrCKA_ID_size;
			v[out->n].der = dup(c->certificate_blob,
			    c->certificate_blob_size);
			v[out->n].derlen = c->certificate_blob_size;
			out->n++;
		}
	H.certificate_freeCertificateIdList(lists[0]);
	H.certificate_freeCertificateIdList(lists[1]);
	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(*out->v), by_id);
	return KEYDB_OK;
}

static int
login(const char *module, pkcs11h_token_id_t tok, const char *pin,
    const char *pinfile, struct errbuf *e)
{
	CK_RV rv = H.token_login(tok, TRUE, pin);

	switch (rv) {
	case CKR_OK:
		return KEYDB_OK;
	case CKR_PIN_INCORRECT:
	case CKR_PIN_INVALID:
	case CKR_PIN_LEN_RANGE:
		return fail(e, KEYDB_EINPUT, "%s: token \"%s\": wrong PIN in "
		    "%s", module, tok->label, pinfile);
	case CKR_PIN_LOCKED:
		return fail(e, KEYDB_EINPUT, "%s: token \"%s\": the PIN is "
		    "locked after too many wrong tries", module, tok->label);
	default:
		return fail(e, KEYDB_EINPUT, "%s: token \"%s\": cannot log "
		    "in: %s", module, tok->label, H.getMessage(rv));
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
    struct p11_objects *out, struct errbuf *e)
{
	pkcs11h_token_id_list_t list = NULL, t;
	pkcs11h_token_id_t *pick = NULL;
	size_t matching = 0;
	char names[512];
	CK_RV rv;
	int rc = KEYDB_OK;

	rv = H.token_enumTokenIds(PKCS11H_ENUM_METHOD_RELOAD, &list);
	if (rv != CKR_OK)
		return fail(e, KEYDB_EINPUT, "%s: cannot list its tokens: %s",
		    module, H.getMessage(rv));
	for (t = list; t != NULL; t = t->next)
		if (token == NULL || strcmp(t->token_id->label, token) == 0) {
			pick = realloc(pick, (matching + 1) * sizeof(*pick));
			if (pick == NULL)
				abort();
			pick[matching++] = t->token_id;
		}
	if (matching > 1)
		qsort(pick, matching, sizeof(*pick), by_label);
	token_names(list, names, sizeof(names));
	if (list == NULL)
		rc = fail(e, KEYDB_ENOTFOUND, "%s: no token present", module);
	else if (matching == 0)
		rc = fail(e, KEYDB_ENOTFOUND, "%s: no token labelled \"%s\" "
		    "(there are %s)", module, token, names);
	else if (pin != NULL && matching > 1)
		rc = fail(e, KEYDB_EINPUT, "%s: a PIN is tried on one token "
		    "only, and there are %s; name one with -token", module,
		    names);
	for (size_t i = 0; rc == KEYDB_OK && i < matching; i++) {
		out->ntokens++;
		if (pin != NULL)
			rc = login(module, pick[i], pin, pinfile, e);
		if (rc == KEYDB_OK)
			rc = read_token(module, pick[i], id, idlen, out, e);
	}
	if (rc == KEYDB_OK && id != NULL && out->n == 0) {
		char *idhex = p11_hex(id, idlen);

		rc = fail(e, KEYDB_ENOTFOUND, "%s: no certificate with id %s "
		    "on %s%s%s", module, idhex, token ? "token \"" : "",
		    token ? token : names, token ? "\"" : "");
		free(idhex);
	}
	free(pick);
	H.token_freeTokenIdList(list);
	return rc;
}

int
p11_read(const char *module, const char *token, const unsigned char *id,
    size_t idlen, const char *pin, const char *pinfile,
    struct p11_objects *out, char *err, size_t errlen)
{
	struct errbuf e = { err, errlen };
	struct stat st;
	CK_RV rv;
	int rc;

	memset(out, 0, sizeof(*out));
	/* dlopen() would search for a bare name; a path must be there. */
	if (strchr(module, '/') != NULL && stat(module, &st) != 0)
		return fail(&e, KEYDB_EINPUT, "%s: cannot open PKCS#11 "
		    "module: %s", module, strerror(errno));
	if (strchr(module, '/') != NULL && !S_ISREG(st.st_mode))
		return fail(&e, KEYDB_EINPUT, "%s: not a regular file",
		    module);
	if ((rc = load_helper(&e)) != KEYDB_OK)
		return rc;
	if ((rv = H.initialize()) != CKR_OK)
		return fail(&e, KEYDB_EDB, "cannot initialise "
		    "libpkcs11-helper: %s", H.getMessage(rv));
	/* Its log says nothing more than the return codes, on stderr. */
	H.setLogLevel(PKCS11H_LOG_QUIET);
	H.setTokenPromptHook(token_hook, NULL);
	H.setPINPromptHook(pin_hook, (void *)pin);
	H.setProtectedAuthentication(FALSE);
	H.setMaxLoginRetries(1);

	rv = H.addProvider(module, module, FALSE,
	    PKCS11H_PRIVATEMODE_MASK_AUTO, PKCS11H_SLOTEVENT_METHOD_AUTO, 0,
	    FALSE);
	if (rv != CKR_OK)
		rc = fail(&e, KEYDB_EINPUT, "%s: cannot load it as a PKCS#11 "
		    "module (%s): give the path of the token's PKCS#11 library",
		    module, H.getMessage(rv));
	else
		rc = read_tokens(module, token, id, idlen, pin, pinfile, out,
		    &e);
	H.terminate();
	if (rc != KEYDB_OK)
		p11_objects_free(out);
	return rc;
}
