#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "optfile/optfile.h"

/* Edits in memory, and the safe replace on disk. */

/* Apply one queued edit to text; return the new text (malloc'd). */
static char *
edit(enum optfile_kind kind, const char *text, int set, const char *stanza,
    const char *name, const char *value, int *changed)
{
	struct optfile *f = NULL;
	struct optfile_edits e = { NULL, 0 };
	char *out;
	size_t len;

	ck_assert_int_eq(optfile_parse("t", kind, text, strlen(text), &f), 0);
	if (set)
		ck_assert_int_eq(optfile_edits_set(&e, stanza, name, value),
		    OPTFILE_OK);
	else
		ck_assert_int_eq(optfile_edits_unset(&e, stanza, name),
		    OPTFILE_OK);
	ck_assert_msg(optfile_apply(f, &e, changed) == OPTFILE_OK, "%s",
	    optfile_error());
	ck_assert_int_eq(optfile_render(f, &out, &len), OPTFILE_OK);
	ck_assert_uint_eq(strlen(out), len);
	optfile_edits_free(&e);
	optfile_free(f);
	return out;
}

static void
expect(enum optfile_kind kind, const char *in, int set, const char *stanza,
    const char *name, const char *value, const char *want)
{
	int n = -1;
	char *got = edit(kind, in, set, stanza, name, value, &n);

	ck_assert_str_eq(got, want);
	ck_assert_int_eq(n > 0, strcmp(in, want) != 0);
	free(got);
}

static const char sys[] =
    "* head\n"
    "SErvername  a\n"
    "   TCPServeraddress   host-a\n"
    "   tcpp               1500\n"
    "*  SSL                yes\n"
    "\n"
    "* the second server\n"
    "SErvername  b\n"
    "\tTCPServeraddress host-b\n";

START_TEST(set_rewrites_in_place)
{
	expect(OPTFILE_SYS, sys, 1, "a", "TCPPort", "1543",
	    "* head\nSErvername  a\n   TCPServeraddress   host-a\n"
	    "   tcpp               1543\n*  SSL                yes\n\n"
	    "* the second server\nSErvername  b\n"
	    "\tTCPServeraddress host-b\n");
	/* The same value, any spelling: nothing changes. */
	expect(OPTFILE_SYS, sys, 1, "A", "tcpport", "01500", sys);
	expect(OPTFILE_SYS, "SErvername a\n SSL yes \n", 1, "a", "SSL", "YES",
	    "SErvername a\n SSL yes \n");
	/* Trailing blanks after the value are kept. */
	expect(OPTFILE_SYS, "SErvername a\n SSL no  \n", 1, "a", "SSL", "yes",
	    "SErvername a\n SSL YES  \n");
}
END_TEST

START_TEST(set_appends_at_end_of_stanza)
{
	/* After the last option; the comment and blank line stay below. */
	expect(OPTFILE_SYS, sys, 1, "a", "ssl", "yes",
	    "* head\nSErvername  a\n   TCPServeraddress   host-a\n"
	    "   tcpp               1500\n   SSL                YES\n"
	    "*  SSL                yes\n\n* the second server\n"
	    "SErvername  b\n\tTCPServeraddress host-b\n");
	/* Tab indentation and separator copied from the stanza. */
	expect(OPTFILE_SYS, sys, 1, "b", "NODename", "n1",
	    "* head\nSErvername  a\n   TCPServeraddress   host-a\n"
	    "   tcpp               1500\n*  SSL                yes\n\n"
	    "* the second server\nSErvername  b\n"
	    "\tTCPServeraddress host-b\n\tNODename n1\n");
	/* A stanza with only its head takes another stanza's indentation. */
	expect(OPTFILE_SYS, "SErvername a\n  NODename x\nSErvername b\n", 1,
	    "b", "SSL", "no",
	    "SErvername a\n  NODename x\nSErvername b\n  SSL NO\n");
	/* dsm.opt: at the end, after the last option. */
	expect(OPTFILE_OPT, "SErvername a\n* end\n", 1, NULL, "DOMain", "/x",
	    "SErvername a\nDOMain /x\n* end\n");
	expect(OPTFILE_OPT, "", 1, NULL, "SErvername", "a", "SErvername a\n");
	/* DEFAULTServer goes to the head, before the stanza's comments. */
	expect(OPTFILE_SYS, "* file\n\n* stanza a\nSErvername a\n", 1, "a",
	    "DEFAULTServer", "a",
	    "* file\n\nDEFAULTServer a\n* stanza a\nSErvername a\n");
}
END_TEST

