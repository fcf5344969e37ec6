/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU register state as userspace sees it: the architectural INIT state
 * and the checks LHV_SET_REGS/LHV_SET_SREGS apply.  Pure logic shared by
 * lhv.ko and the host unit tests.
 */
#ifndef _LHV_VCPU_STATE_H
#define _LHV_VCPU_STATE_H

#include <lhv/types.h>
#include <linux/lhv.h>

#define LHV_CR0_PE	BIT_ULL(0)
#define LHV_CR0_ET	BIT_ULL(4)
#define LHV_CR0_NW	BIT_ULL(29)
#define LHV_CR0_CD	BIT_ULL(30)
#define LHV_CR0_PG	BIT_ULL(31)
#define LHV_CR4_PAE	BIT_ULL(5)
#define LHV_EFER_LME	BIT_ULL(8)
#define LHV_EFER_LMA	BIT_ULL(10)
#define LHV_RFLAGS_FIXED	BIT_ULL(1)

/*
 * Registers after INIT (Intel SDM Vol. 3A, 10.1.1, table "Processor State
 * Following Power-up, Reset, or INIT"; AMD APM Vol. 2, 14.1.3): real mode
 * at F000:FFF0, RDX holding the processor signature @signature.  The
 * local APIC base is the host CPU's, @apic_base.
 */
void lhv_vcpu_init_state(struct lhv_regs *regs, struct lhv_sregs *sregs,
			 u64 signature, u64 apic_base);

/* 0, or -EINVAL for reserved fields or RFLAGS bits that cannot be. */
int lhv_regs_check(const struct lhv_regs *regs);

/*
 * 0, or -EINVAL for: reserved or padding fields set, out-of-range segment
 * attributes, CR0/CR4/EFER bits that do not exist or that lhv does not
 * give guests (CR4.VMXE, CR4.SMXE, EFER.SVME), inconsistent paging or
 * long-mode state, or an APIC base other than @apic_base.
 */
int lhv_sregs_check(const struct lhv_sregs *sregs, u64 apic_base);

#endif /* _LHV_VCPU_STATE_H */
