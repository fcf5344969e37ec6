/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LHV_FPU_RESET_H
#define _LHV_FPU_RESET_H

/*
 * Put this CPU's x87/SSE/AVX (all of XCR0's) registers in their initial
 * state and XCR0 at its reset value 1.  For the handover of an owned CPU,
 * interrupts off: what a task or a guest left in the registers is none of
 * the next owner's business.
 */
void lhv_fpu_reset(void);

#endif /* _LHV_FPU_RESET_H */
