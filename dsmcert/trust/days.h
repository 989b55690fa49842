#ifndef DSMCERT_DAYS_H
#define DSMCERT_DAYS_H

#include <stdint.h>

/* -days N: 1 to 36500; dflt when not given. Prints why when refused. */
int days_arg(const char *s, int dflt, int *out);

/*
 * Whole days from now to not_after, rounded toward zero: 0 on the day of
 * the expiry, either side of it; -5 five days and a minute after it.
 */
long days_between(int64_t not_after, int64_t now);

/*
 * The command's clock: taken once, when the command starts (main), and
 * read by every part that needs the time, so that no two parts of one
 * command see different times. The model takes it as an argument.
 */
void clock_start(int64_t now);
int64_t clock_now(void);

#endif
