#include <stddef.h>

#include "dsmcert/cli.h"

/* Every command, once: dispatch and -help both read this table. */
const struct command commands[] = {
	{ "add", cmd_add, NULL, "server file label replace force "
	    "pkcs11 token id pinfile", 0,
	    "-add [-server NAME] -file PATH [-label L] [-replace] [-force] | "
	    "-add [-server NAME] -pkcs11 MODULE [-token LABEL] [-id HEX] "
	    "[-pinfile FILE] [-label L] [-replace] [-force]",
	    "import the certificate(s) in PATH, for server NAME or as CA roots" },
	{ "list", cmd_list, NULL, "server label pkcs11 token id pinfile", 0,
	    "-list [-server NAME] [-label L] [-json] | "
	    "-list -pkcs11 MODULE [-token LABEL] [-id HEX] [-pinfile FILE] "
	    "[-json]",
	    "list the certificates in the key database" },
	{ "delete", cmd_delete, NULL, "server label", 0,
	    "-delete -label L | -delete -server NAME",
	    "remove a certificate, or all of a server's" },
	{ "export", cmd_export, NULL, "label file pkcs12", 0,
	    "-export -label L -file OUT",
	    "write a certificate as PEM" },
	{ "show", cmd_show, NULL, "label", 0,
	    "-show -label L [-json]",
	    "one certificate in full: extensions, key, trust, servers" },
	{ "modify", cmd_modify, NULL, "label trust force dryrun", 0,
	    "-modify -label L -trust T [-force] [-dryrun]",
	    "change a certificate's trust in place (P,, C,, CT,, or ,,)" },
	{ "rename", cmd_rename, NULL, "label to dryrun", 0,
	    "-rename -label OLD -to NEW [-dryrun]",
	    "rename a certificate and its key; the server record follows" },
	{ "passwd", cmd_passwd, NULL, "newpwfile", 0,
	    "-passwd [-pwfile OLD] -newpwfile NEW",
	    "change the key database password (and its stash file)" },
	{ "where", cmd_where, NULL, "optfile server", 0,
	    "-where [-json]",
	    "print the key database and option files in use, and why" },
	{ "query", cmd_query, NULL, "optfile server", -1,
	    "-query [-optfile FILE] [-server NAME] [OPTION...] [-json]",
	    "print the effective option values of a node's stanza" },
	{ "setopt", cmd_setopt, NULL, "optfile server force", 2,
	    "-setopt [-optfile FILE] [-server NAME] [-force] OPTION VALUE",
	    "set an option in a node's option files, safely" },
	{ "unsetopt", cmd_unsetopt, NULL, "optfile server", 1,
	    "-unsetopt [-optfile FILE] [-server NAME] OPTION",
	    "remove an option from a node's option files, safely" },
	{ "policy", cmd_policy, NULL, "", 0,
	    "-policy [-config FILE] [-json]",
	    "what each node needs from each server, what is in place, "
	    "what is missing" },
	{ "configure", cmd_configure, NULL, "dryrun prune server online "
	    "timeout", 0,
	    "-configure [-config FILE] [-dryrun] [-prune [-server NAME] "
	    "[-online [-timeout S]]] [-json]",
	    "import the certificates and edit the option files the policy "
	    "asks for" },
	{ "check", cmd_check, NULL, "days prom online timeout", 0,
	    "-check [-config FILE] [-days N] [-json] [-prom FILE] "
	    "[-online [-timeout S]]",
	    "monitoring: the certificates the nodes rely on, and days left "
	    "(exit 0-3, as a plugin)" },
	{ "gen", cmd_gen, "csr", "c sp cl on hn ou email san eku keytype label "
	    "out renew", 0,
	    "-gen csr -c CC -sp STATE -cl CITY -on ORG -hn HOST [-ou OU] "
	    "[-email E] [-san DNS:a,IP:b] [-eku clientAuth|serverAuth|both] "
	    "[-keytype T] [-label L] -out FILE | "
	    "-gen csr -renew L [-keytype T] -out FILE",
	    "generate a key pair in the key database and a request for it" },
	{ "ca", cmd_ca, "create", "label subject days keytype", 0,
	    "-ca create -label L -subject DN [-days N] [-keytype T]",
	    "make an internal CA, its key in the key database" },
	{ "sign", cmd_sign, NULL, "file ca days out", 0,
	    "-sign -file REQ.csr -ca L [-days N] -out CERT",
	    "sign a request with an internal CA" },
	{ "receive", cmd_receive, NULL, "file chain force", 0,
	    "-receive -file SIGNED [-chain FILE] [-force]",
	    "install a signed certificate on its key, with its chain" },
	{ "import", cmd_import, NULL, "pkcs12 label force", 0,
	    "-import -pkcs12 FILE -pwfile PW [-label L] [-force]",
	    "import a key, its certificate and chain from PKCS#12" },
	{ "verify", cmd_verify, NULL, "server optfile host port timeout "
	    "clientlabel", 0,
	    "-verify -server NAME [-optfile F | -config F] [-host H] "
	    "[-port P] [-timeout S] [-clientlabel L] [-json]",
	    "connect to a server and say whether this machine trusts it" },
	{ "fetch", cmd_fetch, NULL, "server optfile host port timeout pin "
	    "label", 0,
	    "-fetch -server NAME [-optfile F | -config F] [-host H] "
	    "[-port P] [-timeout S] [-pin SHA256] [-label L] [-json]",
	    "show the certificates a server presents; with -pin, import it" },
	{ "help", cmd_help, NULL, "", -1,
	    "-help [COMMAND]",
	    "print help" },
	{ "version", cmd_version, NULL, "", 0,
	    "-version",
	    "print the version" },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);
