#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"
#include "dsmcert/suggest.h"

/*
 * Vendor syntax: single-dash flags, case-insensitive, any order. A --long
 * spelling and --flag=value are accepted too. Words not starting with a
 * dash are positional. A word that names both a command and a flag
 * (-ca) is a flag when another command is present.
 */

const struct command *
cli_command(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (strcasecmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

const struct flag *
cli_flag(const char *name)
{
	for (size_t i = 0; i < nflags; i++)
		if (strcasecmp(flags[i].name, name) == 0)
			return &flags[i];
	return NULL;
}

/* Is flag in the blank-separated list? */
static int
in_list(const char *list, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncasecmp(p, flag, n) == 0)
			return 1;
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

int
cli_accepts(const struct command *c, const char *flag)
{
	return in_list(GLOBAL_FLAGS, flag) || in_list(c->flags, flag);
}

/* The name of a dashed word, without dashes and "=value"; NULL if none. */
static const char *
word_name(const char *w, char *buf, size_t bufsz, const char **value)
{
	size_t n;

	*value = NULL;
	if (w[0] != '-' || w[1] == '\0')
		return NULL;
	w += (w[1] == '-') ? 2 : 1;
	n = strcspn(w, "=");
	if (n == 0 || n >= bufsz)
		return NULL;
	memcpy(buf, w, n);
	buf[n] = '\0';
	if (w[n] == '=')
		*value = w + n + 1;
	return buf;
}

/* Is the word after argv[i] -help (the command's help, not its argument)? */
static int
help_next(int argc, char **argv, int i)
{
	char buf[64];
	const char *v, *name;

	if (i + 1 >= argc)
		return 0;
	name = word_name(argv[i + 1], buf, sizeof(buf), &v);
	return name != NULL && strcasecmp(name, "help") == 0;
}

static int
count_commands(int argc, char **argv)
{
	int n = 0;
	char buf[64];
	const char *v;

	for (int i = 1; i < argc; i++) {
		const char *name = word_name(argv[i], buf, sizeof(buf), &v);
		const struct command *c;
		const struct flag *f;

		/* -help is a command only alone: not counted here. */
		if (name == NULL || (c = cli_command(name)) == NULL ||
		    strcmp(c->name, "help") == 0)
			continue;
		n++;
		f = cli_flag(name);
		/* skip the argument of a command or dual word */
		if ((c->cmdarg != NULL || (f && f->type == FLAG_ARG)) &&
		    v == NULL && i + 1 < argc && !help_next(argc, argv, i))
			i++;
	}
	return n;
}

/*
 * Server names and labels are checked here, once, for every command:
 * a name that no import accepts must not select anything either
 * ("-delete -server $SRV" with SRV unset would otherwise match every
 * certificate imported without -server). The inventory's names are
 * checked where it is read (inventory.c).
 */
static int
not_empty(const char *flag, const char *v)
{
	if (v == NULL || *v != '\0')
		return 1;
	msg_error("%s must not be empty", flag);
	return 0;
}

/*
 * A label may select a certificate that certutil named (with any
 * character); a label that dsmcert gives is checked in full where it is
 * given (-add, -gen, -ca). Server names are dsmcert's own throughout.
 */
static int
names_ok(const struct opts *o)
{
	return (o->server == NULL || valid_name("server name", o->server)) &&
	    not_empty("-label", o->label) &&
	    not_empty("-clientlabel", o->clientlabel) &&
	    not_empty("-ca", o->ca);
}

int
cli_parse(int argc, char **argv, struct opts *o)
{
	int ncmd;
	char buf[64];

	memset(o, 0, sizeof(*o));
	o->pos = xcalloc((size_t)argc + 1, sizeof(char *));
	ncmd = count_commands(argc, argv);

	for (int i = 1; i < argc; i++) {
		const char *value;
		const char *name = word_name(argv[i], buf, sizeof(buf), &value);
		const struct command *c;
		const struct flag *f;

		if (name == NULL) {
			o->pos[o->npos++] = argv[i];
			continue;
		}
		c = cli_command(name);
		f = cli_flag(name);
		/* A dual word is a command only when nothing else is. */
		if (c != NULL && f != NULL && ncmd > (strcmp(c->name,
		    "help") == 0 ? 0 : 1))
			c = NULL;
		if (c != NULL) {
			if (o->cmd != NULL && o->cmd != c) {
				msg_error("two commands given: -%s and -%s",
				    o->cmd->name, c->name);
				msg_hint("give one command; see dsmcert -help");
				return EXIT_USAGE;
			}
			o->cmd = c;
			if (c->cmdarg != NULL) {
				/* "-gen -help" asks for -gen's help. */
				if (value == NULL && help_next(argc, argv, i))
					continue;
				if (value == NULL && i + 1 < argc)
					value = argv[++i];
				if (value == NULL) {
					msg_error("-%s needs %s", c->name,
					    c->cmdarg);
					return EXIT_USAGE;
				}
				o->cmdarg = value;
			} else if (value != NULL) {
				msg_error("-%s takes no value", c->name);
				return EXIT_USAGE;
			}
			continue;
		}
		if (f == NULL) {
			int iscmd = 0;
			const char *near = cli_suggest(name, &iscmd);

			msg_error("unknown flag: %s", argv[i]);
			if (near != NULL)
				msg_hint("did you mean the %s -%s? see dsmcert "
				    "-help", iscmd ? "command" : "flag", near);
			else
				msg_hint("see dsmcert -help");
			return EXIT_USAGE;
		}
		if (f->type == FLAG_BOOL) {
			if (value != NULL) {
				msg_error("-%s takes no value", f->name);
				return EXIT_USAGE;
			}
			*(int *)(void *)((char *)o + f->off) = 1;
			continue;
		}
		if (value == NULL) {
			if (i + 1 >= argc) {
				msg_error("-%s needs %s", f->name, f->arg);
				return EXIT_USAGE;
			}
			value = argv[++i];
		}
		*(const char **)(void *)((char *)o + f->off) = value;
	}

	if (o->cmd == NULL) {
		if (o->help) {
			o->cmd = cli_command("help");
			return EXIT_OK;
		}
		/*
		 * A script that runs dsmcert with an empty argument list has
		 * a bug; succeeding would hide it.
		 */
		if (argc == 1) {
			cli_help(stderr);
			return EXIT_USAGE;
		}
		msg_error("no command given");
		msg_hint("dsmcert -help lists the commands");
		return EXIT_USAGE;
	}
	if (o->help)
		return EXIT_OK;

	/* Every flag given must belong to the command. */
	for (int i = 1; i < argc; i++) {
		const char *value;
		const char *name = word_name(argv[i], buf, sizeof(buf), &value);
		const struct flag *f;

		if (name == NULL || (f = cli_flag(name)) == NULL)
			continue;
		if (cli_command(name) == o->cmd && o->cmd->cmdarg != NULL &&
		    !cli_accepts(o->cmd, name))
			continue;
		if (!cli_accepts(o->cmd, f->name)) {
			msg_error("-%s does not apply to -%s", f->name,
			    o->cmd->name);
			msg_hint("dsmcert -%s -help shows its flags",
			    o->cmd->name);
			return EXIT_USAGE;
		}
	}
	if (o->cmd->maxpos >= 0 && o->npos > o->cmd->maxpos) {
		msg_error("unexpected argument: %s", o->pos[o->cmd->maxpos]);
		msg_hint("usage: dsmcert %s", o->cmd->usage);
		return EXIT_USAGE;
	}
	return names_ok(o) ? EXIT_OK : EXIT_USAGE;
}

int
cli_names(int argc, char **argv, const char *command)
{
	char buf[64];
	const char *v;

	for (int i = 1; i < argc; i++) {
		const char *name = word_name(argv[i], buf, sizeof(buf), &v);
		const struct flag *f;

		if (name == NULL)
			continue;
		if (strcasecmp(name, command) == 0)
			return 1;
		/* A flag's value is not a command, whatever it says. */
		f = cli_flag(name);
		if (f != NULL && f->type == FLAG_ARG && v == NULL)
			i++;
	}
	return 0;
}
