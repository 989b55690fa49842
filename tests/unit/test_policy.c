#include <string.h>
#include <strings.h>

#include "tests/unit/unit.h"
#include "dsmcert/trust/policy.h"

#define SYS "/opt/tsm/dsm.sys"

/* A node's stanza talking to one server; nothing set, nothing imported. */
static struct policy_facts
facts(int current, int autocert, int encrypt)
{
	struct policy_facts f;

	memset(&f, 0, sizeof(f));
	f.server = "SERVER1";
	f.current = current;
	f.autocert = autocert;
	f.encrypt = encrypt;
	f.ssl.file = f.acceptcert.file = f.tcpport.file = SYS;
	f.ssl.stanza = f.acceptcert.stanza = f.tcpport.stanza = "server1_dm";
	f.certfile = "/var/tmp/cert256.arm";
	return f;
}

/* The unmet item for option (or the certificate when option is NULL). */
static const struct policy_item *
unmet(const struct policy_result *r, const char *option)
{
	for (size_t i = 0; i < r->nitems; i++) {
		const struct policy_item *it = &r->items[i];

		if (it->met)
			continue;
		if (option == NULL ? it->kind == POLICY_CERT :
		    it->kind == POLICY_OPTION &&
		    strcmp(it->option, option) == 0)
			return it;
	}
	return NULL;
}

static size_t
nunmet(const struct policy_result *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nitems; i++)
		n += !r->items[i].met;
	return n;
}

static int
has_item(const struct policy_result *r, const char *option)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (option == NULL ? r->items[i].kind == POLICY_CERT :
		    r->items[i].kind == POLICY_OPTION &&
		    strcmp(r->items[i].option, option) == 0)
			return 1;
	return 0;
}

static void
want_set(const struct policy_result *r, const char *option, const char *v)
{
	const struct policy_item *it = unmet(r, option);

	ck_assert_msg(it != NULL, "no action for %s", option);
	ck_assert_str_eq(it->value, v);
	ck_assert_str_eq(it->file, SYS);
	ck_assert_str_eq(it->stanza, "server1_dm");
	ck_assert(policy_item_doable(it));
}

static void
want_import(const struct policy_result *r)
{
	const struct policy_item *it = unmet(r, NULL);

	ck_assert_msg(it != NULL, "no import");
	ck_assert_str_eq(it->certfile, "/var/tmp/cert256.arm");
	ck_assert_str_eq(it->label, "SERVER1");
	ck_assert(policy_item_doable(it));
}

/*
 * What -configure does with the actions, done to the facts; deciding
 * again must find nothing to do and the same case.
 */
static char portbuf[12];

static void
settles(struct policy_facts f, const struct policy_result *r)
{
	struct policy_result again;

	for (size_t i = 0; i < r->nitems; i++) {
		const struct policy_item *it = &r->items[i];

		if (it->met || !policy_item_doable(it))
			continue;
		if (it->kind == POLICY_CERT)
			f.have_cert = 1;
		else if (strcmp(it->option, "SSL") == 0)
			f.ssl.value = it->value;
		else if (strcmp(it->option, "TCPPort") == 0)
			f.tcpport.value = strcpy(portbuf, it->value);
		else
			f.acceptcert.value = it->value;
	}
	policy_decide(&f, &again);
	ck_assert_msg(policy_compliant(&again), "not settled after actions");
	ck_assert_uint_eq(nunmet(&again), 0);
	policy_decide(&f, &again);
	ck_assert(policy_compliant(&again));
}

