#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tests/unit/unit.h"
#include "keydb/internal.h"
#include "keydb/keydb.h"

/*
 * keydb against real NSS databases in a temporary directory, with
 * certificates made by openssl.
 */
static char dir[] = "/tmp/dsmcert-unit-keydb.XXXXXX";
static char keys[] = "/tmp/dsmcert-unit-keys.XXXXXX";
static char path[4096];

static const char *
in_dir(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* Run a shell command in DIR. */
static void
sh_in(const char *where, const char *what)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "cd '%s' && %s", where, what);
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* Run a shell command in the test directory. */
static void
sh(const char *what)
{
	sh_in(dir, what);
}

/*
 * The certificates, made once for all the tests: two RSA-2048 keys are
 * most of what this suite costs. Each test gets its own copy.
 */
static void
make_certs(void)
{
	if (mkdtemp(keys) == NULL) {
		perror(keys);
		exit(EXIT_FAILURE);
	}
	sh_in(keys, "openssl req -x509 -newkey rsa:2048 -nodes -days 30 "
	    "-keyout s.key -out s.pem -subj '/O=TSM/CN=TSM Self-Signed "
	    "Certificate' -addext basicConstraints=critical,CA:FALSE "
	    "2>/dev/null");
	sh_in(keys, "openssl req -x509 -newkey rsa:2048 -nodes -days 30 "
	    "-keyout ca.key -out ca.pem -subj '/O=Corp/CN=Corp Root' "
	    "2>/dev/null && openssl x509 -in s.pem -outform DER -out s.der");
}

static void
remove_certs(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", keys);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", keys);
}

