/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test groups in a child process: a kernel that never returns from
 * LHV_RUN then fails the group (the child is SIGKILLed, which also tests
 * that its CPUs come back) instead of hanging the whole suite.  TAP counts
 * are shared with the child (tap_share()), and whatever lines the group
 * did not print are reported as not finished.
 */
#ifndef _LHV_SELFTEST_CHILD_H
#define _LHV_SELFTEST_CHILD_H

#include <signal.h>
#include <sys/wait.h>

#include "tap.h"

/* Run @fn(@arg) in a child for at most @limit_s seconds; @tests lines. */
static inline void run_in_child(const char *name, int tests, int limit_s,
				void (*fn)(const void *arg), const void *arg)
{
	int end = tap->n + tests, status = 0, ms;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	for (ms = 0; pid > 0 && ms < limit_s * 1000; ms += 100) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(100000);
	}
	if (pid > 0 && ms >= limit_s * 1000) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		printf("#   %s: still running after %d s: killed (did LHV_RUN return?)\n",
		       name, limit_s);
	} else if (pid > 0 && WIFSIGNALED(status)) {
		printf("#   %s: the test process died of signal %d\n", name,
		       WTERMSIG(status));
	}
	while (tap->n < end)
		result(false, "%s: did not finish", name);
}

#endif /* _LHV_SELFTEST_CHILD_H */
