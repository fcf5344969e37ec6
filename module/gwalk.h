/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest linear to guest-physical translation: the guest's own page tables,
 * walked in software in every mode a guest can be in.  Pure logic, built
 * into lhv.ko and into tests/unit.
 */
#ifndef _LHV_GWALK_H
#define _LHV_GWALK_H

#include "emulate.h"

#define LHV_GW_CR0_PE		BIT_ULL(0)
#define LHV_GW_CR0_PG		BIT_ULL(31)
#define LHV_GW_CR4_PSE		BIT_ULL(4)
#define LHV_GW_CR4_PAE		BIT_ULL(5)
#define LHV_GW_CR4_LA57		BIT_ULL(12)
#define LHV_GW_EFER_LMA		BIT_ULL(10)

/* Paging modes (SDM Vol. 3, 4.1.1, table 4-1). */
enum lhv_paging {
	LHV_PAGING_NONE,	/* real mode, or protected mode without CR0.PG */
	LHV_PAGING_32,		/* two-level, 4 KiB and (CR4.PSE) 4 MiB pages */
	LHV_PAGING_PAE,		/* three-level, 4 KiB and 2 MiB pages */
	LHV_PAGING_4LEVEL,	/* long mode, 4 KiB, 2 MiB and 1 GiB pages */
	LHV_PAGING_5LEVEL,	/* long mode with CR4.LA57 */
};

enum lhv_paging lhv_paging_mode(const struct lhv_sregs *sregs);

/*
 * Translate @linear.  Returns 0 with *@gpa set, -EFAULT if the guest's
 * tables do not map it (an entry not present), or -ENOENT if a table is
 * not in guest RAM.  Reads entries through @mem; never sets accessed or
 * dirty bits and does not check permissions: the CPU's own walk already
 * allowed the access that exited.
 */
int lhv_gwalk(const struct lhv_sregs *sregs, const struct lhv_guest_mem *mem,
	      u64 linear, u64 *gpa);

#endif /* _LHV_GWALK_H */
