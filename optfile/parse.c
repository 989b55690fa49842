#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * The grammar, as the client reads it: one option per line, NAME, blanks,
 * value; leading blanks ignored; a line whose first non-blank is '*' or
 * '#' is a comment. A value may be quoted with " or '. In dsm.sys a
 * stanza runs from SErvername (or REPLSERVERName) to the next one; only
 * DEFAULTServer and MIGRATEServer of the options we know may stand
 * before the first. Every byte is kept so that the file renders back
 * exactly.
 */

static const char bom[] = "\xef\xbb\xbf";

enum optfile_kind
optfile_kind_for_path(const char *path)
{
	size_t n = strlen(path);

	if (n >= 4 && strcasecmp(path + n - 4, ".sys") == 0)
		return OPTFILE_SYS;
	return OPTFILE_OPT;
}

void
of_value_span(const struct optfile_line *l, size_t *start, size_t *end)
{
	size_t i = l->indent, e = l->len;

	while (i < l->len && !of_isblank((unsigned char)l->text[i]))
		i++;
	while (i < l->len && of_isblank((unsigned char)l->text[i]))
		i++;
	while (e > i && of_isblank((unsigned char)l->text[e - 1]))
		e--;
	*start = i;
	*end = e;
}

int
of_line_is(const struct optfile_line *l, const struct optfile_optdef *def,
    const char *name)
{
	if (l->kind != OPTFILE_OPTION)
		return 0;
	if (def != NULL)
		return l->def == def;
	return l->def == NULL && strcasecmp(l->name, name) == 0;
}

void
optfile_free(struct optfile *f)
{
	if (f == NULL)
		return;
	free(f->lines);
	free(f->bytes);
	free(f->strings);
	free(f->stanzas);
	for (size_t i = 0; i < f->nwarnings; i++)
		free(f->warnings[i]);
	free(f->warnings);
	of_index_free(f->index);
	free(f->path);
	free(f);
}

/*
 * A parse in progress. Names and values go one after another into
 * f->strings, sized for the worst case up front: a line's name and value
 * are parts of it, so they never need more than its length and two
 * terminators. One allocation for the lot, not two per line.
 */
struct parse {
	struct optfile *f;
	char *next;		/* free space in f->strings */
	char *end;
	size_t stanzacap;
};

static char *
keep(struct parse *p, const char *s, size_t n)
{
	char *r = p->next;

	/* make_room's bound makes this impossible: a bug, never overrun. */
	if ((size_t)(p->end - p->next) < n + 1)
		abort();
	memcpy(r, s, n);
	r[n] = '\0';
	p->next += n + 1;
	return r;
}

/* Room for the names and values of a file of len bytes, once split. */
static int
make_room(struct parse *p, size_t len)
{
	size_t cap = len + 2 * p->f->nlines + 1;
	char *s = xmalloc(cap);

	p->f->strings = p->next = s;
	p->end = s + cap;
	return OPTFILE_OK;
}