START_TEST(line_endings_kept)
{
	expect(OPTFILE_SYS, "SErvername a\r\n TCPPort 1\r\n", 1, "a", "SSL",
	    "YES", "SErvername a\r\n TCPPort 1\r\n SSL YES\r\n");
	/* No final newline: still none after the edit. */
	expect(OPTFILE_SYS, "SErvername a\n TCPPort 1", 1, "a", "SSL", "YES",
	    "SErvername a\n TCPPort 1\n SSL YES");
	expect(OPTFILE_SYS, "SErvername a\n TCPPort 1", 0, "a", "TCPPort",
	    NULL, "SErvername a");
	expect(OPTFILE_OPT, "\xef\xbb\xbfNODename a\r\n", 1, NULL, "SSL",
	    "no", "\xef\xbb\xbfNODename a\r\nSSL NO\r\n");
}
END_TEST

START_TEST(unset_removes_every_line)
{
	expect(OPTFILE_SYS, "SErvername a\n tcpp 1\n SSL no\n TCPPORT 2\n"
	    "SErvername b\n TCPPort 3\n", 0, "a", "TCPPort", NULL,
	    "SErvername a\n SSL no\nSErvername b\n TCPPort 3\n");
	expect(OPTFILE_SYS, "SErvername a\n SSL no\n", 0, "a", "TCPPort",
	    NULL, "SErvername a\n SSL no\n");
	expect(OPTFILE_OPT, "VMCUSER x\nvmcuser y\nNODename n\n", 0, NULL,
	    "VMCUser", NULL, "NODename n\n");
}
END_TEST

START_TEST(multi_options_accumulate)
{
	expect(OPTFILE_OPT, "DOMain /a\n", 1, NULL, "DOMain", "/b",
	    "DOMain /a\nDOMain /b\n");
	expect(OPTFILE_OPT, "DOMain /a\nDOMain /b\n", 1, NULL, "dom", "/a",
	    "DOMain /a\nDOMain /b\n");
	/* Those this tool knows no more of than that they accumulate. */
	expect(OPTFILE_SYS, "SErvername a\n EXCLUDE.DIR /p\n", 1, "a",
	    "EXCLUDE.DIR", "/q",
	    "SErvername a\n EXCLUDE.DIR /p\n EXCLUDE.DIR /q\n");
	expect(OPTFILE_SYS, "SErvername a\n exclude.dir /p\n", 1, "a",
	    "EXCLUDE.DIR", "/p", "SErvername a\n exclude.dir /p\n");
	expect(OPTFILE_SYS, "SErvername a\n INCLEXCL /e/1\n", 1, "a",
	    "inclexcl", "/e/2",
	    "SErvername a\n INCLEXCL /e/1\n INCLEXCL /e/2\n");
	/* Others are replaced in place, known or not. */
	expect(OPTFILE_OPT, "TXNB 1\nTXNB 2\n", 1, NULL, "TXNB", "3",
	    "TXNB 1\nTXNB 3\n");
}
END_TEST

START_TEST(unknown_and_quoted_values)
{
	expect(OPTFILE_OPT, "TCPB 32\n", 1, NULL, "tcpb", "64", "TCPB 64\n");
	expect(OPTFILE_OPT, "NODename n\n", 1, NULL, "ERRORLOGName",
	    "\"/var/my logs/e.log\"",
	    "NODename n\nERRORLOGName \"/var/my logs/e.log\"\n");
	expect(OPTFILE_OPT, "ERRORLOGName \"/var/my logs/e.log\"\n", 1, NULL,
	    "errorlogn", "'/var/my logs/e.log'",
	    "ERRORLOGName \"/var/my logs/e.log\"\n");
	expect(OPTFILE_OPT, "MANAGEDServices schedule\n", 1, NULL,
	    "MANAGEDServices", "schedule webclient",
	    "MANAGEDServices schedule webclient\n");
}
END_TEST

