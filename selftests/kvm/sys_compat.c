// SPDX-License-Identifier: GPL-2.0
/*
 * madvise() for kernels built without it: the vmx-bochs test VM's small
 * kernel has CONFIG_ADVISE_SYSCALLS=n, but the selftest library asks
 * for MADV_NOHUGEPAGE on guest memory whenever THP is configured, and
 * fails on ENOSYS.  Advice is only advice: a kernel that cannot take it
 * behaves as if it had been followed, so ENOSYS becomes success.  Any
 * other error is still reported.  Static linking lets this definition
 * stand in for the C library's weak one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int madvise(void *addr, size_t len, int advice)
{
	long r = syscall(SYS_madvise, addr, len, advice);

	if (r && errno == ENOSYS)
		return 0;
	return r;
}
