#include <stdio.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/version.h"

static void
print_flag(FILE *f, const struct flag *fl)
{
	char left[40];

	if (fl->type == FLAG_ARG)
		snprintf(left, sizeof(left), "-%s %s", fl->name, fl->arg);
	else
		snprintf(left, sizeof(left), "-%s", fl->name);
	fprintf(f, "  %-22s %s\n", left, fl->help);
}

/* Usage of one command: synopsis and the help of each flag it takes. */
void
cli_usage(const struct command *c)
{
	printf("usage: dsmcert %s\n  %s\n\n", c->usage, c->summary);
	for (size_t i = 0; i < nflags; i++)
		if (cli_accepts(c, flags[i].name))
			print_flag(stdout, &flags[i]);
}

void
cli_help(FILE *f)
{
	fprintf(f, "usage: dsmcert -COMMAND [flags]\n\n"
	    "Manage the TLS trust of backup clients: the shared NSS key "
	    "database\nand the nodes' option files.\n\ncommands:\n");
	for (size_t i = 0; i < ncommands; i++)
		fprintf(f, "  -%-12s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f, "\nflags every command takes:\n");
	for (size_t i = 0; i < nflags; i++) {
		const struct command none = { .flags = "" };

		if (cli_accepts(&none, flags[i].name))
			print_flag(f, &flags[i]);
	}
	fprintf(f, "\ndsmcert -COMMAND -help shows a command's flags; "
	    "man dsmcert has the rest.\n");
}

int
cmd_help(struct opts *o)
{
	if (o->npos > 0) {
		const char *name = o->pos[0];
		const struct command *c;

		name += strspn(name, "-");
		if ((c = cli_command(name)) == NULL) {
			msg_error("no such command: %s", o->pos[0]);
			return EXIT_USAGE;
		}
		cli_usage(c);
		return EXIT_OK;
	}
	cli_help(stdout);
	return EXIT_OK;
}

int
cmd_version(struct opts *o)
{
	(void)o;
	printf("dsmcert %s\n", dsmcert_version);
	return EXIT_OK;
}
