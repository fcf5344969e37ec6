/* SPDX-License-Identifier: GPL-2.0 */
/* TAP output for lhv's C tests that run inside the test VMs. */
#ifndef _LHV_SELFTEST_TAP_H
#define _LHV_SELFTEST_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int test_n, test_failed;

static inline void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	test_n++;
	printf("%sok %d - ", ok ? "" : "not ", test_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		test_failed++;
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
	return test_failed ? 1 : 0;
}

#endif /* _LHV_SELFTEST_TAP_H */
