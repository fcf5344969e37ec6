// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory as the emulator sees it: the pinned pages of the memslots,
 * reached through the kernel's direct map.  Used on the owned CPU with
 * interrupts off: no locks, as the slots of a VM stop changing before
 * its first LHV_RUN (vm.c refuses later changes) and the pages stay
 * pinned until the VM is destroyed.
 */
#include <linux/mm.h>

#include "../lapic/lapic.h"
#include "gmem.h"
#include "vm.h"

static bool lhv_gmem_in_slot(const struct lhv_memslot *s, u64 gpa)
{
	return s->npages && gpa >= s->gpa &&
	       gpa - s->gpa < s->npages << PAGE_SHIFT;
}

/*
 * The slot holding @gpa, or NULL if it is not guest RAM.  The slot found
 * last is tried first: a page walk and the fetch after it read the same
 * slot again and again, and an emulated APIC access costs a dozen reads.
 */
static const struct lhv_memslot *lhv_gmem_slot(struct lhv_vcpu *vcpu, u64 gpa)
{
	const struct lhv_memslot *slot = vcpu->vm->mem.slot;
	unsigned int i;

	if (lhv_gmem_in_slot(&slot[vcpu->gmem_last_slot], gpa))
		return &slot[vcpu->gmem_last_slot];
	for (i = 0; i < LHV_MAX_MEMSLOTS; i++) {
		if (lhv_gmem_in_slot(&slot[i], gpa)) {
			vcpu->gmem_last_slot = i;
			return &slot[i];
		}
	}
	return NULL;
}

static void *lhv_gmem_host(const struct lhv_memslot *s, u64 gpa)
{
	return page_address(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]) +
	       offset_in_page(gpa);
}

/*
 * Copy between @buf and guest RAM at @gpa, page by page; with @dry_run,
 * only check that every byte is RAM (and writable for @write).
 */
static int lhv_gmem_copy(struct lhv_vcpu *vcpu, u64 gpa, void *buf,
			 unsigned int len, bool write, bool dry_run)
{
	while (len) {
		const struct lhv_memslot *s = lhv_gmem_slot(vcpu, gpa);
		unsigned int off = offset_in_page(gpa);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		void *host;

		if (!s || (write && (s->flags & LHV_MEM_READONLY)))
			return -ENOENT;
		if (!dry_run) {
			host = lhv_gmem_host(s, gpa);
			if (write)
				memcpy(host, buf, n);
			else
				memcpy(buf, host, n);
		}
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Filtered xAPIC mode maps the local APIC page read-only: its accesses
 * are the APIC's, handled by lapic/ipi.c, not requests for userspace.
 * Once the guest has disabled its APIC or taken it to x2APIC mode, the
 * page is not the APIC's any more, as on hardware, and its writes are
 * MMIO like any other.
 */
static bool lhv_gmem_apic(struct lhv_vcpu *vcpu, u64 gpa, unsigned int len)
{
	struct lhv_vm *vm = vcpu->vm;

	return vm->lapic_mode == LHV_LAPIC_FILTERED &&
	       lhv_lapic_mode(vcpu) == LAPIC_MODE_XAPIC &&
	       gpa >= vm->apic_gpa && gpa + len <= vm->apic_gpa + PAGE_SIZE;
}

static int lhv_gmem_access(struct lhv_vcpu *vcpu, u64 gpa, void *buf,
			   unsigned int len, bool write)
{
	const struct lhv_memslot *s;
	int err;

	if (lhv_gmem_apic(vcpu, gpa, len))
		return lhv_lapic_xapic_access(vcpu, gpa - vcpu->vm->apic_gpa,
					      buf, len, write);
	/* Within one page (page table entries, most fetches): one lookup. */
	if (offset_in_page(gpa) + len <= PAGE_SIZE) {
		s = lhv_gmem_slot(vcpu, gpa);
		if (!s || (write && (s->flags & LHV_MEM_READONLY)))
			return -ENOENT;
		if (write)
			memcpy(lhv_gmem_host(s, gpa), buf, len);
		else
			memcpy(buf, lhv_gmem_host(s, gpa), len);
		return 0;
	}
	err = lhv_gmem_copy(vcpu, gpa, buf, len, write, true);
	return err ? err : lhv_gmem_copy(vcpu, gpa, buf, len, write, false);
}

static int lhv_gmem_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	return lhv_gmem_access(ctx, gpa, buf, len, false);
}

static int lhv_gmem_write(void *ctx, u64 gpa, const void *buf,
			  unsigned int len)
{
	return lhv_gmem_access(ctx, gpa, (void *)buf, len, true);
}

void lhv_gmem_init(struct lhv_guest_mem *mem, struct lhv_vcpu *vcpu)
{
	mem->read = lhv_gmem_read;
	mem->write = lhv_gmem_write;
	mem->ctx = vcpu;
}
