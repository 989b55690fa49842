#include <stdlib.h>
#include <time.h>

#include "dsmcert/check.h"
#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/trust/days.h"

int
main(int argc, char **argv)
{
	struct opts o;
	int rc;

	/* The one clock: every part of the command sees this time. */
	clock_start((int64_t)time(NULL));

	rc = cli_parse(argc, argv, &o);
	if (rc != EXIT_OK && cli_names(argc, argv, "check"))
		rc = check_refused();
	else if (rc == EXIT_OK) {
		msg_quiet = o.quiet;
		msg_verbose = o.verbose;
		if (o.help && o.cmd->fn != cmd_help) {
			cli_usage(o.cmd);
			rc = EXIT_OK;
		} else {
			rc = o.cmd->fn(&o);
		}
	}
	free(o.pos);
	return rc;
}
