// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables, vendor-neutral.  EPT and AMD's NPT are both 4-level
 * radix trees of 512 8-byte entries indexed by guest-physical address
 * bits 47:39, 38:30, 29:21 and 20:12; only the bits inside an entry
 * differ, and the backend supplies those (struct lhv_npt_format).
 *
 * Tables are only ever added to while a VM lives: a slot is mapped when
 * it is set and never unmapped before the VM is destroyed, so no TLB
 * shootdown is needed (entries go from not-present to present, which the
 * CPU does not cache; SDM Vol. 3C 29.4.1, APM Vol. 2 15.25.1 by way of
 * the ordinary paging rules).  Updates are made under the VM lock and
 * published with WRITE_ONCE(), as a guest on another CPU may be walking.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "lhv.h"
#include "memslot.h"
#include "npt.h"

#define LHV_NPT_ENTRIES		512
#define LHV_NPT_ADDR_MASK	GENMASK_ULL(51, 12)
#define LHV_NPT_2M		BIT_ULL(21)

static u64 *lhv_npt_alloc_table(struct lhv_npt *npt, phys_addr_t *pa)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!page)
		return NULL;
	npt->tables++;
	*pa = page_to_phys(page);
	return page_address(page);
}

int lhv_npt_init(struct lhv_npt *npt)
{
	npt->root = lhv_npt_alloc_table(npt, &npt->root_pa);
	return npt->root ? 0 : -ENOMEM;
}

static unsigned int lhv_npt_index(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & (LHV_NPT_ENTRIES - 1);
}

/*
 * The entry for @gpa in the table at @level (1: 4 KiB leaves, 2: 2 MiB),
 * allocating the tables above it.  NULL on allocation failure, or when a
 * 2 MiB leaf already covers @gpa.
 */
static u64 *lhv_npt_entry(struct lhv_npt *npt, const struct lhv_npt_format *f,
			  u64 gpa, int level)
{
	u64 *table = npt->root;
	int l;

	for (l = 4; l > level; l--) {
		u64 *e = &table[lhv_npt_index(gpa, l)];
		phys_addr_t pa;

		if (!*e) {
			u64 *next = lhv_npt_alloc_table(npt, &pa);

			if (!next)
				return NULL;
			WRITE_ONCE(*e, pa | f->table);
		} else if (l == 2 && (*e & f->leaf_large)) {
			return NULL;
		}
		table = phys_to_virt(*e & LHV_NPT_ADDR_MASK);
	}
	return &table[lhv_npt_index(gpa, level)];
}

/* The leaf entry that maps @gpa, or NULL. */
static u64 *lhv_npt_lookup(struct lhv_npt *npt, const struct lhv_npt_format *f,
			   u64 gpa)
{
	u64 *table = npt->root;
	int l;

	for (l = 4; l > 1; l--) {
		u64 *e = &table[lhv_npt_index(gpa, l)];

		if (!*e)
			return NULL;
		if (l == 2 && (*e & f->leaf_large))
			return e;
		table = phys_to_virt(*e & LHV_NPT_ADDR_MASK);
	}
	return &table[lhv_npt_index(gpa, 1)];
}

static int lhv_npt_set(struct lhv_npt *npt, const struct lhv_npt_format *f,
		       u64 gpa, u64 leaf, int level)
{
	u64 *e = lhv_npt_entry(npt, f, gpa, level);

	if (!e)
		return -ENOMEM;
	/* Slots never overlap each other or the APIC page (vm.c). */
	if (*e)
		return -EEXIST;
	WRITE_ONCE(*e, leaf);
	if (level == 2)
		npt->pages_2m++;
	else
		npt->pages_4k++;
	return 0;
}

/* Whether 512 pages from @i on are one physically contiguous, aligned 2 MiB. */
static bool lhv_npt_can_map_2m(const struct lhv_memslot *slot, u64 i)
{
	phys_addr_t first;
	u64 j;

	if (i + 512 > slot->npages || (slot->gpa + (i << PAGE_SHIFT)) % LHV_NPT_2M)
		return false;
	first = page_to_phys(slot->pages[i]);
	if (first % LHV_NPT_2M)
		return false;
	for (j = 1; j < 512; j++)
		if (page_to_phys(slot->pages[i + j]) != first + (j << PAGE_SHIFT))
			return false;
	return true;
}

int lhv_npt_map_slot(struct lhv_npt *npt, const struct lhv_npt_format *f,
		     const struct lhv_memslot *slot)
{
	u64 leaf = f->leaf_base | f->memtype_wb;
	u64 i = 0;
	int err;

	if (!(slot->flags & LHV_MEM_READONLY))
		leaf |= f->leaf_write;
	while (i < slot->npages) {
		u64 gpa = slot->gpa + (i << PAGE_SHIFT);

		if (lhv_npt_can_map_2m(slot, i)) {
			err = lhv_npt_set(npt, f, gpa, page_to_phys(slot->pages[i]) |
					  leaf | f->leaf_large, 2);
			i += 512;
		} else {
			err = lhv_npt_set(npt, f, gpa,
					  page_to_phys(slot->pages[i]) | leaf, 1);
			i++;
		}
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

void lhv_npt_unmap_slot(struct lhv_npt *npt, const struct lhv_npt_format *f,
			const struct lhv_memslot *slot)
{
	u64 gpa, end = slot->gpa + (slot->npages << PAGE_SHIFT);

	for (gpa = slot->gpa; gpa < end; gpa += PAGE_SIZE) {
		u64 *e = lhv_npt_lookup(npt, f, gpa);

		if (e)
			WRITE_ONCE(*e, 0);
	}
}

int lhv_npt_map_uc_page(struct lhv_npt *npt, const struct lhv_npt_format *f,
			u64 gpa, phys_addr_t hpa, bool write)
{
	u64 leaf = hpa | f->leaf_base | f->memtype_uc;

	if (write)
		leaf |= f->leaf_write;
	return lhv_npt_set(npt, f, gpa, leaf, 1);
}

static void lhv_npt_free_table(u64 *table, const struct lhv_npt_format *f,
			       int level)
{
	unsigned int i;

	for (i = 0; level > 1 && i < LHV_NPT_ENTRIES; i++) {
		if (!table[i] || (level == 2 && (table[i] & f->leaf_large)))
			continue;
		lhv_npt_free_table(phys_to_virt(table[i] & LHV_NPT_ADDR_MASK),
				   f, level - 1);
	}
	free_page((unsigned long)table);
}

void lhv_npt_free(struct lhv_npt *npt, const struct lhv_npt_format *f)
{
	if (npt->root)
		lhv_npt_free_table(npt->root, f, 4);
	npt->root = NULL;
}
