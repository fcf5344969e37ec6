// SPDX-License-Identifier: GPL-2.0
/*
 * ICR decoding and encoding.  Pure logic: built into lhv.ko and into
 * tests/unit.
 *
 * The layout is the same in both APIC modes but for the destination (SDM
 * Vol. 3A, figure 10-12 and 10.12.9): vector 7:0, delivery mode 10:8,
 * destination mode 11, delivery status 12 (read-only; reserved in
 * x2APIC), level 14, trigger mode 15, shorthand 19:18; the destination is
 * ICR[63:56], an 8-bit APIC ID, in xAPIC mode and ICR[63:32], a 32-bit
 * one, in x2APIC mode.
 */
#include "icr.h"

#define LAPIC_ICR_VECTOR	0x000000ffULL
#define LAPIC_ICR_DM_SHIFT	8
#define LAPIC_ICR_DM		(7ULL << LAPIC_ICR_DM_SHIFT)
#define LAPIC_ICR_LOGICAL	BIT_ULL(11)
#define LAPIC_ICR_LEVEL		BIT_ULL(14)
#define LAPIC_ICR_TRIGGER	BIT_ULL(15)
#define LAPIC_ICR_SH_SHIFT	18
#define LAPIC_ICR_SH		(3ULL << LAPIC_ICR_SH_SHIFT)
#define LAPIC_XAPIC_DEST_SHIFT	56
#define LAPIC_X2APIC_DEST_SHIFT	32

/*
 * x2APIC ICR bits a WRMSR must leave clear (SDM Vol. 3A, 10.12.9): 13,
 * 17:16 and 31:20.  Bit 12, the former delivery status, is reserved too,
 * but Intel CPUs ignore it where AMD's fault; lhv ignores it.
 */
#define LAPIC_X2APIC_ICR_RESERVED	(0xfff00000ULL | (3ULL << 16) | BIT_ULL(13))

int lapic_icr_decode(u64 value, bool x2apic, struct lapic_icr *icr)
{
	if (x2apic && (value & LAPIC_X2APIC_ICR_RESERVED))
		return -EINVAL;

	icr->vector = value & LAPIC_ICR_VECTOR;
	icr->delivery = (value & LAPIC_ICR_DM) >> LAPIC_ICR_DM_SHIFT;
	icr->logical = !!(value & LAPIC_ICR_LOGICAL);
	icr->level = !!(value & LAPIC_ICR_LEVEL);
	icr->trigger = !!(value & LAPIC_ICR_TRIGGER);
	icr->shorthand = (value & LAPIC_ICR_SH) >> LAPIC_ICR_SH_SHIFT;
	icr->x2apic = x2apic;
	if (x2apic)
		icr->dest = value >> LAPIC_X2APIC_DEST_SHIFT;
	else
		icr->dest = value >> LAPIC_XAPIC_DEST_SHIFT;

	/* SDM Vol. 3A, 10.6.1, "INIT Level De-assert". */
	if (icr->delivery == LAPIC_DM_INIT && !icr->level && icr->trigger)
		icr->delivery = LAPIC_DM_INIT_DEASSERT;
	return 0;
}

u64 lapic_icr_encode(const struct lapic_icr *icr)
{
	u64 dm = icr->delivery == LAPIC_DM_INIT_DEASSERT ? LAPIC_DM_INIT :
		 icr->delivery & 7;
	u64 value;

	value = icr->vector | dm << LAPIC_ICR_DM_SHIFT |
		(u64)(icr->shorthand & 3) << LAPIC_ICR_SH_SHIFT;
	if (icr->logical)
		value |= LAPIC_ICR_LOGICAL;
	if (icr->level)
		value |= LAPIC_ICR_LEVEL;
	if (icr->trigger)
		value |= LAPIC_ICR_TRIGGER;
	if (icr->x2apic)
		value |= (u64)icr->dest << LAPIC_X2APIC_DEST_SHIFT;
	else
		value |= (u64)(icr->dest & 0xff) << LAPIC_XAPIC_DEST_SHIFT;
	return value;
}

u64 lapic_icr_for_target(const struct lapic_icr *icr, u32 apic_id)
{
	struct lapic_icr one = *icr;

	one.dest = apic_id;
	one.logical = 0;
	one.shorthand = LAPIC_SH_NONE;
	/* Lowest priority to one processor is fixed delivery to it. */
	if (one.delivery == LAPIC_DM_LOWEST)
		one.delivery = LAPIC_DM_FIXED;
	return lapic_icr_encode(&one);
}

enum lapic_ipi lapic_icr_kind(const struct lapic_icr *icr)
{
	/* Whatever its destination: the de-assert message goes to every APIC. */
	if (icr->delivery == LAPIC_DM_INIT_DEASSERT)
		return LAPIC_IPI_IGNORE;
	/*
	 * SDM Vol. 3A, table 10-3 calls every mode but fixed invalid with the
	 * self and all-including-self shorthands; CPUs and KVM deliver them
	 * all the same, and guests (test kernels' self-NMI) rely on that.
	 */
	switch (icr->delivery) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
	case LAPIC_DM_NMI:
		return LAPIC_IPI_FORWARD;
	case LAPIC_DM_INIT:
		return LAPIC_IPI_INIT;
	case LAPIC_DM_STARTUP:
		return LAPIC_IPI_SIPI;
	default:
		return LAPIC_IPI_INVALID;
	}
}
