// SPDX-License-Identifier: GPL-2.0
/*
 * IA32_APIC_BASE writes.  The SDM (Vol. 3A, 10.12.5, figure 10-27) allows
 * disabled <-> xAPIC, xAPIC -> x2APIC and x2APIC -> disabled; x2APIC ->
 * xAPIC and disabled -> x2APIC fault, as does EN=0 with EXTD=1.  Bits 7:0,
 * 9 and those from MAXPHYADDR up are reserved, and so is EXTD where the CPU
 * has no x2APIC.
 *
 * Two refusals are lhv's own (Documentation/design.rst, "The guest's local
 * APIC"): the base stays where the host put it, because every vCPU's APIC
 * page is the same host page, mapped once for the VM; and where lhv cannot
 * give the guest an xAPIC (an x2APIC host whose CPU lhv cannot map the
 * xAPIC page for) the xAPIC mode is refused.
 */
#include "apicbase.h"

#define LAPIC_BASE_RESERVED_LOW	(0xffULL | (1ULL << 9))

int lapic_base_check(u64 old, u64 new, const struct lapic_base_caps *caps)
{
	u64 reserved = LAPIC_BASE_RESERVED_LOW;
	enum lapic_mode from = lapic_base_mode(old);
	enum lapic_mode to = lapic_base_mode(new);

	if (caps->phys_bits < 64)
		reserved |= ~0ULL << caps->phys_bits;
	if (!caps->x2apic)
		reserved |= LAPIC_BASE_EXTD;
	if (new & reserved)
		return -EINVAL;
	if ((new ^ old) >> LAPIC_BASE_ADDR_SHIFT)
		return -EINVAL;
	if (to == LAPIC_MODE_INVALID)
		return -EINVAL;
	if (from == LAPIC_MODE_X2APIC && to == LAPIC_MODE_XAPIC)
		return -EINVAL;
	if (from == LAPIC_MODE_DISABLED && to == LAPIC_MODE_X2APIC)
		return -EINVAL;
	if (to == LAPIC_MODE_XAPIC && from != LAPIC_MODE_XAPIC && !caps->xapic)
		return -EINVAL;
	return 0;
}
