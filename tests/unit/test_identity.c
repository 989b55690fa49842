#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "dsmcert/trust/identity.h"
#include "dsmcert/trust/inventory.h"

#define DAY 86400
#define NOW ((int64_t)1800000000)

/* A certificate as the key database lists it; only what is judged. */
static struct keydb_cert
cert(const char *label, const char *sha, int has_key, int64_t nb, int64_t na)
{
	struct keydb_cert c;

	memset(&c, 0, sizeof(c));
	c.label = (char *)label;
	snprintf(c.sha256, sizeof(c.sha256), "%s", sha);
	c.has_key = has_key;
	c.not_before = nb;
	c.not_after = na;
	return c;
}

/* The state of the identity with sha, judged with warn_days 90. */
static enum identity_state
state(struct keydb_cert *v, size_t n, const struct identity_ack *acks,
    size_t nacks, const char *sha, size_t *count)
{
	struct keydb_certs all = { v, n };
	struct identity *ids;
	enum identity_state s = (enum identity_state)-1;

	*count = identity_judge(&all, NOW, 90, acks, nacks, &ids);
	for (size_t i = 0; i < *count; i++)
		if (strcmp(ids[i].c->sha256, sha) == 0)
			s = ids[i].state;
	free(ids);
	return s;
}

START_TEST(states)
{
	static const struct {
		int64_t left;		/* seconds to not-after */
		enum identity_state want;
	} rows[] = {
		{ 365 * DAY, IDENTITY_OK },
		{ 90 * DAY, IDENTITY_OK },
		{ 89 * DAY + 3600, IDENTITY_EXPIRING },
		{ 20 * DAY, IDENTITY_EXPIRING },
		{ 1, IDENTITY_EXPIRING },
		{ 0, IDENTITY_EXPIRED },
		{ -5 * DAY, IDENTITY_EXPIRED },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct keydb_cert c = cert("node1", "AA", 1, NOW - DAY,
		    NOW + rows[i].left);
		size_t n;

		ck_assert_int_eq(state(&c, 1, NULL, 0, "AA", &n), rows[i].want);
		ck_assert_uint_eq(n, 1);
	}
}
END_TEST

START_TEST(only_with_key)
{
	struct keydb_cert v[] = {
		cert("SERVER1", "AA", 0, NOW - DAY, NOW + 5 * DAY),
		cert("node1", "BB", 1, NOW - DAY, NOW + 500 * DAY),
	};
	size_t n;

	ck_assert_int_eq(state(v, 2, NULL, 0, "BB", &n), IDENTITY_OK);
	ck_assert_uint_eq(n, 1);	/* a server's certificate is no identity */
}
END_TEST

START_TEST(renewed)
{
	/* The later not-before is the identity; the other is replaced. */
	struct keydb_cert v[] = {
		cert("node1", "OLD", 1, NOW - 300 * DAY, NOW + 10 * DAY),
		cert("node1", "NEW", 1, NOW - DAY, NOW + 364 * DAY),
		cert("node2", "OTHER", 1, NOW - 300 * DAY, NOW + 10 * DAY),
	};
	struct keydb_certs all = { v, 3 };
	size_t n;

	ck_assert_int_eq(state(v, 3, NULL, 0, "OLD", &n), IDENTITY_REPLACED);
	ck_assert_int_eq(state(v, 3, NULL, 0, "NEW", &n), IDENTITY_OK);
	ck_assert_int_eq(state(v, 3, NULL, 0, "OTHER", &n),
	    IDENTITY_EXPIRING);
	ck_assert_str_eq(identity_current(&all, "node1")->sha256, "NEW");
	ck_assert_ptr_null(identity_current(&all, "nosuch"));
}
END_TEST

START_TEST(acknowledged)
{
	struct keydb_cert c = cert("node1", "AA", 1, NOW - DAY, NOW + 20 * DAY);
	struct identity_ack until_later = { "aa", "2099-01-01", NOW + DAY };
	struct identity_ack until_now = { "AA", "today", NOW };
	struct identity_ack passed = { "AA", "2020-01-01", NOW - 1 };
	struct identity_ack other = { "BB", "2099-01-01", NOW + DAY };
	size_t n;

	ck_assert_int_eq(state(&c, 1, &until_later, 1, "AA", &n),
	    IDENTITY_ACKED);
	ck_assert_int_eq(state(&c, 1, &until_now, 1, "AA", &n),
	    IDENTITY_ACKED);
	ck_assert_int_eq(state(&c, 1, &passed, 1, "AA", &n),
	    IDENTITY_EXPIRING);
	ck_assert_int_eq(state(&c, 1, &other, 1, "AA", &n),
	    IDENTITY_EXPIRING);
	/* An ack never hides a certificate that is fine. */
	c.not_after = NOW + 400 * DAY;
	ck_assert_int_eq(state(&c, 1, &until_later, 1, "AA", &n),
	    IDENTITY_OK);
}
END_TEST

START_TEST(ack_parse)
{
	static const char *const sha = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:"
	    "23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
	static const struct {
		const char *sha, *until, *why;	/* why NULL: accepted */
	} rows[] = {
		{ sha, "2027-01-31", NULL },
		{ "abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		    "0123456789", "2028-02-29", NULL },
		{ sha, "2027-02-29", "until" },
		{ sha, "2027-13-01", "until" },
		{ sha, "27-01-01", "until" },
		{ sha, "2027-01-01x", "until" },
		{ "AB:CD", "2027-01-01", "sha256" },
		{ "ZZ", "2027-01-01", "sha256" },
		{ "abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		    "012345678900", "2027-01-01", "sha256" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct inv_ack a;
		const char *why = NULL;
		int rc;

		memset(&a, 0, sizeof(a));
		rc = inv_ack_parse(rows[i].sha, rows[i].until, &a, &why);
		if (rows[i].why == NULL) {
			ck_assert_int_eq(rc, 0);
			ck_assert_str_eq(a.sha256, sha);
			ck_assert_str_eq(a.until, rows[i].until);
		} else {
			ck_assert_int_eq(rc, -1);
			ck_assert_str_eq(why, rows[i].why);
		}
	}
}
END_TEST

START_TEST(ack_end_of_day)
{
	struct inv_ack a;
	const char *why;

	ck_assert_int_eq(inv_ack_parse("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:"
	    "23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
	    "2027-01-31", &a, &why), 0);
	/* 2027-01-31T23:59:59Z: quiet through that whole day, UTC. */
	ck_assert_int_eq(a.until_t, 1801439999);
}
END_TEST

Suite *
identity_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *t = tcase_create("judge");

	tcase_add_test(t, states);
	tcase_add_test(t, only_with_key);
	tcase_add_test(t, renewed);
	tcase_add_test(t, acknowledged);
	tcase_add_test(t, ack_parse);
	tcase_add_test(t, ack_end_of_day);
	suite_add_tcase(s, t);
	return s;
}