static void warn(struct optfile *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn(struct optfile *f, int lineno, const char *fmt, ...)
{
	char msg[768], *w, **v;
	int len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = snprintf(NULL, 0, "%s:%d: %s", f->path, lineno, msg);
	w = xmalloc((size_t)len + 1);
	snprintf(w, (size_t)len + 1, "%s:%d: %s", f->path, lineno, msg);
	v = xreallocarray(f->warnings, f->nwarnings + 1, sizeof(*v));
	f->warnings = v;
	f->warnings[f->nwarnings++] = w;
}

/*
 * The value of an option line: quoted ("..." or '...') as one word, or
 * the rest of the line with its trailing blanks cut. A value of several
 * words (DOMain /home /usr) is kept whole.
 */
static int
parse_value(struct parse *p, struct optfile_line *l)
{
	const struct optfile *f = p->f;
	size_t s, e;
	const char *t = l->text;

	of_value_span(l, &s, &e);
	if (s < e && (t[s] == '"' || t[s] == '\'')) {
		const char *close = memchr(t + s + 1, t[s], e - s - 1);

		if (close == NULL)
			return of_fail(OPTFILE_EPARSE,
			    "%s:%d: %s: the quote %c is not closed", f->path,
			    l->lineno, l->name, t[s]);
		if ((size_t)(close - t) == e - 1) {
			l->value = keep(p, t + s + 1, e - s - 2);
			return OPTFILE_OK;
		}
	}
	/* Running to the end of the line, it ends with the line's NUL. */
	if (e == l->len) {
		l->value = l->text + s;
		return OPTFILE_OK;
	}
	l->value = keep(p, t + s, e - s);
	return OPTFILE_OK;
}

static int
add_stanza(struct parse *p, size_t li, int repl)
{
	struct optfile *f = p->f;
	struct optfile_stanza *v = f->stanzas;
	struct optfile_line *l = &f->lines[li];
	int first;

	v = f->stanzas = xgrow(v, &p->stanzacap, f->nstanzas + 1, sizeof(*v));
	/* The value of its head line, which lives as long as the file. */
	v[f->nstanzas].name = l->value;
	v[f->nstanzas].first = v[f->nstanzas].last = (int)li;
	v[f->nstanzas].repl = repl;
	f->nstanzas++;
	if ((first = of_index_add(&f->index, l->value, repl,
	    f->nstanzas - 1)) >= 0)
		warn(f, l->lineno, "stanza %s is already at line %d; the "
		    "first one is used", l->value,
		    f->lines[f->stanzas[first].first].lineno);
	return OPTFILE_OK;
}

/* Put FILE:LINE in front of the message a lookup or check left. */
static int
at_line(const struct optfile *f, const struct optfile_line *l, int status)
{
	char why[1024];

	snprintf(why, sizeof(why), "%s", optfile_error());
	return of_fail(status, "%s:%d: %s", f->path, l->lineno, why);
}

static int
parse_option(struct parse *p, size_t li)
{
	struct optfile *f = p->f;
	struct optfile_line *l = &f->lines[li];
	size_t n = l->indent;
	int rc;

	while (n < l->len && !of_isblank((unsigned char)l->text[n]))
		n++;
	l->kind = OPTFILE_OPTION;
	l->name = keep(p, l->text + l->indent, n - l->indent);
	if (optfile_lookup(l->name, &l->def) != OPTFILE_OK)
		return at_line(f, l, OPTFILE_ENAME);
	if ((rc = parse_value(p, l)) != OPTFILE_OK)
		return rc;
	if (l->def == NULL)
		return OPTFILE_OK;
	if (l->value[0] == '\0')
		return of_fail(OPTFILE_EPARSE, "%s:%d: %s needs a value",
		    f->path, l->lineno, l->def->name);
	if (optfile_check_value(l->def, l->value, NULL) != OPTFILE_OK)
		return at_line(f, l, OPTFILE_EVALUE);
	return OPTFILE_OK;
}

/* Stanzas, and what may stand where, in dsm.sys. */
static int
place(struct parse *p, size_t li)
{
	struct optfile *f = p->f;
	struct optfile_line *l = &f->lines[li];
	int cur = f->nstanzas > 0 ? (int)f->nstanzas - 1 : OPTFILE_GLOBAL;

	if (f->kind == OPTFILE_SYS && l->kind == OPTFILE_OPTION &&
	    (l->def == of_servername || l->def == of_replservername)) {
		int rc = add_stanza(p, li, l->def == of_replservername);

		l->stanza = (int)f->nstanzas - 1;
		return rc;
	}
	if (f->kind == OPTFILE_SYS && cur == OPTFILE_GLOBAL &&
	    l->kind == OPTFILE_OPTION && l->def != NULL &&
	    l->def->home != OPTFILE_HOME_HEAD)
		return of_fail(OPTFILE_EPARSE, "%s:%d: %s stands before the "
		    "first SErvername stanza", f->path, l->lineno,
		    l->def->name);
	l->stanza = f->kind == OPTFILE_SYS ? cur : OPTFILE_GLOBAL;
	if (cur != OPTFILE_GLOBAL && f->kind == OPTFILE_SYS)
		f->stanzas[cur].last = (int)li;
	return OPTFILE_OK;
}

/* An option given twice in one scope: the last wins, say so. */
static int
check_duplicate(struct optfile *f, size_t li)
{
	struct optfile_line *l = &f->lines[li];

	if (l->kind != OPTFILE_OPTION || l->def == NULL ||
	    optfile_accumulates(l->def->name))
		return OPTFILE_OK;
	if (f->kind == OPTFILE_SYS && (l->def == of_servername ||
	    l->def == of_replservername))
		return OPTFILE_OK;
	/*
	 * A stanza is one run of lines, so the scan stops at the first
	 * option of another: linear in the file, not quadratic.
	 */
	for (size_t i = li; i-- > 0;) {
		struct optfile_line *p = &f->lines[i];

		if (p->kind != OPTFILE_OPTION)
			continue;
		if (p->stanza != l->stanza)
			break;
		if (p->def == l->def) {
			warn(f, l->lineno, "%s is set again (first at line "
			    "%d); the last one wins", l->def->name, p->lineno);
			break;
		}
	}
	return OPTFILE_OK;
}

static int
parse_line(struct parse *p, size_t li)
{
	struct optfile *f = p->f;
	struct optfile_line *l = &f->lines[li];
	size_t i = 0;
	int rc;

	if (memchr(l->text, '\0', l->len) != NULL)
		return of_fail(OPTFILE_EPARSE, "%s:%d: a NUL byte in the line",
		    f->path, l->lineno);
	/* The client knows LF and CRLF; a lone CR is not a line ending. */
	if (memchr(l->text, '\r', l->len) != NULL)
		return of_fail(OPTFILE_EPARSE, "%s:%d: a carriage return not "
		    "followed by a line feed", f->path, l->lineno);
	while (i < l->len && of_isblank((unsigned char)l->text[i]))
		i++;
	l->indent = i;
	l->stanza = OPTFILE_GLOBAL;
	if (i == l->len)
		l->kind = OPTFILE_BLANK;
	else if (l->text[i] == '*' || l->text[i] == '#')
		l->kind = OPTFILE_COMMENT;
	else if ((rc = parse_option(p, li)) != OPTFILE_OK)
		return rc;
	if ((rc = place(p, li)) != OPTFILE_OK)
		return rc;
	return check_duplicate(f, li);
}

/*
 * Cut buf (len bytes and one spare) into lines in place: each line's
 * ending is overwritten with the NUL that ends its text, and the ending
 * itself is remembered as a constant string.
 */
static int
split(struct optfile *f, char *buf, size_t len)
{
	size_t n = len > 0 && buf[len - 1] != '\n', pos = 0;

	for (const char *c = buf; (c = memchr(c, '\n', len - (size_t)(c - buf)))
	    != NULL; c++)
		n++;
	if (n > 0)
		f->lines = xcalloc(n, sizeof(*f->lines));
	f->eol = NULL;
	while (pos < len) {
		char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len, tlen = end - pos;
		struct optfile_line *l = &f->lines[f->nlines];

		l->eol = "";
		if (nl != NULL) {
			l->eol = "\n";
			if (tlen > 0 && buf[end - 1] == '\r') {
				l->eol = "\r\n";
				tlen--;
			}
			if (f->eol == NULL)
				f->eol = l->eol;
		}
		l->text = buf + pos;
		l->text[tlen] = '\0';
		l->len = tlen;
		l->lineno = (int)f->nlines + 1;
		f->nlines++;
		pos = nl ? end + 1 : len;
	}
	if (f->eol == NULL)
		f->eol = "\n";
	return OPTFILE_OK;
}

/*
 * Parse the len bytes at bytes, a malloc'd buffer with one byte to spare
 * that the new struct takes over (freed here on failure), so that a file
 * read from disk is not copied again.
 */
static int
parse_bytes(const char *name, enum optfile_kind kind, char *bytes,
    size_t len, struct optfile **out)
{
	struct parse p = { NULL, NULL, NULL, 0 };
	struct optfile *f;
	char *buf = bytes;
	int rc;

	*out = NULL;
	f = xcalloc(1, sizeof(*f));
	f->kind = kind;
	f->bytes = bytes;
	f->path = xstrdup(name);
	if (len >= 3 && memcmp(buf, bom, 3) == 0) {
		f->bom = 1;
		buf += 3;
		len -= 3;
	}
	p.f = f;
	rc = split(f, buf, len);
	if (rc == OPTFILE_OK)
		rc = make_room(&p, len);
	for (size_t i = 0; rc == OPTFILE_OK && i < f->nlines; i++)
		rc = parse_line(&p, i);
	if (rc != OPTFILE_OK) {
		optfile_free(f);
		return rc;
	}
	*out = f;
	return OPTFILE_OK;
}

int
optfile_parse(const char *name, enum optfile_kind kind, const char *buf,
    size_t len, struct optfile **out)
{
	char *copy;

	*out = NULL;
	if (len > OF_MAXSIZE)
		return of_fail(OPTFILE_EPARSE, "%s: larger than %u bytes: not "
		    "an option file", name, OF_MAXSIZE);
	copy = xmalloc(len + 1);
	if (len > 0)
		memcpy(copy, buf, len);
	return parse_bytes(name, kind, copy, len, out);
}

int
optfile_load(const char *path, enum optfile_kind kind, struct optfile **out)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	rc = cm_file_read(path, OF_MAXSIZE, &buf, &len);
	if (rc == CM_TOOBIG)
		return of_fail(OPTFILE_EPARSE, "%s: larger than %u bytes: not "
		    "an option file", path, OF_MAXSIZE);
	if (rc != CM_OK)
		return of_fail(OPTFILE_EIO, "%s: %s", path, cm_strerror(rc));
	return parse_bytes(path, kind, buf, len, out);
}

int
optfile_render(const struct optfile *f, char **bufp, size_t *lenp)
{
	size_t len = f->bom ? 3 : 0, pos = 0;
	char *buf;

	for (size_t i = 0; i < f->nlines; i++)
		len += f->lines[i].len + strlen(f->lines[i].eol);
	buf = xmalloc(len + 1);
	if (f->bom) {
		memcpy(buf, bom, 3);
		pos = 3;
	}
	for (size_t i = 0; i < f->nlines; i++) {
		size_t e = strlen(f->lines[i].eol);

		memcpy(buf + pos, f->lines[i].text, f->lines[i].len);
		pos += f->lines[i].len;
		memcpy(buf + pos, f->lines[i].eol, e);
		pos += e;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return OPTFILE_OK;
}

int
optfile_stanza_find(const struct optfile *f, const char *name)
{
	int i = of_index_find(f->index, name, 0);

	return i >= 0 ? i : of_index_find(f->index, name, 1);
}
