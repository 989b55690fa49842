#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/common.h"
#include "dsmcert/iniscan.h"

void
iniscan_free(struct ini_scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t k = 0; k < s->v[i].nkeys; k++)
			free(s->v[i].keys[k].name);
		free(s->v[i].keys);
		free(s->v[i].name);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static char *
slurp(const char *path, size_t *len, char *err, size_t errsz)
{
	char *buf;
	int rc = cm_file_read(path, INISCAN_MAXSIZE, &buf, len);

	if (rc == CM_TOOBIG)
		snprintf(err, errsz, "%s: larger than %d bytes", path,
		    INISCAN_MAXSIZE);
	else if (rc != CM_OK)
		snprintf(err, errsz, "%s: %s", path, cm_strerror(rc));
	return rc == CM_OK ? buf : NULL;
}

static char *
trim(char *s, char *end)
{
	while (s < end && isblank((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static void
add_section(struct ini_scan *s, const char *name, int line)
{
	struct ini_section *v;

	v = s->v = xreallocarray(s->v, s->n + 1, sizeof(*v));
	memset(&v[s->n], 0, sizeof(v[s->n]));
	v[s->n].name = xstrdup(name);
	v[s->n].line = line;
	s->n++;
}

static void
add_key(struct ini_section *sec, const char *name, int line)
{
	struct ini_key *k;
	char *lc;

	lc = xstrdup(name);
	for (char *p = lc; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	k = sec->keys = xreallocarray(sec->keys, sec->nkeys + 1, sizeof(*k));
	k[sec->nkeys].name = lc;
	k[sec->nkeys].line = line;
	sec->nkeys++;
}

/* One line, NUL-terminated in place; 0 or -1 with err set. */
static int
scan_line(struct ini_scan *s, const char *path, int lineno, char *line,
    char *err, size_t errsz)
{
	char *p, *eq, *close;
	size_t i;

	p = trim(line, line + strlen(line));
	if (*p == '\0' || *p == ';' || *p == '#')
		return 0;
	if (p[strlen(p) - 1] == '\\') {
		snprintf(err, errsz, "%s:%d: a line may not end in a "
		    "backslash", path, lineno);
		return -1;
	}
	if (*p == '[') {
		close = strchr(p, ']');
		if (close == NULL) {
			snprintf(err, errsz, "%s:%d: section header without "
			    "a closing ]", path, lineno);
			return -1;
		}
		if (close[1] != '\0' && close[1 + strspn(close + 1, " \t")] !=
		    ';' && close[1 + strspn(close + 1, " \t")] != '#') {
			snprintf(err, errsz, "%s:%d: text after the section "
			    "header", path, lineno);
			return -1;
		}
		p = trim(p + 1, close);
		if (*p == '\0' || strchr(p, ':') != NULL ||
		    strchr(p, '[') != NULL) {
			snprintf(err, errsz, "%s:%d: section names may not be "
			    "empty nor hold ':' or '['", path, lineno);
			return -1;
		}
		for (i = 0; i < s->n; i++)
			if (strcasecmp(s->v[i].name, p) == 0) {
				snprintf(err, errsz, "%s:%d: section [%s] "
				    "repeats [%s] of line %d", path, lineno,
				    p, s->v[i].name, s->v[i].line);
				return -1;
			}
		add_section(s, p, lineno);
		return 0;
	}
	if ((eq = strchr(p, '=')) == NULL) {
		snprintf(err, errsz, "%s:%d: expected [section], key = value "
		    "or a comment", path, lineno);
		return -1;
	}
	if (s->n == 0) {
		snprintf(err, errsz, "%s:%d: key before the first [section]",
		    path, lineno);
		return -1;
	}
	p = trim(p, eq);
	if (*p == '\0') {
		snprintf(err, errsz, "%s:%d: key name missing before '='",
		    path, lineno);
		return -1;
	}
	{
		struct ini_section *sec = &s->v[s->n - 1];

		for (i = 0; i < sec->nkeys; i++)
			if (strcasecmp(sec->keys[i].name, p) == 0) {
				snprintf(err, errsz, "%s:%d: [%s] %s: given "
				    "again (first on line %d)", path, lineno,
				    sec->name, sec->keys[i].name,
				    sec->keys[i].line);
				return -1;
			}
		add_key(sec, p, lineno);
	}
	return 0;
}

int
iniscan_file(const char *path, struct ini_scan *out, char *err, size_t errsz)
{
	char *buf, *line, *next;
	size_t len;
	int lineno = 0;

	memset(out, 0, sizeof(*out));
	if ((buf = slurp(path, &len, err, errsz)) == NULL)
		return -1;
	/* iniparser would take it for part of the first line. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		snprintf(err, errsz, "%s:1: starts with a byte-order mark; "
		    "save it as plain UTF-8 or ASCII", path);
		free(buf);
		return -1;
	}
	for (line = buf; line < buf + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		char *end = nl != NULL ? nl : buf + len;

		next = end + (nl != NULL);
		lineno++;
		if (end - line > INISCAN_MAXLINE) {
			snprintf(err, errsz, "%s:%d: line longer than %d "
			    "characters", path, lineno, INISCAN_MAXLINE);
			goto fail;
		}
		for (char *c = line; c < end; c++)
			if (iscntrl((unsigned char)*c) && *c != '\t' &&
			    !(*c == '\r' && c + 1 == end)) {
				snprintf(err, errsz, "%s:%d: control character "
				    "0x%02x: not a text file", path, lineno,
				    (unsigned char)*c);
				goto fail;
			}
		*end = '\0';
		if (scan_line(out, path, lineno, line, err, errsz) == -1)
			goto fail;
	}
	free(buf);
	return 0;
fail:
	free(buf);
	iniscan_free(out);
	return -1;
}
