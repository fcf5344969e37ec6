// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the long-mode builder (launcher/longmode.c): walking its
 * page tables the way the CPU does gives the identity map of the first
 * 4 GiB, the GDT holds the selectors' descriptors, and lhv.ko's own
 * LHV_SET_SREGS checks (module/vcpu_state.c) accept the result.
 */
#include <errno.h>
#include <string.h>

#include "../../launcher/longmode.h"
#include "../../module/vcpu_state.h"
#include "unit.h"

#define RAM_SIZE	0x20000ULL
#define TABLES		0x1000ULL
#define APIC_BASE	0xfee00800ULL

static uint64_t ram_buf[RAM_SIZE / 8];
static const struct lhv_guest_ram ram = { ram_buf, 0, RAM_SIZE };

static uint64_t entry_at(uint64_t table_gpa, unsigned int index)
{
	return ram_buf[table_gpa / 8 + index];
}

/* 4-level walk (SDM 3A 4.5); returns the physical address or ~0 on a fault. */
static uint64_t walk(uint64_t cr3, uint64_t va)
{
	uint64_t e;

	e = entry_at(cr3 & ~0xfffULL, (va >> 39) & 511);
	if (!(e & 1) || !(e & 2))
		return ~0ULL;
	e = entry_at(e & 0x000ffffffffff000ULL, (va >> 30) & 511);
	if (!(e & 1) || !(e & 2) || (e & 0x80))
		return ~0ULL;
	e = entry_at(e & 0x000ffffffffff000ULL, (va >> 21) & 511);
	if (!(e & 1) || !(e & 2) || !(e & 0x80))
		return ~0ULL;
	return (e & 0x000fffffffe00000ULL) | (va & 0x1fffff);
}

int main(void)
{
	static const uint64_t probes[] = {
		0, 0x1000, 0x1fffff, 0x200000, 0x100123, 0x3fffffff,
		0x40000000, 0xbffffff8, 0xc0000000, 0xfee00000, 0xffffffff,
	};
	struct lhv_sregs s;
	struct lhv_regs regs;
	unsigned int i;
	bool ok;

	lhv_vcpu_init_state(&regs, &s, 0x806f0, APIC_BASE);
	CHECK(lhv_build_long_mode(&ram, TABLES, &s) == 0, "tables built");
	for (i = 0, ok = true; i < sizeof(probes) / sizeof(probes[0]); i++)
		ok = ok && walk(s.cr3, probes[i]) == probes[i];
	CHECK(ok, "first 4 GiB identity mapped, writable, 2 MiB pages");
	CHECK(walk(s.cr3, 4ULL << 30) == ~0ULL, "4 GiB and above not mapped");
	CHECK(s.cr3 >= TABLES && s.cr3 < TABLES + LHV_LM_TABLES_SIZE,
	      "CR3 inside the tables");
	CHECK(entry_at(s.gdt.base, s.cs.selector / 8) == 0x00af9b000000ffffULL &&
	      entry_at(s.gdt.base, s.ds.selector / 8) == 0x00cf93000000ffffULL &&
	      s.gdt.limit >= s.ds.selector + 7,
	      "GDT holds a 64-bit code and a flat data descriptor");
	CHECK(s.cs.l == 1 && s.cs.db == 0 && s.cs.present && s.ss.present &&
	      s.ss.selector == LHV_LM_DATA_SEL, "CS 64-bit, data segments flat");
	CHECK((s.cr0 & 0x80000001) == 0x80000001 && (s.cr4 & 0x20) &&
	      (s.efer & 0x500) == 0x500, "CR0.PE|PG, CR4.PAE, EFER.LME|LMA");
	CHECK(lhv_sregs_check(&s, APIC_BASE) == 0,
	      "lhv.ko's LHV_SET_SREGS checks accept it");
	CHECK(s.apic_base == APIC_BASE, "APIC base kept");
	CHECK(lhv_build_long_mode(&ram, TABLES + 8, &s) == -EINVAL,
	      "unaligned tables refused");
	CHECK(lhv_build_long_mode(&ram, RAM_SIZE - 0x1000, &s) == -ERANGE,
	      "tables past the end of RAM refused");
	CHECK(lhv_build_long_mode(&ram, ~0xfffULL, &s) == -ERANGE,
	      "tables at a wrapping address refused");

	/* Linux's 64-bit boot protocol: __BOOT_CS 0x10, __BOOT_DS 0x18. */
	lhv_vcpu_init_state(&regs, &s, 0x806f0, APIC_BASE);
	CHECK(lhv_build_linux64(&ram, TABLES, &s) == 0, "Linux tables built");
	CHECK(s.cs.selector == 0x10 && s.ds.selector == 0x18 &&
	      s.es.selector == 0x18 && s.ss.selector == 0x18 &&
	      s.gdt.limit == 31 &&
	      entry_at(s.gdt.base, 2) == 0x00af9b000000ffffULL &&
	      entry_at(s.gdt.base, 3) == 0x00cf93000000ffffULL &&
	      entry_at(s.gdt.base, 1) == 0,
	      "Linux: CS 0x10 64-bit code, DS/ES/SS 0x18 flat data in the GDT");
	CHECK(walk(s.cr3, 0x1000000) == 0x1000000 && (s.efer & 0x500) == 0x500,
	      "Linux: identity mapped, long mode");
	CHECK(lhv_sregs_check(&s, APIC_BASE) == 0, "Linux: LHV_SET_SREGS accepts it");

	/* Multiboot: 32-bit protected mode, paging off. */
	lhv_vcpu_init_state(&regs, &s, 0x806f0, APIC_BASE);
	CHECK(lhv_build_prot32(&ram, TABLES, &s) == 0, "32-bit GDT built");
	CHECK(s.cr0 == 0x11 && !(s.efer & 0x500) && !(s.cr4 & 0x20),
	      "32-bit: CR0.PE|ET only, no long mode, no PAE");
	CHECK(s.cs.selector == 0x08 && s.cs.db == 1 && s.cs.l == 0 &&
	      s.cs.limit == 0xffffffff && s.ss.selector == 0x10 && s.ss.db == 1 &&
	      entry_at(s.gdt.base, 1) == 0x00cf9b000000ffffULL &&
	      entry_at(s.gdt.base, 2) == 0x00cf93000000ffffULL,
	      "32-bit: flat 4 GiB code 0x08 and data 0x10");
	CHECK(lhv_sregs_check(&s, APIC_BASE) == 0, "32-bit: LHV_SET_SREGS accepts it");
	CHECK(lhv_build_prot32(&ram, TABLES + 4, &s) == -EINVAL &&
	      lhv_build_prot32(&ram, RAM_SIZE, &s) == -ERANGE,
	      "32-bit: unaligned or outside RAM refused");
	return unit_done();
}
