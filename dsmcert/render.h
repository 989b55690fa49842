#ifndef DSMCERT_RENDER_H
#define DSMCERT_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "keydb/keydb.h"

/* "2026-11-23T08:44:00Z" */
void fmt_time(int64_t t, char buf[32]);

/* One certificate as -list shows it: text block, or JSON object. */
/* Whole days until not-after (negative once expired), and in words. */
long days_left(const struct keydb_cert *);
const char *days_left_text(const struct keydb_cert *, char *buf, size_t len);
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

/*
 * Every string a -json document holds goes through json_text: valid
 * UTF-8 as it is, any other byte read as latin-1 (jsontext.c). NULL
 * gives NULL, for json_pack's "o?". json_utf8 returns the converted
 * copy, to be freed.
 */
json_t *json_text(const char *);
char *json_utf8(const char *);

/* Print a JSON value on stdout, followed by a newline. */
int json_print(json_t *);

#endif
