#ifndef DSMCERT_CSRFIELDS_H
#define DSMCERT_CSRFIELDS_H

#include "dsmcert/cli.h"

/*
 * The chassis manager's field rules for a request (dsmcert(1), -gen csr): country
 * two letters, state 60, city 50, organisation 60, host name 60 and a
 * valid host name. Prints why and returns 0 when a field breaks one.
 */
int csr_fields_ok(const struct opts *);

#endif
