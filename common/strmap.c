#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"

/*
 * A map from strings to size_t, open addressing with linear probing: the
 * planning of a bundle of thousands asks it once per certificate instead
 * of scanning every other one.
 */

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static uint64_t
hash(const char *s, int nocase)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (uint64_t)(nocase ? fold((unsigned char)*s) :
		    (unsigned char)*s)) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static size_t
probe(const struct cm_strmap *m, const char *key)
{
	size_t i = (size_t)hash(key, m->nocase) & (m->cap - 1);

	while (m->key[i] != NULL && (m->nocase ?
	    strcasecmp(m->key[i], key) : strcmp(m->key[i], key)) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
grow(struct cm_strmap *m)
{
	struct cm_strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->key = xcalloc(m->cap, sizeof(*m->key));
	m->val = xcalloc(m->cap, sizeof(*m->val));
	for (size_t i = 0; i < old.cap; i++)
		if (old.key[i] != NULL) {
			size_t j = probe(m, old.key[i]);

			m->key[j] = old.key[i];
			m->val[j] = old.val[i];
		}
	free(old.key);
	free(old.val);
}

void
cm_strmap_put(struct cm_strmap *m, const char *key, size_t val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	i = probe(m, key);
	if (m->key[i] == NULL) {
		m->key[i] = xstrdup(key);
		m->n++;
	}
	m->val[i] = val;
}

int
cm_strmap_get(const struct cm_strmap *m, const char *key, size_t *val)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	i = probe(m, key);
	if (m->key[i] == NULL)
		return 0;
	if (val != NULL)
		*val = m->val[i];
	return 1;
}

void
cm_strmap_free(struct cm_strmap *m)
{
	int nocase = m->nocase;

	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
	m->nocase = nocase;
}
