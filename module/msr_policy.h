/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which guest MSR accesses lhv intercepts.  One table (msr_policy.c), one
 * reason per row; the backends build their MSR bitmaps from
 * lhv_msr_trapped() and the core emulates what traps (module/msr.c).
 * Pure logic, shared with the host unit tests.
 */
#ifndef _LHV_MSR_POLICY_H
#define _LHV_MSR_POLICY_H

#include <lhv/types.h>

/*
 * Whether a guest RDMSR (@write false) or WRMSR of @msr exits, for a VM
 * in LAPIC mode @lapic_mode (LHV_LAPIC_PASSTHROUGH or _FILTERED) on a host
 * whose APICs run in x2APIC mode (@host_x2apic) or not.  MSRs
 * outside the ranges a backend's bitmap covers always exit; the core
 * treats those as passed through (executes them on the owned CPU).
 */
bool lhv_msr_trapped(u32 msr, bool write, u32 lapic_mode, bool host_x2apic);

#endif /* _LHV_MSR_POLICY_H */
