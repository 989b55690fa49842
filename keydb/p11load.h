#ifndef DSMCERT_KEYDB_P11LOAD_H
#define DSMCERT_KEYDB_P11LOAD_H

#include <pkcs11-helper-1.0/pkcs11h-certificate.h>
#include <pkcs11-helper-1.0/pkcs11h-core.h>
#include <pkcs11-helper-1.0/pkcs11h-token.h>

/*
 * The functions of libpkcs11-helper that p11helper.c calls, loaded on
 * first use (p11load.c). One list for the table and for the lookup.
 */
#define P11H_FUNCS \
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

struct p11h {
#define X(f) __typeof__(pkcs11h_##f) *f;
	P11H_FUNCS
#undef X
};

/* Filled by p11h_load. */
extern struct p11h p11h;

/* Load the library once; a keydb_status, the message by kd_fail. */
int p11h_load(void);

#endif