/* Row 1 of dsmcert(1) TRUST POLICY: current, automatic distribution allowed. */
START_TEST(row_fastpath)
{
	struct policy_facts f = facts(1, 1, 0);
	struct policy_result r;

	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_FASTPATH);
	ck_assert(r.current);
	ck_assert(policy_compliant(&r));
	ck_assert(has_item(&r, "SSLACCEPTCERTFROMSERV"));
	ck_assert(!has_item(&r, NULL));
	ck_assert(!has_item(&r, "SSL"));

	/*
	 * Acceptance turned off and nothing to import: never turned back
	 * on; the certificate is left to obtain by hand, and a note says
	 * YES would do.
	 */
	f.acceptcert.value = "no";
	f.acceptcert.line = 12;
	f.certfile = NULL;
	policy_decide(&f, &r);
	ck_assert(!policy_compliant(&r));
	ck_assert(!has_item(&r, "SSLACCEPTCERTFROMSERV"));
	ck_assert_uint_eq(nunmet(&r), 1);
	ck_assert_ptr_nonnull(unmet(&r, NULL));
	ck_assert(!policy_item_doable(unmet(&r, NULL)));
	ck_assert_ptr_nonnull(r.note);
	ck_assert_ptr_nonnull(strstr(r.note, "could be YES"));
	f.have_cert = 1;
	policy_decide(&f, &r);
	ck_assert(policy_compliant(&r));
	f.have_cert = 0;

	/* Acceptance off, certificate at hand: import it, keep NO. */
	f.certfile = "/var/tmp/cert256.arm";
	policy_decide(&f, &r);
	ck_assert_uint_eq(nunmet(&r), 1);
	ck_assert(!has_item(&r, "SSLACCEPTCERTFROMSERV"));
	want_import(&r);
	ck_assert_ptr_nonnull(strstr(r.note, "could be YES"));
	settles(f, &r);
}
END_TEST

/* Row 2: current, automatic distribution not allowed (LDAP, CA-signed). */
START_TEST(row_noauto)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;

	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_NOAUTO);
	ck_assert(!policy_compliant(&r));
	ck_assert_uint_eq(nunmet(&r), 2);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	want_import(&r);
	ck_assert(!has_item(&r, "SSL"));
	settles(f, &r);

	/* Without a certificate file the import is left to the admin. */
	f.certfile = NULL;
	f.acceptcert.value = "NO";
	policy_decide(&f, &r);
	ck_assert(!policy_compliant(&r));
	ck_assert_ptr_nonnull(unmet(&r, NULL));
	ck_assert(!policy_item_doable(unmet(&r, NULL)));
}
END_TEST

/* Row 3: current, node already has the certificate. */
START_TEST(row_havecert)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;

	f.have_cert = 1;
	f.acceptcert.value = "yes";	/* does not apply */
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_HAVECERT);
	ck_assert(policy_compliant(&r));
	ck_assert(!has_item(&r, "SSLACCEPTCERTFROMSERV"));
	ck_assert(has_item(&r, NULL));
	ck_assert_ptr_nonnull(r.note);
	f.autocert = 1;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_HAVECERT);
	ck_assert(policy_compliant(&r));
}
END_TEST

/* Row 4: legacy, TLS not required. */
START_TEST(row_legacy)
{
	struct policy_facts f = facts(0, 1, 0);
	struct policy_result r;

	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY);
	ck_assert(!r.current);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	want_import(&r);
	ck_assert(!has_item(&r, "SSL"));
	ck_assert(!has_item(&r, "TCPPort"));
	settles(f, &r);

	/* No certificate yet: only the option now, the import later. */
	f.certfile = NULL;
	policy_decide(&f, &r);
	ck_assert_uint_eq(nunmet(&r), 1);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	ck_assert(!has_item(&r, NULL));
	ck_assert_ptr_nonnull(r.note);
	settles(f, &r);
}
END_TEST

/* Row 5: legacy, TLS required. */
START_TEST(row_legacy_tls)
{
	struct policy_facts f = facts(0, 0, 1);
	struct policy_result r;

	f.tlsport = 1543;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY_TLS);
	ck_assert_uint_eq(nunmet(&r), 3);
	want_set(&r, "SSL", "YES");
	want_set(&r, "TCPPort", "1543");
	want_import(&r);
	ck_assert(!has_item(&r, "SSLACCEPTCERTFROMSERV"));
	settles(f, &r);

	/*
	 * No certificate and none to import: the switch to TLS is held,
	 * both its edits, and only the certificate is left to do.
	 */
	f.certfile = NULL;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY_TLS);
	ck_assert_uint_eq(nunmet(&r), 3);
	ck_assert(unmet(&r, "SSL")->held);
	ck_assert(unmet(&r, "TCPPort")->held);
	ck_assert_str_eq(unmet(&r, "SSL")->label, "SERVER1");
	ck_assert(!policy_item_doable(unmet(&r, "SSL")));
	ck_assert(!policy_item_doable(unmet(&r, "TCPPort")));
	ck_assert(!policy_item_doable(unmet(&r, NULL)));
	ck_assert_ptr_nonnull(strstr(r.note, "held"));
	/* SSL YES set by hand: the port waits all the same. */
	f.ssl.value = "YES";
	policy_decide(&f, &r);
	ck_assert_uint_eq(nunmet(&r), 2);
	ck_assert(unmet(&r, "TCPPort")->held);
	/* The certificate in place releases them. */
	f.ssl.value = NULL;
	f.have_cert = 1;
	policy_decide(&f, &r);
	ck_assert_uint_eq(nunmet(&r), 2);
	ck_assert(!unmet(&r, "SSL")->held);
	want_set(&r, "SSL", "YES");
	want_set(&r, "TCPPort", "1543");
	ck_assert_ptr_null(r.note);
	settles(f, &r);
	f.have_cert = 0;
	f.certfile = "/var/tmp/cert256.arm";

	/* Ports compare as numbers. */
	f.ssl.value = "Yes";
	f.tcpport.value = "1543";
	f.have_cert = 1;
	policy_decide(&f, &r);
	ck_assert(policy_compliant(&r));
	f.tcpport.value = "15x";
	policy_decide(&f, &r);
	want_set(&r, "TCPPort", "1543");
}
END_TEST

