// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: the EPT entry format for the shared nested-page-table
 * builder (module/npt.c).  SDM Vol. 3C, 28.2.2 ("EPT Translation
 * Mechanism"), tables "Format of an EPT PML4 Entry" .. "Format of an EPT
 * Page-Table Entry", and 28.2.6 ("EPT and Memory Typing").
 */
#include <linux/bits.h>

#include "../module/lhv.h"
#include "vmx_vcpu.h"

#define EPT_READ	BIT_ULL(0)
#define EPT_WRITE	BIT_ULL(1)
#define EPT_EXEC	BIT_ULL(2)	/* supervisor and user: no mode-based control */
#define EPT_MEMTYPE(t)	((u64)(t) << 3)	/* leaves only: bits 5:3 */
#define EPT_IGNORE_PAT	BIT_ULL(6)	/* leaves only */
#define EPT_LARGE	BIT_ULL(7)	/* in a level-2 entry: a 2 MiB page */

#define EPT_MT_UC	0
#define EPT_MT_WB	6

const struct lhv_npt_format vmx_npt_format = {
	/* Tables grant everything; the leaves decide. */
	.table = EPT_READ | EPT_WRITE | EPT_EXEC,
	.leaf_base = EPT_READ | EPT_EXEC,
	.leaf_write = EPT_WRITE,
	.leaf_large = EPT_LARGE,
	/*
	 * Guest RAM is write-back, combined with the guest's own PAT: a
	 * guest that maps RAM uncached gets uncached (28.2.6.2).
	 */
	.memtype_wb = EPT_MEMTYPE(EPT_MT_WB),
	/*
	 * The local APIC page is uncached whatever the guest's PAT says:
	 * its registers must never be cached or combined.
	 */
	.memtype_uc = EPT_MEMTYPE(EPT_MT_UC) | EPT_IGNORE_PAT,
};
