#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keydb/internal.h"

/*
 * NSS keeps a label per certificate but nothing more, so which servers a
 * certificate is trusted for lives beside the database, in
 * dsmcert.servers: one "SHA-256<TAB>server" line per link, many to many,
 * in order of fingerprint.
 * A line with an empty server marks a certificate imported without
 * -server, which no server's removal takes away. An older dsmcert wrote
 * one line per certificate in the same form, so its file reads as is.
 * The file is replaced atomically and only under the write lock.
 */
static const char MAPFILE[] = "dsmcert.servers";

void
kd_servers_free(struct server_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->sha256[i]);
		free(m->server[i]);
	}
	free(m->sha256);
	free(m->server);
	memset(m, 0, sizeof(*m));
}

static int
same_server(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/*
 * The links are kept in order of fingerprint, each certificate's in the
 * order they were made (the order its servers are shown in), so that a
 * certificate's links are found by binary search: a listing of ten
 * thousand certificates asks once for each.
 */
static size_t
first_of(const struct server_map *m, const char *sha)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->sha256[mid], sha) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long
find(const struct server_map *m, const char *sha, const char *server)
{
	for (size_t i = first_of(m, sha); i < m->n &&
	    strcmp(m->sha256[i], sha) == 0; i++)
		if (same_server(m->server[i], server))
			return (long)i;
	return -1;
}

/* After the certificate's other links, or where its group would be. */
static void
map_put(struct server_map *m, const char *sha, const char *server)
{
	size_t at = first_of(m, sha);

	m->sha256 = xreallocarray(m->sha256, m->n + 1, sizeof(*m->sha256));
	m->server = xreallocarray(m->server, m->n + 1, sizeof(*m->server));
	while (at < m->n && strcmp(m->sha256[at], sha) == 0)
		at++;
	memmove(m->sha256 + at + 1, m->sha256 + at,
	    (m->n - at) * sizeof(char *));
	memmove(m->server + at + 1, m->server + at,
	    (m->n - at) * sizeof(char *));
	m->sha256[at] = xstrdup(sha);
	m->server[at] = xstrdup(server);
	m->n++;
}

static void
map_del(struct server_map *m, size_t i)
{
	free(m->sha256[i]);
	free(m->server[i]);
	m->n--;
	memmove(m->sha256 + i, m->sha256 + i + 1, (m->n - i) * sizeof(char *));
	memmove(m->server + i, m->server + i + 1, (m->n - i) * sizeof(char *));
	m->dirty = 1;
}

struct line {
	char *sha, *server;
	size_t at;
};

static int
by_sha(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	int c = strcmp(a->sha, b->sha);

	return c != 0 ? c : (a->at > b->at) - (a->at < b->at);
}

/* Read the file once, sort it once: not a search per line. */
static void
load(struct keydb *db)
{
	struct server_map *m = &db->servers;
	char *path, line[1024];
	struct line *v = NULL;
	size_t n = 0, cap = 0;
	FILE *f;

	if (m->loaded)
		return;
	m->loaded = 1;
	path = path_join(db->dir, MAPFILE);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab = strchr(line, '\t');

		line[strcspn(line, "\n")] = '\0';
		/* A damaged line only loses a server name, never a cert. */
		if (tab == NULL || tab - line >= 96)
			continue;
		*tab = '\0';
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n].sha = xstrdup(line);
		v[n].server = xstrdup(tab + 1);
		v[n].at = n;
		n++;
	}
	fclose(f);
	if (n > 1)
		qsort(v, n, sizeof(*v), by_sha);
	m->sha256 = xmalloc((n ? n : 1) * sizeof(char *));
	m->server = xmalloc((n ? n : 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		/* A link written twice is one. */
		if (find(m, v[i].sha, v[i].server) >= 0) {
			free(v[i].sha);
			free(v[i].server);
			continue;
		}
		m->sha256[m->n] = v[i].sha;
		m->server[m->n] = v[i].server;
		m->n++;
	}
	free(v);
}

