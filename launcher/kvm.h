/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liblhv on /dev/kvm: the same VM, vCPU and exit loop as on /dev/lhv, so
 * lhv-run's loaders, tables and devices run a guest under KVM unchanged
 * (lhv-run --accel kvm, the benchmarks of Documentation/bench.rst).
 *
 * KVM keeps the local APIC in the kernel (KVM_CAP_SPLIT_IRQCHIP: the
 * LAPIC there, no PIC or I/O APIC, as lhv-run's PC has none that
 * interrupts); APs wait for the guest's INIT and SIPI in KVM.  APIC IDs
 * are the vCPU numbers.  Each vCPU's thread pins itself to the host CPU
 * the vCPU would own under lhv, which stays online.  liblhv.c calls
 * these when vm->kvm is set; each returns 0 or -1 with errno set and
 * the failing call printed, like the rest of liblhv.
 */
#ifndef _LHV_KVM_H
#define _LHV_KVM_H

#include <stdint.h>

#include "liblhv.h"

int lhv_kvm_vm_create(struct lhv_vm *vm);
void lhv_kvm_vm_destroy(struct lhv_vm *vm);
int lhv_kvm_set_memory(struct lhv_vm *vm, unsigned int slot, uint64_t gpa,
		       uint64_t size, void *host);

int lhv_kvm_vcpu_create(struct lhv_vcpu *vcpu, unsigned int id);
void lhv_kvm_vcpu_destroy(struct lhv_vcpu *vcpu);
int lhv_kvm_get_sregs(struct lhv_vcpu *vcpu, struct lhv_sregs *sregs);
int lhv_kvm_set_sregs(struct lhv_vcpu *vcpu, const struct lhv_sregs *sregs);
int lhv_kvm_set_regs(struct lhv_vcpu *vcpu, const struct lhv_regs *regs);

/*
 * LHV_RUN's contract: completes the exit in vcpu->comp, runs, and leaves
 * the next exit in *vcpu->run.  -1 with EINTR when kicked.
 */
int lhv_kvm_run(struct lhv_vcpu *vcpu);

/* KVM's own counters in lhv's terms: exits, exits to userspace, NMIs. */
int lhv_kvm_get_stats(struct lhv_vcpu *vcpu, struct lhv_stats *stats);

/* lhv_vcpu_format_kvm_stats() under KVM. */
int lhv_kvm_format_stats(struct lhv_vcpu *vcpu, char *buf, size_t len);

int lhv_kvm_signal_msi(struct lhv_vm *vm, const struct lhv_msi *msi);
int lhv_kvm_nmi(struct lhv_vcpu *vcpu);

/*
 * From LHV_KICK_SIGNAL's handler: the vCPU of this thread leaves KVM_RUN
 * now, or does not enter it (immediate_exit), so no kick is lost between
 * the handler and the ioctl.
 */
void lhv_kvm_kick_self(void);

#endif /* _LHV_KVM_H */
