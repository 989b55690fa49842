#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include <prio.h>
#include <prnetdb.h>
#include <secerr.h>
#include <ssl.h>
#include <sslerr.h>
#include <sslproto.h>

#include "keydb/internal.h"

/*
 * How long, at most, to wait after a TLS 1.3 handshake for the server to
 * refuse the client certificate: in 1.3 the refusal comes after the
 * client has finished, as the server's first record.
 */
#define VERDICT_SECONDS 1

struct probe {
	const struct keydb_tls_opts *o;
	struct keydb_tls_result *r;
	PRIntervalTime deadline;
	CERTCertificate *ccert;		/* client identity */
	SECKEYPrivateKey *ckey;
	int judged;			/* the auth hook ran */
	struct keydb *db;		/* for the server record */
};

static const char *const reasons[] = {
	[KEYDB_TLS_OK] = "trusted",
	[KEYDB_TLS_UNTRUSTED] = "untrusted issuer",
	[KEYDB_TLS_EXPIRED] = "expired",
	[KEYDB_TLS_NOTYET] = "not yet valid",
	[KEYDB_TLS_USAGE] = "wrong key usage",
	[KEYDB_TLS_HOSTNAME] = "host name mismatch",
	[KEYDB_TLS_CLIENTCERT] = "client certificate",
	[KEYDB_TLS_HANDSHAKE] = "handshake failure",
	[KEYDB_TLS_REFUSED] = "connection refused",
	[KEYDB_TLS_TIMEOUT] = "time-out",
	[KEYDB_TLS_CONNECT] = "connection failed",
};

const char *
keydb_tls_reason_str(enum keydb_tls_reason r)
{
	if ((size_t)r >= sizeof(reasons) / sizeof(reasons[0]))
		return "unknown";
	return reasons[r];
}

static const char *
nsswords(PRErrorCode e)
{
	const char *s = PR_ErrorToString(e, PR_LANGUAGE_I_DEFAULT);

	if (s == NULL || *s == '\0')
		s = PR_ErrorToName(e);
	return s != NULL ? s : "unknown error";
}

/* Record the first failure only: it is the one the rest follows from. */
static void
fail(struct keydb_tls_result *r, enum keydb_tls_reason why, char *words)
{
	if (r->reason != KEYDB_TLS_OK) {
		free(words);
		return;
	}
	r->reason = why;
	r->why = words;
}

static PRIntervalTime
remaining(const struct probe *p)
{
	PRIntervalTime now = PR_IntervalNow();

	if ((PRInt32)(p->deadline - now) <= 0)
		return PR_MillisecondsToInterval(1);
	return p->deadline - now;
}

static void
add_name(struct keydb_tls_result *r, char *s)
{
	r->names = xreallocarray(r->names, r->nnames + 1, sizeof(*r->names));
	r->names[r->nnames++] = s;
}

static void
alt_names(CERTCertificate *c, struct keydb_tls_result *r)
{
	SECItem ext = { siBuffer, NULL, 0 };
	PLArenaPool *arena;
	CERTGeneralName *head, *n;

	if (CERT_FindCertExtension(c, SEC_OID_X509_SUBJECT_ALT_NAME, &ext) !=
	    SECSuccess)
		return;
	if ((arena = PORT_NewArena(2048)) == NULL)
		abort();
	head = CERT_DecodeAltNameExtension(arena, &ext);
	for (n = head; n != NULL; ) {
		const SECItem *v = &n->name.other;
		PRNetAddr a;
		char buf[64];

		if (n->type == certDNSName && v->len < 256)
			add_name(r, xasprintf("DNS:%.*s", (int)v->len,
			    (const char *)v->data));
		else if (n->type == certIPAddress &&
		    (v->len == 4 || v->len == 16)) {
			memset(&a, 0, sizeof(a));
			if (v->len == 4) {
				a.inet.family = PR_AF_INET;
				memcpy(&a.inet.ip, v->data, 4);
			} else {
				a.ipv6.family = PR_AF_INET6;
				memcpy(&a.ipv6.ip, v->data, 16);
			}
			if (PR_NetAddrToString(&a, buf, sizeof(buf)) ==
			    PR_SUCCESS)
				add_name(r, xasprintf("IP:%s", buf));
		}
		if ((n = CERT_GetNextGeneralName(n)) == head)
			break;
	}
	PORT_FreeArena(arena, PR_FALSE);
	PORT_Free(ext.data);
}

