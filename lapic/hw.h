/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real local APIC of the CPU this runs on, in whichever mode its
 * guest put it.  Linux's apic driver speaks the host's mode, and a guest
 * may have taken its CPU's xAPIC to x2APIC mode (lapic/mode.c), so lhv
 * reaches the APIC through these on every CPU: on a host CPU they are
 * Linux's own accessors.  Interrupts off on an owned CPU.
 */
#ifndef _LHV_LAPIC_HW_H
#define _LHV_LAPIC_HW_H

#include <linux/types.h>

u32 lhv_apic_hw_read(u32 reg);
void lhv_apic_hw_write(u32 reg, u32 val);

/* Send an IPI: ICR bits 31:0 @low, physical destination @apicid. */
void lhv_apic_hw_send(u32 low, u32 apicid);

/* Owned CPU, an xAPIC host: the guest's switch to x2APIC mode. */
void lhv_apic_hw_raise_x2apic(void);

/*
 * Owned CPU: the APIC back in the host's mode, which takes it through
 * the globally disabled state and so resets it (SDM Vol. 3A, 10.12.5.1).
 * Nothing to do if the guest left the mode alone.
 */
void lhv_apic_hw_restore_mode(void);

#endif /* _LHV_LAPIC_HW_H */
