/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LHV_LAPIC_HW_H
#define _LHV_LAPIC_HW_H

#include <linux/types.h>

/*
 * Any CPU, interrupts off: send an IPI through this CPU's APIC, ICR bits
 * 31:0 @low to physical destination @apicid.  The APIC of every CPU, lhv's
 * included, stays in the host's mode (lapic/mode.c), so Linux's driver
 * speaks it.
 */
void lhv_apic_hw_send(u32 low, u32 apicid);

#endif /* _LHV_LAPIC_HW_H */
