#ifndef DSMCERT_OPTFILE_H
#define DSMCERT_OPTFILE_H

#include <stddef.h>

/*
 * The backup client's option files, dsm.opt and dsm.sys, read the way the
 * client reads them and edited without losing a byte.
 *
 * A parsed file is a list of lines that remember their exact bytes (line
 * ending included), so writing it back unchanged gives the same file.
 * Functions return an optfile_status; on failure the message, set once
 * where the fault is known, is optfile_error(). It names FILE:LINE for
 * faults in a file.
 *
 * Option names: case-insensitive, abbreviated down to the upper-case part
 * of the documented spelling (names.c holds the one table). For a word W:
 *   - W is a prefix of a known option's spelling and at least its minimum
 *     length: it is that option;
 *   - otherwise, W is a prefix of one or more known spellings but shorter
 *     than their minimum: an error (too short, or ambiguous when it is a
 *     prefix of two or more);
 *   - otherwise W is an unknown option, kept as it is, never an error.
 */

enum optfile_status {
	OPTFILE_OK = 0,
	OPTFILE_EPARSE,		/* the file does not parse: FILE:LINE: why */
	OPTFILE_EVALUE,		/* a value refused for a known option */
	OPTFILE_ENAME,		/* option name too short or ambiguous */
	OPTFILE_ENOTFOUND,	/* no such stanza, or option not set */
	OPTFILE_EUNSAFE,	/* file or directory writable by others */
	OPTFILE_EIO,		/* cannot read, lock, write or rename */
};

const char *optfile_error(void);

/* ---- the option table ------------------------------------------------ */

enum optfile_vtype {
	OPTFILE_STRING,		/* anything, quoted when it has blanks */
	OPTFILE_YESNO,		/* YES or NO, without case */
	OPTFILE_PORT,		/* 1..32767 */
	OPTFILE_ENUM,		/* one of choices[], abbreviable as names */
};

/*
 * Where the option belongs on UNIX: a stanza of dsm.sys, dsm.opt, or the
 * head of dsm.sys before the first stanza (DEFAULTServer).
 */
enum optfile_home { OPTFILE_HOME_SYS, OPTFILE_HOME_OPT, OPTFILE_HOME_HEAD };

struct optfile_optdef {
	const char *name;	/* documented spelling: "TCPServeraddress" */
	size_t min;		/* upper-case part: shortest abbreviation */
	enum optfile_vtype type;
	const char *const *choices;	/* OPTFILE_ENUM: NULL-terminated */
	const char *def;	/* documented default; NULL: none */
	const char *def_from;	/* default is this option's value (TCPPort) */
	enum optfile_home home;
};

extern const struct optfile_optdef optfile_opts[];
extern const size_t optfile_nopts;

/*
 * Look up a name as written. Returns OPTFILE_OK with *def set, or
 * *def NULL for an unknown option; OPTFILE_ENAME for a name too short or
 * ambiguous (message set, without file and line).
 */
int optfile_lookup(const char *name, const struct optfile_optdef **def);

/*
 * Does the option accumulate: does the client use every line of it, in
 * file order (DOMain, EXCLude, EXCLUDE.DIR, ...), not the last alone?
 * name: a known option's documented spelling, or a name as written.
 */
int optfile_accumulates(const char *name);

/*
 * Is name, as written, one of the client's documented options or a
 * valid abbreviation of one (dsmcert(1), -setopt)?
 */
int optfile_documented(const char *name);
/* The documented spelling nearest to name, or NULL when none is near. */
const char *optfile_nearest(const char *name);

/*
 * Check and normalise a value for an option (known or not). *canon, when
 * not NULL, receives a malloc'd canonical form (YES/NO upper case, enum
 * choice spelled in full upper case, port without leading zeros; other
 * values unchanged). OPTFILE_EVALUE with a message naming the option.
 */
