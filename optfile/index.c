#include <stdlib.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * Stanzas by name, so that neither the duplicate check while parsing
 * nor a lookup afterwards walks every stanza: a dsm.sys of thousands of
 * stanzas would make both quadratic. One map for each kind of stanza
 * (SErvername, REPLSErvername); a name holds the index of the first
 * stanza of its kind, the one the client uses. Names compare without
 * case, as the client compares them.
 */

struct optfile_index {
	struct cm_strmap kind[2];
};

int
of_index_add(struct optfile_index **ixp, const char *name, int repl,
    size_t i)
{
	struct cm_strmap *m;
	size_t first;

	if (*ixp == NULL) {
		*ixp = xcalloc(1, sizeof(**ixp));
		(*ixp)->kind[0].nocase = (*ixp)->kind[1].nocase = 1;
	}
	m = &(*ixp)->kind[repl != 0];
	if (cm_strmap_get(m, name, &first))
		return (int)first;
	cm_strmap_put(m, name, i);
	return -1;
}

int
of_index_find(const struct optfile_index *ix, const char *name, int repl)
{
	size_t i;

	if (ix == NULL || !cm_strmap_get(&ix->kind[repl != 0], name, &i))
		return -1;
	return (int)i;
}

void
of_index_free(struct optfile_index *ix)
{
	if (ix == NULL)
		return;
	cm_strmap_free(&ix->kind[0]);
	cm_strmap_free(&ix->kind[1]);
	free(ix);
}
