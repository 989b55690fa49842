#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "common/common.h"

/*
 * common/: the whole-file and secret readers, the atomic write, the
 * ownership check of paths and the string map, each against tables of
 * cases, on real files in a temporary directory.
 */
static char dir[] = "/tmp/dsmcert-unit-common.XXXXXX";
static char path[4096];

static const char *
in_dir(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(in_dir(name), "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(in_dir(name), mode), 0);
}

/* The names in dir, but for those given, as one string. */
static void
others(char *buf, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	buf[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    strcmp(e->d_name, "f") != 0) {
			strncat(buf, e->d_name, len - strlen(buf) - 2);
			strcat(buf, " ");
		}
	closedir(d);
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/dsmcert-unit-common.XXXXXX");
}

/* cm_file_read: what each kind of path reads as. */
static const struct {
	const char *what;
	int kind;		/* 0 none, 1 file, 2 directory, 3 FIFO */
	const char *text;
	size_t max;
	int rc;
	int err;		/* errno, for CM_ERRNO */
} reads[] = {
	{ "a file", 1, "one\ntwo\n", 100, CM_OK, 0 },
	{ "an empty file", 1, "", 100, CM_OK, 0 },
	{ "a file of exactly max bytes", 1, "12345", 5, CM_OK, 0 },
	{ "a file a byte over max", 1, "123456", 5, CM_TOOBIG, 0 },
	{ "a directory", 2, NULL, 100, CM_ISDIR, 0 },
	{ "a FIFO, without blocking", 3, NULL, 100, CM_NOTREG, 0 },
	{ "nothing there", 0, NULL, 100, CM_ERRNO, ENOENT },
};

START_TEST(file_read_table)
{
	const char *p = in_dir("x");
	char *buf = (char *)"unset";
	size_t len = 99;
	int rc;

	switch (reads[_i].kind) {
	case 1:
		put("x", reads[_i].text, 0644);
		break;
	case 2:
		ck_assert_int_eq(mkdir(p, 0755), 0);
		break;
	case 3:
		ck_assert_int_eq(mkfifo(p, 0600), 0);
		break;
	}
	errno = 0;
	rc = cm_file_read(in_dir("x"), reads[_i].max, &buf, &len);
	ck_assert_msg(rc == reads[_i].rc, "%s: %d, wanted %d", reads[_i].what,
	    rc, reads[_i].rc);
	if (rc == CM_ERRNO)
		ck_assert_int_eq(errno, reads[_i].err);
	if (rc == CM_OK) {
		ck_assert_str_eq(buf, reads[_i].text);
		ck_assert_uint_eq(len, strlen(reads[_i].text));
		free(buf);
	} else {
		ck_assert_ptr_null(buf);
		ck_assert_uint_eq(len, 0);
	}
}
END_TEST

/* cm_secret_read: the first line, and only from a file kept private. */
static const struct {
	const char *what;
	const char *text;
	mode_t mode;
	int rc;
	const char *secret;
} secrets[] = {
	{ "one line", "s3cret\n", 0600, CM_OK, "s3cret" },
	{ "no line end", "s3cret", 0600, CM_OK, "s3cret" },
	{ "a CRLF line end", "s3cret\r\n", 0600, CM_OK, "s3cret" },
	{ "the first of two lines", "one\ntwo\n", 0400, CM_OK, "one" },
	{ "blanks kept", " a b \n", 0600, CM_OK, " a b " },
	{ "an empty file", "", 0600, CM_OK, "" },
	{ "readable by the group", "s3cret\n", 0640, CM_EXPOSED, NULL },
	{ "readable by others", "s3cret\n", 0604, CM_EXPOSED, NULL },
};

START_TEST(secret_read_table)
{
	char *s = (char *)"unset", why[1024];
	mode_t mode = 0;
	int rc;

	put("pw", secrets[_i].text, secrets[_i].mode);
	rc = cm_secret_read(in_dir("pw"), &s, &mode, why, sizeof(why));
	ck_assert_msg(rc == secrets[_i].rc, "%s: %d, wanted %d",
	    secrets[_i].what, rc, secrets[_i].rc);
	ck_assert_uint_eq(mode, secrets[_i].mode);
	if (secrets[_i].secret != NULL)
		ck_assert_str_eq(s, secrets[_i].secret);
	else
		ck_assert_ptr_null(s);
	cm_secret_free(s);
}
END_TEST

/*
 * cm_gate_write: the file is the new contents, with the new mode when it
 * is new and the old one's mode (never wider than asked) when it
 * replaces one; or, when it cannot be written, the old one; never a
 * temporary file left beside it.
 */
static const struct {
	const char *what;
	const char *old;	/* NULL: no file before */
	const char *dir;	/* where, under the test directory */
	const char *text;
	mode_t mode;
	mode_t want;		/* the mode it has after */
	int rc;
	int err;
} writes[] = {
	{ "a new file", NULL, ".", "new\n", 0644, 0644, CM_OK, 0 },
	{ "over an old one (0640 kept)", "old\n", ".", "new\n", 0644, 0640,
	    CM_OK, 0 },
	{ "a private one over a wider one", "old\n", ".", "key", 0600, 0600,
	    CM_OK, 0 },
	{ "an empty one over an old one", "old\n", ".", "", 0644, 0640,
	    CM_OK, 0 },
	{ "into a directory that is not there", NULL, "none", "x", 0644, 0,
	    CM_ERRNO, ENOENT },
};

START_TEST(gate_write_table)
{
	char target[4200], *buf, left[1024], why[1024];
	size_t len;
	struct stat st;
	int rc;

	if (writes[_i].old != NULL)
		put("f", writes[_i].old, 0640);
	snprintf(target, sizeof(target), "%s/%s/f", dir, writes[_i].dir);
	errno = 0;
	rc = cm_gate_write(target, writes[_i].text, strlen(writes[_i].text),
	    writes[_i].mode, why, sizeof(why));
	ck_assert_msg(rc == writes[_i].rc, "%s: %d, wanted %d",
	    writes[_i].what, rc, writes[_i].rc);
	if (rc == CM_ERRNO)
		ck_assert_int_eq(errno, writes[_i].err);
	if (rc == CM_OK) {
		ck_assert_int_eq(cm_file_read(target, 1024, &buf, &len), CM_OK);
		ck_assert_str_eq(buf, writes[_i].text);
		free(buf);
		ck_assert_int_eq(stat(target, &st), 0);
		ck_assert_uint_eq(st.st_mode & 07777, writes[_i].want);
	}
	others(left, sizeof(left));
	ck_assert_msg(left[0] == '\0', "%s: left beside it: %s",
	    writes[_i].what, left);
}
END_TEST

/* cm_gate_open and cm_gate_abort: an aborted write leaves the old file. */
START_TEST(gate_abort_keeps_old)
{
	struct cm_gate g;
	char *buf, left[1024], why[1024];
	size_t len;

	put("f", "old\n", 0644);
	ck_assert_int_eq(cm_gate_open(&g, in_dir("f"), 0600, why, sizeof(why)),
	    CM_OK);
	ck_assert_int_eq(cm_gate_write_fd(&g, "half", 4), CM_OK);
	cm_gate_abort(&g);
	ck_assert_int_eq(cm_file_read(in_dir("f"), 1024, &buf, &len), CM_OK);
	ck_assert_str_eq(buf, "old\n");
	free(buf);
	others(left, sizeof(left));
	ck_assert_msg(left[0] == '\0', "left beside it: %s", left);
}
END_TEST

/*
 * The gate's owner rule (cm_gate_open, then aborted), run as root: a
 * path through a link or directory of another user (uid 4242 here) is
 * unsafe unless that user owns the file it leads to too. Not run as root, every path is CM_OK (and nothing
 * can be given away: own is chown for root only).
 */
static const struct {
	const char *what;
	const char *setup;	/* shell, in the test directory */
	const char *path;
	int rc;			/* as root */
	const char *why;	/* in the reason, when unsafe */
} owners[] = {
	{ "root's file in root's directory", "echo x >f", "f", CM_OK, NULL },
	{ "a file not there yet", ":", "new", CM_OK, NULL },
	{ "the other's link to root's file",
	    "echo x >f && mkdir u && own 4242 u && ln -s ../f u/l && "
	    "own -h 4242 u/l", "u/l", CM_UNSAFE, "link" },
	{ "root's file in the other's directory",
	    "mkdir u && own 4242 u && echo x >u/f", "u/f", CM_UNSAFE,
	    "directory" },
	{ "the other's file in the other's directory",
	    "mkdir u && own 4242 u && echo x >u/f && own 4242 u/f", "u/f",
	    CM_OK, NULL },
	{ "the other's link to the other's file",
	    "mkdir u && own 4242 u && echo x >u/f && own 4242 u/f && "
	    "ln -s f u/l && own -h 4242 u/l", "u/l", CM_OK, NULL },
};

START_TEST(gate_owner_table)
{
	char cmd[4400], p[4200], why[1024] = "";
	struct cm_gate g;
	int rc, want = geteuid() == 0 ? owners[_i].rc : CM_OK;

	/* own: chown, which only root may do. */
	snprintf(cmd, sizeof(cmd), "own() { [ \"$(id -u)\" != 0 ] || "
	    "chown \"$@\"; }; cd '%s' && %s", dir, owners[_i].setup);
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
	snprintf(p, sizeof(p), "%s/%s", dir, owners[_i].path);
	rc = cm_gate_open(&g, p, 0644, why, sizeof(why));
	if (rc == CM_OK)
		cm_gate_abort(&g);
	ck_assert_msg(rc == want, "%s: %d, wanted %d (%s)", owners[_i].what,
	    rc, want, why);
	if (rc == CM_UNSAFE) {
		ck_assert_msg(strstr(why, owners[_i].why) != NULL,
		    "%s: %s", owners[_i].what, why);
		ck_assert_msg(strstr(why, "uid 4242") != NULL ||
		    strstr(why, "belongs to") != NULL, "%s: %s",
		    owners[_i].what, why);
	}
}
END_TEST

/* strmap: puts, overwrites and lookups, past its first growth. */
START_TEST(strmap_table)
{
	static const struct {
		const char *key;
		size_t val;
	} puts_[] = {
		{ "a", 1 }, { "b", 2 }, { "", 3 }, { "A", 4 },
		{ "a", 5 },	/* overwrites */
		{ "TSM Self-Signed Certificate", 6 },
		{ "TSM Self-Signed Certificate #2", 7 },
	};
	static const struct {
		const char *key;
		int there;
		size_t val;
	} gets[] = {
		{ "a", 1, 5 }, { "b", 1, 2 }, { "", 1, 3 }, { "A", 1, 4 },
		{ "TSM Self-Signed Certificate", 1, 6 },
		{ "TSM Self-Signed Certificate #2", 1, 7 },
		{ "c", 0, 0 }, { "a ", 0, 0 }, { "TSM Self-Signed", 0, 0 },
	};
	struct cm_strmap m;
	char k[32];
	size_t v;

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(cm_strmap_get(&m, "a", &v), 0);
	for (size_t i = 0; i < sizeof(puts_) / sizeof(puts_[0]); i++)
		cm_strmap_put(&m, puts_[i].key, puts_[i].val);
	ck_assert_uint_eq(m.n, 6);
	/* Enough more to make it grow several times. */
	for (size_t i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "key %zu", i);
		cm_strmap_put(&m, k, i * 3);
	}
	ck_assert_uint_eq(m.n, 1006);
	for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		v = 12345;
		ck_assert_msg(cm_strmap_get(&m, gets[i].key, &v) ==
		    gets[i].there,
		    "\"%s\"", gets[i].key);
		ck_assert_uint_eq(v, gets[i].there ? gets[i].val : 12345);
	}
	for (size_t i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "key %zu", i);
		ck_assert_int_eq(cm_strmap_get(&m, k, &v), 1);
		ck_assert_uint_eq(v, i * 3);
	}
	ck_assert_int_eq(cm_strmap_get(&m, "key 1000", NULL), 0);
	ck_assert_int_eq(cm_strmap_get(&m, "key 999", NULL), 1);
	cm_strmap_free(&m);
	ck_assert_uint_eq(m.n, 0);
	ck_assert_int_eq(cm_strmap_get(&m, "a", &v), 0);
}
END_TEST

