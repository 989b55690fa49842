#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

int
cmd_list(struct opts *o)
{
	(void)o;
	msg_error("-list is not implemented yet");
	return EXIT_USAGE;
}
