#ifndef DSMCERT_INISCAN_H
#define DSMCERT_INISCAN_H

#include <stddef.h>

/*
 * The shape of an INI file, read line by line beside iniparser, which
 * lower-cases section names, merges repeated sections and keys without a
 * word, and keeps no line numbers. Values are left to iniparser.
 */

struct ini_key {
	char *name;		/* lower-cased, as iniparser stores it */
	int line;
};

struct ini_section {
	char *name;		/* as written */
	int line;
	struct ini_key *keys;
	size_t nkeys;
};

struct ini_scan {
	struct ini_section *v;
	size_t n;
};

/* Longest line accepted; iniparser refuses lines of 1024 and more. */
#define INISCAN_MAXLINE 1000
/* Largest file accepted. */
#define INISCAN_MAXSIZE (1024 * 1024)

/*
 * Scan path. 0 on success; -1 with a message in err ("path:line: why").
 * Refused: a file that is not a regular file or is too large, NUL or
 * other control bytes, over-long lines, a key before the first section,
 * a line that is neither a section, a key = value nor a comment, a line
 * ending in a backslash (iniparser would join it to the next), a section
 * name empty or holding ':' or repeated (without case), a key repeated
 * within its section.
 */
int iniscan_file(const char *path, struct ini_scan *out, char *err,
    size_t errsz);
void iniscan_free(struct ini_scan *);

#endif
