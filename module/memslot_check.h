/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of guest memory regions: pure logic shared by lhv.ko
 * (module/memslot.c) and the host unit tests.
 */
#ifndef _LHV_MEMSLOT_CHECK_H
#define _LHV_MEMSLOT_CHECK_H

#include <lhv/types.h>

#define LHV_PAGE_SIZE	4096ULL

struct lhv_gpa_range {
	u64 gpa;
	u64 size;		/* 0: slot unused */
};

/*
 * May [@gpa, @gpa + @size), backed by userspace memory at @uaddr, become a
 * slot next to @slots[0..@nslots)?  @gpa_limit bounds guest-physical
 * addresses (the CPU's physical address width).  Returns 0 or -EINVAL:
 * zero size, any of the three not page aligned, a range that wraps or
 * ends above the limit, or one that overlaps a used slot.
 */
int lhv_memslot_check(const struct lhv_gpa_range *slots, unsigned int nslots,
		      u64 gpa, u64 size, u64 uaddr, u64 gpa_limit);

#endif /* _LHV_MEMSLOT_CHECK_H */
