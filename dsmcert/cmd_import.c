#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

int
cmd_import(struct opts *o)
{
	(void)o;
	msg_error("-import: not yet");
	return EXIT_USAGE;
}

int
cmd_export_pkcs12(struct opts *o)
{
	(void)o;
	msg_error("-export -pkcs12: not yet");
	return EXIT_USAGE;
}
