/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's physical memory map, as the BIOS E820 call would report it.
 * The Linux zero page and the multiboot info both carry it, in their own
 * encodings; this is the one place that decides what it says.  Pure logic.
 */
#ifndef _LHV_E820_H
#define _LHV_E820_H

#include <stdint.h>

#define LHV_E820_RAM		1
#define LHV_E820_RESERVED	2
#define LHV_E820_ACPI		3	/* ACPI reclaimable */

/* The map always has exactly this many entries (see lhv_e820_build()). */
#define LHV_E820_MAX		4

/* Both guest encodings are 20 packed bytes: addr, size, type. */
#define LHV_E820_ENTRY_BYTES	20

struct lhv_e820_entry {
	uint64_t addr, size;
	uint32_t type;
};

/*
 * Fills @map with the map of a guest whose RAM is [0, @ram_size):
 *   RAM       [0, PLAT_LOW_RAM_END)
 *   reserved  [PLAT_LOW_RAM_END, PLAT_EBDA_END)	the EBDA
 *   reserved  [PLAT_BIOS_START, PLAT_BIOS_END)	ACPI tables, MP table
 *   RAM       [PLAT_HIGH_RAM_START, @ram_size)
 * [PLAT_EBDA_END, PLAT_BIOS_START) is the VGA/option-ROM hole: in no entry.
 * Returns the number of entries, or -EINVAL unless @ram_size is a multiple
 * of 4 KiB in [2 MiB, PLAT_MAX_RAM].
 */
int lhv_e820_build(uint64_t ram_size, struct lhv_e820_entry map[LHV_E820_MAX]);

/* Stores @e as the 20-byte little-endian guest record at @dst. */
void lhv_e820_encode(const struct lhv_e820_entry *e, void *dst);

#endif /* _LHV_E820_H */
