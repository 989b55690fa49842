#ifndef DSMCERT_OPTFILE_INTERNAL_H
#define DSMCERT_OPTFILE_INTERNAL_H

#include "optfile/optfile.h"

/* Larger than any real option file; a bound on hostile input. */
#define OF_MAXSIZE (16u * 1024 * 1024)

int of_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Called for nearly every byte of a file: inline. */
static inline int
of_isblank(int c)
{
	return c == ' ' || c == '\t';
}

/* Offsets of the value in an option line's text: [*start, *end). */
void of_value_span(const struct optfile_line *, size_t *start, size_t *end);

/* Does this line set this option (def, or an unknown name)? */
int of_line_is(const struct optfile_line *, const struct optfile_optdef *def,
    const char *name);

/*
 * Stanza names (index.c). of_index_add() files stanza i under its name
 * and kind (repl) and returns -1, or, when a stanza of that name and
 * kind is there already, leaves the table as it is and returns that
 * one's index.
 */
int of_index_add(struct optfile_index **, const char *name, int repl,
    size_t i);
/* The first stanza of that name and kind, or -1. */
int of_index_find(const struct optfile_index *, const char *name, int repl);
void of_index_free(struct optfile_index *);

extern const struct optfile_optdef *const of_servername;
extern const struct optfile_optdef *const of_replservername;
extern const struct optfile_optdef *const of_defaultserver;

#endif
