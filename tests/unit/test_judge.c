#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/check.h"

/*
 * -check's judgement (check_judge): the status a monitoring system acts
 * on and the first line's words, from rows, renewals and probes made up
 * here. Criticals are said before warnings, each problem once, and the
 * old certificate of a renewal or an acknowledged expiry raises nothing.
 */

#define NONE (-1)

static struct keydb_cert certs[] = {
	{ .label = "S1", .sha256 = "AA" },
	{ .label = "LDAP #2", .sha256 = "BB" },
	{ .label = "S1 #2", .sha256 = "CC" },
};

struct jrow {
	int pair, cert;		/* cert: index in certs[], or NONE */
	enum check_state state;
	long days;
};

static const struct {
	const char *name;
	int npairs;
	const char *server[3];	/* pair i is node "n<i>" and server[i] */
	int renewal[3];
	int nrows;
	struct jrow rows[3];
	int online;
	enum check_verdict verdict[3];
	enum check_status want;
	const char *has[2];	/* in the summary */
	const char *lacks;	/* not in it */
	const char *once;	/* in it exactly once */
} cases[] = {
	{ "all well", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_OK, 200 } }, 0, { 0 }, CHECK_OK,
	    { "1 certificate for 1 node and server pair, the next to expire "
	    "S1 in 200 days" }, NULL, NULL },
	{ "expiring", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_EXPIRING, 20 } }, 0, { 0 }, CHECK_WARNING,
	    { "S1 expires in 20 days" }, NULL, NULL },
	{ "one day", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_EXPIRING, 1 } }, 0, { 0 }, CHECK_WARNING,
	    { "S1 expires in 1 day" }, "1 days", NULL },
	{ "expired", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_EXPIRED, -3 } }, 0, { 0 }, CHECK_CRITICAL,
	    { "S1 expired 3 days ago" }, NULL, NULL },
	{ "missing", 1, { "S1" }, { 0 }, 1,
	    { { 0, NONE, CHECK_CERT_MISSING, 0 } }, 0, { 0 }, CHECK_CRITICAL,
	    { "n0 has no certificate for S1" }, NULL, NULL },
	{ "criticals first, the server named when the label does not", 2,
	    { "LDAP", "S1" }, { 0 }, 2,
	    { { 0, 1, CHECK_CERT_EXPIRING, 10 },
	    { 1, 0, CHECK_CERT_EXPIRED, -2 } }, 0, { 0 }, CHECK_CRITICAL,
	    { "S1 expired 2 days ago; LDAP #2 for LDAP expires in 10 days" },
	    NULL, NULL },
	{ "one certificate of two nodes, said once", 2, { "S1", "s1" },
	    { 0 }, 2,
	    { { 0, 0, CHECK_CERT_EXPIRING, 20 },
	    { 1, 0, CHECK_CERT_EXPIRING, 20 } }, 0, { 0 }, CHECK_WARNING,
	    { NULL }, NULL, "expires in 20 days" },
	{ "missing for two nodes, said for each", 2, { "S1", "S1" }, { 0 }, 2,
	    { { 0, NONE, CHECK_CERT_MISSING, 0 },
	    { 1, NONE, CHECK_CERT_MISSING, 0 } }, 0, { 0 }, CHECK_CRITICAL,
	    { "n0 has no certificate for S1; n1 has no certificate for S1" },
	    NULL, NULL },
	{ "the old one of a renewal", 1, { "S1" }, { 0 }, 2,
	    { { 0, 0, CHECK_CERT_REPLACED, -1 },
	    { 0, 2, CHECK_CERT_OK, 300 } }, 0, { 0 }, CHECK_OK,
	    { "1 certificate for 1 node and server pair, the next to expire "
	    "S1 #2 in 300 days" }, "expired", NULL },
	{ "acknowledged", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_ACKED, -5 } }, 0, { 0 }, CHECK_OK,
	    { "1 acknowledged expir" }, "expired", NULL },
	{ "a renewal not imported, one server of two pairs", 2,
	    { "S1", "S1" }, { 1, 1 }, 2,
	    { { 0, 0, CHECK_CERT_OK, 200 }, { 1, 0, CHECK_CERT_OK, 200 } }, 0,
	    { 0 }, CHECK_WARNING, { NULL }, NULL,
	    "S1: renewal delivered, not imported: run dsmcert -configure" },
	{ "online: untrusted", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_OK, 200 } }, 1, { CHECK_UNTRUSTED },
	    CHECK_CRITICAL, { "S1 at srv.example.com:1500 presents a "
	    "certificate not trusted here: why" }, NULL, NULL },
	{ "online: unreachable, one address said once", 2, { "S1", "S1" },
	    { 0 }, 2,
	    { { 0, 0, CHECK_CERT_OK, 200 }, { 1, 0, CHECK_CERT_OK, 200 } }, 1,
	    { CHECK_UNREACHABLE, CHECK_UNREACHABLE }, CHECK_WARNING,
	    { NULL }, NULL, "cannot be reached" },
	{ "online: all trusted", 1, { "S1" }, { 0 }, 1,
	    { { 0, 0, CHECK_CERT_OK, 200 } }, 1, { CHECK_TRUSTED }, CHECK_OK,
	    { "; 1 of 1 server connection trusted" }, NULL, NULL },
	{ "online: first contact is no failure", 1, { "S1" }, { 0 }, 0,
	    { { 0 } }, 1, { CHECK_FIRST_CONTACT }, CHECK_OK,
	    { "no node relies on a certificate in the key database (1 node "
	    "and server pair)", "0 of 1 server connection trusted, 1 first "
	    "contact" }, NULL, NULL },
};