/* Row 6: any server, all data must be encrypted. */
START_TEST(row_encrypt)
{
	struct policy_facts f = facts(1, 1, 1);
	struct policy_result r;

	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_FASTPATH);
	ck_assert(r.encrypt);
	ck_assert_uint_eq(nunmet(&r), 1);
	want_set(&r, "SSL", "YES");
	settles(f, &r);

	f = facts(1, 0, 1);
	f.have_cert = 1;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_HAVECERT);
	want_set(&r, "SSL", "YES");

	f = facts(0, 1, 1);
	f.tlsport = 1543;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY_TLS);
	want_set(&r, "SSL", "YES");
}
END_TEST

/* Seed 002: server upgraded first, existing nodes without SSL. */
START_TEST(scenario_server_first_no_ssl)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;

	f.tcpport.value = "1500";
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_NOAUTO);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	want_import(&r);
	settles(f, &r);
}
END_TEST

/* Seed 002: server upgraded first, existing nodes using SSL. */
START_TEST(scenario_server_first_ssl)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;

	f.ssl.value = "YES";
	f.tcpport.value = "1543";
	f.have_cert = 1;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_HAVECERT);
	ck_assert(policy_compliant(&r));
	ck_assert_uint_eq(nunmet(&r), 0);
}
END_TEST

/* Seed 002: client upgraded first, nodes without SSL; server later. */
START_TEST(scenario_client_first_no_ssl)
{
	struct policy_facts f = facts(0, 0, 0);
	struct policy_result r;

	f.certfile = NULL;	/* the new server certificate does not exist */
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY);
	ck_assert_uint_eq(nunmet(&r), 1);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	settles(f, &r);

	/* Then the server is upgraded: the import is due now. */
	f.acceptcert.value = "NO";
	f.current = 1;
	f.certfile = "/var/tmp/cert256.arm";
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_NOAUTO);
	ck_assert_uint_eq(nunmet(&r), 1);
	want_import(&r);
	settles(f, &r);
}
END_TEST

/* Seed 002: client upgraded first, nodes using SSL; server later. */
START_TEST(scenario_client_first_ssl)
{
	struct policy_facts f = facts(0, 0, 0);
	struct policy_result r;

	f.ssl.value = "yes";
	f.tcpport.value = "1543";
	f.tlsport = 1543;
	f.have_cert = 1;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY_TLS);
	ck_assert(policy_compliant(&r));
	ck_assert(!has_item(&r, "SSLACCEPTCERTFROMSERV"));

	/* The server upgrades: the existing certificate carries on. */
	f.current = 1;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_HAVECERT);
	ck_assert(policy_compliant(&r));
}
END_TEST

