#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * Edits change exactly the lines they must. A value is written as given:
 * several words stay several words (MANAGEDServices schedule webclient),
 * and a file name with blanks must come quoted. Values of YES/NO, port and
 * choice options are written in their canonical form.
 *
 * After each edit the file is rendered and parsed again, so the structure
 * in memory is always one that parses, and the edit is checked to read
 * back as meant.
 */

void
optfile_edits_free(struct optfile_edits *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].stanza);
		free(e->v[i].name);
		free(e->v[i].value);
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

/* The value as the parser will read it back: one quoted word unquoted. */
static int
unquote(const char *name, const char *v, char **out)
{
	size_t n = strlen(v);

	*out = NULL;
	if (n > 0 && (of_isblank((unsigned char)v[0]) ||
	    of_isblank((unsigned char)v[n - 1])))
		return of_fail(OPTFILE_EVALUE, "%s: the value \"%s\" has "
		    "blanks at its ends; quote it", name, v);
	if (n > 0 && (v[0] == '"' || v[0] == '\'')) {
		const char *close = strchr(v + 1, v[0]);

		if (close == NULL)
			return of_fail(OPTFILE_EVALUE, "%s: the quote %c in "
			    "%s is not closed", name, v[0], v);
		if (close == v + n - 1) {
			*out = xstrndup(v + 1, n - 2);
			return OPTFILE_OK;
		}
	}
	*out = xstrdup(v);
	return OPTFILE_OK;
}

/* Check an edit's value; *text is what goes in the file. */
static int
prepare(const struct optfile_optdef *def, const char *name, const char *value,
    char **text, char **readback)
{
	char *unq, *canon;
	int rc;

	*text = *readback = NULL;
	if (value == NULL || value[0] == '\0')
		return of_fail(OPTFILE_EVALUE, "%s needs a value",
		    def ? def->name : name);
	if ((rc = unquote(def ? def->name : name, value, &unq)) != OPTFILE_OK)
		return rc;
	if ((rc = optfile_check_value(def, unq, &canon)) != OPTFILE_OK) {
		free(unq);
		return rc;
	}
	if (def != NULL && def->type != OPTFILE_STRING) {
		free(unq);
		*text = canon;
		*readback = xstrdup(canon);
	} else {
		free(canon);
		*text = xstrdup(value);
		*readback = unq;
	}
	return OPTFILE_OK;
}

static int
queue(struct optfile_edits *e, enum optfile_editop op, const char *stanza,
    const char *name, const char *value)
{
	const struct optfile_optdef *def;
	struct optfile_edit *v, *x;
	char *text = NULL, *rb = NULL;
	int rc;

	if (name == NULL || name[0] == '\0')
		return of_fail(OPTFILE_ENAME, "an option name is needed");
	for (const char *p = name; *p; p++)
		if (of_isblank((unsigned char)*p) || *p == '*' || *p == '#' ||
		    *p == '"' || *p == '\'' || *p == '\n' || *p == '\r')
			return of_fail(OPTFILE_ENAME,
			    "\"%s\" is not an option name", name);
	if ((rc = optfile_lookup(name, &def)) != OPTFILE_OK)
		return rc;
	if (op == OPTFILE_SET &&
	    (rc = prepare(def, name, value, &text, &rb)) != OPTFILE_OK)
		return rc;
	free(rb);
	v = e->v = xreallocarray(e->v, e->n + 1, sizeof(*v));
	x = &v[e->n];
	x->op = op;
	x->value = op == OPTFILE_SET ? xstrdup(value) : NULL;
	x->name = xstrdup(name);
	x->stanza = xstrdup(stanza);
	free(text);
	e->n++;
	return OPTFILE_OK;
}

int
optfile_edits_set(struct optfile_edits *e, const char *stanza,
    const char *name, const char *value)
{
	return queue(e, OPTFILE_SET, stanza, name, value);
}

int
optfile_edits_unset(struct optfile_edits *e, const char *stanza,
    const char *name)
{
	return queue(e, OPTFILE_UNSET, stanza, name, NULL);
}

/* One planned change to the lines: the new text of line `at`, a line to
 * insert before index `ins`, or lines to drop. */
struct plan {
	size_t at;		/* line to rewrite, or (size_t)-1 */
	char *text;
	size_t ins;		/* insert before this index, or (size_t)-1 */
	char *newline;
	int *drop;		/* nlines flags */
};

static int
emit(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	*buf = xgrow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return OPTFILE_OK;
}