static int
count(const char *s, const char *sub)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, sub)) != NULL; p++)
		n++;
	return n;
}

START_TEST(judge_table)
{
	static const char *const nodes[] = { "n0", "n1", "n2" };
	struct check_pair pairs[3];
	struct check_row rows[3];
	struct check_probe probes[3];
	struct check ck;

	memset(&ck, 0, sizeof(ck));
	memset(pairs, 0, sizeof(pairs));
	memset(rows, 0, sizeof(rows));
	memset(probes, 0, sizeof(probes));
	for (int i = 0; i < cases[_i].npairs; i++) {
		pairs[i].node = nodes[i];
		pairs[i].server = cases[_i].server[i];
		pairs[i].renewal_pending = cases[_i].renewal[i];
		probes[i].verdict = cases[_i].verdict[i];
		probes[i].host = "srv.example.com";
		probes[i].port = 1500;
		probes[i].why = "why";
	}
	for (int i = 0; i < cases[_i].nrows; i++) {
		const struct jrow *r = &cases[_i].rows[i];

		rows[i].pair = (size_t)r->pair;
		rows[i].cert = r->cert == NONE ? NULL : &certs[r->cert];
		rows[i].state = r->state;
		rows[i].days = r->days;
	}
	ck.pairs = pairs;
	ck.npairs = (size_t)cases[_i].npairs;
	ck.rows = rows;
	ck.nrows = (size_t)cases[_i].nrows;
	ck.probes = cases[_i].online ? probes : NULL;
	ck.online = cases[_i].online;
	check_judge(&ck);
	ck_assert_msg(ck.status == cases[_i].want, "%s: status %s, wanted %s",
	    cases[_i].name, check_status_name(ck.status),
	    check_status_name(cases[_i].want));
	ck_assert_ptr_nonnull(ck.summary);
	for (int k = 0; k < 2 && cases[_i].has[k] != NULL; k++)
		ck_assert_msg(strstr(ck.summary, cases[_i].has[k]) != NULL,
		    "%s: \"%s\" lacks \"%s\"", cases[_i].name, ck.summary,
		    cases[_i].has[k]);
	if (cases[_i].lacks != NULL)
		ck_assert_msg(strstr(ck.summary, cases[_i].lacks) == NULL,
		    "%s: \"%s\" has \"%s\"", cases[_i].name, ck.summary,
		    cases[_i].lacks);
	if (cases[_i].once != NULL)
		ck_assert_msg(count(ck.summary, cases[_i].once) == 1,
		    "%s: \"%s\" has \"%s\" %d times", cases[_i].name,
		    ck.summary, cases[_i].once,
		    count(ck.summary, cases[_i].once));
	free(ck.summary);
}
END_TEST

Suite *
judge_suite(void)
{
	Suite *s = suite_create("judge");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, judge_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
