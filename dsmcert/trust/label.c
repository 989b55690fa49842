#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/db.h"
#include "dsmcert/trust/label.h"

char *
add_label(const char *base, size_t k)
{
	return k <= 1 ? xstrdup(base) : xasprintf("%s #%zu", base, k);
}

char *
add_label_free(const struct keydb_certs *db, const char *base)
{
	size_t idx, k = 1;
	char *label = NULL;

	do {
		free(label);
		label = add_label(base, k++);
	} while (db_with_label(db, label, &idx, 1) > 0);
	return label;
}

char *
free_label(const struct cm_strmap *taken, struct cm_strmap *next,
    const char *base)
{
	size_t k = 1;
	char *label;

	cm_strmap_get(next, base, &k);
	for (;; k++) {
		label = add_label(base, k);
		if (!cm_strmap_get(taken, label, NULL))
			break;
		free(label);
	}
	cm_strmap_put(next, base, k + 1);
	return label;
}

char *
label_clean(const char *name)
{
	char *clean = xstrdup(name);

	for (char *p = clean; *p; p++)
		if (*p == ':' || (unsigned char)*p < 0x20)
			*p = '_';
	return clean;
}

int
labelled_for(const char *label, const char *name)
{
	size_t n = strlen(name);

	return label != NULL && strncasecmp(label, name, n) == 0 &&
	    (label[n] == '\0' || strncmp(label + n, " #", 2) == 0);
}
