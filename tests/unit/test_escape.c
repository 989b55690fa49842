#include <string.h>

#include "tests/unit/unit.h"
#include "common/common.h"
#include "dsmcert/msg.h"

/* One table: what text output shows for a value from outside. */
static const struct {
	const char *in, *want;
} cases[] = {
	{ "", "" },
	{ "plain label", "plain label" },
	{ "a\x1b[2Jb", "a\\x1b[2Jb" },			/* ESC, C0 */
	{ "x\r\ny", "x\\x0d\\x0ay" },			/* CR LF */
	{ "t\x07\x7f", "t\\x07\\x7f" },			/* BEL, DEL */
	{ "c\xc2\x9b" "2J", "c\\xc2\\x9b2J" },		/* U+009B CSI */
	{ "c\xc2\x80\xc2\x9f", "c\\xc2\\x80\\xc2\\x9f" },	/* C1 ends */
	{ "\x9b" "2J", "\\x9b2J" },			/* 8-bit CSI */
	{ "M\xc3\xbcller \xe2\x82\xac", "M\xc3\xbcller \xe2\x82\xac" },
	{ "\xc2\xa0nbsp", "\xc2\xa0nbsp" },		/* U+00A0 is text */
	{ "M\xfcller", "M\xfcller" },			/* latin-1 kept */
};

START_TEST(escape_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(msg_esc(cases[i].in), cases[i].want);
	ck_assert_ptr_null(msg_esc(NULL));
}
END_TEST

/* Sixteen results stand together, as in one printf. */
START_TEST(escape_ring)
{
	const char *first = msg_esc("one\n");

	for (int i = 0; i < 14; i++)
		(void)msg_esc("other");
	ck_assert_str_eq(first, "one\\x0a");
}
END_TEST

/* The gate's temporary files, and nothing else, are swept. */
START_TEST(gate_temps)
{
	ck_assert_int_eq(cm_gate_is_temp(".dsmcert.servers.dsmcert.AbC123"), 1);
	ck_assert_int_eq(cm_gate_is_temp(".out.pem.dsmcert.zz9ZZ9"), 1);
	ck_assert_int_eq(cm_gate_is_temp("dsmcert.servers"), 0);
	ck_assert_int_eq(cm_gate_is_temp(".dsmcert.servers.dsmcert.AbC12"), 0);
	ck_assert_int_eq(cm_gate_is_temp(".x.dsmcert.AbC1234"), 0);
	ck_assert_int_eq(cm_gate_is_temp("cert9.db"), 0);
}
END_TEST

Suite *
escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");

	tcase_add_test(tc, escape_table);
	tcase_add_test(tc, escape_ring);
	tcase_add_test(tc, gate_temps);
	suite_add_tcase(s, tc);
	return s;
}