START_TEST(refused_edits)
{
	struct optfile_edits e = { NULL, 0 };
	struct optfile *f = NULL;
	int n;

	ck_assert_int_eq(optfile_edits_set(&e, "a", "TCPPort", "0"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "SSL", "maybe"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "SSLREQ", "always"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "TCP", "x"),
	    OPTFILE_ENAME);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "NODename", ""),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "NODename", "a\nb"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "NODename", "\"a"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "NODename", " a"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "* x", "a"),
	    OPTFILE_ENAME);
	ck_assert_int_eq(optfile_edits_unset(&e, "a", "SSLACC"),
	    OPTFILE_ENAME);
	ck_assert_uint_eq(e.n, 0);

	ck_assert_int_eq(optfile_parse("t", OPTFILE_SYS, sys, strlen(sys),
	    &f), 0);
	ck_assert_int_eq(optfile_edits_set(&e, "nosuch", "SSL", "yes"), 0);
	ck_assert_int_eq(optfile_apply(f, &e, &n), OPTFILE_ENOTFOUND);
	optfile_edits_free(&e);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "SErvername", "c"), 0);
	ck_assert_int_eq(optfile_apply(f, &e, &n), OPTFILE_EVALUE);
	optfile_edits_free(&e);
	ck_assert_int_eq(optfile_edits_set(&e, NULL, "SSL", "yes"), 0);
	ck_assert_int_eq(optfile_apply(f, &e, &n), OPTFILE_EVALUE);
	optfile_edits_free(&e);
	optfile_free(f);
	ck_assert_int_eq(optfile_parse("t", OPTFILE_OPT, "SSL no\n", 7, &f),
	    0);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "SSL", "yes"), 0);
	ck_assert_int_eq(optfile_apply(f, &e, &n), OPTFILE_ENOTFOUND);
	optfile_edits_free(&e);
	optfile_free(f);
}
END_TEST

START_TEST(several_edits_one_pass)
{
	struct optfile *f = NULL;
	struct optfile_edits e = { NULL, 0 };
	char *out;
	size_t len;
	int n;

	ck_assert_int_eq(optfile_parse("t", OPTFILE_SYS, sys, strlen(sys),
	    &f), 0);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "SSL", "yes"), 0);
	ck_assert_int_eq(optfile_edits_set(&e, "a", "SSLACCEPTCERTFROMSERV",
	    "no"), 0);
	ck_assert_int_eq(optfile_edits_set(&e, "b", "tcpport", "1543"), 0);
	ck_assert_int_eq(optfile_edits_unset(&e, "a", "TCPPort"), 0);
	ck_assert_int_eq(optfile_apply(f, &e, &n), 0);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(optfile_render(f, &out, &len), 0);
	ck_assert_str_eq(out, "* head\nSErvername  a\n"
	    "   TCPServeraddress   host-a\n   SSL                YES\n"
	    "   SSLACCEPTCERTFROMSERV NO\n*  SSL                yes\n\n"
	    "* the second server\nSErvername  b\n"
	    "\tTCPServeraddress host-b\n\tTCPPort 1543\n");
	free(out);
	/* A second pass finds nothing to do. */
	ck_assert_int_eq(optfile_apply(f, &e, &n), 0);
	ck_assert_int_eq(n, 0);
	optfile_edits_free(&e);
	optfile_free(f);
}
END_TEST

/* ---- on disk ---- */

static char dir[64];

