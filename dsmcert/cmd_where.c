#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

int
cmd_where(struct opts *o)
{
	(void)o;
	msg_error("-where is not implemented yet");
	return EXIT_USAGE;
}
