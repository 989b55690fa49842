#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/version.h"

START_TEST(version_is_set)
{
	ck_assert_ptr_nonnull(dsmcert_version);
	ck_assert_int_gt(strlen(dsmcert_version), 0);
}
END_TEST

Suite *
smoke_suite(void)
{
	Suite *s = suite_create("smoke");
	TCase *tc = tcase_create("version");

	tcase_add_test(tc, version_is_set);
	suite_add_tcase(s, tc);
	return s;
}
