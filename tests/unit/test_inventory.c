#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "dsmcert/trust/inventory.h"

static char dir[PATH_MAX - 64];
static char path[PATH_MAX];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "%s/inv.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dsmcert.conf", dir);
}

static void
teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
write_file(const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* Load text; expect failure with every needle in the message. */
static void
refused(const char *text, const char *needle1, const char *needle2)
{
	struct inventory inv;

	write_file(text, strlen(text));
	ck_assert_msg(inventory_load(path, &inv) == -1, "accepted:\n%s",
	    text);
	ck_assert_msg(strstr(inventory_error(), path) != NULL,
	    "no file name in '%s'", inventory_error());
	ck_assert_msg(strstr(inventory_error(), needle1) != NULL,
	    "'%s' lacks '%s'", inventory_error(), needle1);
	if (needle2 != NULL)
		ck_assert_msg(strstr(inventory_error(), needle2) != NULL,
		    "'%s' lacks '%s'", inventory_error(), needle2);
}

static const char machine[] =
	"; the example machine\n"
	"[dsmcert]\n"
	"keydb = /var/lib/dsmcert/keydb\n"
	"\n"
	"[datamover1]\n"
	"type    = node\n"
	"role    = datamover   ; a data mover\n"
	"optfile = /opt/tsm/dsm.dm1.opt\n"
	"\n"
	"[vmcli]\n"
	"type = node\n"
	"role = VMCLI\n"
	"optfile = vmcli/dsm.opt\n"
	"servers = SERVER1, Legacy_7 ,LDAP-A\n"
	"\n"
	"[SERVER1]\n"
	"type     = server\n"
	"address  = Backup-A.example.com:1500\n"
	"version  = 8.1.14\n"
	"autocert = no\n"
	"certfile = \"/var/tmp/my certs/cert256.arm\"\n"
	"encrypt  = yes\n"
	"\n"
	"[Legacy_7]\n"
	"type = server\n"
	"address = old.example.com\n"
	"version = V7.1.6.100\n"
	"encrypt = YES\n"
	"tlsport = 1543\n"
	"certfile = certs/old.arm\n"
	"\n"
	"[LDAP-A]\n"
	"type = server\n"
	"address = [fe80::1]:1600\n"
	"version = 7.1.8.300\n";

START_TEST(example_machine)
{
	struct inventory inv;
	const struct inv_server *s;
	char want[PATH_MAX + 32];

	write_file(machine, strlen(machine));
	ck_assert_msg(inventory_load(path, &inv) == 0, "%s",
	    inventory_error());
	ck_assert_str_eq(inv.keydb, "/var/lib/dsmcert/keydb");
	ck_assert_uint_eq(inv.nnodes, 2);
	ck_assert_str_eq(inv.nodes[0].name, "datamover1");
	ck_assert_int_eq(inv.nodes[0].role, INV_DATAMOVER);
	ck_assert_int_eq(inv.nodes[0].line, 5);
	ck_assert_str_eq(inv.nodes[0].optfile, "/opt/tsm/dsm.dm1.opt");
	ck_assert_ptr_null(inv.nodes[0].stanzas);
	ck_assert_int_eq(inv.nodes[1].role, INV_VMCLI);
	snprintf(want, sizeof(want), "%s/vmcli/dsm.opt", dir);
	ck_assert_str_eq(inv.nodes[1].optfile, want);
	ck_assert_uint_eq(inv.nodes[1].nstanzas, 3);
	ck_assert_str_eq(inv.nodes[1].stanzas[0], "SERVER1");
	ck_assert_str_eq(inv.nodes[1].stanzas[1], "Legacy_7");
	ck_assert_str_eq(inv.nodes[1].stanzas[2], "LDAP-A");

	ck_assert_uint_eq(inv.nservers, 3);
	s = &inv.servers[0];
	/* The spelling of the section is the certificate's label. */
	ck_assert_str_eq(s->name, "SERVER1");
	ck_assert_str_eq(s->host, "Backup-A.example.com");
	ck_assert_uint_eq(s->port, 1500);
	ck_assert_str_eq(s->version, "8.1.14");
	ck_assert_int_eq(s->current, 1);
	ck_assert_int_eq(s->autocert, 0);
	ck_assert_int_eq(s->encrypt, 1);
	ck_assert_str_eq(s->certfile, "/var/tmp/my certs/cert256.arm");
	ck_assert_uint_eq(s->tlsport, 0);
	s = &inv.servers[1];
	ck_assert_str_eq(s->name, "Legacy_7");
	ck_assert_uint_eq(s->port, 0);
	ck_assert_int_eq(s->current, 0);
	ck_assert_int_eq(s->autocert, 1);
	ck_assert_uint_eq(s->tlsport, 1543);
	snprintf(want, sizeof(want), "%s/certs/old.arm", dir);
	ck_assert_str_eq(s->certfile, want);
	s = &inv.servers[2];
	ck_assert_str_eq(s->host, "fe80::1");
	ck_assert_uint_eq(s->port, 1600);
	ck_assert_int_eq(s->current, 1);
	ck_assert_int_eq(s->encrypt, 0);
	ck_assert_ptr_null(s->certfile);
	/* Not given: the default. */
	ck_assert_int_eq(inv.warn_days, INV_WARN_DAYS);
	inventory_free(&inv);
}
END_TEST

/* Every relative path, keydb too, from the inventory's directory. */
START_TEST(relative_keydb)
{
	struct inventory inv;
	static const char text[] = "[dsmcert]\nkeydb = keydb\n";
	char want[PATH_MAX + 16], *only;

	write_file(text, strlen(text));
	ck_assert_int_eq(inventory_load(path, &inv), 0);
	snprintf(want, sizeof(want), "%s/keydb", dir);
	ck_assert_str_eq(inv.keydb, want);
	inventory_free(&inv);
	/* What commands without the inventory read: the same path. */
	ck_assert_int_eq(inventory_keydb(path, &only), 0);
	ck_assert_str_eq(only, want);
	free(only);
}
END_TEST

START_TEST(warn_days)
{
	struct inventory inv;
	static const char text[] = "[dsmcert]\nwarn_days = 30\n";
	static const char zero[] = "[dsmcert]\nwarn_days = 0\n";

	write_file(text, strlen(text));
	ck_assert_msg(inventory_load(path, &inv) == 0, "%s",
	    inventory_error());
	ck_assert_int_eq(inv.warn_days, 30);
	inventory_free(&inv);
	/* 0: no warning before a certificate expires. */
	write_file(zero, strlen(zero));
	ck_assert_int_eq(inventory_load(path, &inv), 0);
	ck_assert_int_eq(inv.warn_days, 0);
	inventory_free(&inv);
	refused("[dsmcert]\nwarn_days = soon\n", ":2: [dsmcert] warn_days:",
	    "'soon'");
	refused("[dsmcert]\nkeydb = /x\nwarn_days = -5\n",
	    ":3: [dsmcert] warn_days:", "0 to 3650");
	refused("[dsmcert]\nwarn_days = 3651\n", ":2: [dsmcert] warn_days:",
	    NULL);
	refused("[dsmcert]\nwarn_days = 90 days\n", "[dsmcert] warn_days:",
	    NULL);
	refused("[dsmcert]\nwarn_days =\n", ":2: [dsmcert] warn_days:",
	    "empty");
}
END_TEST

START_TEST(matching)
{
	struct inventory inv;
	const struct inv_server *s;
	size_t n;

	write_file(machine, strlen(machine));
	ck_assert_int_eq(inventory_load(path, &inv), 0);
	s = inventory_match(&inv, "backup-a.EXAMPLE.com", 1500, &n);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "SERVER1");
	ck_assert_uint_eq(n, 1);
	/* The address gives a port: another port is another server. */
	ck_assert_ptr_null(inventory_match(&inv, "backup-a.example.com",
	    1501, &n));
	ck_assert_uint_eq(n, 0);
	/* No port in the address: any port, the TLS port included. */
	s = inventory_match(&inv, "OLD.example.com", 1500, &n);
	ck_assert_str_eq(s->name, "Legacy_7");
	s = inventory_match(&inv, "old.example.com", 1543, &n);
	ck_assert_str_eq(s->name, "Legacy_7");
	ck_assert_ptr_null(inventory_match(&inv, "backup-a", 1500, &n));
	ck_assert_ptr_null(inventory_match(&inv, NULL, 1500, &n));
	ck_assert_ptr_nonnull(inventory_server(&inv, "ldap-a"));
	ck_assert_ptr_null(inventory_server(&inv, "nope"));
	inventory_free(&inv);
}
END_TEST

