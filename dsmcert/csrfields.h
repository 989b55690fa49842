#ifndef DSMCERT_CSRFIELDS_H
#define DSMCERT_CSRFIELDS_H

#include "dsmcert/cli.h"

/*
 * The field rules of "sslcfg -gen csr" on the Lenovo Flex System
 * Chassis Management Module (CMM), whose options -c, -sp, -cl, -on and
 * -hn these are (dsmcert(1), -gen csr): country two letters, state 60,
 * city 50, organisation 60, host name 60 and a valid host name; the
 * organisational unit, optional there, X.520's 64 (RFC 5280). Prints
 * why and returns 0 when a field breaks one.
 */
int csr_fields_ok(const struct opts *);

#endif
