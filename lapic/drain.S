/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one interrupt handler of lhv's drain IDT (reset.c): it only
 * returns.  Taking the interrupt is the point: that is what moves a
 * vector from the local APIC's IRR to its ISR, from where an EOI clears
 * it.  Interrupts never push an error code, so IRET finds its frame.
 */
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/unwind_hints.h>

.section .text

SYM_CODE_START(lhv_drain_stub)
	UNWIND_HINT_IRET_REGS
	ENDBR
	iretq
SYM_CODE_END(lhv_drain_stub)
