// SPDX-License-Identifier: GPL-2.0
/*
 * Create (and drop) a KVM VM.  KVM turns VMX/SVM on in every CPU for its
 * first VM and refuses with EBUSY on a CPU where CR4.VMXE or EFER.SVME is
 * already set, so success while lhv.ko is loaded shows that loading lhv
 * left hardware virtualization off everywhere.
 *
 * With --hold it keeps the VM: it prints "held" once the VM exists and
 * then waits until it is killed.  scripts/vm/init holds one VM that way
 * for the whole boot on QEMU TCG (Documentation/testing.rst, "QEMU TCG
 * and KVM's first VM"), so that the static keys KVM's VMs turn on are
 * patched once, at boot, and never again: the scheduler's preempt
 * notifiers (any VM), and KVM's apic_sw_disabled and apic_hw_disabled,
 * which count the vCPUs whose local APIC is software- or
 * hardware-disabled.  Every INIT to a guest's vCPU and every APIC reset
 * in a guest (lhv's of each CPU it takes) turns the software one on until
 * the guest enables its APIC again.  So the held VM gets an in-kernel
 * APIC and one vCPU that never runs, whose APIC stays software-disabled
 * (from its creation) and is hardware-disabled here: neither count can
 * return to 0.
 *
 * Exit status: 0 created, 1 failed (the reason on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#define MSR_IA32_APICBASE	0x1b
#define APIC_DEFAULT_BASE	0xfee00000ULL
#define APICBASE_BSP		(1ULL << 8)

/* One vCPU with its local APIC software- and hardware-disabled. */
static int hold_apic_keys(int vm)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entry;
	} msrs = {
		.hdr.nmsrs = 1,
		.entry.index = MSR_IA32_APICBASE,
		.entry.data = APIC_DEFAULT_BASE | APICBASE_BSP,
	};
	int vcpu;

	if (ioctl(vm, KVM_CREATE_IRQCHIP, 0) < 0) {
		fprintf(stderr, "KVM_CREATE_IRQCHIP: %s\n", strerror(errno));
		return -1;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		fprintf(stderr, "KVM_CREATE_VCPU: %s\n", strerror(errno));
		return -1;
	}
	if (ioctl(vcpu, KVM_SET_MSRS, &msrs) != 1) {
		fprintf(stderr, "KVM_SET_MSRS(APIC base): %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool hold = argc > 1 && !strcmp(argv[1], "--hold");
	int kvm, vm;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "open /dev/kvm: %s\n", strerror(errno));
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "KVM_CREATE_VM: %s\n", strerror(errno));
		return 1;
	}
	if (hold) {
		if (hold_apic_keys(vm))
			return 1;
		printf("held\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	close(vm);
	close(kvm);
	return 0;
}
