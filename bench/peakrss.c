/*
 * peakrss OUT COMMAND [ARG...]: run COMMAND and append to OUT one line,
 * "NANOSECONDS KILOBYTES CPUNANOSECONDS": its wall-clock time, its peak
 * resident set size and the processor time (user and system) of it and
 * its reaped descendants. Exits with COMMAND's status.
 *
 * wait4's ru_maxrss is the larger of the child's own peak and that of the
 * largest of its reaped descendants, so a shell loop of certutil runs
 * reports the biggest certutil, not the shell. The clock is read here,
 * around fork and wait, so that no date(1) process lands inside the
 * measurement.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long
ns(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss OUT COMMAND [ARG...]\n");
		return 64;
	}
	out = fopen(argv[1], "a");
	if (out == NULL) {
		fprintf(stderr, "peakrss: %s: %s\n", argv[1], strerror(errno));
		return 70;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "peakrss: fork: %s\n", strerror(errno));
		fclose(out);
		return 70;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "peakrss: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "peakrss: wait4: %s\n", strerror(errno));
			fclose(out);
			return 70;
		}
	}
	t1 = now_ns();
	fprintf(out, "%lld %ld %lld\n", t1 - t0, ru.ru_maxrss,
	    ns(&ru.ru_utime) + ns(&ru.ru_stime));
	if (fclose(out) != 0) {
		fprintf(stderr, "peakrss: %s: %s\n", argv[1], strerror(errno));
		return 70;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