static void
keep_chain(PRFileDesc *fd, struct keydb_tls_result *r)
{
	CERTCertList *l = SSL_PeerCertificateChain(fd);
	CERTCertListNode *n;

	if (l == NULL)
		return;
	for (n = CERT_LIST_HEAD(l); !CERT_LIST_END(n, l);
	    n = CERT_LIST_NEXT(n)) {
		struct keydb_cert c;
		struct keydb_cert *v;

		if (keydb_decode(n->cert->derCert.data, n->cert->derCert.len,
		    &c) != KEYDB_OK)
			continue;
		v = xreallocarray(r->chain.v, r->chain.n + 1, sizeof(*v));
		r->chain.v = v;
		r->chain.v[r->chain.n++] = c;
	}
	CERT_DestroyCertList(l);
}

/* The first certificate up the chain that the database trusts for TLS. */
static void
find_anchor(CERTCertificate *leaf, struct keydb_tls_result *r)
{
	CERTCertificate *c = CERT_DupCertificate(leaf);

	for (int depth = 0; c != NULL && depth < 16; depth++) {
		CERTCertTrust t;
		CERTCertificate *up;

		if (CERT_GetCertTrust(c, &t) == SECSuccess &&
		    (t.sslFlags & (CERTDB_TRUSTED | CERTDB_TRUSTED_CA))) {
			struct keydb_cert d;

			if (keydb_decode(c->derCert.data, c->derCert.len, &d) ==
			    KEYDB_OK) {
				r->anchor_sha256 = xstrdup(d.sha256);
				keydb_cert_clear(&d);
			}
			break;
		}
		if (c->isRoot)
			break;
		up = CERT_FindCertIssuer(c, PR_Now(), certUsageAnyCA);
		CERT_DestroyCertificate(c);
		c = up;
	}
	if (c != NULL)
		CERT_DestroyCertificate(c);
}

/*
 * Is the leaf, byte for byte, a certificate of the key database recorded
 * for the server probed? Then it is trusted as itself, whatever its
 * trust flags: self-signed server certificates often carry CA:TRUE and
 * are stored as a CA (C,,), yet the client pins them by identity.
 */
static int
recorded_self(struct probe *p, CERTCertificate *leaf)
{
	CERTCertificate *in;
	struct keydb_cert d;
	int yes = 0;

	if (p->o->server == NULL || p->db == NULL)
		return 0;
	in = CERT_FindCertByDERCert(CERT_GetDefaultCertDB(), &leaf->derCert);
	if (in == NULL)
		return 0;
	if (in->isperm && keydb_decode(leaf->derCert.data, leaf->derCert.len,
	    &d) == KEYDB_OK) {
		yes = keydb_server_has(p->db, d.sha256, p->o->server);
		if (yes && p->r->anchor_sha256 == NULL)
			p->r->anchor_sha256 = xstrdup(d.sha256);
		keydb_cert_clear(&d);
	}
	CERT_DestroyCertificate(in);
	return yes;
}

/*
 * Judge the chain the way the backup client will: NSS's verifier with
 * the database's trust, then each check on its own so that every
 * failure can be named, not just the first NSS meets.
 */
