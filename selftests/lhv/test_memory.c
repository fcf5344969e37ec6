// SPDX-License-Identifier: GPL-2.0
/*
 * LHV_SET_MEMORY_REGION: valid regions are accepted and every bad one is
 * refused with its documented errno.  Prints TAP.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/lhv.h>

#include "tap.h"

#define MiB	(1ULL << 20)

static int vm;

static int set_region(__u32 slot, __u32 flags, __u64 gpa, __u64 size, void *mem)
{
	struct lhv_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm, LHV_SET_MEMORY_REGION, &r);
}

int main(void)
{
	struct lhv_vm_config cfg = { 0 };
	struct lhv_memory_region r = { 0 };
	char *ram, *rom, *gone;
	int dev;

	printf("1..18\n");
	dev = open("/dev/lhv", O_RDWR);
	vm = dev < 0 ? -1 : ioctl(dev, LHV_CREATE_VM, &cfg);
	ram = mmap(NULL, 4 * MiB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rom = mmap(NULL, MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gone = mmap(NULL, MiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || ram == MAP_FAILED || rom == MAP_FAILED || gone == MAP_FAILED) {
		printf("Bail out! cannot create a VM or map memory\n");
		return 1;
	}
	munmap(gone, MiB);

	result(set_region(0, 0, 0, 2 * MiB, ram) == 0,
	       "2 MiB of RAM at guest-physical 0");
	result(set_region(1, 0, 4 * MiB, 2 * MiB, ram + 2 * MiB) == 0,
	       "a second region with a hole before it");
	result(set_region(2, LHV_MEM_READONLY, 0xfff00000, MiB, rom) == 0,
	       "a read-only region from a read-only mapping");
	expect_errno(set_region(0, 0, 8 * MiB, MiB, ram), EEXIST,
		     "a slot set twice");
	expect_errno(set_region(3, 0, MiB, 2 * MiB, ram), EINVAL,
		     "a region overlapping another");
	expect_errno(set_region(3, 0, 16 * MiB + 512, MiB, ram), EINVAL,
		     "an unaligned guest-physical address");
	expect_errno(set_region(3, 0, 16 * MiB, MiB + 100, ram), EINVAL,
		     "an unaligned size");
	expect_errno(set_region(3, 0, 16 * MiB, MiB, ram + 8), EINVAL,
		     "an unaligned userspace address");
	expect_errno(set_region(3, 0, 16 * MiB, 0, ram), EINVAL,
		     "a zero-sized region");
	expect_errno(set_region(3, 0, 1ULL << 60, MiB, ram), EINVAL,
		     "a region beyond the physical address width");
	expect_errno(set_region(LHV_MAX_MEMSLOTS, 0, 16 * MiB, MiB, ram), EINVAL,
		     "slot LHV_MAX_MEMSLOTS");
	expect_errno(set_region(3, 1u << 5, 16 * MiB, MiB, ram), EINVAL,
		     "an unknown flag");
	r.slot = 3;
	r.guest_phys_addr = 16 * MiB;
	r.memory_size = MiB;
	r.userspace_addr = (uintptr_t)ram;
	r.reserved[3] = 1;
	expect_errno(ioctl(vm, LHV_SET_MEMORY_REGION, &r), EINVAL,
		     "a reserved field set");
	expect_errno(set_region(3, 0, 8ULL << 30, 1ULL << 38, ram), ENOMEM,
		     "256 GiB, more than the host can pin");
	expect_errno(set_region(3, 0, 16 * MiB, MiB, gone), EFAULT,
		     "unmapped userspace memory");
	expect_errno(set_region(3, 0, 16 * MiB, MiB, rom), EFAULT,
		     "a writable region from a read-only mapping");
	expect_errno(ioctl(dev, LHV_SET_MEMORY_REGION, &r), ENOTTY,
		     "LHV_SET_MEMORY_REGION on /dev/lhv");
	result(set_region(3, 0, 16 * MiB, MiB, ram + 3 * MiB) == 0,
	       "the failed attempts left slot 3 free");

	close(vm);
	close(dev);
	return tap_exit_status();
}
