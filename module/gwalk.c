// SPDX-License-Identifier: GPL-2.0
/*
 * Guest page-table walk (SDM Vol. 3, chapter 4; APM Vol. 2, 5.3).  Pure
 * logic, built into lhv.ko and into tests/unit.
 *
 * All four table formats are one loop: a walk is a number of levels, each
 * indexing a table with some bits of the linear address, where a level may
 * end early in a large page.  The formats differ only in entry size, bits
 * per level, the number of levels and which levels may map large pages.
 */
#include "gwalk.h"

#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
/* Bits 51:12 of a 64-bit entry (MAXPHYADDR is at most 52). */
#define PTE_ADDR64	0x000ffffffffff000ULL
#define PTE_ADDR32	0xfffff000ULL

struct gw_format {
	unsigned int levels;
	unsigned int bits;		/* linear-address bits per level */
	unsigned int esize;		/* entry bytes */
	unsigned int large_max;		/* highest level that may have PS */
	u64 addr_mask;
};

enum lhv_paging lhv_paging_mode(const struct lhv_sregs *sregs)
{
	if (!(sregs->cr0 & LHV_GW_CR0_PG) || !(sregs->cr0 & LHV_GW_CR0_PE))
		return LHV_PAGING_NONE;
	if (!(sregs->cr4 & LHV_GW_CR4_PAE))
		return LHV_PAGING_32;
	if (!(sregs->efer & LHV_GW_EFER_LMA))
		return LHV_PAGING_PAE;
	return (sregs->cr4 & LHV_GW_CR4_LA57) ? LHV_PAGING_5LEVEL :
						 LHV_PAGING_4LEVEL;
}

static int gw_walk(const struct gw_format *f, const struct lhv_guest_mem *mem,
		   u64 table, u64 linear, u64 *gpa)
{
	unsigned int lvl, shift;
	u64 e, mask;

	for (lvl = f->levels; lvl > 0; lvl--) {
		shift = 12 + f->bits * (lvl - 1);
		e = 0;
		if (mem->read(mem->ctx,
			      table + ((linear >> shift) & ((1U << f->bits) - 1)) * f->esize,
			      &e, f->esize))
			return -ENOENT;
		if (!(e & PTE_P))
			return -EFAULT;
		if (lvl == 1 || (lvl <= f->large_max && (e & PTE_PS))) {
			mask = (1ULL << shift) - 1;
			*gpa = (e & f->addr_mask & ~mask) | (linear & mask);
			/*
			 * PSE-36: a 4 MiB page's address bits 39:32 are
			 * entry bits 20:13 (SDM Vol. 3, 4.3, table 4-4).
			 */
			if (f->esize == 4 && lvl == 2)
				*gpa |= ((e >> 13) & 0xff) << 32;
			return 0;
		}
		table = e & f->addr_mask;
	}
	return -EFAULT;	/* not reached: level 1 always ends the walk */
}

int lhv_gwalk(const struct lhv_sregs *sregs, const struct lhv_guest_mem *mem,
	      u64 linear, u64 *gpa)
{
	struct gw_format f = { .esize = 8, .bits = 9, .addr_mask = PTE_ADDR64 };
	u64 table = sregs->cr3 & PTE_ADDR64;

	switch (lhv_paging_mode(sregs)) {
	case LHV_PAGING_NONE:
		/* Outside long mode linear addresses are 32 bits wide. */
		*gpa = (sregs->efer & LHV_GW_EFER_LMA) ? linear : (u32)linear;
		return 0;
	case LHV_PAGING_32:
		f.levels = 2;
		f.bits = 10;
		f.esize = 4;
		f.addr_mask = PTE_ADDR32;
		/* 4 MiB pages need CR4.PSE (SDM Vol. 3, 4.3). */
		f.large_max = (sregs->cr4 & LHV_GW_CR4_PSE) ? 2 : 1;
		table = sregs->cr3 & PTE_ADDR32;
		linear = (u32)linear;
		break;
	case LHV_PAGING_PAE:
		/* CR3 holds a 32-byte aligned PDPT of 4 entries (SDM Vol. 3, 4.4.1). */
		f.levels = 3;
		f.large_max = 2;
		table = sregs->cr3 & 0xffffffe0ULL;
		linear = (u32)linear;
		break;
	case LHV_PAGING_4LEVEL:
		f.levels = 4;
		f.large_max = 3;
		break;
	case LHV_PAGING_5LEVEL:
		f.levels = 5;
		f.large_max = 3;
		break;
	}
	return gw_walk(&f, mem, table, linear, gpa);
}
