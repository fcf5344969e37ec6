/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot-info block: what liblhv tells a 64-bit test guest about its
 * machine, written into guest RAM at BOOT_INFO_GPA before the BSP runs
 * (launcher/bootinfo.c builds it; Documentation/guests.rst describes it).
 * A contract between the launcher and the guests, so fixed-width types
 * only, and the same layout for both.
 *
 * The guest finds its vCPUs here instead of in an MADT: how many, each
 * one's local APIC ID (the real APIC ID of the host CPU it owns), which
 * one is the BSP, the TSC rate for delays and timeouts, and the test
 * variant it is asked to run with its parameters.
 */
#ifndef _LHV_BOOTINFO_H
#define _LHV_BOOTINFO_H

#include <stdint.h>

/* Below the 1 MiB images, above liblhv's long-mode tables (0x1000-0x7fff)
 * and the two SIPI trampoline pages the smp guest uses (0x8000, 0x9000). */
#define BOOT_INFO_GPA		0xa000
#define BOOT_INFO_MAGIC		0x31544f4f4256484cULL	/* "LHVBOOT1" */
#define BOOT_INFO_VERSION	1
#define BOOT_INFO_MAX_CPUS	16
#define BOOT_INFO_MAX_PARAMS	8

/* boot_cpu.flags */
#define BOOT_CPU_BSP		(1u << 0)

struct boot_cpu {
	uint32_t apic_id;	/* physical APIC ID: the host CPU's */
	uint32_t flags;		/* BOOT_CPU_* */
	uint32_t host_cpu;	/* the Linux CPU number, for reports only */
	uint32_t reserved;
};

struct boot_info {
	uint64_t magic;		/* BOOT_INFO_MAGIC */
	uint32_t version;	/* BOOT_INFO_VERSION */
	uint32_t size;		/* sizeof(struct boot_info) */
	uint32_t nr_cpus;	/* entries in cpus[], BSP included */
	uint32_t bsp;		/* index of the BSP in cpus[] */
	uint64_t tsc_per_ms;	/* TSC ticks per millisecond, as measured */
	uint32_t variant;	/* what the guest should do; its own meaning */
	uint32_t timeout_ms;	/* how long the guest may wait for anything */
	uint32_t params[BOOT_INFO_MAX_PARAMS];	/* the variant's parameters */
	struct boot_cpu cpus[BOOT_INFO_MAX_CPUS];
};

_Static_assert(sizeof(struct boot_cpu) == 16, "boot_cpu layout");
_Static_assert(sizeof(struct boot_info) == 328, "boot_info layout");

#endif /* _LHV_BOOTINFO_H */