/*
 * strmap with nocase: ASCII letters fold, as the client folds stanza
 * names, and nothing else does (no locale, no other bytes).
 */
START_TEST(strmap_nocase_table)
{
	static const struct {
		const char *put, *get;
		int there;
	} cases[] = {
		{ "ldap_a", "LDAP_A", 1 },
		{ "Server1", "sERVER1", 1 },
		{ "mixed-Case_9", "MIXED-case_9", 1 },
		{ "caf\xc3\xa9", "CAF\xc3\xa9", 1 },	/* the bytes of é stand */
		{ "caf\xc3\xa9", "caf\xc3\x89", 0 },	/* É is not é */
		{ "a[b", "A{B", 0 },	/* [ and { are 32 apart too */
		{ "s1", "s1 ", 0 },
	};
	struct cm_strmap m;
	char k[32];
	size_t v;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.nocase = 1;
		cm_strmap_put(&m, cases[i].put, i);
		ck_assert_msg(cm_strmap_get(&m, cases[i].get, &v) ==
		    cases[i].there, "\"%s\" / \"%s\"", cases[i].put,
		    cases[i].get);
		cm_strmap_free(&m);
	}
	/* Past growth, a key put in one case is found in another, once. */
	memset(&m, 0, sizeof(m));
	m.nocase = 1;
	for (size_t i = 0; i < 500; i++) {
		snprintf(k, sizeof(k), "Stanza%zu", i);
		cm_strmap_put(&m, k, i);
	}
	cm_strmap_put(&m, "STANZA7", 70);
	ck_assert_uint_eq(m.n, 500);
	ck_assert_int_eq(cm_strmap_get(&m, "stanza7", &v), 1);
	ck_assert_uint_eq(v, 70);
	ck_assert_int_eq(cm_strmap_get(&m, "stanza499", &v), 1);
	ck_assert_uint_eq(v, 499);
	cm_strmap_free(&m);
}
END_TEST

#define N(t) ((int)(sizeof(t) / sizeof((t)[0])))

Suite *
common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, file_read_table, 0, N(reads));
	tcase_add_loop_test(tc, secret_read_table, 0, N(secrets));
	tcase_add_loop_test(tc, gate_write_table, 0, N(writes));
	tcase_add_test(tc, gate_abort_keeps_old);
	tcase_add_loop_test(tc, gate_owner_table, 0, N(owners));
	suite_add_tcase(s, tc);
	tc = tcase_create("strmap");
	tcase_add_test(tc, strmap_table);
	tcase_add_test(tc, strmap_nocase_table);
	suite_add_tcase(s, tc);
	return s;
}
