#ifndef DSMCERT_CLI_H
#define DSMCERT_CLI_H

#include <stddef.h>
#include <stdio.h>

/*
 * The parsed command line. String flags point into argv. One table of
 * flags (flags.c) drives parsing and -help; one table of commands
 * (commands.c) dispatches to the cmd_* functions.
 */
struct opts {
	const struct command *cmd;
	const char *cmdarg;	/* "-gen csr", "-ca create" */

	/* location of things */
	const char *db, *pwfile, *config, *optfile;
	/* certificates */
	const char *server, *file, *label, *out;
	int replace, force, prune;
	/* option files */
	/* trust against a live server */
	const char *host, *port, *timeout, *pin, *clientlabel;
	int online;
	/* monitoring */
	const char *prom;
	/* identity and CA */
	const char *chain, *ca, *subject, *days, *keytype;
	const char *country, *state, *city, *org, *hostname, *orgunit;
	const char *email, *san, *eku;
	const char *pkcs12, *pkcs11, *token, *id, *pinfile;
	/* one certificate in full, changed in place */
	const char *trust, *to, *newpwfile, *renew;
	/* output */
	int json, dryrun, quiet, verbose, help;

	char **pos;		/* positional words, in order */
	int npos;
};

enum flag_type { FLAG_BOOL, FLAG_ARG };

struct flag {
	const char *name;	/* matched without case, after - or -- */
	enum flag_type type;
	size_t off;		/* into struct opts */
	const char *arg;	/* metavariable for -help */
	const char *help;
};

struct command {
	const char *name;
	int (*fn)(struct opts *);
	const char *cmdarg;	/* metavariable when the command takes one */
	const char *flags;	/* flags it accepts, blank-separated */
	int maxpos;		/* positional words it takes; -1: any */
	const char *usage;	/* synopsis after "dsmcert " */
	const char *summary;
};

extern const struct flag flags[];
extern const size_t nflags;
extern const struct command commands[];
extern const size_t ncommands;

/* Flags every command accepts. */
#define GLOBAL_FLAGS "db pwfile config json q v help"

int cli_parse(int argc, char **argv, struct opts *o);
const struct command *cli_command(const char *name);
const struct flag *cli_flag(const char *name);
int cli_accepts(const struct command *c, const char *flag);
void cli_usage(const struct command *c);
/* The commands and the flags every command takes (-help). */
void cli_help(FILE *);

/* Commands. */
int cmd_add(struct opts *);
int cmd_list(struct opts *);
int cmd_delete(struct opts *);
int cmd_export(struct opts *);
int cmd_where(struct opts *);
int cmd_query(struct opts *);
int cmd_setopt(struct opts *);
int cmd_unsetopt(struct opts *);
int cmd_help(struct opts *);
int cmd_version(struct opts *);
int cmd_verify(struct opts *);
int cmd_fetch(struct opts *);
int cmd_gen(struct opts *);
int cmd_ca(struct opts *);
int cmd_sign(struct opts *);
int cmd_receive(struct opts *);
int cmd_import(struct opts *);
int cmd_export_pkcs12(struct opts *);
int cmd_policy(struct opts *);
int cmd_configure(struct opts *);
int cmd_check(struct opts *);
int cmd_show(struct opts *);
int cmd_modify(struct opts *);
int cmd_rename(struct opts *);
int cmd_passwd(struct opts *);

/*
 * Does the command line name this command? For errors met before the
 * command runs: -check answers even a usage error in its own terms.
 */
int cli_names(int argc, char **argv, const char *command);

#endif
