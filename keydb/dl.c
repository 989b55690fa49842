#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "keydb/dl.h"

const char *
kd_dlload(void **lib, const char *soname, const char *const names[],
    size_t n, void *table)
{
	static char why[512];
	void **slot = table;

	if (*lib != NULL)
		return NULL;
	if ((*lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(why, sizeof(why), "cannot load %s: %s", soname,
		    dlerror());
		return why;
	}
	for (size_t i = 0; i < n; i++)
		if ((slot[i] = dlsym(*lib, names[i])) == NULL) {
			snprintf(why, sizeof(why), "%s has no %s", soname,
			    names[i]);
			memset(table, 0, n * sizeof(*slot));
			dlclose(*lib);
			*lib = NULL;
			return why;
		}
	return NULL;
}
