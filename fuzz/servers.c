#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keydb/internal.h"

/*
 * libFuzzer target over the server record's loader (dsmcert.servers,
 * keydb/servers.c): any bytes, damaged lines and NULs included, must
 * load without a crash into a map that is sorted by fingerprint, holds
 * each link once, and answers the lookups the commands make.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keydb db;
	struct server_map *m = &db.servers;
	struct keydb_strs s;
	int standalone, added;

	memset(&db, 0, sizeof(db));
	kd_servers_parse(m, (const char *)data, size);
	for (size_t i = 0; i < m->n; i++) {
		if (i > 0 && strcmp(m->sha256[i - 1], m->sha256[i]) > 0)
			abort();	/* not in order of fingerprint */
		for (size_t j = i + 1; j < m->n &&
		    strcmp(m->sha256[i], m->sha256[j]) == 0; j++)
			if (strcasecmp(m->server[i], m->server[j]) == 0)
				abort();	/* a link twice */
		if (keydb_server_has(&db, m->sha256[i], m->server[i]) != 1)
			abort();
		if (keydb_servers_of(&db, m->sha256[i], &s, &standalone) ==
		    KEYDB_OK)
			keydb_strs_free(&s);
	}
	if (m->n > 0) {
		if (keydb_server_link(&db, m->sha256[0], "FUZZ", &added) !=
		    KEYDB_OK ||
		    keydb_server_unlink(&db, m->sha256[0], "FUZZ") != KEYDB_OK)
			abort();
		if (m->n > 0) {
			char *last = xstrdup(m->sha256[m->n - 1]);

			keydb_server_forget(&db, last);
			free(last);
		}
	}
	kd_servers_free(m);
	return 0;
}
