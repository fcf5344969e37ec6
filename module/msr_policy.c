// SPDX-License-Identifier: GPL-2.0
/*
 * The guest MSR intercept policy.  A partitioned guest owns its CPU, so
 * MSRs pass through unless a row below says why not.  Rows name MSRs that
 * would let the guest reach outside its partition, or see a feature lhv
 * hides; module/msr.c says what a trapped access does.
 */
#include <linux/lhv.h>

#include "msr_policy.h"

#define R	BIT(0)		/* trap reads */
#define W	BIT(1)		/* trap writes */
#define PT	BIT(2)		/* ... in passthrough mode only */
#define FL	BIT(3)		/* ... in filtered mode only */
#define XA	BIT(4)		/* ... on a host whose APICs are xAPICs only */

struct lhv_msr_rule {
	u32 first, last;
	u32 how;
};

static const struct lhv_msr_rule lhv_msr_rules[] = {
	/* TSC and TSC_ADJUST are shared with the host's view of time. */
	{ 0x00000010, 0x00000010, W },
	{ 0x0000003b, 0x0000003b, W },
	/* APIC base: the guest's view of its APIC's mode (lapic/mode.c). */
	{ 0x0000001b, 0x0000001b, R | W },
	/* Microcode update trigger: host business. */
	{ 0x00000079, 0x00000079, W },
	/* VMX capability MSRs: VMX is hidden from guests. */
	{ 0x00000480, 0x00000493, R | W },
	/* MTRRs set memory types for the whole machine's view of memory. */
	{ 0x000000fe, 0x000000fe, W },
	{ 0x00000200, 0x0000021f, W },
	{ 0x00000250, 0x00000250, W },
	{ 0x00000258, 0x00000259, W },
	{ 0x00000268, 0x0000026f, W },
	{ 0x000002ff, 0x000002ff, W },
	/*
	 * x2APIC registers: on an xAPIC host a guest's x2APIC is lhv's
	 * emulation over the xAPIC (lapic/x2apic.c); on an x2APIC host it is
	 * the real one, and filtered mode traps IPIs, and only them.
	 */
	{ 0x00000800, 0x000008ff, R | W | XA },
	{ 0x00000830, 0x00000830, W | FL },
	/* SVM's VM_CR and host save area: SVM is hidden from guests. */
	{ 0xc0010114, 0xc0010114, R | W },
	{ 0xc0010117, 0xc0010117, R | W },
};

bool lhv_msr_trapped(u32 msr, bool write, u32 lapic_mode, bool host_x2apic)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lhv_msr_rules); i++) {
		const struct lhv_msr_rule *r = &lhv_msr_rules[i];

		if (msr < r->first || msr > r->last)
			continue;
		if ((r->how & PT) && lapic_mode != LHV_LAPIC_PASSTHROUGH)
			continue;
		if ((r->how & FL) && lapic_mode != LHV_LAPIC_FILTERED)
			continue;
		if ((r->how & XA) && host_x2apic)
			continue;
		return r->how & (write ? W : R);
	}
	return false;
}
