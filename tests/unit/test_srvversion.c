#include "tests/unit/unit.h"
#include "dsmcert/trust/srvversion.h"

static int
current(const char *s)
{
	struct srvversion v;

	ck_assert_msg(srvversion_parse(s, &v) == 0, "%s should parse", s);
	return srvversion_current(&v);
}

START_TEST(vendor_spellings)
{
	struct srvversion v;

	ck_assert_int_eq(srvversion_parse("8.1.2", &v), 0);
	ck_assert_uint_eq(v.v[0], 8);
	ck_assert_uint_eq(v.v[1], 1);
	ck_assert_uint_eq(v.v[2], 2);
	ck_assert_uint_eq(v.v[3], 0);
	ck_assert_int_eq(srvversion_parse("V8.1.2", &v), 0);
	ck_assert_uint_eq(v.v[2], 2);
	ck_assert_int_eq(srvversion_parse("v7.1.8", &v), 0);
	ck_assert_int_eq(srvversion_parse("8.1.14.000", &v), 0);
	ck_assert_uint_eq(v.v[2], 14);
	ck_assert_int_eq(srvversion_parse("7.1.8.300", &v), 0);
	ck_assert_uint_eq(v.v[3], 300);
}
END_TEST

START_TEST(garbage_refused)
{
	static const char *bad[] = {
		"", "V", "8", "8.1", "8.1.", ".8.1.2", "8..1.2", "8.1.2.3.4",
		"8.1.2 ", " 8.1.2", "8.1.x", "8,1,2", "VV8.1.2", "-8.1.2",
		"8.1.+2", "999999.1.2", "8.1.2a", "latest", "8.1.2\n",
		"4294967296.1.1",
	};
	struct srvversion v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(srvversion_parse(bad[i], &v) == -1,
		    "'%s' should be refused", bad[i]);
	ck_assert_int_eq(srvversion_parse(NULL, &v), -1);
}
END_TEST

START_TEST(current_boundaries)
{
	ck_assert_int_eq(current("7.1.7"), 0);
	ck_assert_int_eq(current("7.1.7.999"), 0);
	ck_assert_int_eq(current("7.1.8"), 1);
	ck_assert_int_eq(current("7.1.8.300"), 1);
	ck_assert_int_eq(current("7.1.10"), 1);
	ck_assert_int_eq(current("7.2.0"), 1);
	ck_assert_int_eq(current("7.99.99"), 1);
	ck_assert_int_eq(current("8.0.0"), 0);
	ck_assert_int_eq(current("8.1.0"), 0);
	ck_assert_int_eq(current("8.1.1"), 0);
	ck_assert_int_eq(current("8.1.1.100"), 0);
	ck_assert_int_eq(current("V8.1.2"), 1);
	ck_assert_int_eq(current("8.1.14.000"), 1);
	ck_assert_int_eq(current("8.2.0"), 1);
	ck_assert_int_eq(current("9.0.0"), 1);
	ck_assert_int_eq(current("6.4.3"), 0);
	ck_assert_int_eq(current("7.1.6"), 0);
}
END_TEST

START_TEST(ordering)
{
	struct srvversion a, b;

	srvversion_parse("8.1.14", &a);
	srvversion_parse("8.1.2.999", &b);
	ck_assert_int_gt(srvversion_cmp(&a, &b), 0);
	ck_assert_int_lt(srvversion_cmp(&b, &a), 0);
	srvversion_parse("V8.1.14.000", &b);
	ck_assert_int_eq(srvversion_cmp(&a, &b), 0);
}
END_TEST

Suite *
srvversion_suite(void)
{
	Suite *s = suite_create("srvversion");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, vendor_spellings);
	tcase_add_test(tc, garbage_refused);
	tcase_add_test(tc, current_boundaries);
	tcase_add_test(tc, ordering);
	suite_add_tcase(s, tc);
	return s;
}
