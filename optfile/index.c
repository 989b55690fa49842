#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * Stanzas by name, so that neither the duplicate check while parsing
 * nor a lookup afterwards walks every stanza: a dsm.sys of thousands of
 * stanzas would make both quadratic. Open addressing over the stanza
 * array itself; a slot holds the index of the first stanza of a
 * (name, kind) pair, the one the client uses.
 *
 * Names compare as strcasecmp does in the C locale, which this program
 * never leaves: ASCII letters fold, other bytes stand as they are.
 */

struct optfile_index {
	size_t mask;		/* slots - 1; slots a power of two */
	size_t used;
	int *slot;		/* stanza index + 1; 0: empty */
};

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t
hash(const char *name, int repl)
{
	uint64_t h = 14695981039346656037u;	/* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= (uint64_t)fold(*p);
		h *= 1099511628211u;
	}
	h ^= (uint64_t)(repl != 0);
	h *= 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}

static size_t
probe(const struct optfile_index *ix, const struct optfile_stanza *v,
    const char *name, int repl)
{
	size_t i = hash(name, repl) & ix->mask;

	for (;;) {
		int s = ix->slot[i];

		if (s == 0 || ((v[s - 1].repl != 0) == (repl != 0) &&
		    strcasecmp(v[s - 1].name, name) == 0))
			return i;
		i = (i + 1) & ix->mask;
	}
}

/* Keep the table at most half full, so that probes stay short. */
static int
grow(struct optfile_index *ix, const struct optfile_stanza *v)
{
	size_t n = ix->mask ? (ix->mask + 1) * 2 : 64;
	struct optfile_index big = { n - 1, ix->used,
	    xcalloc(n, sizeof(int)) };

	for (size_t i = 0; ix->mask && i <= ix->mask; i++)
		if (ix->slot[i] != 0) {
			const struct optfile_stanza *s = &v[ix->slot[i] - 1];

			big.slot[probe(&big, v, s->name, s->repl)] =
			    ix->slot[i];
		}
	free(ix->slot);
	*ix = big;
	return OPTFILE_OK;
}

int
of_index_add(struct optfile_index **ixp, const struct optfile_stanza *v,
    size_t n, int *first)
{
	struct optfile_index *ix = *ixp;
	const struct optfile_stanza *s = &v[n - 1];
	size_t i;
	int rc;

	*first = -1;
	if (ix == NULL)
		ix = *ixp = xcalloc(1, sizeof(*ix));
	if ((ix->used + 1) * 2 > ix->mask + 1 &&
	    (rc = grow(ix, v)) != OPTFILE_OK)
		return rc;
	i = probe(ix, v, s->name, s->repl);
	if (ix->slot[i] != 0) {
		*first = ix->slot[i] - 1;
		return OPTFILE_OK;
	}
	ix->slot[i] = (int)n;
	ix->used++;
	return OPTFILE_OK;
}

int
of_index_find(const struct optfile_index *ix, const struct optfile_stanza *v,
    const char *name, int repl)
{
	if (ix == NULL)
		return -1;
	return ix->slot[probe(ix, v, name, repl)] - 1;
}

void
of_index_free(struct optfile_index *ix)
{
	if (ix != NULL)
		free(ix->slot);
	free(ix);
}
