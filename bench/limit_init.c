/*
 * limit_init DIR ro|rw [probe]: NSS_Initialize and NSS_Shutdown on the
 * sql: database in DIR, with the flags dsmcert opens it with, and
 * nothing else. Every command that touches the key database pays at
 * least this.
 *
 * It sets NSS_SDB_USE_CACHE=no when it is unset. NSS 3.87 then neither
 * caches nor measures; unset, as dsmcert and certutil run, it first asks
 * statfs() for the file system type and times access() calls only on a
 * network file system, so on a local disk the two are the same. With
 * "probe" it leaves the variable unset, to show that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nss.h>

int
main(int argc, char **argv)
{
	PRUint32 fl = NSS_INIT_NOROOTINIT;
	char spec[4096];

	if (argc < 3 || argc > 4 || (strcmp(argv[2], "ro") != 0 &&
	    strcmp(argv[2], "rw") != 0) ||
	    (argc == 4 && strcmp(argv[3], "probe") != 0)) {
		fprintf(stderr, "usage: limit_init DIR ro|rw [probe]\n");
		return 64;
	}
	if (strcmp(argv[2], "ro") == 0)
		fl |= NSS_INIT_READONLY;
	if (argc == 3)
		setenv("NSS_SDB_USE_CACHE", "no", 0);
	snprintf(spec, sizeof(spec), "sql:%s", argv[1]);
	if (NSS_Initialize(spec, "", "", SECMOD_DB, fl) != SECSuccess) {
		fprintf(stderr, "limit_init: %s: cannot open\n", argv[1]);
		return 3;
	}
	return NSS_Shutdown() == SECSuccess ? 0 : 3;
}
