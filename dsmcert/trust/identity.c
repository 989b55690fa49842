#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/trust/identity.h"

/* Is a a later certificate of its identity than b? */
static int
later(const struct keydb_cert *a, const struct keydb_cert *b)
{
	if (a->not_before != b->not_before)
		return a->not_before > b->not_before;
	return a->not_after > b->not_after;
}

const struct keydb_cert *
identity_current(const struct keydb_certs *all, const char *label)
{
	const struct keydb_cert *best = NULL;

	for (size_t i = 0; i < all->n; i++) {
		const struct keydb_cert *c = &all->v[i];

		if (!c->has_key || c->label == NULL ||
		    strcmp(c->label, label) != 0)
			continue;
		if (best == NULL || later(c, best))
			best = c;
	}
	return best;
}

static long
days_until(int64_t not_after, int64_t now)
{
	int64_t s = not_after - now;

	return (long)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

static const struct identity_ack *
ack_of(const char *sha256, const struct identity_ack *acks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(acks[i].sha256, sha256) == 0)
			return &acks[i];
	return NULL;
}

size_t
identity_judge(const struct keydb_certs *all, int64_t now, int warn_days,
    const struct identity_ack *acks, size_t nacks, struct identity **out)
{
	struct identity *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < all->n; i++) {
		const struct keydb_cert *c = &all->v[i];
		const struct identity_ack *a;
		struct identity *it;

		if (!c->has_key)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		it = &v[n++];
		memset(it, 0, sizeof(*it));
		it->c = c;
		it->ca = c->is_ca;
		it->days = days_until(c->not_after, now);
		if (c->label != NULL && identity_current(all, c->label) != c)
			it->state = IDENTITY_REPLACED;
		else if (c->not_after <= now)
			it->state = IDENTITY_EXPIRED;
		else if (it->days < warn_days)
			it->state = IDENTITY_EXPIRING;
		else
			it->state = IDENTITY_OK;
		/* An acknowledged expiry is quiet until its date has passed. */
		if ((it->state == IDENTITY_EXPIRING ||
		    it->state == IDENTITY_EXPIRED) &&
		    (a = ack_of(c->sha256, acks, nacks)) != NULL &&
		    now <= a->until_t) {
			it->state = IDENTITY_ACKED;
			it->ack_until = a->until;
		}
	}
	*out = v;
	return n;
}

const char *
identity_state_name(enum identity_state s)
{
	switch (s) {
	case IDENTITY_OK:
		return "ok";
	case IDENTITY_EXPIRING:
		return "expiring";
	case IDENTITY_EXPIRED:
		return "expired";
	case IDENTITY_REPLACED:
		return "replaced";
	case IDENTITY_ACKED:
		return "acknowledged";
	}
	return "?";
}
