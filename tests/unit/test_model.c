#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/trust/days.h"
#include "dsmcert/trust/label.h"
#include "dsmcert/trust/policy.h"
#include "dsmcert/trust/trust.h"

/*
 * The pure core of the trust model, with a fixed now: days left, the
 * verdict on each certificate a node relies on, the label rule, and an
 * expired certfile as a step by hand.
 */

#define NOW ((int64_t)1800000000)	/* 2027-01-15T08:00:00Z */
#define MIN 60
#define DAY 86400

/* Whole days toward zero: 0 on the day of the expiry, either side. */
START_TEST(days_toward_zero)
{
	static const struct {
		int64_t offset;	/* not_after - now */
		long days;
	} t[] = {
		{ -2 * MIN, 0 },		/* expired two minutes ago */
		{ 2 * MIN, 0 },			/* expires in two minutes */
		{ 0, 0 },
		{ -(5 * DAY + MIN), -5 },	/* five days and a minute ago */
		{ 5 * DAY + MIN, 5 },
		{ -DAY + 1, 0 },
		{ -DAY, -1 },
		{ DAY - 1, 0 },
		{ DAY, 1 },
		{ 90 * DAY - 1, 89 },
		{ -3650 * DAY, -3650 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(days_between(NOW + t[i].offset, NOW) == t[i].days,
		    "offset %lld: %ld days, wanted %ld", (long long)t[i].offset,
		    days_between(NOW + t[i].offset, NOW), t[i].days);
}
END_TEST

/* The one clock: what main took is what every part reads. */
START_TEST(one_clock)
{
	clock_start(NOW);
	ck_assert_int_eq(clock_now(), NOW);
}
END_TEST

/*
 * The verdict every command gives a certificate: the old one of a
 * renewal is replaced, unless the server is seen presenting it near or
 * after its expiry (the switch is overdue).
 */
START_TEST(verdicts)
{
	static const struct {
		enum tcert_role role;
		enum tcert_state state;
		int presented;
		enum tverdict want;
	} t[] = {
		{ TCERT_CURRENT, TCERT_VALID, 0, TV_OK },
		{ TCERT_CURRENT, TCERT_VALID, 1, TV_OK },
		{ TCERT_CURRENT, TCERT_NOTYET, 0, TV_OK },
		{ TCERT_CURRENT, TCERT_EXPIRING, 0, TV_EXPIRING },
		{ TCERT_CURRENT, TCERT_EXPIRED, 0, TV_EXPIRED },
		{ TCERT_CURRENT, TCERT_EXPIRED, 1, TV_EXPIRED },
		{ TCERT_OLD, TCERT_VALID, 0, TV_REPLACED },
		{ TCERT_OLD, TCERT_VALID, 1, TV_REPLACED },
		{ TCERT_OLD, TCERT_EXPIRING, 0, TV_REPLACED },
		{ TCERT_OLD, TCERT_EXPIRING, 1, TV_EXPIRING },
		{ TCERT_OLD, TCERT_EXPIRED, 0, TV_REPLACED },
		{ TCERT_OLD, TCERT_EXPIRED, 1, TV_EXPIRED },
		{ TCERT_NEW, TCERT_VALID, 0, TV_NEW },
		{ TCERT_NEW, TCERT_EXPIRED, 0, TV_NEW },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tcert tc = { NULL, t[i].role, t[i].state, 0 };

		ck_assert_msg(tcert_verdict(&tc, t[i].presented) == t[i].want,
		    "row %zu: %s, wanted %s", i,
		    tverdict_name(tcert_verdict(&tc, t[i].presented)),
		    tverdict_name(t[i].want));
	}
	ck_assert_str_eq(tverdict_name(TV_REPLACED), "replaced");
	ck_assert_str_eq(tverdict_name(TV_MISSING), "missing");
}
END_TEST

/* One label rule: NAME, "NAME #2"...; ':' and control characters out. */
START_TEST(labels)
{
	static const struct {
		const char *label, *server;
		int want;
	} t[] = {
		{ "LDAPSRV", "LDAPSRV", 1 },
		{ "ldapsrv", "LDAPSRV", 1 },
		{ "LDAPSRV #2", "LDAPSRV", 1 },
		{ "LDAPSRV2", "LDAPSRV", 0 },
		{ "LDAPSRV#2", "LDAPSRV", 0 },
		{ "LDAP", "LDAPSRV", 0 },
		{ NULL, "LDAPSRV", 0 },
	};
	struct cm_strmap taken = { 0 }, next = { 0 };
	char *l;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(labelled_for(t[i].label, t[i].server) == t[i].want,
		    "row %zu", i);
	l = add_label("S", 1);
	ck_assert_str_eq(l, "S");
	free(l);
	l = add_label("S", 3);
	ck_assert_str_eq(l, "S #3");
	free(l);
	l = label_clean("a:b\tc");
	ck_assert_str_eq(l, "a_b_c");
	free(l);
	cm_strmap_put(&taken, "S", 0);
	cm_strmap_put(&taken, "S #2", 0);
	l = free_label(&taken, &next, "S");
	ck_assert_str_eq(l, "S #3");
	free(l);
	cm_strmap_free(&taken);
	cm_strmap_free(&next);
}
END_TEST

/* An expired certfile: the certificate is obtained by hand, said why. */
START_TEST(stale_certfile)
{
	struct policy_facts f;
	struct policy_result r;
	char buf[512];
	const struct policy_item *it = NULL;

	memset(&f, 0, sizeof(f));
	f.server = "SRVEXP";
	f.current = 1;
	f.acceptcert.value = "NO";
	f.stale = "the certificate in /x/exp.pem (SHA-256 AA) expired on "
	    "2026-11-07T08:00:00Z";
	policy_decide(&f, &r);
	for (size_t i = 0; i < r.nitems; i++)
		if (r.items[i].kind == POLICY_CERT)
			it = &r.items[i];
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->met, 0);
	ck_assert_int_eq(policy_item_doable(it), 0);
	policy_action_text(it, buf, sizeof(buf));
	ck_assert_str_eq(buf, "obtain a valid certificate of SRVEXP (the "
	    "certificate in /x/exp.pem (SHA-256 AA) expired on "
	    "2026-11-07T08:00:00Z) and name it in the inventory's certfile");
}
END_TEST

Suite *
model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *c = tcase_create("core");

	tcase_add_test(c, days_toward_zero);
	tcase_add_test(c, one_clock);
	tcase_add_test(c, verdicts);
	tcase_add_test(c, labels);
	tcase_add_test(c, stale_certfile);
	suite_add_tcase(s, c);
	return s;
}