static void
judge(PRFileDesc *fd, struct probe *p)
{
	struct keydb_tls_result *r = p->r;
	CERTCertificate *leaf = SSL_PeerCertificate(fd);
	CERTVerifyLog log = { 0 };
	CERTVerifyLogNode *n;
	CERTCertTrust lt;
	int untrusted = 0, usage = 0, expired_issuer = 0;
	PRErrorCode trust_err = 0;

	p->judged = 1;
	keep_chain(fd, r);
	if (leaf == NULL) {
		fail(r, KEYDB_TLS_HANDSHAKE, xasprintf("the server presented no "
		    "certificate"));
		return;
	}
	alt_names(leaf, r);
	find_anchor(leaf, r);

	if ((log.arena = PORT_NewArena(512)) == NULL)
		abort();
	(void)CERT_VerifyCert(CERT_GetDefaultCertDB(), leaf, PR_TRUE,
	    certUsageSSLServer, PR_Now(), NULL, &log);
	for (n = log.head; n != NULL; n = n->next) {
		switch (n->error) {
		case SEC_ERROR_EXPIRED_CERTIFICATE:
			break;	/* the leaf's dates are checked below */
		case SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE:
			expired_issuer = 1;
			break;
		case SEC_ERROR_INADEQUATE_KEY_USAGE:
		case SEC_ERROR_INADEQUATE_CERT_TYPE:
			if (n->depth == 0)
				usage = 1;
			else if (trust_err == 0)
				trust_err = n->error;
			break;
		default:
			untrusted = 1;
			if (trust_err == 0)
				trust_err = n->error;
		}
		if (n->cert != NULL)
			CERT_DestroyCertificate(n->cert);
	}
	PORT_FreeArena(log.arena, PR_FALSE);
	if (untrusted || trust_err != 0)
		untrusted = 1;

	switch (CERT_CheckCertValidTimes(leaf, PR_Now(), PR_FALSE)) {
	case secCertTimeValid:
		r->time_ok = 1;
		break;
	case secCertTimeExpired:
		break;
	default:
		r->time_ok = -1;	/* not yet valid */
	}
	r->usage_ok = !usage;
	/*
	 * Names as RFC 6125 judges them: subjectAltName only. NSS falls
	 * back to the subject's CN when there is none; dsmcert(1) does not.
	 */
	r->host_ok = r->nnames > 0 &&
	    CERT_VerifyCertName(leaf, p->o->host) == SECSuccess;
	r->trusted = !untrusted && r->anchor_sha256 != NULL;
	/*
	 * As the backup client judges it: a certificate trusted as itself
	 * (the vendor's self-signed one names no host) is trusted by its
	 * exact identity; one a CA vouches for must match the host name.
	 */
	r->peer = r->trusted && CERT_GetCertTrust(leaf, &lt) == SECSuccess &&
	    (lt.sslFlags & CERTDB_TRUSTED) != 0;
	if (!r->peer && recorded_self(p, leaf)) {
		r->trusted = r->peer = r->recorded = 1;
		untrusted = 0;
	}

	if (!r->trusted)
		fail(r, KEYDB_TLS_UNTRUSTED, r->anchor_sha256 == NULL ?
		    xasprintf("no certificate in the chain is trusted by the key "
		    "database (%s)", nsswords(trust_err ? trust_err :
		    SEC_ERROR_UNKNOWN_ISSUER)) :
		    xasprintf("%s", nsswords(trust_err)));
	if (r->time_ok == 0)
		fail(r, KEYDB_TLS_EXPIRED, xasprintf("the server certificate has "
		    "expired"));
	if (r->time_ok < 0)
		fail(r, KEYDB_TLS_NOTYET, xasprintf("the server certificate is not "
		    "yet valid"));
	if (expired_issuer) {
		r->time_ok = 0;
		fail(r, KEYDB_TLS_EXPIRED, xasprintf("a certificate that issued the "
		    "server certificate has expired"));
	}
	if (!r->usage_ok)
		fail(r, KEYDB_TLS_USAGE, xasprintf("the server certificate is not "
		    "for TLS server authentication (key usage or extended "
		    "key usage lacks serverAuth)"));
	if (!r->host_ok && !r->peer)
		fail(r, KEYDB_TLS_HOSTNAME, xasprintf("\"%s\" is not among the "
		    "server certificate's names", p->o->host));
	CERT_DestroyCertificate(leaf);
}

