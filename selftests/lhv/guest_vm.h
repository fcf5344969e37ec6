/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the in-VM tests that run guests with liblhv: where the guest
 * images are, a 64-bit guest ready to run, and host CPU state.
 */
#ifndef _LHV_SELFTEST_GUEST_VM_H
#define _LHV_SELFTEST_GUEST_VM_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "liblhv.h"

/* The test VMs have 4 CPUs; tests own CPU 1. */
#define TEST_CPU	1
#define GUEST_RAM	(4ULL << 20)
/* Below the image at 1 MiB; the guests switch to their own stack. */
#define GUEST_RSP	0x80000
/* guests/lib/guest.h: a 4-byte OUT marking a point a test waits for. */
#define GUEST_MARKER_PORT	0xf5

static inline const char *guest_path(const char *image)
{
	static char path[PATH_MAX];
	const char *dir = getenv("LHV_GUEST_DIR");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/libexec/lhv/guests",
		 image);
	return path;
}

/*
 * A VM with GUEST_RAM (+ @extra launcher-only bytes) at GPA 0, guests/@name.elf
 * loaded and a vCPU on TEST_CPU in long mode at its entry point.  COM1
 * lines go to stdout as TAP comments "# name: ...".
 */
static inline int start_guest64(struct lhv_vm *vm, struct lhv_vcpu *vcpu,
				 const char *name, uint64_t extra)
{
	static char prefix[64];
	char image[64];
	uint64_t entry;

	snprintf(prefix, sizeof(prefix), "# %s: ", name);
	snprintf(image, sizeof(image), "%s.elf", name);
	if (lhv_vm_create(vm, 0))
		return -1;
	if (lhv_vm_add_ram(vm, 0, GUEST_RAM, extra) < 0 ||
	    lhv_vm_load_elf(vm, guest_path(image), &entry) ||
	    lhv_vcpu_create(vm, 0, TEST_CPU, vcpu)) {
		lhv_vm_destroy(vm);
		return -1;
	}
	vcpu->prefix = prefix;
	if (lhv_vcpu_long_mode(vcpu, entry, GUEST_RSP)) {
		lhv_vcpu_destroy(vcpu);
		lhv_vm_destroy(vm);
		return -1;
	}
	return 0;
}

static inline void stop_guest(struct lhv_vm *vm, struct lhv_vcpu *vcpu)
{
	lhv_vcpu_destroy(vcpu);
	lhv_vm_destroy(vm);
}

/* The first line of a sysfs/procfs file, newline stripped ("" if none). */
static inline void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* 1 online, 0 offline, -1 unknown. */
static inline int cpu_online(unsigned int cpu)
{
	char path[64], v[8];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	read_line(path, v, sizeof(v));
	return v[0] == '1' ? 1 : v[0] == '0' ? 0 : -1;
}

/* Milliseconds until @cpu was online, polling every 10 ms, or -1. */
static inline int wait_online_ms(unsigned int cpu, int limit_ms)
{
	int ms;

	for (ms = 0; ms <= limit_ms; ms += 10) {
		if (cpu_online(cpu) == 1)
			return ms;
		usleep(10000);
	}
	return -1;
}

#endif /* _LHV_SELFTEST_GUEST_VM_H */