/* Render the file with the plan carried out. */
static int
render_plan(const struct optfile *f, const struct plan *p, char **out,
    size_t *outlen)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = OPTFILE_OK, nofinal;

	nofinal = f->nlines > 0 && f->lines[f->nlines - 1].eol[0] == '\0';
	if (f->bom)
		rc = emit(&buf, &len, &cap, "\xef\xbb\xbf", 3);
	for (size_t i = 0; rc == OPTFILE_OK && i <= f->nlines; i++) {
		const struct optfile_line *l;

		if (i == p->ins) {
			rc = emit(&buf, &len, &cap, p->newline,
			    strlen(p->newline));
			if (rc == OPTFILE_OK)
				rc = emit(&buf, &len, &cap, f->eol,
				    strlen(f->eol));
		}
		if (i == f->nlines || rc != OPTFILE_OK)
			break;
		if (p->drop != NULL && p->drop[i])
			continue;
		l = &f->lines[i];
		if (i == p->at)
			rc = emit(&buf, &len, &cap, p->text, strlen(p->text));
		else
			rc = emit(&buf, &len, &cap, l->text, l->len);
		if (rc == OPTFILE_OK)
			rc = emit(&buf, &len, &cap, l->eol[0] ? l->eol :
			    f->eol, strlen(l->eol[0] ? l->eol : f->eol));
	}
	if (rc == OPTFILE_OK && buf == NULL)
		rc = emit(&buf, &len, &cap, "", 0);
	if (rc != OPTFILE_OK) {
		free(buf);
		return rc;
	}
	/* A file without a final newline keeps lacking one. */
	if (nofinal) {
		size_t e = strlen(f->eol);

		if (len >= e && memcmp(buf + len - e, f->eol, e) == 0)
			len -= e;
		else if (len >= 1 && buf[len - 1] == '\n')
			len -= (len >= 2 && buf[len - 2] == '\r') ? 2 : 1;
		buf[len] = '\0';
	}
	*out = buf;
	*outlen = len;
	return OPTFILE_OK;
}

static int
is_head(const struct optfile *f, const struct optfile_line *l)
{
	return f->kind == OPTFILE_SYS && (l->def == of_servername ||
	    l->def == of_replservername);
}

/* Where a new line goes in a scope: before this index. */
static size_t
insert_at(const struct optfile *f, int s)
{
	size_t k = (size_t)-1;

	for (size_t i = 0; i < f->nlines; i++)
		if (f->lines[i].kind == OPTFILE_OPTION &&
		    f->lines[i].stanza == s)
			k = i + 1;
	if (k != (size_t)-1)
		return k;
	if (f->kind == OPTFILE_SYS && f->nstanzas > 0) {
		/* Before the first stanza and the comment block on it. */
		k = (size_t)f->stanzas[0].first;
		while (k > 0 && f->lines[k - 1].kind == OPTFILE_COMMENT)
			k--;
		return k;
	}
	return f->nlines;
}

/* A line to copy indentation and alignment from. */
static const struct optfile_line *
reference(const struct optfile *f, int s)
{
	const struct optfile_line *ref = NULL;

	for (size_t i = 0; i < f->nlines; i++) {
		const struct optfile_line *l = &f->lines[i];

		if (l->kind == OPTFILE_OPTION && !is_head(f, l) &&
		    l->stanza == s)
			ref = l;
	}
	if (ref != NULL || s == OPTFILE_GLOBAL)
		return ref;
	for (size_t i = 0; i < f->nlines; i++) {
		const struct optfile_line *l = &f->lines[i];

		if (l->kind == OPTFILE_OPTION && !is_head(f, l) &&
		    l->stanza != OPTFILE_GLOBAL)
			return l;
	}
	return NULL;
}

/*
 * The column most values of a scope start at (space-aligned files): the
 * start most lines share, the earliest line's on a tie. The starts are
 * counted in a hash table, so that a stanza of 50,000 include-exclude
 * lines costs two passes over it, not a pass per line.
 */
struct colcount {
	size_t col1;		/* column + 1; 0: an empty slot */
	size_t n;
};

static struct colcount *
colslot(struct colcount *t, size_t mask, size_t col)
{
	uint64_t h = (uint64_t)col * 0x9e3779b97f4a7c15u;
	size_t i = (size_t)(h ^ (h >> 32)) & mask;

	while (t[i].col1 != 0 && t[i].col1 != col + 1)
		i = (i + 1) & mask;
	return &t[i];
}

static int
in_columns(const struct optfile *f, const struct optfile_line *l, int s)
{
	return l->kind == OPTFILE_OPTION && l->stanza == s && !is_head(f, l);
}