void
keydb_strs_free(struct keydb_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int
keydb_servers_of(struct keydb *db, const char *sha256,
    struct keydb_strs *out, int *standalone)
{
	struct server_map *m = &db->servers;

	load(db);
	memset(out, 0, sizeof(*out));
	if (standalone != NULL)
		*standalone = 0;
	for (size_t i = first_of(m, sha256); i < m->n &&
	    strcmp(m->sha256[i], sha256) == 0; i++) {
		if (m->server[i][0] == '\0') {
			if (standalone != NULL)
				*standalone = 1;
			continue;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof(char *));
		out->v[out->n++] = xstrdup(m->server[i]);
	}
	return out->n > 0 ? KEYDB_OK : KEYDB_ENOTFOUND;
}

int
keydb_server_get(struct keydb *db, const char *sha256, char **server)
{
	struct keydb_strs s;
	size_t len = 0;

	*server = NULL;
	if (keydb_servers_of(db, sha256, &s, NULL) != KEYDB_OK)
		return KEYDB_ENOTFOUND;
	for (size_t i = 0; i < s.n; i++)
		len += strlen(s.v[i]) + 2;
	*server = xmalloc(len + 1);
	(*server)[0] = '\0';
	for (size_t i = 0; i < s.n; i++) {
		if (i > 0)
			strcat(*server, ", ");
		strcat(*server, s.v[i]);
	}
	keydb_strs_free(&s);
	return KEYDB_OK;
}

int
keydb_server_has(struct keydb *db, const char *sha256, const char *server)
{
	load(db);
	return find(&db->servers, sha256, server != NULL ? server : "") >= 0;
}

int
keydb_server_link(struct keydb *db, const char *sha256, const char *server,
    int *added)
{
	if (added != NULL)
		*added = 0;
	if (server == NULL)
		server = "";
	if (strpbrk(server, "\t\n\r") != NULL || strlen(server) > 512)
		return kd_fail(KEYDB_EINPUT, "bad server name");
	load(db);
	if (find(&db->servers, sha256, server) >= 0)
		return KEYDB_OK;
	map_put(&db->servers, sha256, server);
	db->servers.dirty = 1;
	if (added != NULL)
		*added = 1;
	return KEYDB_OK;
}

int
keydb_server_unlink(struct keydb *db, const char *sha256, const char *server)
{
	long i;

	load(db);
	if ((i = find(&db->servers, sha256, server != NULL ? server : "")) < 0)
		return KEYDB_ENOTFOUND;
	map_del(&db->servers, (size_t)i);
	return KEYDB_OK;
}

void
keydb_server_forget(struct keydb *db, const char *sha256)
{
	struct server_map *m = &db->servers;

	load(db);
	for (size_t i = first_of(m, sha256); i < m->n &&
	    strcmp(m->sha256[i], sha256) == 0;)
		map_del(m, i);
}

int
keydb_server_relied(struct keydb *db, const char *sha256)
{
	struct server_map *m = &db->servers;

	size_t i;

	load(db);
	i = first_of(m, sha256);
	return i < m->n && strcmp(m->sha256[i], sha256) == 0;
}

void
keydb_server_links(struct keydb *db, struct keydb_strs *sha256,
    struct keydb_strs *server)
{
	struct server_map *m = &db->servers;

	load(db);
	sha256->n = server->n = m->n;
	sha256->v = xmalloc((m->n ? m->n : 1) * sizeof(char *));
	server->v = xmalloc((m->n ? m->n : 1) * sizeof(char *));
	for (size_t i = 0; i < m->n; i++) {
		sha256->v[i] = xstrdup(m->sha256[i]);
		server->v[i] = xstrdup(m->server[i]);
	}
}

int
kd_servers_save(struct keydb *db)
{
	struct server_map *m = &db->servers;
	char *path, *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!m->dirty)
		return KEYDB_OK;
	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	for (size_t i = 0; i < m->n; i++)
		fprintf(f, "%s\t%s\n", m->sha256[i], m->server[i]);
	if (fclose(f) != 0)
		abort();
	path = path_join(db->dir, MAPFILE);
	if (atomic_write(path, buf, len, 0600) != CM_OK)
		rc = kd_fail(KEYDB_EDB, "%s: cannot write: %s", path,
		    strerror(errno));
	else {
		m->dirty = 0;
		rc = KEYDB_OK;
	}
	free(path);
	free(buf);
	return rc;
}

int
keydb_commit(struct keydb *db)
{
	if (!db->exists)
		return KEYDB_OK;
	return kd_servers_save(db);
}
