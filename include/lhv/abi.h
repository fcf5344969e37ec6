/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks every ioctl applies to its argument structure before acting on
 * it (Documentation/ioctl.rst, "Conventions").  Pure: usable from lhv.ko
 * and from the host unit tests.
 */
#ifndef _LHV_ABI_H
#define _LHV_ABI_H

#include <lhv/types.h>

/* Reserved fields must be zero on input. */
static inline bool lhv_all_zero(const u64 *v, size_t n)
{
	while (n--)
		if (v[n])
			return false;
	return true;
}

#endif /* _LHV_ABI_H */
