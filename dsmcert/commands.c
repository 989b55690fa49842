#include <stddef.h>

#include "dsmcert/cli.h"

/* Every command, once: dispatch and -help both read this table. */
const struct command commands[] = {
	{ "add", cmd_add, NULL, "server file label replace force", 0,
	    "-add [-server NAME] -file PATH [-label L] [-replace] [-force]",
	    "import the certificate(s) in PATH, for server NAME or as CA roots" },
	{ "list", cmd_list, NULL, "server label", 0,
	    "-list [-server NAME] [-label L] [-json]",
	    "list the certificates in the key database" },
	{ "delete", cmd_delete, NULL, "server label", 0,
	    "-delete -label L | -delete -server NAME",
	    "remove a certificate, or all of a server's" },
	{ "export", cmd_export, NULL, "label file", 0,
	    "-export -label L -file OUT",
	    "write a certificate as PEM" },
	{ "where", cmd_where, NULL, "optfile server", 0,
	    "-where [-json]",
	    "print the key database and option files in use, and why" },
	{ "help", cmd_help, NULL, "", -1,
	    "-help [COMMAND]",
	    "print help" },
	{ "version", cmd_version, NULL, "", 0,
	    "-version",
	    "print the version" },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);