static int
column(const struct optfile *f, int s, size_t *col)
{
	struct colcount *t, *c;
	size_t n = 0, slots = 16, best = 0, bestn = 0, vs, ve;

	*col = 0;
	for (size_t i = 0; i < f->nlines; i++)
		n += in_columns(f, &f->lines[i], s);
	/* At most half full, so that probes stay short. */
	while (slots < 2 * n)
		slots *= 2;
	t = xcalloc(slots, sizeof(*t));
	for (size_t i = 0; i < f->nlines; i++)
		if (in_columns(f, &f->lines[i], s)) {
			of_value_span(&f->lines[i], &vs, &ve);
			c = colslot(t, slots - 1, vs);
			c->col1 = vs + 1;
			c->n++;
		}
	for (size_t i = 0; i < f->nlines; i++)
		if (in_columns(f, &f->lines[i], s)) {
			of_value_span(&f->lines[i], &vs, &ve);
			c = colslot(t, slots - 1, vs);
			if (c->n > bestn) {
				best = vs;
				bestn = c->n;
			}
		}
	free(t);
	/* One line is no evidence that the file lines values up. */
	*col = bestn >= 2 ? best : 0;
	return OPTFILE_OK;
}

static char *
new_line(const struct optfile *f, int s, const char *name, const char *text)
{
	const struct optfile_line *ref = reference(f, s);
	size_t indent = 0, nl = strlen(name), tl = strlen(text), pad = 1;
	const char *sep = " ";
	size_t seplen = 1;
	char *line;

	if (ref != NULL) {
		size_t vs, ve, ne = ref->indent + strlen(ref->name), col;

		if (column(f, ref->stanza, &col) != OPTFILE_OK)
			return NULL;
		indent = ref->indent;
		of_value_span(ref, &vs, &ve);
		if (vs > ne && vs < ref->len) {
			sep = ref->text + ne;
			seplen = vs - ne;
			if (memchr(sep, '\t', seplen) == NULL) {
				/* Line the value up with its neighbours'. */
				if (col == 0 && seplen > 1)
					col = vs;
				if (col != 0) {
					pad = col > indent + nl ?
					    col - indent - nl : 1;
					sep = NULL;
				}
			}
		}
	}
	if (sep == NULL)
		seplen = pad;
	line = xmalloc(indent + nl + seplen + tl + 1);
	if (ref != NULL)
		memcpy(line, ref->text, indent);
	memcpy(line + indent, name, nl);
	if (sep == NULL)
		memset(line + indent + nl, ' ', seplen);
	else
		memcpy(line + indent + nl, sep, seplen);
	memcpy(line + indent + nl + seplen, text, tl);
	line[indent + nl + seplen + tl] = '\0';
	return line;
}

/* The scope an edit acts on, checked against what may stand there. */
static int
edit_scope(const struct optfile *f, const struct optfile_edit *e,
    const struct optfile_optdef *def, int *s)
{
	const char *dn = def ? def->name : e->name;

	*s = OPTFILE_GLOBAL;
	if (f->kind == OPTFILE_OPT) {
		if (e->stanza != NULL)
			return of_fail(OPTFILE_ENOTFOUND, "%s: a dsm.opt has "
			    "no stanzas (asked for %s)", f->path, e->stanza);
		return OPTFILE_OK;
	}
	if (def == of_servername || def == of_replservername)
		return of_fail(OPTFILE_EVALUE, "%s: %s starts a stanza; edit "
		    "stanzas by hand", f->path, def->name);
	if (def != NULL && def->home == OPTFILE_HOME_HEAD)
		return OPTFILE_OK;
	if (e->stanza == NULL) {
		if (def != NULL)
			return of_fail(OPTFILE_EVALUE, "%s: %s belongs in a "
			    "stanza; name one", f->path, dn);
		return OPTFILE_OK;
	}
	if ((*s = optfile_stanza_find(f, e->stanza)) < 0)
		return of_fail(OPTFILE_ENOTFOUND, "%s: no stanza %s", f->path,
		    e->stanza);
	return OPTFILE_OK;
}

static int
same_value(const struct optfile_optdef *def, const char *a, const char *b)
{
	char *ca = NULL;
	int r;

	if (def == NULL || def->type == OPTFILE_STRING)
		return strcmp(a, b) == 0;
	if (optfile_check_value(def, a, &ca) != OPTFILE_OK)
		return 0;
	r = strcmp(ca, b) == 0;
	free(ca);
	return r;
}

