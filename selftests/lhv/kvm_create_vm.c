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
 * and KVM's first VM").
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
		printf("held\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	close(vm);
	close(kvm);
	return 0;
}
