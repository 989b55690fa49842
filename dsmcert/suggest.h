#ifndef DSMCERT_SUGGEST_H
#define DSMCERT_SUGGEST_H

/*
 * The command or flag nearest to an unknown dashed word, or NULL when
 * none is near; *is_command says which it is.
 */
const char *cli_suggest(const char *word, int *is_command);

#endif
