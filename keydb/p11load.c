#include <dlfcn.h>

#include "keydb/keydb.h"
#include "keydb/p11helper.h"
#include "keydb/p11load.h"

/*
 * libpkcs11-helper, and the libcrypto it pulls in, are loaded only when
 * a token is read: linked in, they cost every command about 2 ms of
 * start-up and 1.6 MiB (bench/README), for a feature most runs never
 * use. It is not part of NSS; NSS's own libraries are linked as usual.
 */
#define HELPER_SONAME "libpkcs11-helper.so.1"

struct p11h p11h;

int
p11h_load(void)
{
	static const char *const names[] = {
#define X(f) "pkcs11h_" #f,
		P11H_FUNCS
#undef X
	};
	static void *lib;
	void **slot = (void **)&p11h;

	if (lib != NULL)
		return KEYDB_OK;
	if ((lib = dlopen(HELPER_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return kd_fail(KEYDB_EDB, "cannot load %s: %s (needed for "
		    "PKCS#11 tokens)", HELPER_SONAME, dlerror());
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((slot[i] = dlsym(lib, names[i])) == NULL) {
			dlclose(lib);
			lib = NULL;
			return kd_fail(KEYDB_EDB, "%s has no %s", HELPER_SONAME,
			    names[i]);
		}
	return KEYDB_OK;
}
