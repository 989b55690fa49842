#ifndef DSMCERT_TRUST_LABEL_H
#define DSMCERT_TRUST_LABEL_H

#include <stddef.h>

#include "common/common.h"
#include "keydb/keydb.h"

/*
 * The one label rule (dsmcert(1), LABELS): a server's certificates are
 * labelled NAME, "NAME #2", "NAME #3"...; a certificate imported without
 * a name takes its subject's common name the same way; ':' (NSS reads it
 * as a token name) and control characters become '_'.
 */

/* The k-th label of a bundle (k from 1): BASE, "BASE #2", "BASE #3"... */
char *add_label(const char *base, size_t k);

/* BASE when no certificate in db holds it, else the first free "BASE #k". */
char *add_label_free(const struct keydb_certs *db, const char *base);

/*
 * The first free label of the form base, "base #2", ... among the labels
 * in taken; next remembers where to go on per base, so that thousands of
 * certificates with one name cost no more than their number.
 */
char *free_label(const struct cm_strmap *taken, struct cm_strmap *next,
    const char *base);

/* A name made fit to be a label, to be freed. */
char *label_clean(const char *name);

/* Is label NAME or "NAME #k", as the server's certificates are named? */
int labelled_for(const char *label, const char *name);

#endif
