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

#endif /* _LHV_LONGMODE_H */
