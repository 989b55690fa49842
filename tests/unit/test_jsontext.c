#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/render.h"

static void
converts(const char *in, const char *want)
{
	char *got = json_utf8(in);
	json_t *j = json_text(in);

	ck_assert_str_eq(got, want);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(j), want);
	json_decref(j);
	free(got);
}

/* Valid UTF-8 is kept byte for byte. */
START_TEST(utf8_kept)
{
	converts("", "");
	converts("plain", "plain");
	converts("M\xc3\xbcller", "M\xc3\xbcller");
	converts("\xe2\x82\xac \xf0\x9f\x94\x92",
	    "\xe2\x82\xac \xf0\x9f\x94\x92");
	converts("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
	ck_assert_ptr_null(json_text(NULL));
}
END_TEST

/* Every other byte is read as latin-1. */
START_TEST(latin1_bytes)
{
	converts("M\xfcller", "M\xc3\xbcller");
	converts("\xe4\xf6\xfc", "\xc3\xa4\xc3\xb6\xc3\xbc");
	converts("\x80\xff", "\xc2\x80\xc3\xbf");
	/* A sequence cut short: its lead byte, then what follows. */
	converts("a\xc3", "a\xc3\x83");
	converts("\xe2\x82x", "\xc3\xa2\xc2\x82x");
	/* Overlong forms, surrogates, beyond U+10FFFF: byte by byte. */
	converts("\xc0\xaf", "\xc3\x80\xc2\xaf");
	converts("\xe0\x80\xaf", "\xc3\xa0\xc2\x80\xc2\xaf");
	converts("\xed\xa0\x80", "\xc3\xad\xc2\xa0\xc2\x80");
	converts("\xf4\x90\x80\x80", "\xc3\xb4\xc2\x90\xc2\x80\xc2\x80");
	/* Latin-1 beside UTF-8 in one string. */
	converts("\xfc \xc3\xbc", "\xc3\xbc \xc3\xbc");
}
END_TEST

Suite *
jsontext_suite(void)
{
	Suite *s = suite_create("jsontext");
	TCase *tc = tcase_create("rule");

	tcase_add_test(tc, utf8_kept);
	tcase_add_test(tc, latin1_bytes);
	suite_add_tcase(s, tc);
	return s;
}
