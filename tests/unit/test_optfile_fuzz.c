#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "optfile/optfile.h"

/*
 * Inputs the fuzzer (fuzz/optfile.c) found crashing, kept in
 * tests/data/fuzz/ and run through the same checks: what parses renders
 * back byte for byte, and edits give a file that parses and renders the
 * same again.
 */

static void
same_render(const struct optfile *f, const char *want, size_t wlen)
{
	char *buf;
	size_t len;

	ck_assert_int_eq(optfile_render(f, &buf, &len), OPTFILE_OK);
	ck_assert(len == wlen && memcmp(buf, want, len) == 0);
	free(buf);
}

static void
run_one(const char *data, size_t size)
{
	enum optfile_kind kind = (data[0] & 1) ? OPTFILE_SYS : OPTFILE_OPT;
	struct optfile_edits e = { NULL, 0 };
	struct optfile *f = NULL, *g = NULL;
	const char *st;
	char *buf;
	size_t len;
	int n;

	if (optfile_parse("fuzz", kind, data + 1, size - 1, &f) != OPTFILE_OK)
		return;
	same_render(f, data + 1, size - 1);
	st = f->nstanzas > 0 ? f->stanzas[0].name : NULL;
	optfile_edits_set(&e, st, "SSL", "yes");
	optfile_edits_set(&e, st, "TCPPort", "1543");
	optfile_edits_unset(&e, st, "NODename");
	optfile_edits_set(&e, st, "VMCUSER", "\"a b\"");
	optfile_edits_set(&e, NULL, "DEFAULTServer", "x");
	if (optfile_apply(f, &e, &n) == OPTFILE_OK) {
		ck_assert_int_eq(optfile_render(f, &buf, &len), OPTFILE_OK);
		ck_assert_int_eq(optfile_parse("fuzz", kind, buf, len, &g),
		    OPTFILE_OK);
		same_render(g, buf, len);
		optfile_free(g);
		free(buf);
	}
	optfile_edits_free(&e);
	optfile_free(f);
}

START_TEST(fuzz_regressions)
{
	DIR *d = opendir("tests/data/fuzz");
	struct dirent *de;
	int count = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		char path[512], buf[65536];
		FILE *fp;
		size_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/data/fuzz/%s", de->d_name);
		ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		if (n > 0)
			run_one(buf, n);
		count++;
	}
	closedir(d);
	ck_assert_int_gt(count, 0);
}
END_TEST

/* The first one found: an edit of an empty dsm.opt. */
START_TEST(edit_of_an_empty_file)
{
	run_one(" ", 1);
	run_one("\001", 1);
}
END_TEST

Suite *
optfile_fuzz_suite(void)
{
	Suite *s = suite_create("optfile_fuzz");
	TCase *tc = tcase_create("regressions");

	tcase_add_test(tc, fuzz_regressions);
	tcase_add_test(tc, edit_of_an_empty_file);
	suite_add_tcase(s, tc);
	return s;
}