START_TEST(tlsport_matches_too)
{
	struct inventory inv;
	const struct inv_server *s;
	size_t n;
	static const char text[] =
		"[OLD]\ntype=server\naddress=old:1500\nversion=7.1.6\n"
		"encrypt=yes\ntlsport=1543\n";

	write_file(text, strlen(text));
	ck_assert_int_eq(inventory_load(path, &inv), 0);
	/* After -configure moved the node to the TLS port it still belongs. */
	s = inventory_match(&inv, "old", 1543, &n);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(inventory_match(&inv, "old", 1544, &n));
	inventory_free(&inv);
}
END_TEST

START_TEST(bad_values)
{
	refused("[s]\ntype = server\naddress = h\nversion = 8.1\n",
	    ":4: [s] version:", "'8.1'");
	refused("[s]\ntype = server\naddress = h\nversion = 8.1.2\n"
	    "autocert = maybe\n", ":5: [s] autocert:", "yes or no");
	refused("[s]\ntype = server\naddress = h:99999\nversion = 8.1.2\n",
	    ":3: [s] address:", "port");
	refused("[s]\ntype = server\naddress = h:0\nversion = 8.1.2\n",
	    "[s] address:", "port");
	refused("[s]\ntype = server\naddress = :1500\nversion = 8.1.2\n",
	    "[s] address:", "host");
	refused("[s]\ntype = server\naddress = a b\nversion = 8.1.2\n",
	    "[s] address:", NULL);
	refused("[s]\ntype = server\naddress = [::1\nversion = 8.1.2\n",
	    "[s] address:", NULL);
	refused("[s]\ntype = server\naddress = h:1500:1\nversion = 8.1.2\n",
	    "[s] address:", "IPv6");
	refused("[s]\ntype = server\naddress = [h]:1500\nversion = 8.1.2\n",
	    "[s] address:", "IPv6");
	refused("[s]\ntype = server\naddress = h\nversion = 8.1.2\n"
	    "tlsport = 15x\n", ":5: [s] tlsport:", NULL);
	refused("[s]\ntype = server\naddress = h\nversion = 8.1.2\n"
	    "encrypt = \n", ":5: [s] encrypt:", NULL);
	refused("[n]\ntype = node\nrole = server\noptfile = /x\n",
	    ":3: [n] role:", "datamover");
	refused("[n]\ntype = node\nrole = client\noptfile = /x\n"
	    "servers = , ,\n", ":5: [n] servers:", NULL);
	refused("[n]\ntype = node\nrole = client\noptfile = /x\n"
	    "servers = A b a\n", "[n] servers:", "twice");
	refused("[n]\ntype = printer\n", ":2: [n] type:", "node, server or ack");
	refused("[n]\ntype = node\nrole = client\noptfile =\n",
	    ":4: [n] optfile:", "empty");
	refused("[s]\ntype = server\naddress = h\nversion = 7.1.6\n"
	    "encrypt = yes\n", ":1: [s]:", "tlsport");
}
END_TEST

