/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC's interrupt command register: decoding what a guest
 * wrote, and encoding what lhv sends on (Documentation/initsipi.rst).
 * Pure logic shared by lhv.ko and the host unit tests.
 */
#ifndef _LHV_LAPIC_ICR_H
#define _LHV_LAPIC_ICR_H

#include <lhv/types.h>

/* Where a guest writes the ICR (SDM Vol. 3A, table 10-1 and 10.12.1.2). */
#define LAPIC_XAPIC_ICR_LOW	0x300	/* offset in the APIC page: sends */
#define LAPIC_XAPIC_ICR_HIGH	0x310	/* offset: the destination only */
#define LAPIC_X2APIC_ICR_MSR	0x830	/* one 64-bit write sends */

/* Physical destination "all" (SDM Vol. 3A, 10.6.2.1 and 10.12.9). */
#define LAPIC_XAPIC_BROADCAST	0xffU
#define LAPIC_X2APIC_BROADCAST	0xffffffffU

/*
 * Delivery modes, ICR bits 10:8 (SDM Vol. 3A, 10.6.1), and one that is
 * not a field value: LAPIC_DM_INIT_DEASSERT is mode INIT with level 0 and
 * trigger level, the INIT level de-assert of the 82489DX, which Pentium 4
 * and later processors ignore and x2APIC does not support.
 */
enum lapic_dm {
	LAPIC_DM_FIXED		= 0,
	LAPIC_DM_LOWEST		= 1,
	LAPIC_DM_SMI		= 2,
	LAPIC_DM_RESERVED3	= 3,
	LAPIC_DM_NMI		= 4,
	LAPIC_DM_INIT		= 5,
	LAPIC_DM_STARTUP	= 6,
	LAPIC_DM_RESERVED7	= 7,
	LAPIC_DM_INIT_DEASSERT	= 8,
};

/* Destination shorthands, ICR bits 19:18. */
enum lapic_shorthand {
	LAPIC_SH_NONE		= 0,
	LAPIC_SH_SELF		= 1,
	LAPIC_SH_ALL		= 2,	/* all including self */
	LAPIC_SH_OTHERS		= 3,	/* all excluding self */
};

struct lapic_icr {
	u32 dest;		/* xAPIC: 8 bits; x2APIC: 32 bits */
	u8 vector;
	u8 delivery;		/* enum lapic_dm */
	u8 logical;		/* destination mode: 1 logical, 0 physical */
	u8 level;		/* 1 assert, 0 de-assert */
	u8 trigger;		/* 1 level, 0 edge */
	u8 shorthand;		/* enum lapic_shorthand */
	u8 x2apic;		/* the x2APIC format */
};

/*
 * Decode a guest's ICR write.  @value is the 64-bit ICR: in x2APIC mode
 * (@x2apic) the one value written to MSR 0x830; in xAPIC mode ICR high
 * (offset 0x310) << 32 | ICR low (offset 0x300), low being the write that
 * sends.  Returns 0, or -EINVAL for an x2APIC value with reserved bits
 * set: the WRMSR then takes #GP instead (SDM Vol. 3A, 10.12.1.3).  xAPIC
 * writes ignore reserved bits, as the hardware does.
 */
int lapic_icr_decode(u64 value, bool x2apic, struct lapic_icr *icr);

/* The ICR value for @icr, in its format: decode's inverse. */
u64 lapic_icr_encode(const struct lapic_icr *icr);

/*
 * @icr sent to one APIC ID alone: the same vector, delivery mode, level
 * and trigger, physical destination @apic_id, no shorthand.  This is how
 * a forwarded fixed or NMI IPI cannot reach a CPU outside the VM; a
 * lowest-priority IPI goes out as fixed to the vCPU lapic_dest_resolve()
 * chose.
 */
u64 lapic_icr_for_target(const struct lapic_icr *icr, u32 apic_id);

/* What an ICR write means for lhv in filtered mode. */
enum lapic_ipi {
	LAPIC_IPI_FORWARD,	/* fixed, lowest priority, NMI: send on */
	LAPIC_IPI_INIT,		/* lapic_rs_init() on each target */
	LAPIC_IPI_SIPI,		/* lapic_rs_sipi(vector) on each target */
	LAPIC_IPI_IGNORE,	/* INIT level de-assert: ignored, as by the CPU */
	LAPIC_IPI_INVALID,	/* dropped and counted: see lapic_icr_kind() */
};

/*
 * Classify @icr.  LAPIC_IPI_INVALID: SMI (lhv gives guests no SMM; an SMI
 * would run the host firmware's handler) and the reserved delivery modes
 * 3 and 7.  Every other mode goes with every shorthand (icr.c).
 */
enum lapic_ipi lapic_icr_kind(const struct lapic_icr *icr);

#endif /* _LHV_LAPIC_ICR_H */