static SECStatus
auth_hook(void *arg, PRFileDesc *fd, PRBool checksig, PRBool isserver)
{
	struct probe *p = arg;

	(void)checksig;
	(void)isserver;
	judge(fd, p);
	if (p->r->reason == KEYDB_TLS_OK || p->o->accept_any)
		return SECSuccess;
	/* No client identity goes to a server we do not trust. */
	PORT_SetError(SSL_ERROR_BAD_CERTIFICATE);
	return SECFailure;
}

static SECStatus
client_hook(void *arg, PRFileDesc *fd, CERTDistNames *names,
    CERTCertificate **cert, SECKEYPrivateKey **key)
{
	struct probe *p = arg;

	(void)fd;
	(void)names;
	p->r->client_requested = 1;
	if (p->ccert == NULL)
		return SECFailure;	/* send no certificate */
	*cert = CERT_DupCertificate(p->ccert);
	*key = SECKEY_CopyPrivateKey(p->ckey);
	if (*key == NULL) {
		CERT_DestroyCertificate(*cert);
		*cert = NULL;
		return SECFailure;
	}
	p->r->client_sent = 1;
	return SECSuccess;
}

/* The identity under label: the exact certificate object and its key. */
static int
load_identity(struct keydb *db, const char *label, struct probe *p)
{
	struct keydb_certs all;
	const struct keydb_cert *best = NULL;
	int rc, found = 0;

	if ((rc = keydb_list(db, &all)) != KEYDB_OK)
		return rc;
	/*
	 * A renewed identity keeps its old certificate and key under the
	 * label: the one with the latest not-before is the identity, as NSS
	 * chooses among the certificates of one nickname.
	 */
	for (size_t i = 0; i < all.n; i++) {
		const struct keydb_cert *c = &all.v[i];

		if (c->label == NULL || strcmp(c->label, label) != 0)
			continue;
		found = 1;
		if (c->has_key && (best == NULL ||
		    c->not_before > best->not_before ||
		    (c->not_before == best->not_before &&
		    c->not_after > best->not_after)))
			best = c;
	}
	if (best != NULL) {
		SECItem der = { siBuffer, best->der, (unsigned)best->derlen };

		p->ccert = CERT_FindCertByDERCert(CERT_GetDefaultCertDB(),
		    &der);
		if (p->ccert != NULL &&
		    (p->ckey = PK11_FindKeyByAnyCert(p->ccert, NULL)) == NULL) {
			CERT_DestroyCertificate(p->ccert);
			p->ccert = NULL;
		}
	}
	keydb_certs_free(&all);
	if (p->ccert == NULL)
		return kd_fail(KEYDB_ENOTFOUND, "%s: %s \"%s\"", db->dir,
		    found ? "no private key for the certificate labelled" :
		    "no client identity labelled", label);
	return KEYDB_OK;
}

static void
set_reason_from_error(struct probe *p, PRErrorCode e, int connecting)
{
	struct keydb_tls_result *r = p->r;

	/*
	 * NSPR reports a refused non-blocking connect as a reset (it sees
	 * the hang-up in poll); before any byte, both mean refused.
	 */
	if (connecting && (e == PR_CONNECT_REFUSED_ERROR ||
	    e == PR_CONNECT_RESET_ERROR)) {
		fail(r, KEYDB_TLS_REFUSED, xasprintf("nothing listens there (the "
		    "connection was refused)"));
		return;
	}
	if (e == PR_IO_TIMEOUT_ERROR) {
		fail(r, KEYDB_TLS_TIMEOUT, xasprintf("no answer within %d s while %s",
		    p->o->timeout, connecting ? "connecting" :
		    "in the TLS handshake"));
		return;
	}
	if (connecting) {
		fail(r, KEYDB_TLS_CONNECT, xasprintf("cannot connect: %s",
		    nsswords(e)));
		return;
	}
	if (r->client_requested && !r->client_sent &&
	    (IS_SSL_ERROR(e) || e == PR_END_OF_FILE_ERROR ||
	    e == PR_CONNECT_RESET_ERROR)) {
		fail(r, KEYDB_TLS_CLIENTCERT, xasprintf("the server demands a client "
		    "certificate and none was presented (%s)", nsswords(e)));
		return;
	}
	if (r->client_sent && (e == SSL_ERROR_BAD_CERT_ALERT ||
	    e == SSL_ERROR_UNKNOWN_CA_ALERT ||
	    e == SSL_ERROR_REVOKED_CERT_ALERT ||
	    e == SSL_ERROR_EXPIRED_CERT_ALERT ||
	    e == SSL_ERROR_CERTIFICATE_UNKNOWN_ALERT ||
	    e == SSL_ERROR_UNSUPPORTED_CERT_ALERT ||
	    e == SSL_ERROR_HANDSHAKE_FAILURE_ALERT ||
	    e == SSL_ERROR_DECRYPT_ERROR_ALERT)) {
		fail(r, KEYDB_TLS_CLIENTCERT, xasprintf("the server refused the "
		    "client certificate \"%s\" (%s)", p->o->clientlabel,
		    nsswords(e)));
		return;
	}
	fail(r, KEYDB_TLS_HANDSHAKE, xasprintf("%s", nsswords(e)));
}

