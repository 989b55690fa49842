#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

int
cmd_export(struct opts *o)
{
	(void)o;
	msg_error("-export is not implemented yet");
	return EXIT_USAGE;
}