int optfile_check_value(const struct optfile_optdef *def, const char *value,
    char **canon);

/* ---- a parsed file --------------------------------------------------- */

/*
 * dsm.sys holds stanzas; dsm.opt does not (its SErvername picks one).
 * A dsm.opt read without a dsm.sys holds everything (as on Windows).
 */
enum optfile_kind { OPTFILE_OPT, OPTFILE_SYS };

/* dsm.sys if the file name ends in ".sys" (any case), else dsm.opt. */
enum optfile_kind optfile_kind_for_path(const char *path);

enum optfile_linekind { OPTFILE_BLANK, OPTFILE_COMMENT, OPTFILE_OPTION };

struct optfile_line {
	char *text;		/* the line's bytes, without its ending */
	size_t len;
	const char *eol;	/* "\n", "\r\n" or "" (last line, no newline) */
	int lineno;		/* 1-based */
	enum optfile_linekind kind;
	/* Beside the other ints, for a struct of one line without holes. */
	int stanza;		/* index into stanzas, -1 before the first */
	/* OPTFILE_OPTION only: */
	size_t indent;		/* leading blanks */
	char *name;		/* as written */
	const struct optfile_optdef *def;	/* NULL: unknown option */
	char *value;		/* unquoted; "" when none */
};

/* A stanza of dsm.sys: from its SErvername or REPLSERVERName line. */
struct optfile_stanza {
	char *name;		/* as written */
	int first;		/* index of its head line in lines[] */
	int last;		/* index of its last line (any kind) */
	int repl;		/* REPLSERVERName: a failover stanza */
};

struct optfile {
	char *path;		/* as given */
	enum optfile_kind kind;
	int bom;		/* UTF-8 byte-order mark at the start */
	const char *eol;	/* the file's line ending, for new lines */
	struct optfile_line *lines;
	size_t nlines;
	struct optfile_stanza *stanzas;	/* dsm.sys only */
	size_t nstanzas;
	char **warnings;	/* "FILE:LINE: ..." for the command to print */
	size_t nwarnings;
	/* The parser's: the bytes that lines, names and values point into. */
	char *bytes;
	char *strings;
	struct optfile_index *index;	/* stanzas by name */
};

/*
 * Parse. A file that does not parse gives OPTFILE_EPARSE (or ENAME,
 * EVALUE) with "FILE:LINE: what is wrong" and no struct. Duplicate
 * single-valued options (last wins) and duplicate stanzas (first wins)
 * are warnings.
 */
int optfile_load(const char *path, enum optfile_kind kind,
    struct optfile **out);
int optfile_parse(const char *name, enum optfile_kind kind,
    const char *buf, size_t len, struct optfile **out);
void optfile_free(struct optfile *);

/* The bytes of the file as it stands in memory; free() them. */
int optfile_render(const struct optfile *, char **buf, size_t *len);

/* Stanza by name, without case; -1 if none. */
int optfile_stanza_find(const struct optfile *, const char *name);

/* ---- reading values ---------------------------------------------------- */

/* OPTFILE_GLOBAL: before the first stanza in dsm.sys, the whole dsm.opt. */
#define OPTFILE_GLOBAL (-1)

/*
 * The line that sets an option in a stanza (last wins), or NULL. name
 * may be abbreviated; unknown names compare whole, without case.
 */
const struct optfile_line *optfile_find(const struct optfile *, int stanza,
    const char *name);

struct optfile_value {
	const char *name;	/* documented spelling, or as written */
	const struct optfile_optdef *def;	/* NULL: unknown option */
	const char *value;	/* NULL: not set and no default */
	int is_default;		/* not set in any file: the default */
	const char *file;	/* where set, else NULL */
	int line;		/* where set, else 0 */
	int multi;		/* the option accumulates: see _each() */
};

/*
 * The effective value for a node: the stanza of dsm.sys (sys may be
 * NULL), else dsm.opt (opt may be NULL), else the default. Pointers
 * point into the files and the table: valid while they live.
 */
