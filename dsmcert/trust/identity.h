#ifndef DSMCERT_IDENTITY_H
#define DSMCERT_IDENTITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "keydb/keydb.h"

/*
 * The machine's own identities (dsmcert(1), THE MACHINE'S IDENTITY):
 * certificates whose private key is in the key database, an internal CA
 * of -ca create among them. Under one label, the one with the latest
 * not-before (then not-after) is the identity; the others are what
 * renewals replaced.
 */

/* The identity labelled label: its current certificate, or NULL. */
const struct keydb_cert *identity_current(const struct keydb_certs *all,
    const char *label);

enum identity_state {
	IDENTITY_OK,
	IDENTITY_EXPIRING,	/* within warn_days */
	IDENTITY_EXPIRED,
	IDENTITY_REPLACED,	/* an older one of its label: renewed */
	IDENTITY_ACKED,		/* expiring or expired, acknowledged */
};

struct identity {
	const struct keydb_cert *c;	/* into the caller's list */
	enum identity_state state;
	long days;		/* whole days left, negative once expired */
	int ca;			/* an internal CA */
	const char *ack_until;	/* IDENTITY_ACKED: the date, as written */
};

/*
 * An acknowledged expiry (dsmcert.conf(5), [ack SHA256]): -check says
 * nothing of that certificate's expiry until the day after until.
 */
struct identity_ack {
	const char *sha256;
	const char *until;	/* YYYY-MM-DD */
	int64_t until_t;	/* the end of that day, UTC */
};

/*
 * Every identity of all at now, judged by warn_days, acks (n of them)
 * applied. Pure: the caller gives the time and the facts. *out is
 * malloc'd (free() it), in all's order.
 */
size_t identity_judge(const struct keydb_certs *all, int64_t now,
    int warn_days, const struct identity_ack *acks, size_t nacks,
    struct identity **out);

const char *identity_state_name(enum identity_state);

/* For -check's long output and -policy (identity_render.c). */
void identity_line(FILE *, const struct identity *);
json_t *identity_json(const struct identity *);

/* -policy's lines on them, from the trust it gathered (policy_identity.c). */
struct trust;
struct keydb;
void policy_identities(struct keydb *, const struct trust *, int json);

#endif
