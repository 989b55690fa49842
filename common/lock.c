#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/common.h"

/*
 * The one way dsmcert waits for a lock (the key database's, an option
 * file's): in the kernel's queue, not by polling, since polling lets late
 * comers overtake and with several installers at once one of them could
 * starve. The wait is bounded by an alarm that interrupts flock(); the
 * caller's handler and alarm are put back as they were.
 */

static void
on_alarm(int sig)
{
	(void)sig;	/* only to interrupt flock() */
}

int
cm_lock_wait(int fd, unsigned seconds)
{
	struct sigaction sa, old;
	unsigned left, rem;
	int r, e;

	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return CM_OK;
	if (errno != EWOULDBLOCK && errno != EINTR)
		return CM_ERRNO;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: flock gets EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	left = alarm(seconds);
	r = flock(fd, LOCK_EX);
	e = errno;
	rem = alarm(0);
	sigaction(SIGALRM, &old, NULL);
	/* The caller's alarm, less the time waited here. */
	if (left > 0)
		alarm(left > seconds - rem ? left - (seconds - rem) : 1);
	if (r == 0)
		return CM_OK;
	errno = e == EINTR ? ETIMEDOUT : e;
	return CM_ERRNO;
}
