// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of a CPU changing hands.  A guest gets its CPU's APIC as
 * INIT leaves one (SDM Vol. 3A, 10.4.7.3 "Local APIC State After an
 * INIT Reset"): every LVT masked, timer stopped, TPR 0, nothing in
 * service, software-disabled with the spurious vector 0xFF; only the mode
 * (xAPIC or x2APIC), the host's, stays.  Linux gets it
 * back the same way when the CPU returns, and sets it up again while
 * bringing the CPU online.
 *
 * Interrupts still requested in the IRR would reach the new owner as soon
 * as it enables the APIC: Linux's local timer, for one, often fires while
 * the CPU goes offline with interrupts off (vector 0xec, measured on
 * svm-tcg).  Only accepting an interrupt clears its IRR bit, and Linux's
 * handlers must not run on a CPU that is offline (RCU no longer watches
 * it), so lhv accepts them through an IDT of its own whose every gate
 * just returns, then EOIs them.  Runs on the CPU itself, interrupts off.
 */
#include <asm/apic.h>
#include <asm/desc.h>

#include "reset.h"

/* SDM Vol. 3A, table 10-1: register offsets not in <asm/apicdef.h>. */
#define LHV_APIC_LVTCMCI	0x2f0
#define LHV_APIC_ISR_WORDS	8

static gate_desc lhv_drain_idt[256] __aligned(PAGE_SIZE);

static bool lhv_apic_any(u32 reg)
{
	unsigned int i;

	for (i = 0; i < LHV_APIC_ISR_WORDS; i++)
		if (apic_read(reg + i * 0x10))
			return true;
	return false;
}

/*
 * Accept every requested interrupt (IRR -> ISR) through the drain IDT and
 * EOI it.  A vector in service holds back requests of its priority class
 * and below, so accepting and EOIs alternate; each round retires at least
 * one vector, so 256 rounds are enough.
 */
static void lhv_apic_drain(void)
{
	struct desc_ptr linux_idt, drain = {
		.size = sizeof(lhv_drain_idt) - 1,
		.address = (unsigned long)lhv_drain_idt,
	};
	unsigned int i;

	if (!lhv_drain_idt[0].offset_low)
		for (i = 0; i < ARRAY_SIZE(lhv_drain_idt); i++)
			pack_gate(&lhv_drain_idt[i], GATE_INTERRUPT,
				  (unsigned long)lhv_drain_stub, 0, 0,
				  __KERNEL_CS);
	store_idt(&linux_idt);
	load_idt(&drain);
	for (i = 0; i < 256; i++) {
		if (lhv_apic_any(APIC_IRR))
			/* STI's shadow covers the NOP: one window. */
			asm volatile("sti; nop; cli" ::: "memory");
		if (!lhv_apic_any(APIC_ISR))
			break;
		apic_write(APIC_EOI, APIC_EOI_ACK);
	}
	load_idt(&linux_idt);
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
	 * Accepting and EOI need an enabled APIC.  All LVTs are masked by
	 * now, so nothing new arrives from this APIC.
	 */
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | 0xff);
	lhv_apic_drain();
	apic_write(APIC_SPIV, 0xff);
	if (!x2apic_enabled()) {
		apic_write(APIC_DFR, APIC_DFR_FLAT);
		apic_write(APIC_LDR, 0);
	}
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
}
