#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"

int
cmd_fetch(struct opts *o)
{
	(void)o;
	return EXIT_USAGE;
}
