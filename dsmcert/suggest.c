#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dsmcert/cli.h"
#include "dsmcert/suggest.h"

/*
 * "Did you mean": the command or flag nearest to a word the command line
 * does not know. Letters only are compared, without case, so that
 * -dry-run finds -dryrun; a swap of two letters (-lsit) counts as one
 * edit, as it is one slip of the fingers.
 */

#define MAXW 32

static size_t
letters(const char *s, char *out)
{
	size_t n = 0;

	for (; *s != '\0' && n < MAXW; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
	return n;
}

/* Optimal string alignment distance: edits, with swaps. */
static size_t
distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d[MAXW + 1][MAXW + 1];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

static void
consider(const char *word, size_t lw, const char *name, const char **best,
    size_t *bestd)
{
	char n[MAXW + 1];
	size_t ln = letters(name, n), d = distance(word, lw, n, ln);

	if (d < *bestd) {
		*bestd = d;
		*best = name;
	}
}

const char *
cli_suggest(const char *word, int *is_command)
{
	char w[MAXW + 1];
	size_t lw, bestd = (size_t)-1, cmdd;
	const char *best = NULL, *cmd;

	while (*word == '-')
		word++;
	if ((lw = letters(word, w)) == 0)
		return NULL;
	for (size_t i = 0; i < ncommands; i++)
		consider(w, lw, commands[i].name, &best, &bestd);
	cmd = best;
	cmdd = bestd;
	for (size_t i = 0; i < nflags; i++)
		consider(w, lw, flags[i].name, &best, &bestd);
	/* A guess further off than a third of the word helps nobody. */
	if (best == NULL || bestd > 1 + lw / 3)
		return NULL;
	*is_command = best == cmd && bestd == cmdd;
	return best;
}
