/*
 * limit_init DIR ro|rw [probe]: NSS_Initialize and NSS_Shutdown on the
 * sql: database in DIR, with the flags dsmcert opens it with, and
 * nothing else. Every command that touches the key database pays at
 * least this.
 *
 * Like dsmcert, it sets NSS_SDB_USE_CACHE=no when it is unset: without
 * it NSS times hundreds of stat() calls on every open to guess whether
 * the directory is on a network file system. With "probe" it leaves NSS
 * to its default, as certutil runs, to show what that costs.
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