static void
mkdir_tmp(void)
{
	strcpy(dir, "/tmp/optfile-unit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *name, const char *text, mode_t mode)
{
	char p[128];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static char *
get(const char *name)
{
	char p[128];
	static char buf[4096];
	FILE *fp;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((fp = fopen(p, "rb")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int
commit1(const char *name, const char *stanza, const char *opt,
    const char *value, int *changed)
{
	char p[128];
	struct optfile_edits e = { NULL, 0 };
	int rc;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	ck_assert_int_eq(optfile_edits_set(&e, stanza, opt, value), 0);
	rc = optfile_commit(p, optfile_kind_for_path(p), &e, changed, NULL);
	optfile_edits_free(&e);
	return rc;
}

START_TEST(commit_replaces_and_keeps_a_backup)
{
	char p[128];
	struct stat st;
	int changed;

	mkdir_tmp();
	put("dsm.sys", sys, 0640);
	ck_assert_int_eq(commit1("dsm.sys", "b", "SSL", "yes", &changed), 0);
	ck_assert_int_eq(changed, 1);
	ck_assert_str_eq(get("dsm.sys.bak"), sys);
	ck_assert_ptr_nonnull(strstr(get("dsm.sys"), "\tSSL YES\n"));
	snprintf(p, sizeof(p), "%s/dsm.sys", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	snprintf(p, sizeof(p), "%s/dsm.sys.bak", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	/* Nothing to do: the file and its backup stay as they are. */
	put("dsm.sys.bak", "older\n", 0600);
	ck_assert_int_eq(commit1("dsm.sys", "b", "ssl", "YES", &changed), 0);
	ck_assert_int_eq(changed, 0);
	ck_assert_str_eq(get("dsm.sys.bak"), "older\n");
	rm_tmp();
}
END_TEST

START_TEST(commit_follows_a_symlink)
{
	char link[128], target[128], buf[128];
	struct stat st;
	ssize_t n;

	mkdir_tmp();
	ck_assert_int_eq(mkdir(strcat(strcpy(buf, dir), "/etc"), 0755), 0);
	put("etc/dsm.sys", sys, 0644);
	snprintf(link, sizeof(link), "%s/dsm.sys", dir);
	snprintf(target, sizeof(target), "%s/etc/dsm.sys", dir);
	ck_assert_int_eq(symlink("etc/dsm.sys", link), 0);
	ck_assert_int_eq(commit1("dsm.sys", "a", "SSL", "yes", NULL), 0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	n = readlink(link, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "etc/dsm.sys");
	ck_assert_ptr_nonnull(strstr(get("etc/dsm.sys"), "SSL"));
	ck_assert_str_eq(get("etc/dsm.sys.bak"), sys);
	ck_assert_ptr_nonnull(get("etc/dsm.sys.lock"));
	rm_tmp();
}
END_TEST

START_TEST(commit_refuses_unsafe_and_bad_files)
{
	char p[128];

	mkdir_tmp();
	put("dsm.sys", sys, 0664);
	ck_assert_int_eq(commit1("dsm.sys", "a", "SSL", "yes", NULL),
	    OPTFILE_EUNSAFE);
	ck_assert_str_eq(get("dsm.sys"), sys);
	put("dsm.sys", sys, 0644);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(commit1("dsm.sys", "a", "SSL", "yes", NULL),
	    OPTFILE_EUNSAFE);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	put("dsm.sys", "SErvername a\n TCPPort 0\n", 0644);
	ck_assert_int_eq(commit1("dsm.sys", "a", "SSL", "yes", NULL),
	    OPTFILE_EVALUE);
	ck_assert_ptr_nonnull(strstr(optfile_error(), "dsm.sys:2: TCPPort"));
	ck_assert_str_eq(get("dsm.sys"), "SErvername a\n TCPPort 0\n");
	ck_assert_ptr_null(get("dsm.sys.bak"));
	snprintf(p, sizeof(p), "%s/none.sys", dir);
	ck_assert_int_eq(commit1("none.sys", "a", "SSL", "yes", NULL),
	    OPTFILE_EIO);
	rm_tmp();
}
END_TEST

START_TEST(commit_sweeps_dead_temporaries)
{
	mkdir_tmp();
	put("dsm.opt", "NODename n\n", 0644);
	put(".dsm.opt.dsmcert.abcdef", "NODe", 0600);
	put(".dsm.opt.dsmcert.keep", "x", 0600);
	ck_assert_int_eq(commit1("dsm.opt", NULL, "SSL", "yes", NULL), 0);
	ck_assert_ptr_null(get(".dsm.opt.dsmcert.abcdef"));
	ck_assert_ptr_nonnull(get(".dsm.opt.dsmcert.keep"));
	ck_assert_str_eq(get("dsm.opt"), "NODename n\nSSL YES\n");
	rm_tmp();
}
END_TEST

Suite *
optfile_edit_suite(void)
{
	Suite *s = suite_create("optfile_edit");
	TCase *mem = tcase_create("memory");
	TCase *disk = tcase_create("disk");

	tcase_add_test(mem, set_rewrites_in_place);
	tcase_add_test(mem, set_appends_at_end_of_stanza);
	tcase_add_test(mem, line_endings_kept);
	tcase_add_test(mem, unset_removes_every_line);
	tcase_add_test(mem, multi_options_accumulate);
	tcase_add_test(mem, unknown_and_quoted_values);
	tcase_add_test(mem, refused_edits);
	tcase_add_test(mem, several_edits_one_pass);
	suite_add_tcase(s, mem);
	tcase_add_test(disk, commit_replaces_and_keeps_a_backup);
	tcase_add_test(disk, commit_follows_a_symlink);
	tcase_add_test(disk, commit_refuses_unsafe_and_bad_files);
	tcase_add_test(disk, commit_sweeps_dead_temporaries);
	suite_add_tcase(s, disk);
	return s;
}
