#ifndef DSMCERT_VENDOR_H
#define DSMCERT_VENDOR_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The vendor's GSKit files (dsmcert.kdb, .sth, .idx, .rdb, .crl) that
 * may sit beside the key database or in the client's directories. They
 * are only looked for, by name, for -where: never opened.
 */
struct vendor_file {
	char *path;
	const char *what;	/* "GSKit key database", ... */
	dev_t dev;		/* to name a file seen twice once */
	ino_t ino;
};

struct vendor_files {
	struct vendor_file *v;
	size_t n;
};

/* Add those present in dir (NULL: none) that are not listed yet. */
void vendor_scan(struct vendor_files *, const char *dir);
void vendor_files_free(struct vendor_files *);

#endif