/* Seed 002: one node, several servers upgraded at different times. */
START_TEST(scenario_several_servers)
{
	struct policy_facts a = facts(1, 0, 0);	/* upgraded */
	struct policy_facts b = facts(0, 0, 0);	/* not yet */
	struct policy_facts c = facts(0, 0, 1);	/* legacy, SSL required */
	struct policy_result ra, rb, rc;

	b.server = "SERVER2";
	b.certfile = NULL;
	c.server = "SERVER3";
	c.tlsport = 1600;
	policy_decide(&a, &ra);
	policy_decide(&b, &rb);
	policy_decide(&c, &rc);
	/* Session security is per server. */
	ck_assert_int_eq(ra.pcase, POLICY_NOAUTO);
	ck_assert_int_eq(rb.pcase, POLICY_LEGACY);
	ck_assert_int_eq(rc.pcase, POLICY_LEGACY_TLS);
	want_import(&ra);
	ck_assert(!has_item(&rb, NULL));
	ck_assert_str_eq(unmet(&rc, NULL)->label, "SERVER3");
	ck_assert(!has_item(&ra, "SSL"));
	ck_assert(!has_item(&rb, "SSL"));
	want_set(&rc, "SSL", "YES");
	want_set(&rc, "TCPPort", "1600");
	settles(a, &ra);
	settles(b, &rb);
	settles(c, &rc);

	/* SERVER2 is upgraded later, its certificate now at hand. */
	b.acceptcert.value = "NO";
	b.current = 1;
	b.certfile = "/var/tmp/cert256.arm";
	policy_decide(&b, &rb);
	ck_assert_int_eq(rb.pcase, POLICY_NOAUTO);
	ck_assert_uint_eq(nunmet(&rb), 1);
	ck_assert_str_eq(unmet(&rb, NULL)->label, "SERVER2");
}
END_TEST

/* Seed 002: new installations. */
START_TEST(scenario_new_current_encrypted)
{
	struct policy_facts f = facts(1, 0, 1);
	struct policy_result r;

	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_NOAUTO);
	ck_assert_uint_eq(nunmet(&r), 3);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	want_set(&r, "SSL", "YES");
	want_import(&r);
	settles(f, &r);
}
END_TEST

START_TEST(scenario_new_current_plain)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;

	policy_decide(&f, &r);
	ck_assert_uint_eq(nunmet(&r), 2);
	ck_assert(!has_item(&r, "SSL"));
	settles(f, &r);
}
END_TEST

START_TEST(scenario_new_legacy_encrypted)
{
	struct policy_facts f = facts(0, 0, 1);
	struct policy_result r;

	f.tlsport = 1543;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY_TLS);
	want_set(&r, "SSL", "YES");
	want_import(&r);
	want_set(&r, "TCPPort", "1543");
	settles(f, &r);
}
END_TEST

START_TEST(scenario_new_legacy_plain)
{
	struct policy_facts f = facts(0, 0, 0);
	struct policy_result r;

	f.certfile = NULL;
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY);
	ck_assert_uint_eq(nunmet(&r), 1);
	want_set(&r, "SSLACCEPTCERTFROMSERV", "NO");
	ck_assert(!has_item(&r, "SSL"));
	settles(f, &r);
}
END_TEST

static const struct policy_item *
unmet_kind(const struct policy_result *r, enum policy_kind kind)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (!r->items[i].met && r->items[i].kind == kind)
			return &r->items[i];
	return NULL;
}

/* Trust over time: a renewal, its old certificate expired, or nothing new. */
START_TEST(over_time)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;
	const struct policy_item *it;
	char buf[1024];

	/* Renewed: the old one still in place, the new one goes beside it. */
	f.have_cert = 1;
	f.renew_label = "SERVER1 #2";
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_HAVECERT);
	ck_assert_uint_eq(nunmet(&r), 1);
	it = unmet_kind(&r, POLICY_RENEW);
	ck_assert_ptr_nonnull(it);
	ck_assert(policy_item_doable(it));
	policy_action_text(it, buf, sizeof(buf));
	ck_assert_str_eq(buf, "import /var/tmp/cert256.arm as SERVER1 #2, "
	    "beside the old certificate (renewed)");

	/* Its old certificate has expired: retired, by -configure too. */
	f.retire = "\"SERVER1\" (SHA-256 AB:CD), expired on 2026-01-01T00:00:00Z";
	policy_decide(&f, &r);
	ck_assert_uint_eq(nunmet(&r), 2);
	it = unmet_kind(&r, POLICY_RETIRE);
	ck_assert_ptr_nonnull(it);
	ck_assert(policy_item_doable(it));
	policy_action_text(it, buf, sizeof(buf));
	ck_assert_str_eq(buf, "retire \"SERVER1\" (SHA-256 AB:CD), expired "
	    "on 2026-01-01T00:00:00Z");

	/* Both done: compliant; a renewal in its overlap is a note only. */
	f.renew_label = NULL;
	f.retire = NULL;
	policy_decide(&f, &r);
	ck_assert(policy_compliant(&r));

	/* Expired, nothing newer at hand: a person must get the new one. */
	f.expired = "\"SERVER1\" (SHA-256 AB:CD), expired on 2026-01-01T00:00:00Z";
	policy_decide(&f, &r);
	ck_assert(!policy_compliant(&r));
	it = unmet_kind(&r, POLICY_EXPIRED);
	ck_assert_ptr_nonnull(it);
	ck_assert(!policy_item_doable(it));
	policy_action_text(it, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "obtain the renewed certificate of "
	    "SERVER1 (\"SERVER1\" (SHA-256 AB:CD), expired on"));
	policy_item_text(it, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a valid certificate of SERVER1 in the key "
	    "database");

	/* The same for a legacy server the node reaches over TLS. */
	f = facts(0, 1, 1);
	f.tlsport = 1543;
	f.have_cert = 1;
	f.renew_label = "SERVER1 #2";
	policy_decide(&f, &r);
	ck_assert_int_eq(r.pcase, POLICY_LEGACY_TLS);
	ck_assert_ptr_nonnull(unmet_kind(&r, POLICY_RENEW));
	ck_assert_ptr_null(unmet(&r, NULL));
}
END_TEST

