#ifndef DSMCERT_COMMON_H
#define DSMCERT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The few helpers that keydb/, optfile/ and dsmcert/ all need. They
 * print nothing: a failure is a cm_status (CM_ERRNO with errno set), and
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
char *path_join(const char *dir, const char *name);

/*
 * The whole of a regular file, NUL-terminated (*len excludes the NUL).
 * The file is opened without blocking, so a FIFO put in its place
 * cannot hang the caller, and refused with CM_NOTREG. file_read_fd
 * reads an open descriptor (a pipe on standard input) to its end.
 */
int file_read(const char *path, size_t max, char **buf, size_t *len);
int file_read_fd(int fd, size_t max, char **buf, size_t *len);

/*
 * A secret (password, PIN): the first line of a regular file that group
 * and others cannot read, without its line end. *mode is the file's
 * mode, for the caller's message. Free it with secret_free, which wipes.
 */
int secret_read(const char *path, char **out, mode_t *mode);
void secret_free(char *);

/*
 * Atomic replacement: a new file beside path, written, flushed to disk
 * and renamed over path, then the directory flushed too, so that a
 * crash leaves the old file or the new one, never a short one.
 * atomic_open gives the new file mode; the caller writes to af->fd
 * (and may fchown it), then commits or aborts.
 */
struct atomic_file {
	char *path;
	char *tmp;
	int fd;
};

int atomic_open(struct atomic_file *, const char *path, mode_t mode);
int atomic_commit(struct atomic_file *);
void atomic_abort(struct atomic_file *);
/* open, write len bytes, commit. */
int atomic_write(const char *path, const void *buf, size_t len, mode_t mode);
int write_all(int fd, const void *buf, size_t len);

/*
 * Run as root: CM_UNSAFE (why says which link or directory, and whose)
 * when path passes through a link or directory of another user who
 * does not own the file it leads to as well. CM_OK otherwise, and
 * always when not root.
 */
int path_check_owner(const char *path, char *why, size_t whylen);

/* A map from strings (copied) to size_t; zero-initialise it. */
struct strmap {
	char **key;
	size_t *val;
	size_t cap, n;
};

void strmap_put(struct strmap *, const char *key, size_t val);
/* 1 and *val (when not NULL) if key is there, else 0. */
int strmap_get(const struct strmap *, const char *key, size_t *val);
void strmap_free(struct strmap *);

#endif
