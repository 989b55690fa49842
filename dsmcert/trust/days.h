#ifndef DSMCERT_DAYS_H
#define DSMCERT_DAYS_H

/* -days N: 1 to 36500; dflt when not given. Prints why when refused. */
int days_arg(const char *s, int dflt, int *out);

#endif
