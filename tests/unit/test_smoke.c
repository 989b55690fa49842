#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/version.h"

/*
 * The version the binary reports is the one in the VERSION file (the
 * tests run from the top of the tree), as NUMBER.NUMBER.NUMBER: a
 * VERSION changed without version.o rebuilt, or a build that defined
 * something else, fails here.
 */
START_TEST(version_is_the_version_file)
{
	char want[64] = "";
	unsigned a, b, c;
	int end = 0;
	FILE *f = fopen("VERSION", "r");

	ck_assert_msg(f != NULL, "no VERSION file: run from the top of the tree");
	ck_assert_ptr_nonnull(fgets(want, sizeof(want), f));
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	ck_assert_str_eq(dsmcert_version, want);
	ck_assert_msg(sscanf(dsmcert_version, "%u.%u.%u%n", &a, &b, &c, &end)
	    == 3 && dsmcert_version[end] == '\0', "\"%s\" is not N.N.N",
	    dsmcert_version);
}
END_TEST

Suite *
smoke_suite(void)
{
	Suite *s = suite_create("smoke");
	TCase *tc = tcase_create("version");

	tcase_add_test(tc, version_is_the_version_file);
	suite_add_tcase(s, tc);
	return s;
}
