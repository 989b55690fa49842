#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "dsmcert/optcache.h"

/*
 * The run-wide cache of parsed option files: one parse for every node on
 * the same file, and never a file mistaken for another.
 */

static char dir[64];

static void
path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void
put(const char *name, const char *text)
{
	char p[128];
	FILE *fp;

	path(p, sizeof(p), name);
	fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(one_parse_per_file)
{
	struct optcache c = { NULL, 0 };
	struct optfile *a, *b, *o, *dot, *other;
	char p[128], q[128], r[128], tmp[128];
	char cmd[160];

	strcpy(dir, "/tmp/optcache-unit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put("dsm.sys", "SErvername a\n TCPPort 1500\nSErvername b\n");
	put("other.sys", "SErvername a\n");
	path(p, sizeof(p), "dsm.sys");
	snprintf(q, sizeof(q), "%s/./dsm.sys", dir);
	path(r, sizeof(r), "other.sys");

	ck_assert_int_eq(optcache_load(&c, p, OPTFILE_SYS, &a), OPTFILE_OK);
	ck_assert_int_eq(optcache_load(&c, p, OPTFILE_SYS, &b), OPTFILE_OK);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(a->nstanzas, 2);
	/* Read as the other kind, it is another parse. */
	ck_assert_int_eq(optcache_load(&c, p, OPTFILE_OPT, &o), OPTFILE_OK);
	ck_assert_ptr_ne(o, a);
	ck_assert_uint_eq(o->nstanzas, 0);
	/* Named otherwise, it keeps that name for its messages. */
	ck_assert_int_eq(optcache_load(&c, q, OPTFILE_SYS, &dot), OPTFILE_OK);
	ck_assert_ptr_ne(dot, a);
	ck_assert_str_eq(dot->path, q);
	ck_assert_int_eq(optcache_load(&c, r, OPTFILE_SYS, &other),
	    OPTFILE_OK);
	ck_assert_ptr_ne(other, a);
	ck_assert_uint_eq(other->nstanzas, 1);

	/* A file replaced under its name is read again. */
	path(tmp, sizeof(tmp), "new.sys");
	put("new.sys", "SErvername x\nSErvername y\nSErvername z\n");
	ck_assert_int_eq(rename(tmp, p), 0);
	ck_assert_int_eq(optcache_load(&c, p, OPTFILE_SYS, &b), OPTFILE_OK);
	ck_assert_ptr_ne(b, a);
	ck_assert_uint_eq(b->nstanzas, 3);

	/* A file that does not load is an error, and nothing is kept. */
	path(tmp, sizeof(tmp), "missing.sys");
	ck_assert_int_eq(optcache_load(&c, tmp, OPTFILE_SYS, &b), OPTFILE_EIO);
	ck_assert_ptr_null(b);
	ck_assert_uint_eq(c.n, 5);

	optcache_free(&c);
	ck_assert_uint_eq(c.n, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
optcache_suite(void)
{
	Suite *s = suite_create("optcache");
	TCase *tc = tcase_create("cache");

	tcase_add_test(tc, one_parse_per_file);
	suite_add_tcase(s, tc);
	return s;
}
