// SPDX-License-Identifier: GPL-2.0
/* The boot-info block a multi-vCPU guest reads (guests/bootinfo.h). */
#include <errno.h>
#include <string.h>

#include "boot_info.h"

static int check(const struct lhv_boot_config *cfg)
{
	unsigned int i, j;

	if (!cfg->nr_cpus || cfg->nr_cpus > BOOT_INFO_MAX_CPUS ||
	    cfg->bsp >= cfg->nr_cpus || !cfg->tsc_per_ms || !cfg->timeout_ms ||
	    cfg->nr_params > BOOT_INFO_MAX_PARAMS)
		return -EINVAL;
	for (i = 0; i < cfg->nr_cpus; i++)
		for (j = i + 1; j < cfg->nr_cpus; j++)
			if (cfg->apic_id[i] == cfg->apic_id[j])
				return -EINVAL;
	return 0;
}

int lhv_build_boot_info(const struct lhv_guest_ram *ram, uint64_t gpa,
			const struct lhv_boot_config *cfg)
{
	struct boot_info *bi;
	unsigned int i;
	int ret = check(cfg);

	if (ret)
		return ret;
	bi = lhv_ram_ptr(ram, gpa, sizeof(*bi));
	if (!bi)
		return -ERANGE;
	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->nr_cpus = cfg->nr_cpus;
	bi->bsp = cfg->bsp;
	bi->tsc_per_ms = cfg->tsc_per_ms;
	bi->variant = cfg->variant;
	bi->timeout_ms = cfg->timeout_ms;
	memcpy(bi->params, cfg->params, cfg->nr_params * sizeof(bi->params[0]));
	for (i = 0; i < cfg->nr_cpus; i++) {
		bi->cpus[i].apic_id = cfg->apic_id[i];
		bi->cpus[i].host_cpu = cfg->host_cpu[i];
		bi->cpus[i].flags = i == cfg->bsp ? BOOT_CPU_BSP : 0;
	}
	return 0;
}
