/* SPDX-License-Identifier: GPL-2.0 */
/* Guest memory of a VM: pinned userspace memory per slot. */
#ifndef _LHV_MEMSLOT_H
#define _LHV_MEMSLOT_H

#include <linux/lhv.h>
#include <linux/mm_types.h>

#include "memslot_check.h"

struct lhv_memslot {
	u64 gpa;
	u64 npages;			/* 0: unused */
	u32 flags;			/* LHV_MEM_* */
	struct page **pages;		/* pinned with FOLL_LONGTERM */
};

struct lhv_memslots {
	struct lhv_memslot slot[LHV_MAX_MEMSLOTS];
};

int lhv_memslot_set(struct lhv_memslots *slots,
		    const struct lhv_memory_region *region);
/* Unpin one slot and mark it unused. */
void lhv_memslot_clear(struct lhv_memslot *s);
void lhv_memslots_free(struct lhv_memslots *slots);

#endif /* _LHV_MEMSLOT_H */