static int
plan_set(const struct optfile *f, const struct optfile_edit *e,
    const struct optfile_optdef *def, int s, struct plan *p,
    const char *text, const char *rb)
{
	const struct optfile_line *hit = NULL;
	size_t hi = 0;
	int multi = optfile_accumulates(def ? def->name : e->name);

	for (size_t i = 0; i < f->nlines; i++) {
		const struct optfile_line *l = &f->lines[i];

		if (l->stanza != s || !of_line_is(l, def, e->name))
			continue;
		if (multi) {
			if (same_value(def, l->value, rb))
				return OPTFILE_OK;
			continue;
		}
		hit = l;
		hi = i;
	}
	if (hit != NULL) {
		size_t vs, ve, tl = strlen(text);

		if (same_value(def, hit->value, rb))
			return OPTFILE_OK;
		of_value_span(hit, &vs, &ve);
		p->text = xmalloc(vs + tl + hit->len - ve + 1);
		memcpy(p->text, hit->text, vs);
		memcpy(p->text + vs, text, tl);
		memcpy(p->text + vs + tl, hit->text + ve, hit->len - ve);
		p->text[vs + tl + hit->len - ve] = '\0';
		p->at = hi;
		return OPTFILE_OK;
	}
	p->ins = insert_at(f, s);
	p->newline = new_line(f, s, def ? def->name : e->name, text);
	return OPTFILE_OK;
}

static int
plan_unset(const struct optfile *f, const struct optfile_edit *e,
    const struct optfile_optdef *def, int s, struct plan *p, int *n)
{
	*n = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		const struct optfile_line *l = &f->lines[i];

		if (l->stanza != s || !of_line_is(l, def, e->name))
			continue;
		if (p->drop == NULL)
			p->drop = xcalloc(f->nlines, sizeof(int));
		p->drop[i] = 1;
		(*n)++;
	}
	return OPTFILE_OK;
}

/* Does the edit read back as meant? */
static int
verify(const struct optfile *f, const struct optfile_edit *e,
    const struct optfile_optdef *def, const char *rb)
{
	int s = OPTFILE_GLOBAL;
	int multi = optfile_accumulates(def ? def->name : e->name);
	const struct optfile_line *l = NULL;

	if (edit_scope(f, e, def, &s) != OPTFILE_OK)
		return OPTFILE_EVALUE;
	for (size_t i = 0; i < f->nlines; i++) {
		const struct optfile_line *x = &f->lines[i];

		if (x->stanza != s || !of_line_is(x, def, e->name))
			continue;
		if (e->op == OPTFILE_UNSET)
			return of_fail(OPTFILE_EVALUE, "%s: %s is still set",
			    f->path, x->name);
		if (multi) {
			if (same_value(def, x->value, rb))
				return OPTFILE_OK;
			continue;
		}
		l = x;
	}
	if (e->op == OPTFILE_UNSET)
		return OPTFILE_OK;
	if (l != NULL && same_value(def, l->value, rb))
		return OPTFILE_OK;
	return of_fail(OPTFILE_EVALUE, "%s: %s: the value %s cannot be "
	    "written so that it reads back the same", f->path, e->name,
	    e->value);
}

static int
apply_one(struct optfile *f, const struct optfile_edit *e, int *changed)
{
	const struct optfile_optdef *def;
	struct plan p = { (size_t)-1, NULL, (size_t)-1, NULL, NULL };
	struct optfile *nf = NULL, tmp;
	char *text = NULL, *rb = NULL, *buf = NULL;
	size_t len;
	int rc, s, n = 0;

	if ((rc = optfile_lookup(e->name, &def)) != OPTFILE_OK)
		return rc;
	if ((rc = edit_scope(f, e, def, &s)) != OPTFILE_OK)
		return rc;
	if (e->op == OPTFILE_SET) {
		if ((rc = prepare(def, e->name, e->value, &text, &rb)) !=
		    OPTFILE_OK)
			return rc;
		rc = plan_set(f, e, def, s, &p, text, rb);
		n = p.at != (size_t)-1 || p.ins != (size_t)-1;
	} else
		rc = plan_unset(f, e, def, s, &p, &n);
	if (rc != OPTFILE_OK || n == 0)
		goto out;
	if ((rc = render_plan(f, &p, &buf, &len)) != OPTFILE_OK)
		goto out;
	if ((rc = optfile_parse(f->path, f->kind, buf, len, &nf)) !=
	    OPTFILE_OK)
		goto out;
	if ((rc = verify(nf, e, def, rb)) != OPTFILE_OK)
		goto out;
	tmp = *f;
	*f = *nf;
	*nf = tmp;
	*changed += n;
out:
	optfile_free(nf);
	free(buf);
	free(p.text);
	free(p.newline);
	free(p.drop);
	free(text);
	free(rb);
	return rc;
}

int
optfile_apply(struct optfile *f, const struct optfile_edits *e, int *changed)
{
	int rc, n = 0;

	for (size_t i = 0; i < e->n; i++)
		if ((rc = apply_one(f, &e->v[i], &n)) != OPTFILE_OK)
			return rc;
	if (changed != NULL)
		*changed = n;
	return OPTFILE_OK;
}
