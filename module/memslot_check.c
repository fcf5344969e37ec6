// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory region checks.  Pure logic: built into lhv.ko and into
 * tests/unit.
 */
#include "memslot_check.h"

static bool lhv_ranges_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	/* Neither ends before the other begins; callers ruled out wrapping. */
	return a < b + b_size && b < a + a_size;
}

int lhv_memslot_check(const struct lhv_gpa_range *slots, unsigned int nslots,
		      u64 gpa, u64 size, u64 uaddr, u64 gpa_limit)
{
	unsigned int i;

	if (!size || (gpa | size | uaddr) & (LHV_PAGE_SIZE - 1))
		return -EINVAL;
	if (gpa + size < gpa || gpa + size > gpa_limit)
		return -EINVAL;
	for (i = 0; i < nslots; i++)
		if (slots[i].size &&
		    lhv_ranges_overlap(gpa, size, slots[i].gpa, slots[i].size))
			return -EINVAL;
	return 0;
}
