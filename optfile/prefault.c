#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "optfile/internal.h"

/*
 * A buffer that is about to be written whole (a file's bytes, its lines)
 * is faulted in with one call instead of one page fault per page: on a
 * virtual machine the faults of a 100,000-line dsm.sys cost more than
 * parsing it. Only a hint: before Linux 5.14, or elsewhere, nothing
 * happens and the pages fault in as they are written.
 */
void
of_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)p + pg - 1) & ~(pg - 1);
	uintptr_t to = ((uintptr_t)p + n) & ~(pg - 1);

	/* Small buffers come from the heap, mostly faulted in already. */
	if (n >= OF_PREFAULT_MIN && to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}
