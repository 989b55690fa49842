#ifndef DSMCERT_RENDER_H
#define DSMCERT_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "keydb/keydb.h"

/* "2026-11-23T08:44:00Z" */
void fmt_time(int64_t t, char buf[32]);

/* One certificate as -list shows it: text block, or JSON object. */
void cert_text(FILE *, const struct keydb_cert *, const char *server);
json_t *cert_json(const struct keydb_cert *, const char *server);

/*
 * A certificate's subject and issuer for text output. Empty names are
 * legal (a certificate may be named in its subjectAltName alone) and are
 * said to be empty, not printed as nothing.
 */
const char *subject_text(const struct keydb_cert *);
const char *issuer_text(const struct keydb_cert *);

/* A one-line name for messages: label or subject, and fingerprint. */
void cert_brief(const struct keydb_cert *, char *buf, size_t len);

/* Print a JSON value on stdout, followed by a newline. */
int json_print(json_t *);

#endif
