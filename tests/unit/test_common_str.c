#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "keydb/keydb.h"
#include "optfile/optfile.h"
#include "tests/unit/unit.h"

/* One element at a time, as the callers append: values kept, room doubling. */
START_TEST(grow_keeps_and_doubles)
{
	size_t *v = NULL, cap = 0, grew = 0;

	for (size_t n = 0; n < 10000; n++) {
		size_t before = cap;

		v = xgrow(v, &cap, n + 1, sizeof(*v));
		ck_assert_uint_ge(cap, n + 1);
		if (cap != before) {
			grew++;
			ck_assert(before == 0 || cap == 2 * before);
		}
		v[n] = n * 7;
	}
	for (size_t n = 0; n < 10000; n++)
		ck_assert_uint_eq(v[n], n * 7);
	/* 8, 16, ..., 16384: 12 reallocations for 10000 elements. */
	ck_assert_uint_eq(grew, 12);
	ck_assert_uint_eq(cap, 16384);
	free(v);
}
END_TEST

/* Room enough already: the same array, the same room. */
START_TEST(grow_room_enough)
{
	size_t cap = 0;
	int *v = xgrow(NULL, &cap, 3, sizeof(*v));
	int *w;

	ck_assert_uint_eq(cap, 8);
	w = xgrow(v, &cap, 8, sizeof(*v));
	ck_assert_ptr_eq(w, v);
	ck_assert_uint_eq(cap, 8);
	w = xgrow(v, &cap, 100, sizeof(*v));
	ck_assert_uint_eq(cap, 128);
	free(w);
}
END_TEST

START_TEST(reallocarray_sizes)
{
	char *p = xreallocarray(NULL, 3, 4);

	memcpy(p, "abcdefghijk", 12);
	p = xreallocarray(p, 5, 4);
	ck_assert_int_eq(memcmp(p, "abcdefghijk", 12), 0);
	free(p);
	/* Zero elements is an allocation, not NULL. */
	p = xreallocarray(NULL, 0, 4);
	ck_assert_ptr_nonnull(p);
	free(p);
}
END_TEST

/* n * size past SIZE_MAX is no small allocation: it aborts. */
START_TEST(reallocarray_overflow_aborts)
{
	(void)xreallocarray(NULL, SIZE_MAX / 2 + 2, 2);
}
END_TEST

START_TEST(grow_overflow_aborts)
{
	size_t cap = 0;

	(void)xgrow(NULL, &cap, SIZE_MAX / 4, 8);
}
END_TEST

START_TEST(strndup_and_calloc)
{
	char *s = xstrndup("keydb/cert9.db", 5);
	unsigned char *z = xcalloc(16, 4);

	ck_assert_str_eq(s, "keydb");
	free(s);
	s = xstrndup("ab", 10);	/* shorter than n: the whole string */
	ck_assert_str_eq(s, "ab");
	free(s);
	s = xstrndup("ab", 0);
	ck_assert_str_eq(s, "");
	free(s);
	for (size_t i = 0; i < 64; i++)
		ck_assert_uint_eq(z[i], 0);
	free(z);
	z = xcalloc(0, 4);
	ck_assert_ptr_nonnull(z);
	free(z);
}
END_TEST

static const struct {
	const char *dir, *name, *want;
} joins[] = {
	{ "/etc/dsmcert/keydb", "cert9.db", "/etc/dsmcert/keydb/cert9.db" },
	{ "/etc/dsmcert/keydb/", "cert9.db", "/etc/dsmcert/keydb/cert9.db" },
	{ "/", "dsm.sys", "/dsm.sys" },
	{ "keydb", "key4.db", "keydb/key4.db" },
	{ ".", "x", "./x" },
	{ "", "x", "/x" },
	{ "/opt/tivoli", "", "/opt/tivoli/" },
};

START_TEST(path_joins)
{
	char *p = cm_path_join(joins[_i].dir, joins[_i].name);

	ck_assert_str_eq(p, joins[_i].want);
	free(p);
}
END_TEST

/* No length limit: a path longer than PATH_MAX is joined whole. */
START_TEST(path_join_long)
{
	size_t n = 10000;
	char *dir = xmalloc(n + 1), *p;

	memset(dir, 'd', n);
	dir[n] = '\0';
	p = cm_path_join(dir, "cert9.db");
	ck_assert_uint_eq(strlen(p), n + 1 + strlen("cert9.db"));
	ck_assert_str_eq(p + n, "/cert9.db");
	free(p);
	free(dir);
}
END_TEST

static int
fail_with(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = cm_vfail(status, fmt, ap);
	va_end(ap);
	return status;
}

/* One message channel: what one library wrote, both libraries read. */
START_TEST(one_channel)
{
	ck_assert_int_eq(fail_with(7, "%s: %d", "dsm.sys", 12), 7);
	ck_assert_str_eq(cm_error(), "dsm.sys: 12");
	ck_assert_int_eq(optfile_check_value(NULL, "a\nb", NULL),
	    OPTFILE_EVALUE);
	ck_assert_str_eq(optfile_error(),
	    "option: a value cannot hold a line break");
	ck_assert_str_eq(keydb_error(), optfile_error());
	ck_assert_str_eq(cm_error(), optfile_error());
}
END_TEST

Suite *
common_str_suite(void)
{
	Suite *s = suite_create("common_str");
	TCase *t = tcase_create("core");

	tcase_add_test(t, grow_keeps_and_doubles);
	tcase_add_test(t, grow_room_enough);
	tcase_add_test(t, reallocarray_sizes);
	tcase_add_test_raise_signal(t, reallocarray_overflow_aborts, SIGABRT);
	tcase_add_test_raise_signal(t, grow_overflow_aborts, SIGABRT);
	tcase_add_test(t, strndup_and_calloc);
	tcase_add_loop_test(t, path_joins, 0,
	    (int)(sizeof(joins) / sizeof(joins[0])));
	tcase_add_test(t, path_join_long);
	tcase_add_test(t, one_channel);
	suite_add_tcase(s, t);
	return s;
}
