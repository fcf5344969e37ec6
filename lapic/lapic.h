/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lhv's INIT/SIPI handling in the kernel: the run-state machine of each
 * vCPU (runstate.c) fed by hardware INIT/SIPI exits (passthrough) or by
 * trapped ICR writes (filtered), and applied before every guest entry.
 * Documentation/initsipi.rst.
 */
#ifndef _LHV_LAPIC_H
#define _LHV_LAPIC_H

#include <linux/types.h>

#include "apicbase.h"
#include "runstate.h"

struct lhv_vcpu;
struct lhv_run_state;

void lhv_lapic_vcpu_init(struct lhv_vcpu *vcpu);

/*
 * At load: withhold the passthrough mode where the host sends logical
 * xAPIC IPIs (flat or cluster): a guest's own LDR would make its CPU
 * answer IPIs meant for host CPUs.
 */
struct lhv_caps;
void lhv_lapic_check_host(struct lhv_caps *caps);

/*
 * Any CPU, interrupts off or on: an emulated INIT (another vCPU's trapped
 * ICR write, filtered mode) or a SIPI for @vcpu; @emulated: the SIPI came
 * from a trapped ICR write, not from @vcpu's own SIPI exit.
 */
void lhv_lapic_deliver_init(struct lhv_vcpu *vcpu);
void lhv_lapic_deliver_sipi(struct lhv_vcpu *vcpu, u8 vector, bool emulated);

/*
 * Owned CPU, right after @vcpu's own INIT exit: record the INIT, unless it
 * is the one that wait-for-SIPI held until the SIPI start (runstate.c).
 */
void lhv_lapic_init_exit(struct lhv_vcpu *vcpu);

/*
 * Owned CPU, right after @vcpu's own SIPI exit with @vector: the guest's
 * SIPI, or lhv's kick (lhv_lapic_kick_sipi()), which it ignores.
 */
void lhv_lapic_sipi_exit(struct lhv_vcpu *vcpu, u8 vector);

/*
 * Interrupts off: take the vCPU on the CPU with physical APIC ID @apicid
 * out of wait-for-SIPI, for a kick.
 */
void lhv_lapic_kick_sipi(u32 apicid);

/*
 * Owned CPU, before entering the guest: apply what is pending (INIT
 * state, SIPI start) to the registers and return whether to enter the
 * guest (LAPIC_ENTER) or park the vCPU.
 */
enum lapic_park lhv_lapic_prepare_entry(struct lhv_vcpu *vcpu);

/* Owned CPU: whether an event is pending, for a vCPU parked in the root loop. */
bool lhv_lapic_pending(struct lhv_vcpu *vcpu);

/*
 * The guest's IA32_APIC_BASE (mode.c).  Owned CPU: a WRMSR of @val, 0 or
 * -EINVAL for the #GP the CPU would raise.  The mode is the guest's view,
 * readable from any CPU.
 */
int lhv_lapic_base_write(struct lhv_vcpu *vcpu, u64 val);
enum lapic_mode lhv_lapic_mode(const struct lhv_vcpu *vcpu);

/*
 * Owned CPU, an xAPIC host: the guest's RDMSR/WRMSR of x2APIC register
 * @msr, emulated over the xAPIC (mode.c).  0, or -EINVAL for a #GP.
 */
int lhv_lapic_x2apic_read(struct lhv_vcpu *vcpu, u32 msr, u64 *val);
int lhv_lapic_x2apic_write(struct lhv_vcpu *vcpu, u32 msr, u64 val);

/* Owned CPU: the state lhv keeps for the APIC (LDR, DFR) back to reset. */
void lhv_lapic_reset_virtual(struct lhv_vcpu *vcpu);

/* Ioctl side. */
long lhv_lapic_get_run_state(struct lhv_vcpu *vcpu, void __user *argp);
long lhv_lapic_set_run_state(struct lhv_vcpu *vcpu, const void __user *argp);

/*
 * Owned CPU, filtered mode: the guest wrote @value to its ICR (x2APIC MSR
 * 0x830, or xAPIC ICR low with the ICR high it wrote before).  0, or
 * -EINVAL for reserved x2APIC bits (the WRMSR faults).
 */
int lhv_lapic_icr_write(struct lhv_vcpu *vcpu, u64 value);

/*
 * Owned CPU, filtered xAPIC mode: the emulator's access of @len bytes at
 * @offset in the read-only APIC page.  Reads come from the real APIC;
 * writes are forwarded to it except ICR (lhv_lapic_icr_write()) and the
 * APIC ID.  Returns 0.
 */
int lhv_lapic_xapic_access(struct lhv_vcpu *vcpu, u32 offset, void *buf,
			   unsigned int len, bool write);

/*
 * Ioctl side, LHV_SIGNAL_MSI on @vm: how many vCPUs the MSI was sent to,
 * -EINVAL for a malformed one, -EOPNOTSUPP for an xAPIC logical
 * destination in passthrough mode.
 */
struct lhv_vm;
long lhv_lapic_signal_msi(struct lhv_vm *vm, const void __user *argp);

#endif /* _LHV_LAPIC_H */
