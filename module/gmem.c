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

/* The slot holding @gpa, or NULL if it is not guest RAM. */
static const struct lhv_memslot *lhv_gmem_slot(struct lhv_vm *vm, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < LHV_MAX_MEMSLOTS; i++) {
		const struct lhv_memslot *s = &vm->mem.slot[i];

		if (s->npages && gpa >= s->gpa &&
		    gpa - s->gpa < s->npages << PAGE_SHIFT)
			return s;
	}
	return NULL;
}

/*
 * Copy between @buf and guest RAM at @gpa, page by page; with @dry_run,
 * only check that every byte is RAM (and writable for @write).
 */
static int lhv_gmem_copy(struct lhv_vm *vm, u64 gpa, void *buf,
			 unsigned int len, bool write, bool dry_run)
{
	while (len) {
		const struct lhv_memslot *s = lhv_gmem_slot(vm, gpa);
		unsigned int off = offset_in_page(gpa);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		void *host;

		if (!s || (write && (s->flags & LHV_MEM_READONLY)))
			return -ENOENT;
		if (!dry_run) {
			host = page_address(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]) + off;
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
 */
static bool lhv_gmem_apic(struct lhv_vcpu *vcpu, u64 gpa, unsigned int len)
{
	struct lhv_vm *vm = vcpu->vm;

	return vm->lapic_mode == LHV_LAPIC_FILTERED && !vm->x2apic &&
	       gpa >= vm->apic_gpa && gpa + len <= vm->apic_gpa + PAGE_SIZE;
}

static int lhv_gmem_access(struct lhv_vcpu *vcpu, u64 gpa, void *buf,
			   unsigned int len, bool write)
{
	int err;

	if (lhv_gmem_apic(vcpu, gpa, len))
		return lhv_lapic_xapic_access(vcpu, gpa - vcpu->vm->apic_gpa,
					      buf, len, write);
	err = lhv_gmem_copy(vcpu->vm, gpa, buf, len, write, true);
	return err ? err : lhv_gmem_copy(vcpu->vm, gpa, buf, len, write, false);
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
