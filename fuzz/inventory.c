#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dsmcert/trust/inventory.h"

/*
 * libFuzzer target over the inventory loader: iniparser underneath, our
 * checks of every section and key on top. It reads a file, so each input
 * is written to one temporary file first. Accepted or refused, it must
 * never crash, and a refusal must say why.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/dsmcert-fuzz-inventory.XXXXXX";
	static int fd = -1;
	struct inventory inv;

	if (fd < 0 && (fd = mkstemp(path)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	if (inventory_load(path, &inv) == 0) {
		for (size_t i = 0; i < inv.nnodes; i++)
			if (inv.nodes[i].name == NULL)
				abort();
		inventory_free(&inv);
	} else if (inventory_error()[0] == '\0') {
		abort();
	}
	return 0;
}
