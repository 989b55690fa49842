#include <stddef.h>

#include "dsmcert/cli.h"

#define S(f) FLAG_ARG, offsetof(struct opts, f)
#define B(f) FLAG_BOOL, offsetof(struct opts, f), NULL

/* Every flag, once: parsing and -help both read this table. */
const struct flag flags[] = {
	{ "db", S(db), "DIR", "key database directory" },
	{ "pwfile", S(pwfile), "FILE", "file holding the key database password" },
	{ "config", S(config), "FILE", "inventory file (dsmcert.conf)" },
	{ "optfile", S(optfile), "FILE", "option file (dsm.opt or dsm.sys)" },
	{ "server", S(server), "NAME", "server name: label and stanza" },
	{ "file", S(file), "PATH", "certificate file (PEM, DER or PKCS#7; - for stdin)" },
	{ "label", S(label), "LABEL", "label of the certificate in the key database" },
	{ "out", S(out), "FILE", "output file" },
	{ "replace", B(replace), "replace the certificate already under the label" },
	{ "force", B(force), "import expired or not yet valid certificates" },
	{ "host", S(host), "HOST", "host to connect to, instead of the option file's" },
	{ "port", S(port), "PORT", "port to connect to, instead of the option file's" },
	{ "timeout", S(timeout), "SECONDS", "connection time-out (default 10)" },
	{ "pin", S(pin), "SHA256", "expected SHA-256 fingerprint of the server certificate" },
	{ "clientlabel", S(clientlabel), "LABEL", "client identity to present" },
	{ "online", B(online), "also connect to every server and judge its certificate" },
	{ "prom", S(prom), "FILE", "also write the result as Prometheus text, atomically" },
	{ "chain", S(chain), "FILE", "CA chain of a signed certificate" },
	{ "ca", S(ca), "LABEL", "signing CA" },
	{ "subject", S(subject), "DN", "subject distinguished name" },
	{ "days", S(days), "N", "validity in days; -check: warn this many days ahead" },
	{ "keytype", S(keytype), "TYPE", "rsa2048, rsa3072, ec256 or ec384" },
	{ "c", S(country), "CC", "country, two letters" },
	{ "sp", S(state), "STATE", "state or province (60 characters at most)" },
	{ "cl", S(city), "CITY", "city or locality (50 characters at most)" },
	{ "on", S(org), "ORG", "organisation (60 characters at most)" },
	{ "hn", S(hostname), "HOST", "host name (60 characters at most)" },
	{ "ou", S(orgunit), "OU", "organisational unit" },
	{ "email", S(email), "ADDR", "e-mail address" },
	{ "san", S(san), "LIST", "subjectAltName entries: DNS:name,IP:addr,..." },
	{ "eku", S(eku), "USAGE", "clientAuth, serverAuth or both" },
	{ "pkcs12", S(pkcs12), "FILE", "PKCS#12 file" },
	{ "pkcs11", S(pkcs11), "MODULE", "PKCS#11 provider library" },
	{ "token", S(token), "LABEL", "PKCS#11 token label" },
	{ "id", S(id), "HEX", "PKCS#11 object id" },
	{ "pinfile", S(pinfile), "FILE", "file holding the token PIN" },
	{ "trust", S(trust), "TRUST", "trust flags: P,, C,, CT,, or ,," },
	{ "to", S(to), "NEW", "the new label" },
	{ "newpwfile", S(newpwfile), "FILE", "file holding the new key database password" },
	{ "renew", S(renew), "LABEL", "renew this identity: its subject, subjectAltName and usage" },
	{ "json", B(json), "machine-readable output" },
	{ "dryrun", B(dryrun), "print what would be done, change nothing" },
	{ "prune", B(prune), "retire old and unused server certificates" },
	{ "q", B(quiet), "quiet: errors only" },
	{ "v", B(verbose), "verbose" },
	{ "help", B(help), "this help, or the command's" },
};
const size_t nflags = sizeof(flags) / sizeof(flags[0]);