static void
setup(void)
{
	char cmd[4200];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -p '%s'/* .", keys);
	sh(cmd);
}

static void
teardown(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/dsmcert-unit-keydb.XXXXXX");
}

START_TEST(absent_database_reads_empty)
{
	struct keydb *db;
	struct keydb_certs l;

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_READ, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_exists(db), 0);
	ck_assert_int_eq(keydb_list(db, &l), KEYDB_OK);
	ck_assert_uint_eq(l.n, 0);
	keydb_close(db);
	ck_assert_int_ne(access(in_dir("db"), F_OK), 0);
}
END_TEST

START_TEST(decode_fields)
{
	struct keydb *db;
	struct keydb_certs l;
	char cmd[8192], want[128] = "";
	FILE *p;

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_READ, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_read_file(in_dir("s.pem"), &l), KEYDB_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "TSM Self-Signed Certificate");
	ck_assert_int_eq(l.v[0].is_ca, 0);
	ck_assert_int_eq(l.v[0].self_signed, 1);
	ck_assert_int_eq(l.v[0].key_rsa, 1);
	ck_assert_int_eq(l.v[0].key_bits, 2048);
	ck_assert_int_eq(l.v[0].weak_sig, 0);
	ck_assert_int_eq(l.v[0].line, 1);
	ck_assert_str_eq(keydb_default_trust(&l.v[0]), "P,,");
	ck_assert_int_lt(l.v[0].not_before, l.v[0].not_after);

	snprintf(cmd, sizeof(cmd), "openssl x509 -in %s/s.pem -noout "
	    "-fingerprint -sha256 | sed 's/.*=//'", dir);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_ptr_nonnull(fgets(want, sizeof(want), p));
	pclose(p);
	want[strcspn(want, "\n")] = '\0';
	ck_assert_str_eq(l.v[0].sha256, want);
	keydb_certs_free(&l);

	ck_assert_int_eq(keydb_read_file(in_dir("ca.pem"), &l), KEYDB_OK);
	ck_assert_int_eq(l.v[0].is_ca, 1);
	ck_assert_str_eq(keydb_default_trust(&l.v[0]), "C,,");
	keydb_certs_free(&l);
	keydb_close(db);
}
END_TEST

START_TEST(pem_and_der_agree)
{
	struct keydb *db;
	struct keydb_certs a, b;

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_READ, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_read_file(in_dir("s.pem"), &a), KEYDB_OK);
	ck_assert_int_eq(keydb_read_file(in_dir("s.der"), &b), KEYDB_OK);
	ck_assert_str_eq(a.v[0].sha256, b.v[0].sha256);
	ck_assert_uint_eq(a.v[0].derlen, b.v[0].derlen);
	keydb_certs_free(&a);
	keydb_certs_free(&b);
	keydb_close(db);
}
END_TEST

START_TEST(bad_input_in_memory)
{
	static const char garbage[] = "\x30\x82\x01\x00garbage";
	static const char nocert[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n"
	    "-----END PRIVATE KEY-----\n";
	static const char noend[] = "text\n-----BEGIN CERTIFICATE-----\nAAAA\n";
	static const char mismatch[] = "-----BEGIN CERTIFICATE-----\nAAAA\n"
	    "-----END X509 CRL-----\n";
	static const char csr[] = "-----BEGIN CERTIFICATE REQUEST-----\n"
	    "AAAA\n-----END CERTIFICATE REQUEST-----\n";
	struct keydb *db;
	struct keydb_certs l;

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_READ, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_read_mem("g", (const unsigned char *)garbage,
	    sizeof(garbage) - 1, &l), KEYDB_EINPUT);
	ck_assert_int_eq(keydb_read_mem("e", (const unsigned char *)"", 0,
	    &l), KEYDB_EINPUT);
	ck_assert_int_eq(keydb_read_mem("k", (const unsigned char *)nocert,
	    sizeof(nocert) - 1, &l), KEYDB_EINPUT);
	ck_assert_ptr_nonnull(strstr(keydb_error(), "only PRIVATE KEY"));
	ck_assert_int_eq(keydb_read_mem("t", (const unsigned char *)noend,
	    sizeof(noend) - 1, &l), KEYDB_EINPUT);
	ck_assert_ptr_nonnull(strstr(keydb_error(), "t:2: BEGIN without END"));
	ck_assert_int_eq(keydb_read_mem("m", (const unsigned char *)mismatch,
	    sizeof(mismatch) - 1, &l), KEYDB_EINPUT);
	ck_assert_int_eq(keydb_read_mem("c", (const unsigned char *)csr,
	    sizeof(csr) - 1, &l), KEYDB_EINPUT);
	ck_assert_ptr_nonnull(strstr(keydb_error(), "signing request"));
	ck_assert_ptr_null(l.v);
	keydb_close(db);
}
END_TEST

START_TEST(import_list_delete)
{
	struct keydb *db;
	struct keydb_certs f, g, l, c;
	struct stat st;
	char *pem;

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_WRITE, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_read_file(in_dir("s.pem"), &f), KEYDB_OK);
	ck_assert_int_eq(keydb_import(db, &f.v[0], "SERVER1", "P,,"),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_exists(db), 1);
	ck_assert_int_eq(stat(in_dir("db"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(in_dir("db/cert9.db"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);

	ck_assert_int_eq(keydb_list(db, &l), KEYDB_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].label, "SERVER1");
	ck_assert_str_eq(l.v[0].trust, "P,,");
	ck_assert_str_eq(l.v[0].sha256, f.v[0].sha256);
	pem = keydb_pem(&l.v[0]);
	ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN CERTIFICATE-----\n"));
	ck_assert_ptr_null(strchr(pem, '\r'));
	free(pem);
	keydb_certs_free(&l);

	/* The same certificates, in the same order, without trust. */
	ck_assert_int_eq(keydb_read_file(in_dir("ca.pem"), &g), KEYDB_OK);
	ck_assert_int_eq(keydb_import(db, &g.v[0], "A ROOT", "C,,"),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_list(db, &l), KEYDB_OK);
	ck_assert_int_eq(keydb_list_certs(db, &c), KEYDB_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_uint_eq(c.n, 2);
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_str_eq(c.v[i].label, l.v[i].label);
		ck_assert_str_eq(c.v[i].sha256, l.v[i].sha256);
		ck_assert_str_eq(c.v[i].subject, l.v[i].subject);
		ck_assert_int_eq(c.v[i].is_ca, l.v[i].is_ca);
		ck_assert_ptr_null(c.v[i].trust);
	}
	ck_assert_str_eq(c.v[0].label, "A ROOT");
	ck_assert_str_eq(l.v[0].trust, "C,,");
	keydb_certs_free(&l);
	keydb_certs_free(&c);
	ck_assert_int_eq(keydb_delete(db, &g.v[0]), KEYDB_OK);
	keydb_certs_free(&g);

	ck_assert_int_eq(keydb_server_link(db, f.v[0].sha256, "SERVER1",
	    NULL), KEYDB_OK);
	ck_assert_int_eq(keydb_commit(db), KEYDB_OK);
	ck_assert_int_eq(keydb_delete(db, &f.v[0]), KEYDB_OK);
	ck_assert_int_eq(keydb_delete(db, &f.v[0]), KEYDB_ENOTFOUND);
	ck_assert_int_eq(keydb_list(db, &l), KEYDB_OK);
	ck_assert_uint_eq(l.n, 0);
	keydb_certs_free(&f);
	keydb_close(db);
}
END_TEST

