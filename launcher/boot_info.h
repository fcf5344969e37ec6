/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot-info block (guests/bootinfo.h) from what the launcher knows:
 * pure logic, unit-tested on the host.
 */
#ifndef _LHV_LAUNCHER_BOOT_INFO_H
#define _LHV_LAUNCHER_BOOT_INFO_H

#include "bootinfo.h"
#include "guest_ram.h"

struct lhv_boot_config {
	unsigned int nr_cpus;
	unsigned int bsp;			/* index into the arrays */
	uint32_t apic_id[BOOT_INFO_MAX_CPUS];
	uint32_t host_cpu[BOOT_INFO_MAX_CPUS];
	uint64_t tsc_per_ms;
	uint32_t variant;
	uint32_t timeout_ms;
	unsigned int nr_params;
	uint32_t params[BOOT_INFO_MAX_PARAMS];
};

/*
 * Checks @cfg and writes the block at @gpa in @ram.  Returns 0, -EINVAL
 * for a configuration no guest could use (no CPUs or more than
 * BOOT_INFO_MAX_CPUS, the BSP not among them, an APIC ID twice, no TSC
 * rate or timeout, too many parameters), -ERANGE if the block does not
 * fit in @ram.  Nothing is written unless it returns 0.
 */
int lhv_build_boot_info(const struct lhv_guest_ram *ram, uint64_t gpa,
			const struct lhv_boot_config *cfg);

#endif /* _LHV_LAUNCHER_BOOT_INFO_H */
