#include <string.h>
#include <strings.h>

#include "dsmcert/labelcase.h"
#include "dsmcert/msg.h"

void
label_case_hint(const struct keydb_certs *all, const char *label)
{
	for (size_t i = 0; i < all->n; i++) {
		const char *l = all->v[i].label;

		if (l != NULL && strcasecmp(l, label) == 0 &&
		    strcmp(l, label) != 0) {
			msg_hint("labels are case-sensitive (server names are "
			    "not): did you mean -label \"%s\"?", l);
			return;
		}
	}
	msg_hint("labels are case-sensitive; dsmcert -list shows what is "
	    "there");
}
