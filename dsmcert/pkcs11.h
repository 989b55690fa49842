#ifndef DSMCERT_PKCS11_H
#define DSMCERT_PKCS11_H

#include "dsmcert/cli.h"

/* -add and -list with -pkcs11 MODULE: certificates on a token. */
int add_pkcs11(struct opts *);
int list_pkcs11(struct opts *);

#endif