static PRFileDesc *
connect_to(struct probe *p)
{
	PRAddrInfo *ai = NULL;
	PRNetAddr addr;
	PRFileDesc *fd = NULL;
	void *it = NULL;
	PRErrorCode last = PR_CONNECT_REFUSED_ERROR;
	int literal;

	memset(&addr, 0, sizeof(addr));
	literal = PR_StringToNetAddr(p->o->host, &addr) == PR_SUCCESS;
	if (!literal && (ai = PR_GetAddrInfoByName(p->o->host, PR_AF_UNSPEC,
	    PR_AI_ADDRCONFIG)) == NULL) {
		fail(p->r, KEYDB_TLS_CONNECT, xasprintf("%s: cannot resolve the host "
		    "name: %s", p->o->host, nsswords(PR_GetError())));
		return NULL;
	}
	for (;;) {
		if (!literal &&
		    (it = PR_EnumerateAddrInfo(it, ai, (PRUint16)p->o->port,
		    &addr)) == NULL)
			break;
		if (literal)
			addr.inet.port = PR_htons((PRUint16)p->o->port);
		if ((fd = PR_OpenTCPSocket(PR_NetAddrFamily(&addr))) == NULL) {
			last = PR_GetError();
			if (literal)
				break;
			continue;
		}
		if (PR_Connect(fd, &addr, remaining(p)) == PR_SUCCESS)
			break;
		last = PR_GetError();
		PR_Close(fd);
		fd = NULL;
		if (literal || last == PR_IO_TIMEOUT_ERROR)
			break;
	}
	if (ai != NULL)
		PR_FreeAddrInfo(ai);
	if (fd == NULL)
		set_reason_from_error(p, last, 1);
	return fd;
}

static int
configure(PRFileDesc *ssl, struct probe *p)
{
	SSLVersionRange range;
	int enabled = 0;

	if (SSL_OptionSet(ssl, SSL_SECURITY, PR_TRUE) != SECSuccess ||
	    SSL_OptionSet(ssl, SSL_HANDSHAKE_AS_CLIENT, PR_TRUE) !=
	    SECSuccess ||
	    SSL_OptionSet(ssl, SSL_NO_CACHE, PR_TRUE) != SECSuccess ||
	    SSL_SetURL(ssl, p->o->host) != SECSuccess ||
	    SSL_AuthCertificateHook(ssl, auth_hook, p) != SECSuccess ||
	    SSL_GetClientAuthDataHook(ssl, client_hook, p) != SECSuccess ||
	    SSL_VersionRangeGetDefault(ssl_variant_stream, &range) !=
	    SECSuccess)
		return kd_fail(KEYDB_EDB, "cannot set up TLS: %s",
		    kd_nsserr());
	if (p->o->tls12 && range.min < SSL_LIBRARY_VERSION_TLS_1_2)
		range.min = SSL_LIBRARY_VERSION_TLS_1_2;
	if (range.max < range.min)
		range.max = range.min;
	if (SSL_VersionRangeSet(ssl, &range) != SECSuccess)
		return kd_fail(KEYDB_EDB, "cannot set the TLS versions: %s",
		    kd_nsserr());
	if (!p->o->fips)
		return KEYDB_OK;
	for (PRUint16 i = 0; i < SSL_GetNumImplementedCiphers(); i++) {
		PRUint16 id = SSL_GetImplementedCiphers()[i];
		SSLCipherSuiteInfo info;
		PRBool on = PR_FALSE;

		if (SSL_GetCipherSuiteInfo(id, &info, sizeof(info)) !=
		    SECSuccess || !info.isFIPS) {
			SSL_CipherPrefSet(ssl, id, PR_FALSE);
			continue;
		}
		if (SSL_CipherPrefGet(ssl, id, &on) == SECSuccess && on)
			enabled++;
	}
	if (enabled == 0)
		return kd_fail(KEYDB_EINPUT, "SSLFIPSMODE YES: this NSS build "
		    "offers no FIPS-approved cipher suite");
	return KEYDB_OK;
}

