/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 64-bit long mode for a guest that starts there: identity-mapped page
 * tables for the first 4 GiB (2 MiB pages) and a GDT, written into guest
 * RAM, and the system registers that use them.  Pure logic, unit-tested
 * on the host.
 *
 * Layout from @tables_gpa (4 KiB aligned, LHV_LM_TABLES_SIZE bytes):
 *   +0x0000 GDT: null, 64-bit code (selector 0x08), data (selector 0x10)
 *   +0x1000 PML4, +0x2000 PDPT, +0x3000..+0x6fff four page directories
 */
#ifndef _LHV_LONGMODE_H
#define _LHV_LONGMODE_H

#include <linux/lhv.h>

#include "guest_ram.h"

#define LHV_LM_TABLES_SIZE	0x7000
#define LHV_LM_CODE_SEL		0x08
#define LHV_LM_DATA_SEL		0x10
/* Everything below this guest-physical address is identity mapped. */
#define LHV_LM_MAPPED		(4ULL << 30)

/*
 * Writes the tables and turns @sregs (as LHV_GET_SREGS returned it, so
 * that apic_base and the fields we leave alone stay valid) into long mode.
 * Returns 0, or -ERANGE if the tables do not fit in @ram, -EINVAL if
 * @tables_gpa is not page aligned.
 */
int lhv_build_long_mode(const struct lhv_guest_ram *ram, uint64_t tables_gpa,
			struct lhv_sregs *sregs);

/*
 * Linux's 64-bit boot protocol (Documentation/x86/boot.rst): the same
 * tables, but the GDT has __BOOT_CS at 0x10 and __BOOT_DS at 0x18, which
 * CS and DS/ES/SS must hold at the entry.
 */
#define LHV_LINUX_CS_SEL	0x10
#define LHV_LINUX_DS_SEL	0x18
int lhv_build_linux64(const struct lhv_guest_ram *ram, uint64_t tables_gpa,
		      struct lhv_sregs *sregs);

/*
 * 32-bit flat protected mode with paging off, as multiboot (and a flat
 * 32-bit image) expects: a GDT at @gdt_gpa (4 KiB aligned, one page)
 * with 32-bit code at 0x08 and data at 0x10, 4 GiB segments.  Same
 * returns as lhv_build_long_mode().
 */
#define LHV_PM32_CODE_SEL	0x08
#define LHV_PM32_DATA_SEL	0x10
int lhv_build_prot32(const struct lhv_guest_ram *ram, uint64_t gdt_gpa,
		     struct lhv_sregs *sregs);

#endif /* _LHV_LONGMODE_H */