START_TEST(missing_and_unknown_keys)
{
	refused("[s]\ntype = server\nversion = 8.1.2\n", ":1: [s]:",
	    "missing key 'address'");
	refused("[s]\ntype = server\naddress = h\n", "[s]:",
	    "missing key 'version'");
	refused("[n]\nrole = client\n", "[n]:", "missing key 'type'");
	refused("[n]\ntype = node\noptfile = /x\n", "[n]:",
	    "missing key 'role'");
	refused("[n]\ntype = node\nrole = vmcli\n", "[n]:",
	    "missing key 'optfile'");
	refused("[n]\ntype = node\nrole = vmcli\noptfile = /x\n"
	    "Colour = blue\n", ":5: [n] colour:", "unknown key");
	refused("[dsmcert]\nkeydb = /x\nkeydir = /y\n", ":3: [dsmcert] keydir:",
	    "unknown key");
	refused("[s]\ntype = server\naddress = h\nversion = 8.1.2\n"
	    "tlsport = 1\nservers = a\n", ":6: [s] servers:", "unknown key");
}
END_TEST

START_TEST(structure)
{
	refused("keydb = /x\n[dsmcert]\n", ":1:", "before the first");
	refused("[a]\ntype = node\n[A]\n", ":3:", "repeats");
	refused("[SERVER1]\ntype = server\naddress = h\nversion = 8.1.2\n"
	    "[server1]\n", ":5:", "repeats [SERVER1] of line 1");
	refused("[a]\ntype = node\ntype = server\n", ":3: [a] type:",
	    "again");
	refused("[a]\ntype\n", ":2:", "expected");
	refused("[a:b]\ntype = node\n", ":1:", "':'");
	refused("[]\n", ":1:", "empty");
	refused("[a\n", ":1:", "closing");
	refused("[a] junk\n", ":1:", "after the section");
	refused("[a]\ntype = no\\\nde\n", ":2:", "backslash");
	refused("[a b]\ntype = node\nrole = client\noptfile = /x\n",
	    ":1: [a b]:", "letters");
	refused("[s1]\ntype = server\naddress = h\nversion = 8.1.2\n"
	    "[s2]\ntype = server\naddress = H:1500\nversion = 8.1.2\n",
	    ":5: [s2] address:", "[s1]");
}
END_TEST

