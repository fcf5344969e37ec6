// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU register state: INIT values and userspace input checks.  Pure
 * logic: built into lhv.ko and into tests/unit.
 */
#include <lhv/abi.h>

#include "vcpu_state.h"

/* CR0: PE MP EM TS ET NE WP AM NW CD PG. */
#define LHV_CR0_VALID	0xe005003fULL
/* CR4 bits 0-24 but 15 (reserved), 13 (VMXE) and 14 (SMXE): no nesting. */
#define LHV_CR4_VALID	(0x01ffffffULL & ~(BIT_ULL(13) | BIT_ULL(14) | BIT_ULL(15)))
/* EFER: SCE LME LMA NXE; SVME is never a guest's. */
#define LHV_EFER_VALID	(BIT_ULL(0) | LHV_EFER_LME | LHV_EFER_LMA | BIT_ULL(11))
/* RFLAGS bits that exist: 0, 1 (always 1), 2, 4, 6-11, 12-13, 14, 16-21. */
#define LHV_RFLAGS_VALID	0x3f7fd7ULL

static void lhv_real_mode_segment(struct lhv_segment *seg, u16 selector,
				  u64 base, u8 type, u8 s)
{
	memset(seg, 0, sizeof(*seg));
	seg->selector = selector;
	seg->base = base;
	seg->limit = 0xffff;
	seg->type = type;
	seg->s = s;
	seg->present = 1;
}

void lhv_vcpu_init_state(struct lhv_regs *regs, struct lhv_sregs *sregs,
			 u64 signature, u64 apic_base)
{
	memset(regs, 0, sizeof(*regs));
	memset(sregs, 0, sizeof(*sregs));

	regs->rip = 0xfff0;
	regs->rflags = LHV_RFLAGS_FIXED;
	regs->rdx = signature;

	/* Code: execute/read, accessed.  Data: read/write, accessed. */
	lhv_real_mode_segment(&sregs->cs, 0xf000, 0xffff0000, 0xb, 1);
	lhv_real_mode_segment(&sregs->ds, 0, 0, 0x3, 1);
	lhv_real_mode_segment(&sregs->es, 0, 0, 0x3, 1);
	lhv_real_mode_segment(&sregs->fs, 0, 0, 0x3, 1);
	lhv_real_mode_segment(&sregs->gs, 0, 0, 0x3, 1);
	lhv_real_mode_segment(&sregs->ss, 0, 0, 0x3, 1);
	/* System segments: LDT, and a busy TSS as VM entry insists. */
	lhv_real_mode_segment(&sregs->ldt, 0, 0, 0x2, 0);
	lhv_real_mode_segment(&sregs->tr, 0, 0, 0xb, 0);
	sregs->gdt.limit = 0xffff;
	sregs->idt.limit = 0xffff;
	sregs->cr0 = LHV_CR0_CD | LHV_CR0_NW | LHV_CR0_ET;
	sregs->apic_base = apic_base;
}

int lhv_regs_check(const struct lhv_regs *regs)
{
	if (!lhv_all_zero(regs->reserved, ARRAY_SIZE(regs->reserved)))
		return -EINVAL;
	if (!(regs->rflags & LHV_RFLAGS_FIXED) ||
	    (regs->rflags & ~LHV_RFLAGS_VALID))
		return -EINVAL;
	return 0;
}

static bool lhv_segment_ok(const struct lhv_segment *seg)
{
	return seg->type <= 0xf && seg->present <= 1 && seg->dpl <= 3 &&
	       seg->db <= 1 && seg->s <= 1 && seg->l <= 1 && seg->g <= 1 &&
	       seg->avl <= 1 && seg->unusable <= 1 && !seg->padding;
}

int lhv_sregs_check(const struct lhv_sregs *sregs, u64 apic_base)
{
	const struct lhv_segment *segs[] = {
		&sregs->cs, &sregs->ds, &sregs->es, &sregs->fs,
		&sregs->gs, &sregs->ss, &sregs->tr, &sregs->ldt,
	};
	bool long_mode;
	unsigned int i;

	if (!lhv_all_zero(sregs->reserved, ARRAY_SIZE(sregs->reserved)))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(segs); i++)
		if (!lhv_segment_ok(segs[i]))
			return -EINVAL;
	if (sregs->gdt.padding[0] | sregs->gdt.padding[1] | sregs->gdt.padding[2] |
	    sregs->idt.padding[0] | sregs->idt.padding[1] | sregs->idt.padding[2])
		return -EINVAL;

	if ((sregs->cr0 & ~LHV_CR0_VALID) || (sregs->cr4 & ~LHV_CR4_VALID) ||
	    (sregs->efer & ~LHV_EFER_VALID) || sregs->cr8 > 0xf)
		return -EINVAL;
	/* Paging needs protection; not-write-through needs caching off. */
	if ((sregs->cr0 & LHV_CR0_PG) && !(sregs->cr0 & LHV_CR0_PE))
		return -EINVAL;
	if ((sregs->cr0 & LHV_CR0_NW) && !(sregs->cr0 & LHV_CR0_CD))
		return -EINVAL;
	/* EFER.LMA is LME && CR0.PG, and long mode pages with PAE. */
	long_mode = (sregs->efer & LHV_EFER_LME) && (sregs->cr0 & LHV_CR0_PG);
	if (!!(sregs->efer & LHV_EFER_LMA) != long_mode)
		return -EINVAL;
	if (long_mode && !(sregs->cr4 & LHV_CR4_PAE))
		return -EINVAL;
	if (long_mode && sregs->cs.l && sregs->cs.db)
		return -EINVAL;

	/* The local APIC is the host CPU's own: its base and mode stay. */
	if (sregs->apic_base != apic_base)
		return -EINVAL;
	return 0;
}