static void
channel(PRFileDesc *ssl, struct keydb_tls_result *r)
{
	SSLChannelInfo ch;
	SSLCipherSuiteInfo cs;

	if (SSL_GetChannelInfo(ssl, &ch, sizeof(ch)) != SECSuccess)
		return;
	r->protocol = xasprintf("TLS 1.%d", (ch.protocolVersion & 0xff) - 1);
	if (SSL_GetCipherSuiteInfo(ch.cipherSuite, &cs, sizeof(cs)) ==
	    SECSuccess)
		r->cipher = xstrdup(cs.cipherSuiteName);
}

/*
 * In TLS 1.3 a server that refuses the client's certificate says so
 * only after the client's handshake is done; listen briefly for it. A
 * server that accepts sends tickets or nothing, and either is fine.
 */
static void
await_verdict(PRFileDesc *ssl, struct probe *p)
{
	SSLChannelInfo ch;
	PRIntervalTime wait = PR_SecondsToInterval(VERDICT_SECONDS);
	char buf[1];

	if (!p->r->client_requested ||
	    SSL_GetChannelInfo(ssl, &ch, sizeof(ch)) != SECSuccess ||
	    ch.protocolVersion < SSL_LIBRARY_VERSION_TLS_1_3)
		return;
	if (remaining(p) < wait)
		wait = remaining(p);
	if (PR_Recv(ssl, buf, sizeof(buf), 0, wait) < 0) {
		PRErrorCode e = PR_GetError();

		if (e != PR_IO_TIMEOUT_ERROR && e != PR_WOULD_BLOCK_ERROR)
			set_reason_from_error(p, e, 0);
	}
}

/*
 * The handshake against the deadline of the whole connection, not per
 * read: SSL_ForceHandshakeWithTimeout waits up to its time-out for each
 * read, so a server dribbling a byte now and then kept it going for
 * ever. Non-blocking, polled with what is left of the time; blocking
 * again after, for await_verdict.
 */
static SECStatus
handshake(PRFileDesc *ssl, struct probe *p)
{
	PRSocketOptionData nb;
	SECStatus rv;

	nb.option = PR_SockOpt_Nonblocking;
	nb.value.non_blocking = PR_TRUE;
	if (PR_SetSocketOption(ssl, &nb) != PR_SUCCESS)
		return SECFailure;
	for (;;) {
		PRPollDesc pd;
		PRInt32 n;

		if ((rv = SSL_ForceHandshake(ssl)) == SECSuccess ||
		    PR_GetError() != PR_WOULD_BLOCK_ERROR)
			break;
		if ((PRInt32)(p->deadline - PR_IntervalNow()) <= 0) {
			PR_SetError(PR_IO_TIMEOUT_ERROR, 0);
			return SECFailure;
		}
		/* The SSL layer turns this into what the handshake needs. */
		pd.fd = ssl;
		pd.in_flags = PR_POLL_READ | PR_POLL_EXCEPT;
		pd.out_flags = 0;
		n = PR_Poll(&pd, 1, remaining(p));
		if (n == 0) {
			PR_SetError(PR_IO_TIMEOUT_ERROR, 0);
			return SECFailure;
		}
		if (n < 0)
			return SECFailure;
	}
	if (rv == SECSuccess) {
		nb.value.non_blocking = PR_FALSE;
		if (PR_SetSocketOption(ssl, &nb) != PR_SUCCESS)
			return SECFailure;
	}
	return rv;
}

