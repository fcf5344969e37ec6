/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IA32_APIC_BASE as the guest sees it (SDM Vol. 3A, 10.4.4 and 10.12.5):
 * which writes the CPU accepts and what mode each leaves the APIC in.
 * Pure logic shared by lhv.ko and the host unit tests.
 */
#ifndef _LHV_LAPIC_APICBASE_H
#define _LHV_LAPIC_APICBASE_H

#include <lhv/types.h>

#define LAPIC_BASE_BSP		BIT_ULL(8)
#define LAPIC_BASE_EXTD		BIT_ULL(10)
#define LAPIC_BASE_EN		BIT_ULL(11)
#define LAPIC_BASE_ADDR_SHIFT	12

/* Figure 10-27: EN and EXTD together name the mode. */
enum lapic_mode {
	LAPIC_MODE_DISABLED,	/* EN=0 EXTD=0 */
	LAPIC_MODE_INVALID,	/* EN=0 EXTD=1: never reached, a write faults */
	LAPIC_MODE_XAPIC,	/* EN=1 EXTD=0 */
	LAPIC_MODE_X2APIC,	/* EN=1 EXTD=1 */
};

static inline enum lapic_mode lapic_base_mode(u64 base)
{
	unsigned int extd = !!(base & LAPIC_BASE_EXTD);
	unsigned int en = !!(base & LAPIC_BASE_EN);

	return (enum lapic_mode)(en << 1 | extd);
}

/* What the CPU under the guest offers. */
struct lapic_base_caps {
	unsigned int phys_bits;	/* MAXPHYADDR: address bits above are reserved */
	bool x2apic;		/* CPUID.1:ECX[21]: EXTD is not reserved */
	bool xapic;		/* lhv can give the guest an xAPIC (see apicbase.c) */
};

/*
 * Whether a WRMSR of @new over @old is one the CPU takes: 0, or -EINVAL
 * for a #GP (reserved bits, a forbidden transition, a moved base).
 */
int lapic_base_check(u64 old, u64 new, const struct lapic_base_caps *caps);

#endif /* _LHV_LAPIC_APICBASE_H */
