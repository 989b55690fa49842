#ifndef DSMCERT_WARNDAYS_H
#define DSMCERT_WARNDAYS_H

/*
 * How many days ahead of an expiry to warn: -check -days N and the
 * inventory's warn_days take the same range, said the same way. 0 warns
 * only once a certificate has expired.
 */
#define WARN_DAYS_MAX 3650
#define WARN_DAYS_RANGE "a whole number of days, 0 to 3650"

/* The days in s, or -1 when it is not in the range. */
int warn_days_parse(const char *s);

#endif
