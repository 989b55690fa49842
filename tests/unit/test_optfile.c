#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "optfile/optfile.h"

/* The grammar and the option table. */

static struct optfile *
parse(enum optfile_kind kind, const char *text)
{
	struct optfile *f = NULL;
	int rc = optfile_parse("t.sys", kind, text, strlen(text), &f);

	ck_assert_msg(rc == OPTFILE_OK, "parse failed: %s", optfile_error());
	return f;
}

static int
parse_fails(enum optfile_kind kind, const char *text)
{
	struct optfile *f = NULL;
	int rc = optfile_parse("t.sys", kind, text, strlen(text), &f);

	ck_assert_ptr_null(f);
	return rc;
}

START_TEST(table_min_is_the_upper_case_part)
{
	for (size_t i = 0; i < optfile_nopts; i++) {
		const char *n = optfile_opts[i].name;
		size_t up = 0;

		while (n[up] && !islower((unsigned char)n[up]))
			up++;
		ck_assert_msg(up == optfile_opts[i].min, "%s: min %zu, "
		    "upper-case part %zu", n, optfile_opts[i].min, up);
	}
}
END_TEST

START_TEST(every_abbreviation_from_minimum_to_full)
{
	char buf[64];

	for (size_t i = 0; i < optfile_nopts; i++) {
		const char *n = optfile_opts[i].name;

		for (size_t len = optfile_opts[i].min; len <= strlen(n); len++) {
			const struct optfile_optdef *d = NULL;

			memcpy(buf, n, len);
			buf[len] = '\0';
			for (size_t k = 0; k < len; k++)
				buf[k] = (char)(k % 2 ? tolower(buf[k]) :
				    toupper(buf[k]));
			ck_assert_int_eq(optfile_lookup(buf, &d), OPTFILE_OK);
			ck_assert_msg(d == &optfile_opts[i], "%s: got %s", buf,
			    d ? d->name : "unknown");
		}
	}
}
END_TEST

START_TEST(one_letter_short_is_an_error)
{
	char buf[64];

	for (size_t i = 0; i < optfile_nopts; i++) {
		const struct optfile_optdef *d = NULL;
		size_t m = optfile_opts[i].min;

		ck_assert_uint_gt(m, 1);
		memcpy(buf, optfile_opts[i].name, m - 1);
		buf[m - 1] = '\0';
		ck_assert_msg(optfile_lookup(buf, &d) == OPTFILE_ENAME,
		    "%s accepted", buf);
		ck_assert_ptr_null(d);
	}
}
END_TEST

START_TEST(spec_examples)
{
	const char *tcps[] = { "tcps", "tcpserv", "TCPSERVERADDRESS",
	    "TCPServeraddress" };
	const char *se[] = { "se", "serv", "SErvername", "SERVERNAME" };
	const struct optfile_optdef *d;

	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(optfile_lookup(tcps[i], &d), OPTFILE_OK);
		ck_assert_str_eq(d->name, "TCPServeraddress");
		ck_assert_int_eq(optfile_lookup(se[i], &d), OPTFILE_OK);
		ck_assert_str_eq(d->name, "SErvername");
	}
	ck_assert_int_eq(optfile_lookup("tcpserveraddressx", &d), OPTFILE_OK);
	ck_assert_ptr_null(d);
}
END_TEST

START_TEST(ambiguous_prefixes)
{
	const char *amb[] = { "TCPCLIENT", "TCP", "SSL" "R" "E", "S",
	    "LANFREETCP", "PASSWORD", "REPLSERVER", "REPLTCP" };
	const struct optfile_optdef *d;

	for (size_t i = 0; i < sizeof(amb) / sizeof(amb[0]); i++) {
		ck_assert_msg(optfile_lookup(amb[i], &d) == OPTFILE_ENAME,
		    "%s accepted", amb[i]);
	}
	optfile_lookup("TCPCLIENT", &d);
	ck_assert_ptr_nonnull(strstr(optfile_error(), "ambiguous"));
	optfile_lookup("SSLACCEPT", &d);
	ck_assert_ptr_nonnull(strstr(optfile_error(), "too short"));
}
END_TEST

