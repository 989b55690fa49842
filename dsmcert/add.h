#ifndef DSMCERT_ADD_H
#define DSMCERT_ADD_H

#include "dsmcert/cli.h"
#include "keydb/keydb.h"

/*
 * The import of -add once the certificates are read: checks, labels,
 * all or nothing, output. source names the file or token in messages.
 * certs is taken over (left empty); db must be open for writing.
 */
int add_certs(const struct opts *, struct keydb *db, const char *source,
    struct keydb_certs *certs);

/* The k-th label of a bundle (k from 1): BASE, "BASE #2", "BASE #3"... */
char *add_label(const char *base, size_t k);

/*
 * The checks of each certificate read, shared by the importers: 1 and
 * the reason printed when it is refused (NSS cannot store it; expired or
 * not yet valid, unless force), else 0; weak ones are warned about.
 */
int add_check_storable(const char *source, const struct keydb_cert *c);
int add_check_validity(const char *source, const struct keydb_cert *c,
    int force);

#endif
