#ifndef DSMCERT_COMMON_H
#define DSMCERT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * The few helpers that keydb/, optfile/ and dsmcert/ all need, all named
 * cm_ as the libraries are keydb_ and optfile_; only the allocators that
 * abort when memory is out (xmalloc, xstrdup, xreallocarray ...) are
 * named after the libc function each wraps. They print nothing: a failure is a cm_status (CM_ERRNO with errno set), and
 * the caller, who knows what the file was for, words the message.
 */

enum cm_status {
	CM_OK = 0,
	CM_ERRNO = -1,		/* errno says why */
	CM_TOOBIG = -2,		/* larger than the caller's limit */
	CM_NOTREG = -3,		/* not a regular file (FIFO, device, ...) */
	CM_EXPOSED = -4,	/* a secret readable by group or others */
	CM_ISDIR = -5,		/* a directory where a file was wanted */
	CM_UNSAFE = -6,		/* another user controls the way to it */
};

/* Why, in words, for a cm_status (errno's text for CM_ERRNO). */
const char *cm_strerror(int status);

/*
 * The libraries' message channel (error.c): cm_vfail words a failure
 * and returns status, cm_error is the last message. keydb/ and optfile/
 * write it through kd_fail and of_fail and publish it as keydb_error()
 * and optfile_error(). The helpers here only return a cm_status: their
 * caller knows what the file was for and words the message.
 */
int cm_vfail(int status, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
const char *cm_error(void);

/* strdup, malloc and memdup that abort when memory is out. */
char *xstrdup(const char *);	/* NULL stays NULL */
char *xstrndup(const char *, size_t);
void *xmalloc(size_t);
void *xcalloc(size_t n, size_t size);
void *xmemdup(const void *, size_t);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Arrays. xreallocarray: p resized to n elements of size bytes, as
 * realloc, aborting when memory is out or n * size overflows. xgrow:
 * room for at least need elements in p, whose room is *cap elements;
 * the room doubles, so an array filled one element at a time costs
 * linear time. Both return the (maybe moved) array.
 */
void *xreallocarray(void *p, size_t n, size_t size);
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

/* "dir/name", malloc'd; no doubled slash when dir ends in one. */
char *cm_path_join(const char *dir, const char *name);

/*
 * The whole of a regular file, NUL-terminated (*len excludes the NUL).
 * The file is opened without blocking, so a FIFO put in its place
 * cannot hang the caller, and refused with CM_NOTREG. cm_file_read_fd
 * reads an open descriptor (a pipe on standard input) to its end.
 */
int cm_file_read(const char *path, size_t max, char **buf, size_t *len);
/*
 * The same through the gate's walk and root-among-users rule (an input
 * the administrator names: -file, certfile): CM_UNSAFE and why.
 */
int cm_file_read_safe(const char *path, size_t max, char **buf, size_t *len,
    char *why, size_t whylen);
int cm_file_read_fd(int fd, size_t max, char **buf, size_t *len);

/*
 * A secret (password, PIN): the first line of a regular file that group
 * and others cannot read, without its line end. *mode is the file's
 * mode, for the caller's message. Free it with cm_secret_free, which wipes.
 */
int cm_secret_read(const char *path, char **out, mode_t *mode, char *why,
    size_t whylen);
void cm_secret_free(char *);

int cm_write_all(int fd, const void *buf, size_t len);

/*
 * An exclusive flock on fd, waited for in the kernel's queue for at most
 * seconds (lock.c): CM_OK, or CM_ERRNO with errno ETIMEDOUT when another
 * holder kept it that long.
 */
int cm_lock_wait(int fd, unsigned seconds);

/*
 * The output gate (gate.c): every file dsmcert writes is opened here.
 * The path is resolved once, by descriptor (no link can be swapped
 * between check and write); run as root, a file reached through another
 * user's link or directory is used only when that user owns it too
 * (CM_UNSAFE, why says whose); a character device, a FIFO or a link of
 * /proc (/dev/stdout) is written in place (inplace, fd is it); a
 * regular file is replaced atomically by a new file beside it
 * (.NAME.dsmcert.XXXXXX) that keeps its owner and its mode (never more
 * open to group and others than mode); anything else is CM_NOTREG or
 * CM_ISDIR. Write to g->fd with cm_gate_write_fd, then commit or abort.
 */
#define CM_GATE_TEMP ".dsmcert."
struct cm_gate {
	int dirfd;		/* the directory holding the file */
	char *name;		/* its name there */
	char *tmp;		/* the new file's name there, while written */
	int fd;
	int inplace;		/* fd is the file itself */
	int existed;
	struct stat old;	/* the file replaced */
};

int cm_gate_open(struct cm_gate *, const char *path, mode_t mode, char *why,
    size_t whylen);
int cm_gate_write_fd(struct cm_gate *, const void *buf, size_t len);
int cm_gate_commit(struct cm_gate *);
void cm_gate_abort(struct cm_gate *);
/* buf as the whole file, committed; aborted (errno kept) if not written. */
int cm_gate_finish(struct cm_gate *, const void *buf, size_t len);
int cm_gate_write(const char *path, const void *buf, size_t len, mode_t mode,
    char *why, size_t whylen);
/* Is name one of the gate's temporary files (.X.dsmcert.XXXXXX)? */
int cm_gate_is_temp(const char *name);
/*
 * The same walk for a file edited in place of the gate's replace (the
 * option-file editor): the directory that holds it, by descriptor, and
 * its name there; *exists and *st for what is there now. CM_NOTREG for
 * a link of /proc.
 */
int cm_gate_dir(const char *path, int *dirfd, char *name, size_t namelen,
    struct stat *st, int *exists, char *why, size_t whylen);
/*
 * The replace of cm_gate_open for a file found with cm_gate_dir: a new file
 * for name in dirfd (mode, owner left to the caller), for cm_gate_commit.
 */
int cm_gate_temp_at(struct cm_gate *, int dirfd, const char *name, mode_t mode);
/* A file to read, opened through the same walk and rule (non-blocking). */
int cm_gate_open_read(const char *path, int *fd, char *why, size_t whylen);

/*
 * A map from strings (copied) to size_t; zero-initialise it. With nocase
 * set before the first put, keys compare as strcasecmp does in the C
 * locale (ASCII letters fold), as the client compares stanza names.
 */
struct cm_strmap {
	char **key;
	size_t *val;
	size_t cap, n;
	int nocase;
};

void cm_strmap_put(struct cm_strmap *, const char *key, size_t val);
/* 1 and *val (when not NULL) if key is there, else 0. */
int cm_strmap_get(const struct cm_strmap *, const char *key, size_t *val);
void cm_strmap_free(struct cm_strmap *);

#endif
