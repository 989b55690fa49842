#ifndef DSMCERT_ADD_RENDER_H
#define DSMCERT_ADD_RENDER_H

#include "dsmcert/trust/import.h"

/* What add_certs() did, where its how->say wants it said. */
void add_render(const struct add_result *);

#endif
