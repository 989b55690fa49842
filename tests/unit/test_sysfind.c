#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "dsmcert/sysfind.h"
#include "dsmcert/suggest.h"

/*
 * Where dsm.sys is looked for, by the node's kind: the order, the
 * reasons, which exist, and the first that does.
 */

static char dir[PATH_MAX / 4];

static void
touch(const char *sub)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, sub);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fclose(f);
}

static void
sub(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

START_TEST(candidates_by_kind)
{
	char envd[PATH_MAX / 2], inst[PATH_MAX / 2], opt[PATH_MAX / 2];
	char want[PATH_MAX];
	struct sysfind f;
	char cmd[PATH_MAX + 16];
	static const struct {
		enum sysfind_kind kind;
		const char *env;	/* the variable for this kind */
		const char *other;	/* the other kind's: never looked at */
		const char *test;	/* the installation directory's */
	} t[] = {
		{ SYSFIND_CLIENT, "DSM_DIR", "DSMI_DIR",
		    "DSMCERT_TEST_CLIENT_DIR" },
		{ SYSFIND_API, "DSMI_DIR", "DSM_DIR",
		    "DSMCERT_TEST_API_DIR" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		snprintf(dir, sizeof(dir), "%s/sysfind.XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		ck_assert_ptr_nonnull(mkdtemp(dir));
		sub(envd, sizeof(envd), "env");
		sub(inst, sizeof(inst), "inst");
		sub(opt, sizeof(opt), "opt/dsm.opt");
		ck_assert_int_eq(mkdir(envd, 0700) | mkdir(inst, 0700), 0);
		snprintf(want, sizeof(want), "%s/opt", dir);
		ck_assert_int_eq(mkdir(want, 0700), 0);
		setenv(t[i].env, envd, 1);
		setenv(t[i].other, "/nonexistent-other", 1);
		setenv(t[i].test, inst, 1);

		/* None exists: all three, in order, none found. */
		sysfind_candidates(t[i].kind, opt, &f);
		ck_assert_int_eq(f.n, 3);
		snprintf(want, sizeof(want), "%s/dsm.sys", envd);
		ck_assert_str_eq(f.path[0], want);
		ck_assert_ptr_nonnull(strstr(f.why[0], t[i].env));
		snprintf(want, sizeof(want), "%s/dsm.sys", inst);
		ck_assert_str_eq(f.path[1], want);
		ck_assert_ptr_nonnull(strstr(f.why[1], "installation"));
		snprintf(want, sizeof(want), "%s/opt/dsm.sys", dir);
		ck_assert_str_eq(f.path[2], want);
		ck_assert_str_eq(f.why[2], "beside dsm.opt");
		ck_assert_int_eq(sysfind_first(&f), -1);
		sysfind_free(&f);

		/* Beside dsm.opt, then the installation, then the variable. */
		touch("opt/dsm.sys");
		sysfind_candidates(t[i].kind, opt, &f);
		ck_assert_int_eq(sysfind_first(&f), 2);
		sysfind_free(&f);
		touch("inst/dsm.sys");
		sysfind_candidates(t[i].kind, opt, &f);
		ck_assert_int_eq(sysfind_first(&f), 1);
		sysfind_free(&f);
		touch("env/dsm.sys");
		sysfind_candidates(t[i].kind, opt, &f);
		ck_assert_int_eq(sysfind_first(&f), 0);
		sysfind_free(&f);

		/* Without the variable: two places. */
		unsetenv(t[i].env);
		sysfind_candidates(t[i].kind, opt, &f);
		ck_assert_int_eq(f.n, 2);
		ck_assert_int_eq(sysfind_first(&f), 0);
		sysfind_free(&f);

		/* The same file twice is looked in once. */
		snprintf(want, sizeof(want), "%s/opt", dir);
		setenv(t[i].env, want, 1);
		sysfind_candidates(t[i].kind, opt, &f);
		ck_assert_int_eq(f.n, 2);
		sysfind_free(&f);

		unsetenv(t[i].env);
		unsetenv(t[i].other);
		unsetenv(t[i].test);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

START_TEST(did_you_mean)
{
	static const struct {
		const char *word, *want;	/* NULL: no guess */
		int command;
	} t[] = {
		{ "-lsit", "list", 1 },
		{ "--lsit", "list", 1 },
		{ "dry-run", "dryrun", 0 },
		{ "-confgure", "configure", 1 },
		{ "-jsn", "json", 0 },
		{ "-xyzzy", NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		int cmd = -1;
		const char *got = cli_suggest(t[i].word, &cmd);

		if (t[i].want == NULL) {
			ck_assert_msg(got == NULL, "%s: %s", t[i].word, got);
			continue;
		}
		ck_assert_msg(got != NULL && strcmp(got, t[i].want) == 0,
		    "%s: %s", t[i].word, got ? got : "(none)");
		ck_assert_int_eq(cmd, t[i].command);
	}
}
END_TEST

Suite *
sysfind_suite(void)
{
	Suite *s = suite_create("sysfind");
	TCase *tc = tcase_create("sysfind");

	tcase_add_test(tc, candidates_by_kind);
	tcase_add_test(tc, did_you_mean);
	suite_add_tcase(s, tc);
	return s;
}
