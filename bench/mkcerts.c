/*
 * mkcerts N BUNDLE [DIR]: N self-signed certificates, serial i and
 * subject CN=bench-i, all on one EC P-256 key, not CAs (so both tools
 * give them the peer trust P,,). BUNDLE gets all of them as PEM; DIR, when
 * given, gets each alone as DIR/i.pem.
 *
 * One openssl req per certificate costs a process start and a config
 * load, about 90 ms apiece on a loaded machine: 15 minutes for 10,000.
 * One process signing in a loop takes a second or two.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static void
die(const char *what)
{
	fprintf(stderr, "mkcerts: %s failed\n", what);
	exit(1);
}

static X509 *
make(EVP_PKEY *key, long i)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509_EXTENSION *bc;
	X509V3_CTX ctx;
	char cn[32];

	if (x == NULL || name == NULL)
		die("X509_new");
	snprintf(cn, sizeof(cn), "bench-%ld", i);
	if (!X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), i) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_subject_name(x, name) || !X509_set_issuer_name(x, name) ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -86400) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400) == NULL ||
	    !X509_set_pubkey(x, key))
		die("building a certificate");
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	bc = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
	    "critical,CA:FALSE");
	if (bc == NULL || !X509_add_ext(x, bc, -1))
		die("basicConstraints");
	X509_EXTENSION_free(bc);
	X509_NAME_free(name);
	if (!X509_sign(x, key, EVP_sha256()))
		die("X509_sign");
	return x;
}

int
main(int argc, char **argv)
{
	EVP_PKEY *key;
	FILE *bundle, *one;
	char path[4096];
	long n, i;

	if (argc < 3 || argc > 4 || (n = atol(argv[1])) < 1) {
		fprintf(stderr, "usage: mkcerts N BUNDLE [DIR]\n");
		return 64;
	}
	key = EVP_EC_gen("P-256");
	if (key == NULL)
		die("EVP_EC_gen");
	bundle = fopen(argv[2], "w");
	if (bundle == NULL)
		die(argv[2]);
	for (i = 1; i <= n; i++) {
		X509 *x = make(key, i);

		if (!PEM_write_X509(bundle, x))
			die("PEM_write_X509");
		if (argc == 4) {
			snprintf(path, sizeof(path), "%s/%ld.pem", argv[3], i);
			one = fopen(path, "w");
			if (one == NULL || !PEM_write_X509(one, x) ||
			    fclose(one) != 0)
				die(path);
		}
		X509_free(x);
	}
	if (fclose(bundle) != 0)
		die(argv[2]);
	EVP_PKEY_free(key);
	return 0;
}
