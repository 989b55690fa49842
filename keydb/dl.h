#ifndef DSMCERT_KEYDB_DL_H
#define DSMCERT_KEYDB_DL_H

#include <stddef.h>

/*
 * Libraries that only some commands use are loaded by those commands:
 * linked in, each would cost every run its loading and its pages.
 * Private to keydb/; free of NSS's headers, which p11helper.c cannot
 * include.
 *
 * kd_dlload() loads soname unless *lib is loaded already, and looks up
 * names[0..n) into table, a struct of n function pointers in the same
 * order. It returns NULL when done, else why not (a static buffer),
 * with *lib and table left empty.
 */
const char *kd_dlload(void **lib, const char *soname,
    const char *const names[], size_t n, void *table);

#define KD_NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
