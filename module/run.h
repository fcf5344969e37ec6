/* SPDX-License-Identifier: GPL-2.0 */
/* Running a vCPU: LHV_RUN on the ioctl side, the guest on the owned CPU. */
#ifndef _LHV_RUN_H
#define _LHV_RUN_H

#include <linux/compiler_types.h>

struct lhv_vcpu;

/* Owned CPU: vcpu->req is LHV_REQ_RUN; run the guest, then post DONE. */
void lhv_vcpu_run_on_cpu(struct lhv_vcpu *vcpu);

/* Ioctl side: LHV_RUN and LHV_GET_STATS. */
long lhv_vcpu_ioctl_run(struct lhv_vcpu *vcpu, const void __user *argp);
long lhv_vcpu_ioctl_stats(struct lhv_vcpu *vcpu, void __user *argp);

/* Set up the cross-CPU parts of a new vCPU. */
void lhv_vcpu_run_init(struct lhv_vcpu *vcpu);

/* Make a vCPU that is in the guest leave it soon; returns at once. */
void lhv_vcpu_kick(struct lhv_vcpu *vcpu);
/*
 * Any CPU: a platform NMI for @vcpu (LHV_INJECT_NMI, an NMI MSI).  It is
 * injected at the vCPU's next entry at which the guest can take it; a
 * vCPU waiting for SIPI drops it, as the hardware does.
 */
void lhv_vcpu_request_nmi(struct lhv_vcpu *vcpu);

/*
 * Owned CPU, between an exit and the next entry: whether the core has
 * work before the guest may run again (a stop, a kick, an NMI to inject,
 * an INIT or SIPI).  A backend that resumes a guest by itself (the null
 * hypercall) asks this first.
 */
bool lhv_vcpu_wants_root(struct lhv_vcpu *vcpu);

/*
 * Owned CPU: the guest's CPUID (leaf EAX, subleaf ECX) answered into its
 * RAX..RDX, @guest_cr4 being the guest's CR4 where lhv_cpuid_needs_cr4()
 * says the answer depends on it.  The instruction is not skipped.
 */
void lhv_cpuid_emulate(struct lhv_vcpu *vcpu, u64 guest_cr4);

/* Ioctl side: wait until no wake-up of @vcpu's waiters is in flight. */
void lhv_vcpu_run_quiesce(struct lhv_vcpu *vcpu);

#endif /* _LHV_RUN_H */
