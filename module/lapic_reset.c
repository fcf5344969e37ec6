// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of a CPU changing hands.  A guest gets its CPU's APIC as
 * INIT leaves one (SDM Vol. 3A, 10.4.7.3 "Local APIC State After an
 * INIT Reset"): every LVT masked, timer stopped, TPR 0, nothing in
 * service, software-disabled with the spurious vector 0xFF; only the mode (xAPIC or x2APIC), which
 * the host chose and which the guest cannot change, stays.  Linux gets it
 * back the same way when the CPU returns, and sets it up again while
 * bringing the CPU online.
 *
 * Interrupts that are pending in the IRR cannot be withdrawn; they are
 * delivered after the new owner enables the APIC, like on hardware after
 * INIT.  Runs on the CPU itself, interrupts off.
 */
#include <asm/apic.h>

#include "lapic_reset.h"

/* SDM Vol. 3A, table 10-1: register offsets not in <asm/apicdef.h>. */
#define LHV_APIC_LVTCMCI	0x2f0
#define LHV_APIC_ISR_WORDS	8

static bool lhv_apic_in_service(void)
{
	unsigned int i;

	for (i = 0; i < LHV_APIC_ISR_WORDS; i++)
		if (apic_read(APIC_ISR + i * 0x10))
			return true;
	return false;
}

void lhv_lapic_reset(void)
{
	static const u32 lvts[] = {
		APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC, APIC_LVT0, APIC_LVT1,
		APIC_LVTERR,
	};
	unsigned int i, maxlvt = (apic_read(APIC_LVR) >> 16) & 0xff;

	for (i = 0; i < ARRAY_SIZE(lvts); i++)
		apic_write(lvts[i], APIC_LVT_MASKED);
	if (maxlvt >= 6)
		apic_write(LHV_APIC_LVTCMCI, APIC_LVT_MASKED);
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_TASKPRI, 0);
	/*
	 * EOI needs an enabled APIC; with interrupts off nothing is delivered
	 * while it briefly is.  At most one EOI per vector in service.
	 */
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | 0xff);
	for (i = 0; i < 256 && lhv_apic_in_service(); i++)
		apic_write(APIC_EOI, APIC_EOI_ACK);
	apic_write(APIC_SPIV, 0xff);
	if (!x2apic_enabled()) {
		apic_write(APIC_DFR, APIC_DFR_FLAT);
		apic_write(APIC_LDR, 0);
	}
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
}
