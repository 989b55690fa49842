#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keydb/internal.h"

/*
 * NSS keeps a label per certificate but nothing more, so which server a
 * certificate was added for lives beside the database, in
 * dsmcert.servers: one "SHA-256<TAB>server" line per certificate. It is
 * replaced atomically and only under the database's write lock.
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

static void
map_put(struct server_map *m, const char *sha, const char *server)
{
	char **a = realloc(m->sha256, (m->n + 1) * sizeof(*a));
	char **b;

	if (a == NULL)
		abort();
	m->sha256 = a;
	if ((b = realloc(m->server, (m->n + 1) * sizeof(*b))) == NULL)
		abort();
	m->server = b;
	m->sha256[m->n] = xstrdup(sha);
	m->server[m->n] = xstrdup(server);
	m->n++;
}

static void
load(struct keydb *db)
{
	char path[4096], line[1024];
	FILE *f;

	if (db->servers.loaded)
		return;
	db->servers.loaded = 1;
	snprintf(path, sizeof(path), "%s/%s", db->dir, MAPFILE);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab = strchr(line, '\t');

		line[strcspn(line, "\n")] = '\0';
		/* A damaged line only loses a server name, never a cert. */
		if (tab == NULL || tab - line >= 96 || tab[1] == '\0')
			continue;
		*tab = '\0';
		map_put(&db->servers, line, tab + 1);
	}
	fclose(f);
}

int
keydb_server_get(struct keydb *db, const char *sha256, char **server)
{
	*server = NULL;
	load(db);
	for (size_t i = 0; i < db->servers.n; i++)
		if (strcmp(db->servers.sha256[i], sha256) == 0) {
			*server = xstrdup(db->servers.server[i]);
			return KEYDB_OK;
		}
	return KEYDB_ENOTFOUND;
}

/* Set, or with server NULL remove; written by kd_servers_save(). */
int
keydb_server_set(struct keydb *db, const char *sha256, const char *server)
{
	struct server_map *m = &db->servers;

	if (server != NULL && (strpbrk(server, "\t\n\r") != NULL ||
	    strlen(server) > 512))
		return kd_fail(KEYDB_EINPUT, "bad server name");
	load(db);
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->sha256[i], sha256) != 0)
			continue;
		free(m->server[i]);
		if (server != NULL) {
			m->server[i] = xstrdup(server);
		} else {
			free(m->sha256[i]);
			m->n--;
			m->sha256[i] = m->sha256[m->n];
			m->server[i] = m->server[m->n];
		}
		m->dirty = 1;
		return KEYDB_OK;
	}
	if (server != NULL) {
		map_put(m, sha256, server);
		m->dirty = 1;
	}
	return KEYDB_OK;
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
	path = xasprintf("%s/%s", db->dir, MAPFILE);
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