START_TEST(server_map_survives_reopen)
{
	struct keydb *db;
	struct keydb_certs f;
	char *server;
	int added;

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_WRITE, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_read_file(in_dir("s.pem"), &f), KEYDB_OK);
	ck_assert_int_eq(keydb_import(db, &f.v[0], "S", "P,,"), KEYDB_OK);
	ck_assert_int_eq(keydb_server_link(db, f.v[0].sha256, "SRV", &added),
	    KEYDB_OK);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(keydb_server_link(db, f.v[0].sha256, "srv", &added),
	    KEYDB_OK);
	ck_assert_int_eq(added, 0);	/* names compare without case */
	ck_assert_int_eq(keydb_server_link(db, f.v[0].sha256, "OTHER", NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_server_link(db, f.v[0].sha256, "bad\tname",
	    NULL), KEYDB_EINPUT);
	ck_assert_int_eq(keydb_commit(db), KEYDB_OK);
	keydb_close(db);

	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_READ, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(keydb_server_get(db, f.v[0].sha256, &server),
	    KEYDB_OK);
	ck_assert_str_eq(server, "SRV, OTHER");
	free(server);
	{
		struct keydb_strs sha, srv;

		/* Every link at once, in the order made. */
		keydb_server_links(db, &sha, &srv);
		ck_assert_uint_eq(sha.n, 2);
		ck_assert_uint_eq(srv.n, 2);
		ck_assert_str_eq(sha.v[0], f.v[0].sha256);
		ck_assert_str_eq(sha.v[1], f.v[0].sha256);
		ck_assert_str_eq(srv.v[0], "SRV");
		ck_assert_str_eq(srv.v[1], "OTHER");
		keydb_strs_free(&sha);
		keydb_strs_free(&srv);
	}
	ck_assert(keydb_server_has(db, f.v[0].sha256, "other"));
	ck_assert(!keydb_server_has(db, f.v[0].sha256, NULL));
	ck_assert_int_eq(keydb_server_unlink(db, f.v[0].sha256, "Srv"),
	    KEYDB_OK);
	ck_assert(keydb_server_relied(db, f.v[0].sha256));
	ck_assert_int_eq(keydb_server_unlink(db, f.v[0].sha256, "OTHER"),
	    KEYDB_OK);
	ck_assert(!keydb_server_relied(db, f.v[0].sha256));
	keydb_certs_free(&f);
	keydb_close(db);
}
END_TEST

/*
 * The database is shared with writers that do not take our lock (the
 * backup client, certutil): a walk in progress must never keep them
 * out, so cert9.db's exclusive lock can be had between any two reads.
 */
static int
exclusive_lock(const char *file)
{
	sqlite3 *c;
	int rc;

	ck_assert_int_eq(sqlite3_open_v2(file, &c, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	rc = sqlite3_exec(c, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		sqlite3_exec(c, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(c);
	return rc;
}

START_TEST(walk_lets_other_writers_in)
{
	struct keydb *db;
	struct kd_objs o;
	CK_OBJECT_HANDLE *h;
	CK_ATTRIBUTE a = { CKA_LABEL, NULL, 0 };
	PLArenaPool *arena;
	size_t n;

	sh("mkdir -m 700 db && certutil -N -d sql:db --empty-password && "
	    "certutil -A -d sql:db -n S1 -t P,, -i s.pem");
	ck_assert_int_eq(keydb_open(&db, in_dir("db"), KEYDB_READ, NULL),
	    KEYDB_OK);
	ck_assert_int_eq(kd_objs_open(db, &o), CKR_OK);
	h = kd_objs_find(&o, CKO_CERTIFICATE, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_nonnull(arena = PORT_NewArena(2048));
	ck_assert_int_eq(kd_objs_read(&o, arena, h[0], &a, 1), 0);
	ck_assert_int_eq(exclusive_lock(in_dir("db/cert9.db")), SQLITE_OK);
	ck_assert_int_eq(kd_objs_read(&o, arena, h[0], &a, 1), 0);
	ck_assert_int_eq(exclusive_lock(in_dir("db/key4.db")), SQLITE_OK);
	kd_objs_close(&o);
	ck_assert_int_eq(exclusive_lock(in_dir("db/cert9.db")), SQLITE_OK);
	PORT_FreeArena(arena, PR_FALSE);
	free(h);
	keydb_close(db);
}
END_TEST

Suite *
keydb_suite(void)
{
	Suite *s = suite_create("keydb");
	TCase *tc = tcase_create("nss");

	tcase_add_unchecked_fixture(tc, make_certs, remove_certs);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, absent_database_reads_empty);
	tcase_add_test(tc, decode_fields);
	tcase_add_test(tc, pem_and_der_agree);
	tcase_add_test(tc, bad_input_in_memory);
	tcase_add_test(tc, import_list_delete);
	tcase_add_test(tc, server_map_survives_reopen);
	tcase_add_test(tc, walk_lets_other_writers_in);
	suite_add_tcase(s, tc);
	return s;
}
