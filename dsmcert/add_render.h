#ifndef DSMCERT_ADD_RENDER_H
#define DSMCERT_ADD_RENDER_H

#include "dsmcert/trust/import.h"

/* What add_certs() did, where its how->say wants it said. */
void add_render(const struct add_result *);
/* The same lines without "nothing changed": a part of a command's work. */
void add_render_lines(const struct add_result *);

#endif
