#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

/* Write text to path atomically (temporary file beside it, rename). */
static int
write_file(const char *path, const char *text)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;
	int fd, e;

	if (tmp == NULL)
		abort();
	snprintf(tmp, n, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		e = errno;
		free(tmp);
		msg_error("%s: cannot write: %s", path, strerror(e));
		return EXIT_INPUT;
	}
	fchmod(fd, 0644);	/* a certificate is public */
	if ((f = fdopen(fd, "w")) == NULL || fputs(text, f) == EOF ||
	    fflush(f) != 0 || fsync(fd) != 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		e = errno;
		if (f == NULL)
			close(fd);
		unlink(tmp);
		free(tmp);
		msg_error("%s: cannot write: %s", path, strerror(e));
		return EXIT_INPUT;
	}
	free(tmp);
	return EXIT_OK;
}

int
cmd_export(struct opts *o)
{
	struct keydb_certs all = { 0 };
	struct keydb *db = NULL;
	char *pem = NULL;
	size_t len = 0;
	int rc, n = 0;

	if (o->pkcs12 != NULL)
		return cmd_export_pkcs12(o);
	if (o->label == NULL || o->file == NULL) {
		msg_error("-export needs -label L and -file OUT");
		return EXIT_USAGE;
	}
	if ((rc = db_open_list(o, KEYDB_READ, &db, &all)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		char *one;

		if (strcmp(all.v[i].label, o->label) != 0)
			continue;
		if ((one = keydb_pem(&all.v[i])) == NULL) {
			msg_error("\"%s\": cannot encode", o->label);
			rc = EXIT_DB;
			goto out;
		}
		pem = realloc(pem, len + strlen(one) + 1);
		if (pem == NULL)
			abort();
		strcpy(pem + len, one);
		len += strlen(one);
		free(one);
		n++;
	}
	if (n == 0) {
		msg_error("%s: no certificate labelled \"%s\"", keydb_dir(db),
		    o->label);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (strcmp(o->file, "-") == 0)
		fputs(pem, stdout);
	else if ((rc = write_file(o->file, pem)) == EXIT_OK)
		msg_info("wrote \"%s\" to %s", o->label, o->file);
out:
	free(pem);
	keydb_certs_free(&all);
	keydb_close(db);
	return rc;
}
