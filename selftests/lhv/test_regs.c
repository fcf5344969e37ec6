// SPDX-License-Identifier: GPL-2.0
/*
 * LHV_GET/SET_REGS and LHV_GET/SET_SREGS: a new vCPU is in the INIT state,
 * valid state round-trips, and invalid state is refused without changing
 * anything.  Prints TAP.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>

#include <linux/lhv.h>

#include "tap.h"

int main(void)
{
	struct lhv_vcpu_config vcfg = { .vcpu_id = 0, .host_cpu = 1 };
	struct lhv_vm_config cfg = { 0 };
	struct lhv_regs regs, regs2;
	struct lhv_sregs sregs, sregs2, init_sregs;
	int dev, vm, vcpu;

	printf("1..16\n");
	dev = open("/dev/lhv", O_RDWR);
	vm = dev < 0 ? -1 : ioctl(dev, LHV_CREATE_VM, &cfg);
	vcpu = vm < 0 ? -1 : ioctl(vm, LHV_CREATE_VCPU, &vcfg);
	if (vcpu < 0) {
		printf("Bail out! cannot create a VM with a vCPU on CPU 1\n");
		return 1;
	}

	result(ioctl(vcpu, LHV_GET_REGS, &regs) == 0 && regs.rip == 0xfff0 &&
	       regs.rflags == 2 && regs.rdx != 0,
	       "a new vCPU starts at F000:FFF0 with the CPU signature in RDX");
	result(ioctl(vcpu, LHV_GET_SREGS, &sregs) == 0 &&
	       sregs.cs.selector == 0xf000 && sregs.cs.base == 0xffff0000 &&
	       sregs.cr0 == 0x60000010 && sregs.efer == 0 &&
	       (sregs.apic_base & 0xfffff000) == 0xfee00000 &&
	       !(sregs.apic_base & (1 << 8)),
	       "... in real mode, with the host's APIC base and no BSP flag");
	init_sregs = sregs;

	regs.rax = 0x1234;
	regs.rip = 0x7c00;
	regs.rflags = 0x202;
	result(ioctl(vcpu, LHV_SET_REGS, &regs) == 0 &&
	       ioctl(vcpu, LHV_GET_REGS, &regs2) == 0 &&
	       !memcmp(&regs, &regs2, sizeof(regs)),
	       "LHV_SET_REGS round-trips");

	/* A flat 64-bit code segment in long mode. */
	sregs.cr0 = 0x80050033;
	sregs.cr3 = 0x1000;
	sregs.cr4 = 0x20;
	sregs.efer = 0x500;
	sregs.cs.selector = 0x8;
	sregs.cs.base = 0;
	sregs.cs.l = 1;
	sregs.cs.db = 0;
	result(ioctl(vcpu, LHV_SET_SREGS, &sregs) == 0 &&
	       ioctl(vcpu, LHV_GET_SREGS, &sregs2) == 0 &&
	       !memcmp(&sregs, &sregs2, sizeof(sregs)),
	       "LHV_SET_SREGS round-trips a long-mode state");

	regs2 = regs;
	regs2.rflags = 0;
	expect_errno(ioctl(vcpu, LHV_SET_REGS, &regs2), EINVAL, "RFLAGS without bit 1");
	regs2 = regs;
	regs2.reserved[0] = 1;
	expect_errno(ioctl(vcpu, LHV_SET_REGS, &regs2), EINVAL,
		     "LHV_SET_REGS with a reserved field set");
	sregs2 = sregs;
	sregs2.apic_base += 0x1000;
	expect_errno(ioctl(vcpu, LHV_SET_SREGS, &sregs2), EINVAL, "moving the APIC");
	sregs2 = sregs;
	sregs2.cr4 |= 1 << 13;
	expect_errno(ioctl(vcpu, LHV_SET_SREGS, &sregs2), EINVAL, "CR4.VMXE");
	sregs2 = sregs;
	sregs2.efer &= ~0x400ULL;
	expect_errno(ioctl(vcpu, LHV_SET_SREGS, &sregs2), EINVAL,
		     "long mode paging without EFER.LMA");
	sregs2 = sregs;
	sregs2.reserved[0] = 1;
	expect_errno(ioctl(vcpu, LHV_SET_SREGS, &sregs2), EINVAL,
		     "LHV_SET_SREGS with a reserved field set");
	expect_errno(ioctl(vcpu, LHV_SET_SREGS, (void *)8), EFAULT,
		     "LHV_SET_SREGS from a bad pointer");
	expect_errno(ioctl(vcpu, LHV_GET_REGS, (void *)8), EFAULT,
		     "LHV_GET_REGS to a bad pointer");
	result(ioctl(vcpu, LHV_GET_REGS, &regs2) == 0 &&
	       !memcmp(&regs, &regs2, sizeof(regs)) &&
	       ioctl(vcpu, LHV_GET_SREGS, &sregs2) == 0 &&
	       !memcmp(&sregs, &sregs2, sizeof(sregs)),
	       "refused calls changed nothing");
	expect_errno(ioctl(vm, LHV_GET_REGS, &regs2), ENOTTY, "LHV_GET_REGS on a VM fd");
	expect_errno(ioctl(dev, LHV_SET_SREGS, &sregs), ENOTTY,
		     "LHV_SET_SREGS on /dev/lhv");
	result(ioctl(vcpu, LHV_SET_SREGS, &init_sregs) == 0,
	       "the INIT state can be set back");

	close(vcpu);
	close(vm);
	close(dev);
	return tap_exit_status();
}
