// SPDX-License-Identifier: GPL-2.0
/* The guest's E820 memory map (see e820.h for what it says and why). */
#include <errno.h>
#include <string.h>

#include "e820.h"
#include "platform.h"

#define MIN_RAM		0x200000ULL	/* 1 MiB of kernel room above the BIOS */

int lhv_e820_build(uint64_t ram_size, struct lhv_e820_entry map[LHV_E820_MAX])
{
	if (ram_size < MIN_RAM || ram_size > PLAT_MAX_RAM || (ram_size & 0xfff))
		return -EINVAL;
	map[0] = (struct lhv_e820_entry){ 0, PLAT_LOW_RAM_END, LHV_E820_RAM };
	map[1] = (struct lhv_e820_entry){ PLAT_LOW_RAM_END,
					  PLAT_EBDA_END - PLAT_LOW_RAM_END,
					  LHV_E820_RESERVED };
	map[2] = (struct lhv_e820_entry){ PLAT_BIOS_START,
					  PLAT_BIOS_END - PLAT_BIOS_START,
					  LHV_E820_RESERVED };
	map[3] = (struct lhv_e820_entry){ PLAT_HIGH_RAM_START,
					  ram_size - PLAT_HIGH_RAM_START,
					  LHV_E820_RAM };
	return LHV_E820_MAX;
}

/* The host is x86 too, so the guest's byte order is ours. */
void lhv_e820_encode(const struct lhv_e820_entry *e, void *dst)
{
	unsigned char *p = dst;

	memcpy(p, &e->addr, 8);
	memcpy(p + 8, &e->size, 8);
	memcpy(p + 16, &e->type, 4);
}
