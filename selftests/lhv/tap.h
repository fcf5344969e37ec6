/* SPDX-License-Identifier: GPL-2.0 */
/* TAP output for lhv's C tests that run inside the test VMs. */
#ifndef _LHV_SELFTEST_TAP_H
#define _LHV_SELFTEST_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct tap_counts {
	int n, failed;
};

static struct tap_counts tap_static, *tap = &tap_static;

/*
 * Keep the counts in shared memory, so that tests run in a child process
 * (which the parent can kill if the kernel hangs it) number their lines
 * and count their failures in the parent's sequence.
 */
static inline void tap_share(void)
{
	struct tap_counts *p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED) {
		*p = *tap;
		tap = p;
	}
}

static inline void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap->n++;
	printf("%sok %d - ", ok ? "" : "not ", tap->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap->failed++;
}

/* A test that cannot run here: counted as skipped, never as passed. */
static inline void tap_skip(const char *what, const char *why)
{
	tap->n++;
	printf("ok %d - %s # SKIP %s\n", tap->n, what, why);
	fflush(stdout);
}

/* A call that must fail with @err (its fd, if it succeeded, is closed). */
static inline void expect_errno(int ret, int err, const char *what)
{
	int saved = errno;

	result(ret == -1 && saved == err, "%s fails with %s%s", what,
	       strerrorname_np(err), ret == -1 ? "" : " (it succeeded)");
	if (ret == -1 && saved != err)
		printf("#   got %s instead\n", strerrorname_np(saved));
	if (ret > 0)
		close(ret);
}

static inline int tap_exit_status(void)
{
	return tap->failed ? 1 : 0;
}

#endif /* _LHV_SELFTEST_TAP_H */