START_TEST(unknown_options_are_not_errors)
{
	const char *unk[] = { "TCPBuffsize", "resourceutilization",
	    "DOMAIN.VMFULL", "INCLUDE.FS", "EXCLUDE.DIR", "VMCUSER",
	    "TXNBytelimit", "SSLX", "x" };
	const struct optfile_optdef *d;

	for (size_t i = 0; i < sizeof(unk) / sizeof(unk[0]); i++) {
		ck_assert_msg(optfile_lookup(unk[i], &d) == OPTFILE_OK,
		    "%s: %s", unk[i], optfile_error());
		ck_assert_ptr_null(d);
	}
}
END_TEST

START_TEST(which_options_accumulate)
{
	const char *yes[] = { "INCLude", "EXCLude", "DOMain", "INCLEXCL",
	    "EXCLUDE.DIR", "exclude.file", "Exclude.Dir", "INCLUDE.FS",
	    "EXCLUDE.FS.NAS", "DOMAIN.VMFULL", "domain.image",
	    "VIRTUALMountpoint", "virtualm", "TESTFLAG", "testflag" };
	const char *no[] = { "SSL", "TCPPort", "EXCLUDE.", "DOMAIN.",
	    "EXCLUDEX", "VIRTUAL", "VIRTUALNodename", "TESTFLAGS", "TXNB",
	    "", "E", "MANAGEDServices" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(optfile_accumulates(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!optfile_accumulates(no[i]), "%s", no[i]);
}
END_TEST

static const struct optfile_optdef *
def(const char *name)
{
	const struct optfile_optdef *d = NULL;

	ck_assert_int_eq(optfile_lookup(name, &d), OPTFILE_OK);
	ck_assert_ptr_nonnull(d);
	return d;
}

static void
value_ok(const char *name, const char *v, const char *canon)
{
	char *c = NULL;

	ck_assert_msg(optfile_check_value(def(name), v, &c) == OPTFILE_OK,
	    "%s %s: %s", name, v, optfile_error());
	ck_assert_str_eq(c, canon);
	free(c);
}

static void
value_bad(const char *name, const char *v)
{
	char *c = NULL;

	ck_assert_msg(optfile_check_value(def(name), v, &c) ==
	    OPTFILE_EVALUE, "%s %s accepted", name, v);
	ck_assert_ptr_null(c);
}

START_TEST(values_of_known_options)
{
	value_ok("SSL", "yes", "YES");
	value_ok("SSL", "No", "NO");
	value_ok("SSLACCEPTCERTFROMSERV", "NO", "NO");
	value_bad("SSL", "Y");
	value_bad("SSL", "true");
	value_bad("SSL", "");
	value_bad("SSLFIPSMODE", "YES NO");
	value_ok("TCPPort", "1", "1");
	value_ok("TCPPort", "32767", "32767");
	value_ok("TCPPort", "01500", "1500");
	value_bad("TCPPort", "0");
	value_bad("TCPPort", "32768");
	value_bad("TCPPort", "-1");
	value_bad("TCPPort", "15a0");
	value_bad("TCPPort", "99999999999999999999");
	value_bad("TCPADMINPort", "");
	value_ok("SSLREQuired", "default", "DEFAULT");
	value_ok("SSLREQuired", "Yes", "YES");
	value_ok("SSLREQuired", "no", "NO");
	value_ok("SSLREQuired", "server", "SERVERONLY");
	value_ok("SSLREQuired", "SERVERONLY", "SERVERONLY");
	value_bad("SSLREQuired", "serv");
	value_bad("SSLREQuired", "always");
	value_ok("PASSWORDAccess", "generate", "GENERATE");
	value_bad("TCPServeraddress", "");
	value_bad("TCPServeraddress", "a\nb");
}
END_TEST

START_TEST(comments_blanks_and_indentation)
{
	struct optfile *f = parse(OPTFILE_OPT,
	    "* a comment\n# another\n   \n\t* indented comment\n"
	    "  \t NODename   node1  \n");

	ck_assert_uint_eq(f->nlines, 5);
	ck_assert_int_eq(f->lines[0].kind, OPTFILE_COMMENT);
	ck_assert_int_eq(f->lines[1].kind, OPTFILE_COMMENT);
	ck_assert_int_eq(f->lines[2].kind, OPTFILE_BLANK);
	ck_assert_int_eq(f->lines[3].kind, OPTFILE_COMMENT);
	ck_assert_int_eq(f->lines[4].kind, OPTFILE_OPTION);
	ck_assert_uint_eq(f->lines[4].indent, 4);
	ck_assert_str_eq(f->lines[4].name, "NODename");
	ck_assert_str_eq(f->lines[4].value, "node1");
	optfile_free(f);
}
END_TEST

START_TEST(quoted_values)
{
	struct optfile *f = parse(OPTFILE_OPT,
	    "ERRORLOGName \"/var/my logs/dsmerror.log\"\n"
	    "SCHEDLOGName '/var/x y/s.log'\n"
	    "DOMain \"/a b\" /c\n"
	    "VMCUSER 'it''s'\n");

	ck_assert_str_eq(f->lines[0].value, "/var/my logs/dsmerror.log");
	ck_assert_str_eq(f->lines[1].value, "/var/x y/s.log");
	ck_assert_str_eq(f->lines[2].value, "\"/a b\" /c");
	ck_assert_str_eq(f->lines[3].value, "'it''s'");
	optfile_free(f);
	ck_assert_int_eq(parse_fails(OPTFILE_OPT,
	    "NODename a\nERRORLOGName \"/var/log\n"), OPTFILE_EPARSE);
	ck_assert_str_eq(optfile_error(),
	    "t.sys:2: ERRORLOGName: the quote \" is not closed");
}
END_TEST

START_TEST(stanzas)
{
	struct optfile *f = parse(OPTFILE_SYS,
	    "* head\nDEFAULTServer b\nMIGRATEServer a\nWEIRDGLOBAL 1\n"
	    "SErvername a\n  TCPPort 1500\n\n"
	    "se b\n  TCPPort 1600\n"
	    "REPLSERVERName r\n  REPLTCPPort 1700\n");

	ck_assert_uint_eq(f->nstanzas, 3);
	ck_assert_str_eq(f->stanzas[0].name, "a");
	ck_assert_str_eq(f->stanzas[1].name, "b");
	ck_assert_int_eq(f->stanzas[1].repl, 0);
	ck_assert_int_eq(f->stanzas[2].repl, 1);
	ck_assert_int_eq(f->lines[1].stanza, OPTFILE_GLOBAL);
	ck_assert_int_eq(f->lines[3].stanza, OPTFILE_GLOBAL);
	ck_assert_int_eq(f->lines[5].stanza, 0);
	ck_assert_int_eq(f->lines[8].stanza, 1);
	ck_assert_int_eq(optfile_stanza_find(f, "B"), 1);
	ck_assert_int_eq(optfile_stanza_find(f, "c"), -1);
	ck_assert_str_eq(optfile_find(f, 1, "tcpp")->value, "1600");
	ck_assert_ptr_null(optfile_find(f, 2, "tcpp"));
	optfile_free(f);

	ck_assert_int_eq(parse_fails(OPTFILE_SYS,
	    "* x\nTCPPort 1500\nSErvername a\n"), OPTFILE_EPARSE);
	ck_assert_str_eq(optfile_error(),
	    "t.sys:2: TCPPort stands before the first SErvername stanza");
	/* In dsm.opt SErvername is a plain option: the choice of stanza. */
	f = parse(OPTFILE_OPT, "TCPPort 1500\nSErvername a\nSSL yes\n");
	ck_assert_uint_eq(f->nstanzas, 0);
	ck_assert_str_eq(optfile_find(f, OPTFILE_GLOBAL, "ssl")->value,
	    "yes");
	optfile_free(f);
}
END_TEST

START_TEST(bad_lines_name_file_and_line)
{
	ck_assert_int_eq(parse_fails(OPTFILE_SYS,
	    "SErvername a\n   TCP host\n"), OPTFILE_ENAME);
	ck_assert_ptr_nonnull(strstr(optfile_error(), "t.sys:2: TCP is"));
	ck_assert_int_eq(parse_fails(OPTFILE_SYS,
	    "SErvername a\n\n   TCPPort 0\n"), OPTFILE_EVALUE);
	ck_assert_ptr_nonnull(strstr(optfile_error(), "t.sys:3: TCPPort"));
	ck_assert_int_eq(parse_fails(OPTFILE_SYS, "SErvername\n"),
	    OPTFILE_EPARSE);
	ck_assert_str_eq(optfile_error(), "t.sys:1: SErvername needs a value");
	ck_assert_int_eq(parse_fails(OPTFILE_OPT, "SSL maybe\n"),
	    OPTFILE_EVALUE);
	ck_assert_int_eq(optfile_parse("t.sys", OPTFILE_OPT,
	    "NODename a\nSSL\0YES\n", 18, &(struct optfile *){ NULL }),
	    OPTFILE_EPARSE);
	ck_assert_str_eq(optfile_error(), "t.sys:2: a NUL byte in the line");
	ck_assert_int_eq(parse_fails(OPTFILE_OPT, "NODename a\rSSL YES\n"),
	    OPTFILE_EPARSE);
}
END_TEST

START_TEST(duplicates_warn_last_wins)
{
	struct optfile *f = parse(OPTFILE_SYS,
	    "SErvername a\n TCPPort 1500\n DOMain /a\n DOMain /b\n"
	    " tcpport 1501\nSErvername b\n TCPPort 1502\nSErvername A\n");

	ck_assert_uint_eq(f->nwarnings, 2);
	ck_assert_str_eq(f->warnings[0], "t.sys:5: TCPPort is set again "
	    "(first at line 2); the last one wins");
	ck_assert_str_eq(f->warnings[1], "t.sys:8: stanza A is already at "
	    "line 1; the first one is used");
	ck_assert_str_eq(optfile_find(f, 0, "TCPPort")->value, "1501");
	ck_assert_int_eq(optfile_stanza_find(f, "a"), 0);
	optfile_free(f);
}
END_TEST

/*
 * Thousands of stanzas go through the index of stanza names: every one
 * found by its name in any case, the first of two of the same name and
 * kind found and warned about, a failover stanza kept apart from a
 * stanza of the same name, and nothing else folded together.
 */
START_TEST(many_stanzas_by_name)
{
	enum { N = 5000 };
	size_t cap = (size_t)N * 40 + 256, len = 0;
	char *text = malloc(cap), name[32], want[128];
	struct optfile *f;

	ck_assert_ptr_nonnull(text);
	for (int i = 1; i <= N; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "SErvername S%d\n TCPPort 1500\n", i);
	len += (size_t)snprintf(text + len, cap - len,
	    "SErvername s17\n"			/* line 2N + 1 */
	    "REPLSERVERName S17\n"		/* 2N + 2, another kind */
	    "REPLSERVERName s17\n"		/* 2N + 3 */
	    "REPLSERVERName onlyrepl\n"		/* 2N + 4 */
	    "SErvername x[\nSErvername x{\n"	/* '[' and '{' do not fold */
	    "SErvername x@\nSErvername x`\n");
	f = parse(OPTFILE_SYS, text);
	ck_assert_uint_eq(f->nstanzas, N + 8);
	ck_assert_uint_eq(f->nwarnings, 2);
	snprintf(want, sizeof(want), "t.sys:%d: stanza s17 is already at "
	    "line 33; the first one is used", 2 * N + 1);
	ck_assert_str_eq(f->warnings[0], want);
	snprintf(want, sizeof(want), "t.sys:%d: stanza s17 is already at "
	    "line %d; the first one is used", 2 * N + 3, 2 * N + 2);
	ck_assert_str_eq(f->warnings[1], want);

	for (int i = 1; i <= N; i++) {
		snprintf(name, sizeof(name), i % 2 ? "s%d" : "S%d", i);
		ck_assert_int_eq(optfile_stanza_find(f, name), i - 1);
	}
	ck_assert_int_eq(optfile_stanza_find(f, "S5000"), N - 1);
	ck_assert_int_eq(optfile_stanza_find(f, "s17"), 16);
	ck_assert_int_eq(optfile_stanza_find(f, "ONLYREPL"), N + 3);
	ck_assert_int_eq(optfile_stanza_find(f, "x["), N + 4);
	ck_assert_int_eq(optfile_stanza_find(f, "X{"), N + 5);
	ck_assert_int_eq(optfile_stanza_find(f, "x@"), N + 6);
	ck_assert_int_eq(optfile_stanza_find(f, "x`"), N + 7);
	ck_assert_int_eq(optfile_stanza_find(f, "S5001"), -1);
	ck_assert_int_eq(optfile_stanza_find(f, "S"), -1);
	ck_assert_int_eq(optfile_stanza_find(f, ""), -1);
	ck_assert_str_eq(optfile_find(f, N - 1, "TCPPort")->value, "1500");
	optfile_free(f);
	free(text);
}
END_TEST

START_TEST(line_endings_bom_final_newline)
{
	struct optfile *f = parse(OPTFILE_OPT, "X1 1\r\nX2 2\r\nX3 3");

	ck_assert_str_eq(f->eol, "\r\n");
	ck_assert_str_eq(f->lines[0].eol, "\r\n");
	ck_assert_str_eq(f->lines[0].value, "1");
	ck_assert_str_eq(f->lines[2].eol, "");
	optfile_free(f);
	f = parse(OPTFILE_OPT, "\xef\xbb\xbfNODename x\n");
	ck_assert_int_eq(f->bom, 1);
	ck_assert_str_eq(f->lines[0].name, "NODename");
	optfile_free(f);
	f = parse(OPTFILE_OPT, "");
	ck_assert_uint_eq(f->nlines, 0);
	ck_assert_str_eq(f->eol, "\n");
	optfile_free(f);
}
END_TEST

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	ck_assert_ptr_nonnull(fp);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

START_TEST(golden_round_trips)
{
	const char *files[] = { "multi.dsm.sys", "unix.dsm.opt",
	    "crlf.dsm.sys", "bom.dsm.opt", "windows.dsm.opt",
	    "datamover.dsm.opt", "datamover.dsm.sys", "nofinalnl.dsm.sys",
	    "repl.dsm.sys", "dup.dsm.sys" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256], *orig, *out;
		size_t olen, len;
		struct optfile *f;

		snprintf(path, sizeof(path), "tests/data/%s", files[i]);
		orig = slurp(path, &olen);
		ck_assert_msg(optfile_load(path, optfile_kind_for_path(path),
		    &f) == OPTFILE_OK, "%s", optfile_error());
		ck_assert_int_eq(optfile_render(f, &out, &len), OPTFILE_OK);
		ck_assert_msg(len == olen && memcmp(out, orig, len) == 0,
		    "%s does not round-trip", path);
		free(out);
		free(orig);
		optfile_free(f);
	}
}
END_TEST

START_TEST(bad_files_are_refused)
{
	const char *files[] = { "unterminated-quote.dsm.sys:3",
	    "port-range.dsm.sys:3", "yesno.dsm.sys:2",
	    "sslrequired.dsm.sys:2", "before-stanza.dsm.sys:2",
	    "too-short.dsm.sys:2", "ambiguous.dsm.sys:2",
	    "no-value.dsm.sys:2", "no-stanza-name.dsm.sys:1",
	    "lone-cr.dsm.sys:1" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];
		struct optfile *f = NULL;
		size_t n = strcspn(files[i], ":");

		snprintf(path, sizeof(path), "tests/data/bad/%.*s", (int)n,
		    files[i]);
		ck_assert_int_ne(optfile_load(path, OPTFILE_SYS, &f),
		    OPTFILE_OK);
		ck_assert_ptr_null(f);
		ck_assert_msg(strncmp(optfile_error(), path, strlen(path)) == 0
		    && strstr(optfile_error(), files[i] + n) != NULL,
		    "%s: %s", files[i], optfile_error());
	}
}
END_TEST