int optfile_effective(const struct optfile *sys, int stanza,
    const struct optfile *opt, const char *name, struct optfile_value *out);

/*
 * Every value of an option in effect for a node: for an option that
 * accumulates, one per line, the stanza's lines and then dsm.opt's, each
 * in file order; for any other, the one optfile_effective() gives.
 * *out is malloc'd; free() it. *n is 0 for an option that accumulates
 * and is not set.
 */
int optfile_effective_each(const struct optfile *sys, int stanza,
    const struct optfile *opt, const char *name, struct optfile_value **out,
    size_t *n);

/* Effective YES/NO as 1/0; -1 when unset with no default. */
int optfile_yes(const struct optfile_value *);

/*
 * Every effective value: each known option that is set or has a default
 * (SErvername is the stanza's name; REPLSERVERName is left out when
 * there is a dsm.sys) in table order, then the unknown options set, the
 * stanza's before dsm.opt's, in file order. *out is malloc'd; free() it.
 */
int optfile_effective_all(const struct optfile *sys, int stanza,
    const struct optfile *opt, struct optfile_value **out, size_t *n);

/*
 * Which stanza a node uses: want (-server), else SErvername in opt, else
 * DEFAULTServer in sys, else the first SErvername stanza. *why is a
 * static phrase ("-server", "SErvername in FILE:LINE", ...). A name that
 * matches no stanza: OPTFILE_ENOTFOUND naming where the name came from.
 */
int optfile_pick_stanza(const struct optfile *sys, const struct optfile *opt,
    const char *want, int *stanza, const char **why);

/* ---- editing ------------------------------------------------------------ */

enum optfile_editop { OPTFILE_SET, OPTFILE_UNSET };

struct optfile_edit {
	enum optfile_editop op;
	char *stanza;		/* stanza name; NULL: OPTFILE_GLOBAL */
	char *name;
	char *value;		/* OPTFILE_SET */
};

struct optfile_edits {
	struct optfile_edit *v;
	size_t n;
};

/*
 * Queue an edit; the name and value are checked here (ENAME, EVALUE), so
 * a bad edit is refused before any file is touched.
 */
int optfile_edits_set(struct optfile_edits *, const char *stanza,
    const char *name, const char *value);
int optfile_edits_unset(struct optfile_edits *, const char *stanza,
    const char *name);
void optfile_edits_free(struct optfile_edits *);

/*
 * Apply edits in memory, in order. SET rewrites the line that is in
 * effect in place (indentation, name as written and separator kept) or,
 * when there is none, adds a line after the stanza's last option line
 * (blank and comment lines after it belong to what follows) with the
 * stanza's indentation and the file's line ending; an option that
 * accumulates gets a new line unless one has the value already. UNSET
 * removes every line of the option in the stanza. *changed counts the
 * lines touched.
 */
int optfile_apply(struct optfile *, const struct optfile_edits *,
    int *changed);

/*
 * The safe way to change a file on disk: take the advisory lock
 * (FILE.lock beside the file the path resolves to; waited for up to
 * OPTFILE_LOCK_SECONDS), read and parse the
 * file afresh, apply the edits, and when anything changed, keep the old
 * version as FILE.bak and replace FILE atomically (temporary file in the
 * same directory, fsync, rename, fsync of the directory), keeping mode
 * and owner. A symbolic link is followed and stays a link. Refused
 * (OPTFILE_EUNSAFE) when the file or its directory is writable by group
 * or others. A file that does not parse is never written. *changed
 * (may be NULL) tells whether the file was replaced. When out is not
 * NULL it receives the file as written (or as read, if unchanged).
 */
#define OPTFILE_LOCK_SECONDS 30
int optfile_commit(const char *path, enum optfile_kind kind,
    const struct optfile_edits *, int *changed, struct optfile **out);

#endif
