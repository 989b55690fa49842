#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

int
cmd_delete(struct opts *o)
{
	(void)o;
	msg_error("-delete is not implemented yet");
	return EXIT_USAGE;
}
