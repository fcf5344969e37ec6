// SPDX-License-Identifier: GPL-2.0
/*
 * Long-mode page tables, GDT and system registers for 64-bit guests
 * (Intel SDM vol. 3A 4.5 "4-level paging", AMD APM vol. 2 14.6 "Enabling
 * and activating long mode").
 */
#include <errno.h>
#include <string.h>

#include "longmode.h"

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)	/* in a PD entry: a 2 MiB page */

#define CR0_PE		(1ULL << 0)
#define CR0_MP		(1ULL << 1)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_WP		(1ULL << 16)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

/*
 * Flat descriptors (SDM 3A 3.4.5): base 0, limit 0xfffff with 4 KiB
 * granularity, present, DPL 0.  Code: execute/read, L=1 (64-bit), D=0 as
 * long mode requires.  Data: read/write, D/B=1.
 */
#define GDT_CODE64	0x00af9b000000ffffULL
#define GDT_DATA	0x00cf93000000ffffULL
#define GDT_CODE32	0x00cf9b000000ffffULL

static void flat_segment(struct lhv_segment *seg, uint16_t sel, uint8_t type,
			 uint8_t l, uint8_t db)
{
	memset(seg, 0, sizeof(*seg));
	seg->selector = sel;
	seg->limit = 0xffffffff;
	seg->type = type;
	seg->present = 1;
	seg->s = 1;
	seg->l = l;
	seg->db = db;
	seg->g = 1;
}

int lhv_build_long_mode(const struct lhv_guest_ram *ram, uint64_t tables_gpa,
			struct lhv_sregs *sregs)
{
	uint64_t *t = lhv_ram_ptr(ram, tables_gpa, LHV_LM_TABLES_SIZE);
	uint64_t *gdt, *pml4, *pdpt, *pd;
	unsigned int i;

	if (tables_gpa & 0xfff)
		return -EINVAL;
	if (!t)
		return -ERANGE;
	memset(t, 0, LHV_LM_TABLES_SIZE);
	gdt = t;
	pml4 = t + 512;
	pdpt = t + 2 * 512;
	pd = t + 3 * 512;

	gdt[LHV_LM_CODE_SEL / 8] = GDT_CODE64;
	gdt[LHV_LM_DATA_SEL / 8] = GDT_DATA;
	pml4[0] = (tables_gpa + 0x2000) | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (tables_gpa + 0x3000 + i * 0x1000ULL) | PTE_P | PTE_RW;
	/* Four consecutive PDs: entry i maps 2 MiB page i of the first 4 GiB. */
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;

	flat_segment(&sregs->cs, LHV_LM_CODE_SEL, 0xb, 1, 0);
	flat_segment(&sregs->ds, LHV_LM_DATA_SEL, 0x3, 0, 1);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	sregs->gdt.base = tables_gpa;
	sregs->gdt.limit = 3 * 8 - 1;
	/* TR keeps its INIT value: a present busy TSS, as VM entry wants. */
	sregs->cr3 = tables_gpa + 0x1000;
	sregs->cr4 |= CR4_PAE;
	sregs->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs->efer |= EFER_LME | EFER_LMA;
	return 0;
}

int lhv_build_linux64(const struct lhv_guest_ram *ram, uint64_t tables_gpa,
		      struct lhv_sregs *sregs)
{
	uint64_t *gdt;
	int ret = lhv_build_long_mode(ram, tables_gpa, sregs);

	if (ret)
		return ret;
	gdt = lhv_ram_ptr(ram, tables_gpa, 4 * 8);
	gdt[LHV_LM_CODE_SEL / 8] = 0;
	gdt[LHV_LINUX_CS_SEL / 8] = GDT_CODE64;
	gdt[LHV_LINUX_DS_SEL / 8] = GDT_DATA;
	sregs->gdt.limit = 4 * 8 - 1;
	sregs->cs.selector = LHV_LINUX_CS_SEL;
	sregs->ds.selector = LHV_LINUX_DS_SEL;
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	return 0;
}

int lhv_build_prot32(const struct lhv_guest_ram *ram, uint64_t gdt_gpa,
		     struct lhv_sregs *sregs)
{
	uint64_t *gdt = lhv_ram_ptr(ram, gdt_gpa, 0x1000);

	if (gdt_gpa & 0xfff)
		return -EINVAL;
	if (!gdt)
		return -ERANGE;
	memset(gdt, 0, 0x1000);
	gdt[LHV_PM32_CODE_SEL / 8] = GDT_CODE32;
	gdt[LHV_PM32_DATA_SEL / 8] = GDT_DATA;
	flat_segment(&sregs->cs, LHV_PM32_CODE_SEL, 0xb, 0, 1);
	flat_segment(&sregs->ds, LHV_PM32_DATA_SEL, 0x3, 0, 1);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	sregs->gdt.base = gdt_gpa;
	sregs->gdt.limit = 3 * 8 - 1;
	sregs->cr0 = CR0_PE | CR0_ET;
	sregs->cr4 &= ~CR4_PAE;
	sregs->efer &= ~(EFER_LME | EFER_LMA);
	return 0;
}
