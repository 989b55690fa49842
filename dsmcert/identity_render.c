#include <stdio.h>

#include "dsmcert/trust/identity.h"
#include "dsmcert/msg.h"
#include "dsmcert/render.h"

/*
 * One line per identity, as -check's long output and -policy show them:
 * "identity node1: expiring: ..." (an internal CA says so).
 */
void
identity_line(FILE *f, const struct identity *id)
{
	char brief[512], na[32], dl[48];

	cert_brief(id->c, brief, sizeof(brief));
	fmt_time(id->c->not_after, na);
	fprintf(f, "%s ", id->ca ? "internal CA" : "identity");
	msg_escaped(f, id->c->label != NULL ? id->c->label : "");
	fprintf(f, ": %s: ", identity_state_name(id->state));
	msg_escaped(f, brief);
	fprintf(f, ", not after %s (%s)", na,
	    days_left_text(id->c, dl, sizeof(dl)));
	if (id->state == IDENTITY_REPLACED)
		fputs("; a renewal under its label is in place", f);
	else if (id->state == IDENTITY_ACKED)
		fprintf(f, "; its expiry is acknowledged until %s",
		    id->ack_until);
	fputc('\n', f);
}

json_t *
identity_json(const struct identity *id)
{
	char na[32];

	fmt_time(id->c->not_after, na);
	return json_pack("{s:o?, s:s, s:o, s:s, s:I, s:s, s:b, s:s?}",
	    "label", json_text(id->c->label), "sha256", id->c->sha256,
	    "subject", json_text(id->c->subject), "not_after", na,
	    "days_left", (json_int_t)id->days,
	    "state", identity_state_name(id->state), "ca", id->ca,
	    "acknowledged_until", id->ack_until);
}
