#ifndef DSMCERT_SRVVERSION_H
#define DSMCERT_SRVVERSION_H

/*
 * Backup server versions, as the vendor writes them: 8.1.2, V8.1.2,
 * 8.1.14.000, 7.1.8.300. Three or four numbers; a missing fourth is 0.
 */
struct srvversion {
	unsigned v[4];
};

/* 0 on success; -1 when s is not a version. */
int srvversion_parse(const char *s, struct srvversion *out);

/* <0, 0, >0 as a is before, equal to or after b. */
int srvversion_cmp(const struct srvversion *a, const struct srvversion *b);

/*
 * Does the server hand out its certificate and use TLS authentication
 * (dsmcert(1), TRUST POLICY)? 7.1.8 <= v < 8, or v >= 8.1.2. Earlier servers are legacy.
 */
int srvversion_current(const struct srvversion *v);

#endif
