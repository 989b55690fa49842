#ifndef DSMCERT_LABELCASE_H
#define DSMCERT_LABELCASE_H

#include "keydb/keydb.h"

/*
 * After "no certificate labelled L": labels are case-sensitive (NSS
 * nicknames), server names are not; name the labels that differ from L
 * only in case, or point to -list.
 */
void label_case_hint(const struct keydb_certs *all, const char *label);

#endif
