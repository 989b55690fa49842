#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/cli.h"
#include "dsmcert/db.h"
#include "dsmcert/exitcode.h"
#include "dsmcert/msg.h"

static int
parse(struct opts *o, const char *const *words)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"dsmcert";
	for (; *words != NULL; words++)
		argv[argc++] = (char *)*words;
	argv[argc] = NULL;
	return cli_parse(argc, argv, o);
}

START_TEST(vendor_syntax)
{
	const char *w[] = { "-add", "-server", "SERVER1", "-file",
	    "cert256.arm", NULL };
	struct opts o;

	ck_assert_int_eq(parse(&o, w), EXIT_OK);
	ck_assert_str_eq(o.cmd->name, "add");
	ck_assert_str_eq(o.server, "SERVER1");
	ck_assert_str_eq(o.file, "cert256.arm");
	free(o.pos);
}
END_TEST

START_TEST(case_and_order_and_long)
{
	const char *w[] = { "-FILE", "x.pem", "--Replace", "--server=S",
	    "-ADD", NULL };
	struct opts o;

	ck_assert_int_eq(parse(&o, w), EXIT_OK);
	ck_assert_str_eq(o.cmd->name, "add");
	ck_assert_str_eq(o.file, "x.pem");
	ck_assert_str_eq(o.server, "S");
	ck_assert_int_eq(o.replace, 1);
	free(o.pos);
}
END_TEST

START_TEST(usage_errors)
{
	const char *unknown[] = { "-add", "-bogus", NULL };
	const char *two[] = { "-add", "-delete", NULL };
	const char *missing[] = { "-add", "-file", NULL };
	const char *foreign[] = { "-list", "-replace", NULL };
	const char *none[] = { "-server", "X", NULL };
	const char *extra[] = { "-list", "stray", NULL };
	const char *boolval[] = { "-add", "-force=yes", NULL };
	struct opts o;

	msg_quiet = 1;
	ck_assert_int_eq(parse(&o, unknown), EXIT_USAGE);
	free(o.pos);
	ck_assert_int_eq(parse(&o, two), EXIT_USAGE);
	free(o.pos);
	ck_assert_int_eq(parse(&o, missing), EXIT_USAGE);
	free(o.pos);
	ck_assert_int_eq(parse(&o, foreign), EXIT_USAGE);
	free(o.pos);
	ck_assert_int_eq(parse(&o, none), EXIT_USAGE);
	free(o.pos);
	ck_assert_int_eq(parse(&o, extra), EXIT_USAGE);
	free(o.pos);
	ck_assert_int_eq(parse(&o, boolval), EXIT_USAGE);
	free(o.pos);
}
END_TEST

START_TEST(help_anywhere)
{
	const char *w[] = { "-add", "-help", NULL };
	const char *help[] = { "-help", NULL };
	const char *bare[] = { NULL };
	struct opts o;

	ck_assert_int_eq(parse(&o, w), EXIT_OK);
	ck_assert_int_eq(o.help, 1);
	ck_assert_str_eq(o.cmd->name, "add");
	free(o.pos);
	ck_assert_int_eq(parse(&o, help), EXIT_OK);
	ck_assert_str_eq(o.cmd->name, "help");
	free(o.pos);
	/* No words at all is a mistake, not a request for help. */
	ck_assert_int_eq(parse(&o, bare), EXIT_USAGE);
	ck_assert_ptr_null(o.cmd);
	free(o.pos);
}
END_TEST

/* Every flag a command accepts exists in the flag table. */
START_TEST(tables_agree)
{
	for (size_t i = 0; i < ncommands; i++) {
		const char *p = commands[i].flags;

		while (*p) {
			char name[64];
			size_t n = strcspn(p, " ");

			ck_assert_uint_lt(n, sizeof(name));
			memcpy(name, p, n);
			name[n] = '\0';
			ck_assert_msg(cli_flag(name) != NULL,
			    "-%s of -%s is not in the flag table", name,
			    commands[i].name);
			p += n;
			p += strspn(p, " ");
		}
		for (size_t j = i + 1; j < ncommands; j++)
			ck_assert_str_ne(commands[i].name, commands[j].name);
	}
	for (size_t i = 0; i < nflags; i++)
		for (size_t j = i + 1; j < nflags; j++)
			ck_assert_str_ne(flags[i].name, flags[j].name);
}
END_TEST

START_TEST(names)
{
	msg_quiet = 1;
	ck_assert_int_eq(valid_name("label", "SERVER1"), 1);
	ck_assert_int_eq(valid_name("label", "SERVER1 #2"), 1);
	ck_assert_int_eq(valid_name("label", "a:b"), 0);
	ck_assert_int_eq(valid_name("label", ""), 0);
	ck_assert_int_eq(valid_name("label", "tab\there"), 0);
	ck_assert_int_eq(valid_name("label", " lead"), 0);
}
END_TEST

Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, vendor_syntax);
	tcase_add_test(tc, case_and_order_and_long);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, help_anywhere);
	tcase_add_test(tc, tables_agree);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}
