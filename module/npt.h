/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nested page tables (EPT on VMX, NPT on SVM): one 4-level table per VM,
 * built from the memslots in process context.  The entry format comes
 * from the backend (struct lhv_npt_format); the walk is shared.
 */
#ifndef _LHV_NPT_H
#define _LHV_NPT_H

#include <linux/types.h>

struct lhv_npt_format;
struct lhv_memslot;

struct lhv_npt {
	u64 *root;			/* the level-4 table */
	phys_addr_t root_pa;
	unsigned long pages_4k;		/* leaves, for tests and diagnostics */
	unsigned long pages_2m;
	unsigned long tables;		/* table pages, the root included */
};

int lhv_npt_init(struct lhv_npt *npt);
void lhv_npt_free(struct lhv_npt *npt, const struct lhv_npt_format *f);

/* Map @slot's pages at its guest-physical address: 2 MiB leaves where they can be. */
int lhv_npt_map_slot(struct lhv_npt *npt, const struct lhv_npt_format *f,
		     const struct lhv_memslot *slot);
/*
 * Undo a lhv_npt_map_slot() that failed half-way.  Only safe before any
 * vCPU of the VM ran: nothing invalidates what a CPU may have cached.
 */
void lhv_npt_unmap_slot(struct lhv_npt *npt, const struct lhv_npt_format *f,
			const struct lhv_memslot *slot);
/* Map one 4 KiB page uncached (the local APIC page, 1:1); @write: writable. */
int lhv_npt_map_uc_page(struct lhv_npt *npt, const struct lhv_npt_format *f,
			u64 gpa, phys_addr_t hpa, bool write);

#endif /* _LHV_NPT_H */
