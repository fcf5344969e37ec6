// SPDX-License-Identifier: GPL-2.0
/*
 * MSI address/data to ICR (msi.h).
 */
#include "msi.h"

int lapic_msi_decode(u64 address, u32 data, bool x2apic, struct lapic_icr *icr)
{
	u8 delivery = (data >> LAPIC_MSI_DATA_DM_SHIFT) & 7;
	u8 vector = data & 0xff;
	u32 dest;

	if ((address & ~0xffffffffULL) ||
	    (address & LAPIC_MSI_ADDR_BASE_MASK) != LAPIC_MSI_ADDR_BASE ||
	    (address & LAPIC_MSI_ADDR_RESERVED) ||
	    (data & (LAPIC_MSI_DATA_RESERVED | LAPIC_MSI_DATA_TRIGGER_LEVEL)))
		return -EINVAL;
	switch (delivery) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		if (vector < 16)
			return -EINVAL;
		break;
	case LAPIC_DM_NMI:
		/* The vector field means nothing for an NMI. */
		vector = 0;
		break;
	default:
		return -EINVAL;
	}
	if ((address & LAPIC_MSI_ADDR_RH) && delivery == LAPIC_DM_FIXED)
		delivery = LAPIC_DM_LOWEST;
	dest = (address >> LAPIC_MSI_ADDR_DEST_SHIFT) & 0xff;
	/* The 8-bit broadcast ID stays a broadcast when the APICs are x2APIC. */
	if (x2apic && dest == LAPIC_XAPIC_BROADCAST)
		dest = LAPIC_X2APIC_BROADCAST;
	*icr = (struct lapic_icr){
		.dest = dest,
		.vector = vector,
		.delivery = delivery,
		.logical = !!(address & LAPIC_MSI_ADDR_DM_LOGICAL),
		.level = 1,
		.trigger = 0,
		.shorthand = LAPIC_SH_NONE,
		.x2apic = x2apic,
	};
	return 0;
}
