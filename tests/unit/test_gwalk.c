// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the guest page walk (module/gwalk.c): 4 KiB pages and
 * every large page size in each paging mode, PSE-36, not-present entries
 * at each level, tables outside RAM, and address-size truncation.
 */
#include "emul_fixture.h"
#include "unit.h"

#define T0	0x300000ULL	/* page tables built here */

static struct lhv_sregs s;

static void clear_tables(void)
{
	memset(ram + T0, 0, 0x10000);
}

static int walk(u64 linear, u64 *gpa)
{
	*gpa = ~0ULL;
	return lhv_gwalk(&s, &fake_mem, linear, gpa);
}

static void test_none(void)
{
	u64 gpa;

	setup_mode(MODE_REAL, &s);
	CHECK(lhv_paging_mode(&s) == LHV_PAGING_NONE && walk(0x10fff0, &gpa) == 0 &&
	      gpa == 0x10fff0, "real mode: linear is physical");
	setup_mode(MODE_PROT32, &s);
	CHECK(walk(0x1d0000000ULL, &gpa) == 0 && gpa == 0xd0000000,
	      "protected mode without paging: 32-bit linear addresses");
}

static void test_32(void)
{
	u64 gpa;

	setup_mode(MODE_PAGED32, &s);
	clear_tables();
	s.cr3 = T0 | 0x18;		/* PWT/PCD bits are not address */
	/* 0x00400000-0x007fffff: a 4 KiB page table at T0 + 0x1000. */
	put32(T0 + 1 * 4, (u32)(T0 + 0x1000) | PT_P | PT_W);
	put32(T0 + 0x1000 + 5 * 4, 0x00abc000 | PT_P);
	/* 0x00800000: a 4 MiB page at 0x0c000000 with PSE-36 bits 0x12. */
	put32(T0 + 2 * 4, 0x0c000000 | (0x12 << 13) | PT_P | PT_PS);
	CHECK(lhv_paging_mode(&s) == LHV_PAGING_32, "CR0.PG without PAE: 32-bit paging");
	CHECK(walk(0x00405123, &gpa) == 0 && gpa == 0x00abc123,
	      "32-bit: 4 KiB page through two levels");
	CHECK(walk(0x00912345, &gpa) == 0 && gpa == 0x120c112345ULL,
	      "32-bit: 4 MiB page with PSE-36 address bits 39:32");
	CHECK(walk(0x00406000, &gpa) == -EFAULT, "32-bit: PTE not present");
	CHECK(walk(0x00c00000, &gpa) == -EFAULT, "32-bit: PDE not present");
	CHECK(walk(0x100405123ULL, &gpa) == 0 && gpa == 0x00abc123,
	      "32-bit: linear addresses are 32 bits");
	s.cr4 &= ~LHV_GW_CR4_PSE;
	put32(T0 + 2 * 4, (u32)(T0 + 0x2000) | PT_P | PT_PS);
	put32(T0 + 0x2000 + 0x112 * 4, 0x00def000 | PT_P);
	CHECK(walk(0x00912345, &gpa) == 0 && gpa == 0x00def345,
	      "32-bit without CR4.PSE: PS is ignored, the entry is a table");
	s.cr3 = 0x40000000;
	CHECK(walk(0x00405123, &gpa) == -ENOENT, "32-bit: page directory outside RAM");
}

static void test_pae(void)
{
	u64 gpa;

	setup_mode(MODE_PAE, &s);
	clear_tables();
	s.cr3 = T0 + 0x20;		/* the PDPT is 32-byte aligned */
	put64(T0 + 0x20 + 3 * 8, (T0 + 0x1000) | PT_P);
	put64(T0 + 0x1000 + 0x10 * 8, (T0 + 0x2000) | PT_P | PT_W);
	put64(T0 + 0x2000 + 0x7 * 8, 0x123456789000ULL | PT_P | (1ULL << 63));
	put64(T0 + 0x1000 + 0x11 * 8, 0x40000000ULL | PT_P | PT_PS | 0x1000);
	CHECK(lhv_paging_mode(&s) == LHV_PAGING_PAE, "CR4.PAE without LMA: PAE paging");
	CHECK(walk(0xc2007abc, &gpa) == 0 && gpa == 0x123456789abcULL,
	      "PAE: 4 KiB page through three levels, NX ignored");
	CHECK(walk(0xc2345678, &gpa) == 0 && gpa == 0x40145678ULL,
	      "PAE: 2 MiB page (the PAT bit is not address)");
	CHECK(walk(0x82007abc, &gpa) == -EFAULT, "PAE: PDPTE not present");
	CHECK(walk(0xc2008000, &gpa) == -EFAULT, "PAE: PTE not present");
}

static void test_long(void)
{
	u64 gpa, la = 0xffff800012345678ULL;

	setup_mode(MODE_LONG64, &s);
	clear_tables();
	s.cr3 = T0 | 0x123;		/* PCID bits are not address */
	/* PML4[256] -> PDPT; PDPT[0] -> PD; PD[0x91] -> PT; PT[0x145]. */
	put64(T0 + 256 * 8, (T0 + 0x1000) | PT_P);
	put64(T0 + 0x1000, (T0 + 0x2000) | PT_P);
	put64(T0 + 0x2000 + 0x91 * 8, (T0 + 0x3000) | PT_P);
	put64(T0 + 0x3000 + 0x145 * 8, 0x000ffffffffff000ULL | PT_P);
	CHECK(lhv_paging_mode(&s) == LHV_PAGING_4LEVEL, "EFER.LMA: 4-level paging");
	CHECK(walk(la, &gpa) == 0 && gpa == 0x000ffffffffff678ULL,
	      "4-level: 4 KiB page, 52-bit physical address");
	put64(T0 + 0x2000 + 0x91 * 8, 0x7fe00000ULL | PT_P | PT_PS);
	CHECK(walk(la, &gpa) == 0 && gpa == 0x7ff45678ULL, "4-level: 2 MiB page");
	put64(T0 + 0x1000, 0x80000000ULL | PT_P | PT_PS);
	CHECK(walk(la, &gpa) == 0 && gpa == 0x92345678ULL, "4-level: 1 GiB page");
	put64(T0 + 0x1000, 0);
	CHECK(walk(la, &gpa) == -EFAULT, "4-level: PDPTE not present");
	CHECK(walk(0x12345678, &gpa) == -EFAULT, "4-level: PML4E not present");

	/* LA57: one more level on top, PML5[1] -> the same PML4. */
	s.cr4 |= LHV_GW_CR4_LA57;
	s.cr3 = T0 + 0x8000;
	put64(T0 + 0x8000 + 8, T0 | PT_P);
	put64(T0 + 0x1000, 0x80000000ULL | PT_P | PT_PS);
	CHECK(lhv_paging_mode(&s) == LHV_PAGING_5LEVEL &&
	      walk((1ULL << 48) | 0x800012345678ULL, &gpa) == 0 &&
	      gpa == 0x92345678ULL, "5-level: one more level");
}

int main(void)
{
	test_none();
	test_32();
	test_pae();
	test_long();
	return unit_done();
}
