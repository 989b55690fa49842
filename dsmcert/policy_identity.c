#include <stdio.h>
#include <stdlib.h>

#include "common/common.h"
#include "dsmcert/trust/identity.h"
#include "dsmcert/msg.h"
#include "dsmcert/trust/trust.h"

/*
 * -policy's part of the machine's own identities: after the nodes and
 * servers, one line each (text), or a warning on standard error for an
 * expiring or expired one (-json, whose document stays one object per
 * node and server). Acknowledged expiries count as -check counts them.
 */
void
policy_identities(struct keydb *db, const struct trust *t, int json)
{
	struct keydb_certs all = { 0 };
	struct identity_ack *acks = NULL;
	struct identity *ids = NULL;
	size_t n;

	if (keydb_list(db, &all) != KEYDB_OK) {
		msg_warn("%s", keydb_error());
		return;
	}
	if (t->inv.nacks > 0)
		acks = xcalloc(t->inv.nacks, sizeof(*acks));
	for (size_t i = 0; i < t->inv.nacks; i++) {
		acks[i].sha256 = t->inv.acks[i].sha256;
		acks[i].until = t->inv.acks[i].until;
		acks[i].until_t = t->inv.acks[i].until_t;
	}
	n = identity_judge(&all, t->now, t->inv.warn_days, acks, t->inv.nacks,
	    &ids);
	if (!json && n > 0)
		printf("\nthe machine's own identities (private key here):\n");
	for (size_t i = 0; i < n; i++) {
		const struct identity *id = &ids[i];

		if (!json)
			identity_line(stdout, id);
		else if (id->state == IDENTITY_EXPIRING)
			msg_warn("%s \"%s\" expires in %ld days", id->ca ?
			    "internal CA" : "identity", id->c->label, id->days);
		else if (id->state == IDENTITY_EXPIRED)
			msg_warn("%s \"%s\" has expired", id->ca ?
			    "internal CA" : "identity", id->c->label);
	}
	free(ids);
	free(acks);
	keydb_certs_free(&all);
}