static void
name_anchor(struct keydb *db, struct keydb_tls_result *r)
{
	struct keydb_certs all;

	if (r->anchor_sha256 == NULL || keydb_list(db, &all) != KEYDB_OK)
		return;
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i].sha256, r->anchor_sha256) == 0 &&
		    all.v[i].label != NULL) {
			r->anchor = xstrdup(all.v[i].label);
			break;
		}
	keydb_certs_free(&all);
}

int
keydb_tls_probe(struct keydb *db, const struct keydb_tls_opts *o,
    struct keydb_tls_result *r)
{
	struct probe p = { o, r, 0, NULL, NULL, 0, db };
	PRFileDesc *tcp, *ssl = NULL;
	int rc = KEYDB_OK;

	memset(r, 0, sizeof(*r));
	if (o->host == NULL || *o->host == '\0' || strlen(o->host) > 255)
		return kd_fail(KEYDB_EINPUT, "no valid host name to connect to");
	if (o->port < 1 || o->port > 65535)
		return kd_fail(KEYDB_EINPUT, "port %d is out of range",
		    o->port);
	if (o->timeout < 1 || o->timeout > 3600)
		return kd_fail(KEYDB_EINPUT, "time-out %d s is out of range "
		    "(1 to 3600)", o->timeout);
	if (NSS_SetDomesticPolicy() != SECSuccess)
		return kd_fail(KEYDB_EDB, "cannot set the TLS cipher policy: "
		    "%s", kd_nsserr());
	r->fips_module = PK11_IsFIPS();
	if (o->clientlabel != NULL &&
	    (rc = load_identity(db, o->clientlabel, &p)) != KEYDB_OK)
		return rc;

	p.deadline = PR_IntervalNow() + PR_SecondsToInterval(o->timeout);
	if ((tcp = connect_to(&p)) == NULL)
		goto out;
	if ((ssl = SSL_ImportFD(NULL, tcp)) == NULL) {
		PR_Close(tcp);
		rc = kd_fail(KEYDB_EDB, "cannot set up TLS: %s", kd_nsserr());
		goto out;
	}
	if ((rc = configure(ssl, &p)) != KEYDB_OK ||
	    SSL_ResetHandshake(ssl, PR_FALSE) != SECSuccess) {
		if (rc == KEYDB_OK)
			rc = kd_fail(KEYDB_EDB, "cannot start TLS: %s",
			    kd_nsserr());
		goto out;
	}
	if (handshake(ssl, &p) != SECSuccess)
		set_reason_from_error(&p, PR_GetError(), 0);
	else {
		channel(ssl, r);
		await_verdict(ssl, &p);
	}
	if (!p.judged && r->reason == KEYDB_TLS_OK)
		fail(r, KEYDB_TLS_HANDSHAKE, xasprintf("the server presented no "
		    "certificate"));
out:
	if (ssl != NULL)
		PR_Close(ssl);
	if (p.ccert != NULL)
		CERT_DestroyCertificate(p.ccert);
	if (p.ckey != NULL)
		SECKEY_DestroyPrivateKey(p.ckey);
	if (rc == KEYDB_OK)
		name_anchor(db, r);
	else
		keydb_tls_result_free(r);
	return rc;
}

void
keydb_tls_result_free(struct keydb_tls_result *r)
{
	keydb_certs_free(&r->chain);
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	free(r->anchor);
	free(r->anchor_sha256);
	free(r->protocol);
	free(r->cipher);
	free(r->why);
	memset(r, 0, sizeof(*r));
}
