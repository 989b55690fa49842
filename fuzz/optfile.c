#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "optfile/optfile.h"

/*
 * libFuzzer target over the option-file parser. The first byte picks
 * dsm.opt or dsm.sys; the rest is the file. Whatever parses must render
 * back to the same bytes, and edits of it must give a file that parses
 * and renders stably.
 */

static void
check_render(const struct optfile *f, const char *want, size_t wlen)
{
	char *buf;
	size_t len;

	if (optfile_render(f, &buf, &len) != OPTFILE_OK)
		abort();
	if (want != NULL && (len != wlen || memcmp(buf, want, len) != 0))
		abort();
	free(buf);
}

static void
edits(struct optfile *f)
{
	struct optfile_edits e = { NULL, 0 };
	const char *st = f->nstanzas > 0 ? f->stanzas[0].name : NULL;
	struct optfile *g = NULL;
	char *buf;
	size_t len;
	int n;

	optfile_edits_set(&e, st, "SSL", "yes");
	optfile_edits_set(&e, st, "TCPPort", "1543");
	optfile_edits_unset(&e, st, "NODename");
	optfile_edits_set(&e, st, "VMCUSER", "\"a b\"");
	optfile_edits_set(&e, NULL, "DEFAULTServer", "x");
	if (optfile_apply(f, &e, &n) == OPTFILE_OK) {
		if (optfile_render(f, &buf, &len) != OPTFILE_OK)
			abort();
		if (optfile_parse("fuzz", f->kind, buf, len, &g) != OPTFILE_OK)
			abort();
		check_render(g, buf, len);
		optfile_free(g);
		free(buf);
	}
	optfile_edits_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optfile *f = NULL;
	struct optfile_value *v = NULL;
	size_t n;
	const char *why;
	int stanza;
	enum optfile_kind kind;

	if (size < 1)
		return 0;
	kind = (data[0] & 1) ? OPTFILE_SYS : OPTFILE_OPT;
	if (optfile_parse("fuzz", kind, (const char *)data + 1, size - 1,
	    &f) != OPTFILE_OK)
		return 0;
	check_render(f, (const char *)data + 1, size - 1);
	if (kind == OPTFILE_SYS) {
		if (optfile_pick_stanza(f, NULL, NULL, &stanza, &why) ==
		    OPTFILE_OK && optfile_effective_all(f, stanza, NULL, &v,
		    &n) == OPTFILE_OK)
			free(v);
	} else if (optfile_effective_all(NULL, OPTFILE_GLOBAL, f, &v, &n) ==
	    OPTFILE_OK)
		free(v);
	edits(f);
	optfile_free(f);
	return 0;
}