START_TEST(hostile_input)
{
	struct inventory inv;
	char *big;
	unsigned char junk[4096];
	FILE *f;

	/* An empty file is a machine with nothing described. */
	write_file("", 0);
	ck_assert_int_eq(inventory_load(path, &inv), 0);
	ck_assert_uint_eq(inv.nnodes + inv.nservers, 0);
	inventory_free(&inv);

	/* Binary garbage. */
	f = fopen("/dev/urandom", "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);
	/*
	 * A control character on a short first line, whatever the random
	 * bytes: without the newline, a first line over the length limit
	 * is refused for its length before its bytes are looked at.
	 */
	junk[0] = 0x01;
	junk[1] = '\n';
	write_file((const char *)junk, sizeof(junk));
	ck_assert_int_eq(inventory_load(path, &inv), -1);
	ck_assert_ptr_nonnull(strstr(inventory_error(), "control character"));
	ck_assert_ptr_nonnull(strstr(inventory_error(), ":1:"));
	write_file("[a]\ntype = n\0de\n", 16);
	ck_assert_int_eq(inventory_load(path, &inv), -1);
	ck_assert_ptr_nonnull(strstr(inventory_error(), ":2:"));

	/* A byte-order mark: iniparser would misread the first line. */
	refused("\xef\xbb\xbf[a]\n", ":1:", "byte-order mark");

	/* A huge line. */
	big = malloc(200000);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', 199999);
	memcpy(big, "[a]\nk=", 6);
	big[199999] = '\0';
	refused(big, ":2:", "longer than");
	free(big);

	/* A missing file, a directory. */
	ck_assert_int_eq(inventory_load("/nonexistent/dsmcert.conf", &inv),
	    -1);
	ck_assert_ptr_nonnull(strstr(inventory_error(),
	    "/nonexistent/dsmcert.conf: "));
	ck_assert_int_eq(inventory_load(dir, &inv), -1);
	ck_assert_ptr_nonnull(strstr(inventory_error(), "directory"));
}
END_TEST

Suite *
inventory_suite(void)
{
	Suite *s = suite_create("inventory");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, example_machine);
	tcase_add_test(tc, warn_days);
	tcase_add_test(tc, relative_keydb);
	tcase_add_test(tc, matching);
	tcase_add_test(tc, tlsport_matches_too);
	tcase_add_test(tc, bad_values);
	tcase_add_test(tc, missing_and_unknown_keys);
	tcase_add_test(tc, structure);
	tcase_add_test(tc, hostile_input);
	suite_add_tcase(s, tc);
	return s;
}
