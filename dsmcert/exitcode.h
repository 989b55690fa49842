#ifndef DSMCERT_EXITCODE_H
#define DSMCERT_EXITCODE_H

/* The exit codes are a contract with scripts and installers (dsmcert(1), EXIT STATUS). */
enum exitcode {
	EXIT_OK = 0,		/* done, or nothing to do */
	EXIT_USAGE = 1,		/* usage error */
	EXIT_INPUT = 2,		/* bad input file */
	EXIT_DB = 3,		/* key database error */
	EXIT_NOTFOUND = 4,	/* not found */
	EXIT_CONFLICT = 5,	/* conflict */
	EXIT_CHECK = 6,		/* a check failed */
};

/*
 * -check alone follows the monitoring plugin convention instead
 * (dsmcert(1), -check), so that Nagios, Icinga and their kin read it as is.
 */
enum check_status {
	CHECK_OK = 0,
	CHECK_WARNING = 1,
	CHECK_CRITICAL = 2,
	CHECK_UNKNOWN = 3,	/* it could not tell, usage errors included */
};

#endif