START_TEST(effective_values_and_defaults)
{
	struct optfile *sys = parse(OPTFILE_SYS,
	    "SErvername a\n TCPPort 1600\n SSL yes\n"
	    "SErvername b\n TCPADMINPort 1601\n");
	struct optfile *opt = parse(OPTFILE_OPT,
	    "SErvername b\nSSL no\nNODename fromopt\nVMCUSER u\n");
	struct optfile_value v;
	struct optfile_value *all;
	size_t n;

	ck_assert_int_eq(optfile_effective(sys, 0, opt, "ssl", &v), 0);
	ck_assert_str_eq(v.value, "yes");
	ck_assert_int_eq(v.is_default, 0);
	ck_assert_int_eq(v.line, 3);
	ck_assert_int_eq(optfile_yes(&v), 1);
	ck_assert_int_eq(optfile_effective(sys, 1, opt, "ssl", &v), 0);
	ck_assert_str_eq(v.value, "no");
	ck_assert_str_eq(v.file, "t.sys");
	ck_assert_int_eq(optfile_effective(sys, 0, opt, "TCPADMINPort", &v),
	    0);
	ck_assert_str_eq(v.value, "1600");
	ck_assert_int_eq(v.is_default, 1);
	ck_assert_int_eq(optfile_effective(sys, 1, opt, "TCPADMINPort", &v),
	    0);
	ck_assert_str_eq(v.value, "1601");
	ck_assert_int_eq(optfile_effective(sys, 1, opt, "TCPPort", &v), 0);
	ck_assert_str_eq(v.value, "1500");
	ck_assert_int_eq(v.is_default, 1);
	ck_assert_int_eq(optfile_effective(sys, 1, opt, "sslacc", &v),
	    OPTFILE_ENAME);
	ck_assert_int_eq(optfile_effective(sys, 1, opt,
	    "SSLACCEPTCERTFROMSERV", &v), 0);
	ck_assert_int_eq(optfile_yes(&v), 1);
	ck_assert_int_eq(optfile_effective(sys, 1, opt, "ASNODEname", &v),
	    0);
	ck_assert_ptr_null(v.value);
	ck_assert_int_eq(optfile_yes(&v), -1);

	ck_assert_int_eq(optfile_effective_all(sys, 1, opt, &all, &n), 0);
	ck_assert_str_eq(all[0].name, "SErvername");
	ck_assert_str_eq(all[0].value, "b");
	ck_assert_str_eq(all[n - 1].name, "VMCUSER");
	ck_assert_str_eq(all[n - 1].value, "u");
	free(all);
	optfile_free(sys);
	optfile_free(opt);
}
END_TEST

