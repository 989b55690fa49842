#ifndef DSMCERT_POLICY_H
#define DSMCERT_POLICY_H

#include <stddef.h>

/*
 * The trust policy of dsmcert(1), TRUST POLICY, for one node and one server, as a pure
 * function: facts in, the case and what the node needs out. No I/O.
 */

/* An option of the node's stanza, and where it lives. */
struct policy_opt {
	const char *value;	/* in effect; NULL: unset, the default holds */
	const char *file;	/* where it is set, else where it would go */
	const char *stanza;	/* NULL: the file has no stanzas */
	int line;		/* where it is set; 0 when unset */
};

struct policy_facts {
	const char *server;	/* inventory section: the certificate label */
	int current;		/* 7.1.8 <= v < 8 or v >= 8.1.2 */
	int autocert;		/* automatic distribution allowed */
	int encrypt;		/* all data must be encrypted */
	unsigned tlsport;	/* legacy TLS port; 0: not known */
	struct policy_opt ssl;		/* SSL, default NO */
	struct policy_opt acceptcert;	/* SSLACCEPTCERTFROMSERV, default YES */
	struct policy_opt tcpport;	/* TCPPort, default 1500 */
	int have_cert;		/* the server's certificate or a CA root for
				   it is in the key database */
	const char *certfile;	/* NULL: none available */
	const char *stale;	/* the certfile's certificate cannot be
				   imported (expired, not yet valid): why;
				   certfile is then NULL */
	/* Trust over time (dsmcert(1)); NULL: nothing of the kind. */
	const char *renew_label;	/* the certfile holds a renewed
					   certificate, to import beside the
					   old one under this label */
	const char *retire;	/* old certificates that have expired */
	const char *expired;	/* certificates relied on that have expired */
};

/* The rows of the table in dsmcert(1), TRUST POLICY. */
enum policy_case {
	POLICY_FASTPATH,	/* current, automatic distribution allowed */
	POLICY_NOAUTO,		/* current, automatic distribution not allowed */
	POLICY_HAVECERT,	/* current, the node has the certificate */
	POLICY_LEGACY,		/* legacy, TLS not required */
	POLICY_LEGACY_TLS,	/* legacy, TLS required (or in use) */
};

enum policy_kind {
	POLICY_OPTION,		/* an option of the stanza has a value */
	POLICY_CERT,		/* the certificate is in the key database */
	POLICY_RENEW,		/* the renewed one beside the old one too */
	POLICY_RETIRE,		/* no expired old certificate kept */
	POLICY_EXPIRED,		/* none it relies on has expired */
};

/*
 * One requirement, met or not. Strings are borrowed from the facts (or
 * static): the result lives no longer than they do.
 */
struct policy_item {
	enum policy_kind kind;
	int met;
	/* POLICY_OPTION */
	const char *option;	/* the documented spelling */
	char value[12];		/* wanted */
	const char *have;	/* in effect, default included */
	int have_default;	/* have is the default: the option is unset */
	const char *file, *stanza;
	/* POLICY_CERT, POLICY_RENEW: import certfile as label; certfile
	   NULL when the certificate must first be obtained by hand. A held
	   option: the certificate it waits for. */
	const char *certfile, *label;
	const char *detail;	/* POLICY_RETIRE, POLICY_EXPIRED: which */
	const char *why;
	/*
	 * An unmet option that must wait: the switch to TLS, while the
	 * certificate it needs (label) is neither in the key database nor
	 * at hand to import.
	 */
	int held;
};

#define POLICY_MAXITEMS 8

struct policy_result {
	enum policy_case pcase;
	int current;
	int encrypt;		/* the "any, all data encrypted" row applies */
	struct policy_item items[POLICY_MAXITEMS];
	size_t nitems;
	const char *note;	/* advice for later; NULL: none */
};

void policy_decide(const struct policy_facts *f, struct policy_result *r);

/* An option's YES/NO value as the client reads it; def when absent. */
int policy_yes(const char *v, int def);

/* Every item met: nothing to do. */
int policy_compliant(const struct policy_result *r);

/*
 * An unmet item that dsmcert can carry out now: not "obtain by hand",
 * not held.
 */
int policy_item_doable(const struct policy_item *it);

/* "fastpath", "noauto", "havecert", "legacy", "legacy-tls". */
const char *policy_case_name(enum policy_case c);
/* The row of the table, in words. */
const char *policy_case_text(enum policy_case c);

/*
 * The item as a requirement ("SSL YES in stanza S of F") and, when not
 * met, as an action ("set SSL YES in stanza S of F", and what it waits
 * for when held). Truncated to bufsz.
 */
void policy_item_text(const struct policy_item *it, char *buf, size_t bufsz);
void policy_action_text(const struct policy_item *it, char *buf,
    size_t bufsz);

#endif
