#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * The record's text into m, which must be empty. A damaged line only
 * loses a server name, never a certificate. Sorted once, not searched
 * per line.
 */
void
kd_servers_parse(struct server_map *m, const char *buf, size_t len)
{
	struct line *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xmalloc(ll + 1), *tab;

		memcpy(line, p, ll);
		line[ll] = '\0';
		p += ll + (nl != NULL);
		tab = strchr(line, '\t');
		if (tab == NULL || tab - line >= 96) {
			free(line);
			continue;
		}
		*tab = '\0';
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n].sha = xstrdup(line);
		v[n].server = xstrdup(tab + 1);
		v[n].at = n;
		n++;
		free(line);
	}
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
	m->loaded = 1;
}

/*
 * Read the record, under the lock that guards its write when there is
 * one (keydb_open and kd_ensure_created call this once the lock is
 * theirs). Only a record that does not exist is empty: one that cannot
 * be read (permission, a FIFO, a directory) is an error naming why, never
 * taken for "no links", which the next write would make true.
 * Links made before (a first write, before the lock existed) are kept.
 */
int
kd_servers_load(struct keydb *db)
{
	struct server_map fresh = { 0 }, *m = &db->servers;
	char *path, *buf = NULL;
	size_t len = 0;
	int rc;

	path = cm_path_join(db->dir, MAPFILE);
	rc = cm_file_read(path, 64 * 1024 * 1024, &buf, &len);
	if (rc == CM_ERRNO && errno == ENOENT) {
		rc = CM_OK;
		buf = NULL;
		len = 0;
	}
	if (rc != CM_OK) {
		rc = kd_fail(KEYDB_EDB, "%s: cannot read the server record: "
		    "%s%s", path, cm_strerror(rc), rc == CM_NOTREG ?
		    "; remove it or put the regular file back" : "");
		free(path);
		return rc;
	}
	free(path);
	kd_servers_parse(&fresh, buf != NULL ? buf : "", len);
	free(buf);
	for (size_t i = 0; i < m->n; i++)
		if (find(&fresh, m->sha256[i], m->server[i]) < 0) {
			map_put(&fresh, m->sha256[i], m->server[i]);
			fresh.dirty = 1;
		}
	fresh.dirty |= m->dirty;
	kd_servers_free(m);
	*m = fresh;
	m->loaded = 1;
	return KEYDB_OK;
}

static void
load(struct keydb *db)
{
	/* Loaded when the database was opened; this only guards. */
	if (!db->servers.loaded)
		(void)kd_servers_load(db);
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

/*
 * A new record, made by root in a key database directory that belongs
 * to a node's user, is that user's too: otherwise their next command
 * cannot read it.
 */
static int
save_record(const char *path, const char *buf, size_t len, char *why,
    size_t whylen)
{
	struct cm_gate g;
	struct stat ds;
	int rc;

	if ((rc = cm_gate_open(&g, path, 0600, why, whylen)) != CM_OK)
		return rc;
	if (!g.inplace && !g.existed && geteuid() == 0 &&
	    fstat(g.dirfd, &ds) == 0 && ds.st_uid != 0 &&
	    fchown(g.fd, ds.st_uid, ds.st_gid) != 0) {
		cm_gate_abort(&g);
		return CM_ERRNO;
	}
	return cm_gate_finish(&g, buf, len);
}

int
kd_servers_save(struct keydb *db)
{
	struct server_map *m = &db->servers;
	char *path, *buf = NULL, why[4352];
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
	path = cm_path_join(db->dir, MAPFILE);
	/* Through the output gate: the record keeps its owner and mode, so
	 * that the database's own user still reads it after root wrote. */
	if ((rc = save_record(path, buf, len, why, sizeof(why))) != CM_OK)
		rc = kd_fail(KEYDB_EDB, "%s: cannot write: %s", path,
		    rc == CM_UNSAFE ? why : cm_strerror(rc));
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
