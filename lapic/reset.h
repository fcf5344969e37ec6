/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LHV_LAPIC_RESET_H
#define _LHV_LAPIC_RESET_H

/* Put this CPU's local APIC in its post-INIT state, keeping its mode. */
void lhv_lapic_reset(void);

/* drain.S: an interrupt gate target that only returns. */
void lhv_drain_stub(void);

#endif /* _LHV_LAPIC_RESET_H */
