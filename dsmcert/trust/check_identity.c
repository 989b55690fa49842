#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "dsmcert/check.h"
#include "dsmcert/msg.h"

/*
 * -check's part of the machine's own identities and of acknowledged
 * expiries (dsmcert(1), THE MACHINE'S IDENTITY). Kept apart from the
 * server certificates' judgement: check_identities gathers, and the
 * judge, the renderers and the Prometheus file each ask one function
 * here for what the identities add.
 */

static struct identity_ack *
acks_of(const struct inventory *inv)
{
	struct identity_ack *a = NULL;

	if (inv->nacks > 0)
		a = xcalloc(inv->nacks, sizeof(*a));
	for (size_t i = 0; i < inv->nacks; i++) {
		a[i].sha256 = inv->acks[i].sha256;
		a[i].until = inv->acks[i].until;
		a[i].until_t = inv->acks[i].until_t;
	}
	return a;
}

/* A server certificate's expiry, acknowledged: quiet until the date. */
static void
ack_rows(struct check *ck, const struct inventory *inv, int64_t now)
{
	for (size_t i = 0; i < ck->nrows; i++) {
		struct check_row *r = &ck->rows[i];

		if (r->cert == NULL || (r->state != CHECK_CERT_EXPIRING &&
		    r->state != CHECK_CERT_EXPIRED))
			continue;
		for (size_t k = 0; k < inv->nacks; k++)
			if (strcmp(inv->acks[k].sha256, r->cert->sha256) == 0 &&
			    now <= inv->acks[k].until_t) {
				r->state = CHECK_CERT_ACKED;
				r->ack_until = inv->acks[k].until;
			}
	}
}

int
check_identities(struct check *ck, struct keydb *db,
    const struct inventory *inv, int64_t now)
{
	struct identity_ack *acks;

	ack_rows(ck, inv, now);
	/* With trust and keys: has_key tells an identity. */
	if (keydb_list(db, &ck->idcerts) != KEYDB_OK) {
		msg_error("%s", keydb_error());
		return -1;
	}
	acks = acks_of(inv);
	ck->nids = identity_judge(&ck->idcerts, now, ck->warn_days, acks,
	    inv->nacks, &ck->ids);
	free(acks);
	return 0;
}

void
check_identities_free(struct check *ck)
{
	free(ck->ids);
	ck->ids = NULL;
	ck->nids = 0;
	keydb_certs_free(&ck->idcerts);
}

static enum check_status
id_status(const struct identity *id)
{
	if (id->state == IDENTITY_EXPIRED)
		return CHECK_CRITICAL;
	if (id->state == IDENTITY_EXPIRING)
		return CHECK_WARNING;
	return CHECK_OK;
}

enum check_status
check_identity_status(const struct check *ck)
{
	enum check_status s = CHECK_OK;

	for (size_t i = 0; i < ck->nids; i++)
		if (id_status(&ck->ids[i]) > s)
			s = id_status(&ck->ids[i]);
	return s;
}

void
check_identity_problems(FILE *f, const struct check *ck,
    enum check_status sev, int *n)
{
	for (size_t i = 0; i < ck->nids; i++) {
		const struct identity *id = &ck->ids[i];
		long d = id->days;

		if (id_status(id) != sev)
			continue;
		fprintf(f, "%s%s %s ", *n > 0 ? "; " : "", id->ca ?
		    "internal CA" : "identity", id->c->label);
		if (id->state == IDENTITY_EXPIRED)
			fprintf(f, "expired %ld day%s ago", -d, d == -1 ? "" :
			    "s");
		else
			fprintf(f, "expires in %ld day%s", d, d == 1 ? "" : "s");
		(*n)++;
	}
}

/* What the first line adds when all is well: identities and acks. */
void
check_identity_summary(FILE *f, const struct check *ck)
{
	size_t ids = 0, acked = 0;

	for (size_t i = 0; i < ck->nids; i++) {
		ids += ck->ids[i].state != IDENTITY_REPLACED;
		acked += ck->ids[i].state == IDENTITY_ACKED;
	}
	for (size_t i = 0; i < ck->nrows; i++)
		acked += ck->rows[i].state == CHECK_CERT_ACKED &&
		    check_first_row(ck, i, 0);
	if (ids > 0 && ck->status == CHECK_OK)
		fprintf(f, "; %zu identit%s watched", ids, ids == 1 ? "y" :
		    "ies");
	if (acked > 0)
		fprintf(f, "; %zu acknowledged expir%s", acked, acked == 1 ?
		    "y" : "ies");
}

void
check_identity_text(FILE *f, const struct check *ck)
{
	for (size_t i = 0; i < ck->nids; i++)
		identity_line(f, &ck->ids[i]);
}

json_t *
check_identity_json(const struct check *ck)
{
	json_t *a = json_array();

	for (size_t i = 0; i < ck->nids; i++)
		json_array_append_new(a, identity_json(&ck->ids[i]));
	return a;
}

/*
 * The identities' series of a certificate family (days: days left,
 * else not-after), told from the servers' by kind="identity" (or "ca");
 * a replaced one is left out, as a renewed server's old certificate is.
 */
void
check_identity_prom(FILE *f, const struct check *ck, const char *metric,
    int remaining, int64_t now, void (*value)(FILE *, const char *))
{
	for (size_t i = 0; i < ck->nids; i++) {
		const struct identity *id = &ck->ids[i];

		if (id->state == IDENTITY_REPLACED)
			continue;
		fprintf(f, "%s{label=", metric);
		value(f, id->c->label != NULL ? id->c->label : "");
		fputs(",sha256=", f);
		value(f, id->c->sha256);
		fprintf(f, ",kind=\"%s\"} ", id->ca ? "ca" : "identity");
		if (remaining)
			fprintf(f, "%lld\n", (long long)(id->c->not_after - now));
		else
			fprintf(f, "%lld\n", (long long)id->c->not_after);
	}
}