START_TEST(texts)
{
	struct policy_facts f = facts(1, 0, 0);
	struct policy_result r;
	char buf[512];

	f.acceptcert.value = "Yes";
	policy_decide(&f, &r);
	policy_action_text(unmet(&r, "SSLACCEPTCERTFROMSERV"), buf,
	    sizeof(buf));
	ck_assert_str_eq(buf, "set SSLACCEPTCERTFROMSERV NO in stanza "
	    "server1_dm of " SYS " (from Yes)");
	policy_item_text(unmet(&r, "SSLACCEPTCERTFROMSERV"), buf,
	    sizeof(buf));
	ck_assert_str_eq(buf, "SSLACCEPTCERTFROMSERV NO in stanza "
	    "server1_dm of " SYS);
	policy_action_text(unmet(&r, NULL), buf, sizeof(buf));
	ck_assert_str_eq(buf, "import /var/tmp/cert256.arm as SERVER1");
	f.certfile = NULL;
	f.acceptcert.stanza = NULL;
	policy_decide(&f, &r);
	policy_action_text(unmet(&r, NULL), buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "obtain the certificate of "
	    "SERVER1"));
	policy_action_text(unmet(&r, "SSLACCEPTCERTFROMSERV"), buf, 16);
	ck_assert_uint_eq(strlen(buf), 15);
	f = facts(0, 0, 1);
	f.certfile = NULL;
	f.tlsport = 1543;
	policy_decide(&f, &r);
	policy_action_text(unmet(&r, "SSL"), buf, sizeof(buf));
	ck_assert_str_eq(buf, "set SSL YES in stanza server1_dm of " SYS
	    " (from NO, the default) once the certificate of SERVER1 is in "
	    "the key database");
	ck_assert_str_eq(policy_case_name(POLICY_LEGACY_TLS), "legacy-tls");
	ck_assert_str_eq(policy_case_name(POLICY_FASTPATH), "fastpath");
	ck_assert_ptr_nonnull(strstr(policy_case_text(POLICY_NOAUTO),
	    "not allowed"));
}
END_TEST

Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *rows = tcase_create("spec-rows");
	TCase *scen = tcase_create("vendor-scenarios");

	tcase_add_test(rows, row_fastpath);
	tcase_add_test(rows, row_noauto);
	tcase_add_test(rows, row_havecert);
	tcase_add_test(rows, row_legacy);
	tcase_add_test(rows, row_legacy_tls);
	tcase_add_test(rows, row_encrypt);
	tcase_add_test(rows, texts);
	tcase_add_test(rows, over_time);
	tcase_add_test(scen, scenario_server_first_no_ssl);
	tcase_add_test(scen, scenario_server_first_ssl);
	tcase_add_test(scen, scenario_client_first_no_ssl);
	tcase_add_test(scen, scenario_client_first_ssl);
	tcase_add_test(scen, scenario_several_servers);
	tcase_add_test(scen, scenario_new_current_encrypted);
	tcase_add_test(scen, scenario_new_current_plain);
	tcase_add_test(scen, scenario_new_legacy_encrypted);
	tcase_add_test(scen, scenario_new_legacy_plain);
	suite_add_tcase(s, rows);
	suite_add_tcase(s, scen);
	return s;
}
