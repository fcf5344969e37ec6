// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: each slot's userspace pages are pinned (FOLL_LONGTERM, so
 * they are never in a movable zone or CMA) when the slot is set and
 * unpinned when the VM is destroyed.  The guest runs on CPUs outside the
 * scheduler and its nested page tables point straight at these pages, so
 * they must not move or go away while the VM exists.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/processor.h>

#include <lhv/abi.h>

#include "memslot.h"

static void lhv_memslot_unpin(struct lhv_memslot *s, u64 npinned)
{
	unpin_user_pages_dirty_lock(s->pages, npinned,
				    !(s->flags & LHV_MEM_READONLY));
	kvfree(s->pages);
	s->pages = NULL;
	s->npages = 0;
}

/* Pin in chunks, so one call never asks for an unbounded page walk. */
#define LHV_PIN_CHUNK	512

static int lhv_memslot_pin(struct lhv_memslot *s, u64 uaddr)
{
	unsigned int gup = FOLL_LONGTERM;
	u64 done = 0;

	if (!(s->flags & LHV_MEM_READONLY))
		gup |= FOLL_WRITE;
	while (done < s->npages) {
		unsigned long n = min_t(u64, s->npages - done, LHV_PIN_CHUNK);
		long got;

		got = pin_user_pages_fast(uaddr + done * PAGE_SIZE, n, gup,
					  s->pages + done);
		if (got <= 0) {
			lhv_memslot_unpin(s, done);
			return got ? got : -EFAULT;
		}
		done += got;
		if (fatal_signal_pending(current)) {
			lhv_memslot_unpin(s, done);
			return -EINTR;
		}
		cond_resched();
	}
	return 0;
}

int lhv_memslot_set(struct lhv_memslots *slots,
		    const struct lhv_memory_region *r)
{
	struct lhv_gpa_range used[LHV_MAX_MEMSLOTS];
	struct lhv_memslot *s;
	unsigned int i;
	int err;

	if (r->slot >= LHV_MAX_MEMSLOTS || r->flags & ~LHV_MEM_FLAGS_VALID ||
	    !lhv_all_zero(r->reserved, ARRAY_SIZE(r->reserved)))
		return -EINVAL;
	/* A set slot is EEXIST, not an overlap with itself. */
	if (slots->slot[r->slot].npages)
		return -EEXIST;
	for (i = 0; i < LHV_MAX_MEMSLOTS; i++) {
		used[i].gpa = slots->slot[i].gpa;
		used[i].size = slots->slot[i].npages << PAGE_SHIFT;
	}
	err = lhv_memslot_check(used, LHV_MAX_MEMSLOTS, r->guest_phys_addr,
				r->memory_size, r->userspace_addr,
				1ULL << boot_cpu_data.x86_phys_bits);
	if (err)
		return err;
	s = &slots->slot[r->slot];
	/* More than the host's RAM can never be pinned. */
	if (r->memory_size >> PAGE_SHIFT > totalram_pages())
		return -ENOMEM;
	if (!access_ok(u64_to_user_ptr(r->userspace_addr), r->memory_size))
		return -EFAULT;

	s->pages = kvmalloc_array(r->memory_size >> PAGE_SHIFT,
				  sizeof(*s->pages), GFP_KERNEL_ACCOUNT);
	if (!s->pages)
		return -ENOMEM;
	s->gpa = r->guest_phys_addr;
	s->flags = r->flags;
	s->npages = r->memory_size >> PAGE_SHIFT;
	err = lhv_memslot_pin(s, r->userspace_addr);
	if (err) {
		s->gpa = 0;
		s->flags = 0;
	}
	return err;
}

void lhv_memslot_clear(struct lhv_memslot *s)
{
	lhv_memslot_unpin(s, s->npages);
	s->gpa = 0;
	s->flags = 0;
}

void lhv_memslots_free(struct lhv_memslots *slots)
{
	unsigned int i;

	for (i = 0; i < LHV_MAX_MEMSLOTS; i++)
		if (slots->slot[i].npages)
			lhv_memslot_unpin(&slots->slot[i], slots->slot[i].npages);
}
