#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

int
cmd_add(struct opts *o)
{
	(void)o;
	msg_error("-add is not implemented yet");
	return EXIT_USAGE;
}