/* Every line of an option that accumulates, stanza first, in file order. */
START_TEST(every_value_of_what_accumulates)
{
	struct optfile *sys = parse(OPTFILE_SYS,
	    "SErvername a\n EXCLUDE /a\n excl.dir /x\n INCL /b\n"
	    " EXCLUDE.DIR /p\n exclude /c\n exclude.dir /q\n"
	    " DOMain /s\n TCPPort 1\n TCPPort 2\n"
	    "SErvername b\n EXCLUDE /z\n");
	struct optfile *opt = parse(OPTFILE_OPT,
	    "DOMain /o1\nEXCLUDE.DIR /r\ndom /o2\n");
	struct optfile_value v, *all;
	size_t n;

	ck_assert_int_eq(optfile_effective(sys, 0, opt, "EXCL", &v), 0);
	ck_assert_int_eq(v.multi, 1);
	ck_assert_str_eq(v.value, "/c");
	ck_assert_int_eq(optfile_effective_each(sys, 0, opt, "EXCL", &all,
	    &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(all[0].value, "/a");
	ck_assert_int_eq(all[0].line, 2);
	ck_assert_str_eq(all[1].value, "/c");
	ck_assert_str_eq(all[1].name, "EXCLude");
	free(all);

	ck_assert_int_eq(optfile_effective_each(sys, 0, opt, "exclude.dir",
	    &all, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(all[0].value, "/p");
	ck_assert_str_eq(all[1].value, "/q");
	ck_assert_str_eq(all[2].value, "/r");
	ck_assert_str_eq(all[2].file, "t.sys");
	ck_assert_int_eq(all[2].line, 2);
	free(all);

	ck_assert_int_eq(optfile_effective_each(sys, 0, opt, "DOMain", &all,
	    &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(all[0].value, "/s");
	ck_assert_str_eq(all[1].value, "/o1");
	ck_assert_str_eq(all[2].value, "/o2");
	free(all);

	/* A single-valued option: the one in effect. */
	ck_assert_int_eq(optfile_effective_each(sys, 0, opt, "TCPPort", &all,
	    &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(all[0].multi, 0);
	ck_assert_str_eq(all[0].value, "2");
	free(all);
	ck_assert_int_eq(optfile_effective_each(sys, 1, NULL, "INCLude", &all,
	    &n), 0);
	ck_assert_uint_eq(n, 0);
	free(all);
	optfile_free(sys);
	optfile_free(opt);
}
END_TEST

START_TEST(which_stanza)
{
	struct optfile *sys = parse(OPTFILE_SYS,
	    "REPLSERVERName r\n x 1\nSErvername a\nSErvername B\n");
	struct optfile *head = parse(OPTFILE_SYS,
	    "DEFAULTServer b\nSErvername a\nSErvername B\n");
	struct optfile *opt = parse(OPTFILE_OPT, "* c\nSErvername a\n");
	struct optfile *nosel = parse(OPTFILE_OPT, "NODename n\n");
	const char *why;
	int s;

	ck_assert_int_eq(optfile_pick_stanza(sys, opt, "b", &s, &why), 0);
	ck_assert_int_eq(s, 2);
	ck_assert_str_eq(why, "-server");
	ck_assert_int_eq(optfile_pick_stanza(head, opt, NULL, &s, &why), 0);
	ck_assert_int_eq(s, 0);
	ck_assert_str_eq(why, "SErvername in dsm.opt");
	ck_assert_int_eq(optfile_pick_stanza(head, nosel, NULL, &s, &why), 0);
	ck_assert_int_eq(s, 1);
	ck_assert_str_eq(why, "DEFAULTServer in dsm.sys");
	ck_assert_int_eq(optfile_pick_stanza(sys, nosel, NULL, &s, &why), 0);
	ck_assert_int_eq(s, 1);
	ck_assert_int_eq(optfile_pick_stanza(NULL, nosel, NULL, &s, &why), 0);
	ck_assert_int_eq(s, OPTFILE_GLOBAL);
	ck_assert_int_eq(optfile_pick_stanza(sys, opt, "zz", &s, &why),
	    OPTFILE_ENOTFOUND);
	optfile_free(opt);
	opt = parse(OPTFILE_OPT, "* c\nSErvername zz\n");
	ck_assert_int_eq(optfile_pick_stanza(sys, opt, NULL, &s, &why),
	    OPTFILE_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(optfile_error(), "t.sys:2: SErvername "
	    "zz"));
	optfile_free(sys);
	optfile_free(head);
	optfile_free(opt);
	optfile_free(nosel);
}
END_TEST

/* -setopt's table of the client's documented names (optfile/known.c). */
START_TEST(documented_names_and_nearest)
{
	static const struct {
		const char *name;
		int documented;
		const char *nearest;	/* NULL: no guess */
	} t[] = {
		{ "SSLACCEPTCERTFROMSERV", 1, "SSLACCEPTCERTFROMSERV" },
		{ "sslacceptcertfromserv", 1, "SSLACCEPTCERTFROMSERV" },
		{ "SSLACCEPTCERTFROMSERVER", 0, "SSLACCEPTCERTFROMSERV" },
		{ "SCHEDMOD", 1, "SCHEDMODe" },
		{ "SCHEDMO", 0, "SCHEDMODe" },
		{ "tcps", 1, NULL },
		{ "TCPSERVERADDRES", 1, "TCPServeraddress" },
		{ "TCPSERVERADRESS", 0, "TCPServeraddress" },
		{ "NEWCLIENTOPTION", 0, NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		const char *n = optfile_nearest(t[i].name);

		ck_assert_msg(optfile_documented(t[i].name) == t[i].documented,
		    "%s", t[i].name);
		if (t[i].nearest == NULL && strlen(t[i].name) > 8)
			ck_assert_msg(n == NULL, "%s: %s", t[i].name, n);
		else if (t[i].nearest != NULL)
			ck_assert_msg(n != NULL && strcmp(n, t[i].nearest) == 0,
			    "%s: %s", t[i].name, n ? n : "(none)");
	}
	/* Every option dsmcert reads is one the client documents. */
	for (size_t i = 0; i < optfile_nopts; i++)
		ck_assert_msg(optfile_documented(optfile_opts[i].name),
		    "%s", optfile_opts[i].name);
}
END_TEST

Suite *
optfile_suite(void)
{
	Suite *s = suite_create("optfile");
	TCase *names = tcase_create("names");
	TCase *grammar = tcase_create("grammar");

	tcase_add_test(names, table_min_is_the_upper_case_part);
	tcase_add_test(names, every_abbreviation_from_minimum_to_full);
	tcase_add_test(names, one_letter_short_is_an_error);
	tcase_add_test(names, spec_examples);
	tcase_add_test(names, ambiguous_prefixes);
	tcase_add_test(names, unknown_options_are_not_errors);
	tcase_add_test(names, which_options_accumulate);
	tcase_add_test(names, values_of_known_options);
	tcase_add_test(names, documented_names_and_nearest);
	suite_add_tcase(s, names);
	tcase_add_test(grammar, comments_blanks_and_indentation);
	tcase_add_test(grammar, quoted_values);
	tcase_add_test(grammar, stanzas);
	tcase_add_test(grammar, bad_lines_name_file_and_line);
	tcase_add_test(grammar, duplicates_warn_last_wins);
	tcase_add_test(grammar, many_stanzas_by_name);
	tcase_add_test(grammar, line_endings_bom_final_newline);
	tcase_add_test(grammar, golden_round_trips);
	tcase_add_test(grammar, bad_files_are_refused);
	tcase_add_test(grammar, effective_values_and_defaults);
	tcase_add_test(grammar, every_value_of_what_accumulates);
	tcase_add_test(grammar, which_stanza);
	suite_add_tcase(s, grammar);
	return s;
}
