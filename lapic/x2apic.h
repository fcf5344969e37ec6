/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x2APIC register file (SDM Vol. 3A, 10.12.1.2, table 10-6) as lhv
 * emulates it over an xAPIC: which MSRs exist, which way, and the xAPIC
 * register each one is.  Pure logic shared by lhv.ko and the unit tests.
 */
#ifndef _LHV_LAPIC_X2APIC_H
#define _LHV_LAPIC_X2APIC_H

#include <lhv/types.h>

#define LAPIC_X2APIC_MSR_FIRST	0x800
#define LAPIC_X2APIC_MSR_LAST	0x8ff

enum lapic_x2apic_reg {
	LAPIC_X2_NONE,		/* no such register, or not this way: #GP */
	LAPIC_X2_PLAIN,		/* the xAPIC register at .offset, 32 bits */
	LAPIC_X2_ID,		/* read: the 32-bit APIC ID */
	LAPIC_X2_LDR,		/* read: derived from the APIC ID */
	LAPIC_X2_EOI,		/* write: 0 only */
	LAPIC_X2_ICR,		/* 64 bits: the whole ICR in one MSR */
	LAPIC_X2_SELF_IPI,	/* write: a fixed IPI to self, vector 7:0 */
};

struct lapic_x2apic_access {
	enum lapic_x2apic_reg kind;
	u32 offset;		/* xAPIC register offset (kind PLAIN, ICR) */
};

/* What a RDMSR (@write false) or WRMSR of x2APIC MSR @msr is. */
struct lapic_x2apic_access lapic_x2apic_decode(u32 msr, bool write);

#endif /* _LHV_LAPIC_X2APIC_H */
