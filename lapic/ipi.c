// SPDX-License-Identifier: GPL-2.0
/*
 * Filtered mode: the guest's ICR writes, and only they, trap
 * (Documentation/initsipi.rst).  In x2APIC mode that is MSR 0x830; in
 * xAPIC mode the APIC page is mapped read-only, so every write to it
 * exits and is decoded by the emulator (module/emulate.c), and this file
 * forwards it to the real APIC unless it is the ICR.  The x2APIC that lhv
 * emulates over an xAPIC host (mode.c) sends its ICR writes here too, in
 * both LAPIC modes.
 *
 * An ICR write is resolved against the VM's own vCPUs (dest.c): INIT and
 * SIPI become events of the targets' run-state machines; fixed, lowest-
 * priority and NMI IPIs go to the real APIC, unchanged where the guest
 * named one of its own vCPUs by physical APIC ID, else once per target
 * with its physical APIC ID, so that no shorthand or logical destination
 * reaches a CPU outside the VM.  Destinations outside the VM are dropped
 * and counted.  Runs on the sender's owned CPU, interrupts off.
 */
#include <asm/apic.h>

#include "../module/run.h"
#include "../module/vm.h"
#include "dest.h"
#include "hw.h"
#include "icr.h"
#include "lapic.h"

/* xAPIC register offsets the filter looks at (SDM Vol. 3A, table 10-1). */
#define XAPIC_ID		0x020
#define XAPIC_LDR		0x0d0
#define XAPIC_DFR		0x0e0
#define XAPIC_LAST		0x3f0

static void lhv_lapic_count(struct lhv_vcpu *vcpu, unsigned int stat, u32 n)
{
	vcpu->stats.by_reason[stat] += n;
}

/* The VM's vCPUs as dest.c sees them. */
static void lhv_lapic_ids(struct lhv_vm *vm, struct lapic_vcpu_id *ids)
{
	unsigned int i;

	for (i = 0; i < LHV_MAX_VCPUS; i++) {
		struct lhv_vcpu *v = vm->vcpus[i];

		ids[i].present = !!v;
		if (!v)
			continue;
		ids[i].apic_id = v->apic_id;
		ids[i].logical_id = READ_ONCE(v->logical_id);
		ids[i].cluster = READ_ONCE(v->dfr_cluster);
	}
}

/*
 * Send an IPI to @target through the real APIC, physically addressed.  An
 * NMI becomes a request that lhv injects: sent
 * from here it would reach the sender's CPU outside the guest, where the
 * host takes it, and another CPU maybe between two exits.
 */
static void lhv_lapic_forward(const struct lapic_icr *icr,
			      struct lhv_vcpu *from, struct lhv_vcpu *target)
{
	u64 value;

	if (icr->delivery == LAPIC_DM_NMI) {
		if (target == from)
			atomic_set(&target->nmi_requested, 1);
		else
			lhv_vcpu_request_nmi(target);
		return;
	}
	value = lapic_icr_for_target(icr, target->apic_id);
	lhv_apic_hw_send((u32)value, target->apic_id);
}

int lhv_lapic_icr_write(struct lhv_vcpu *vcpu, u64 value)
{
	struct lapic_vcpu_id ids[LHV_MAX_VCPUS];
	bool x2apic = lhv_lapic_mode(vcpu) == LAPIC_MODE_X2APIC;
	struct lhv_vm *vm = vcpu->vm;
	struct lapic_dest dest;
	struct lapic_icr icr;
	enum lapic_ipi kind;
	unsigned int i;

	BUILD_BUG_ON(LHV_MAX_VCPUS > LAPIC_MAX_VCPUS);
	lhv_lapic_count(vcpu, LHV_STAT_ICR_TRAP, 1);
	/* Only x2APIC has reserved bits that fault (SDM Vol. 3A, 10.12.9). */
	if (lapic_icr_decode(value, x2apic, &icr))
		return -EINVAL;
	kind = lapic_icr_kind(&icr);
	if (kind == LAPIC_IPI_IGNORE)
		return 0;
	lhv_lapic_ids(vm, ids);
	if (kind == LAPIC_IPI_INVALID ||
	    lapic_dest_resolve(&icr, vcpu->id, ids, LHV_MAX_VCPUS, &dest)) {
		lhv_lapic_count(vcpu, LHV_STAT_IPI_DROPPED, 1);
		return 0;
	}
	lhv_lapic_count(vcpu, LHV_STAT_IPI_DROPPED, dest.outside);
	for (i = 0; i < LHV_MAX_VCPUS; i++) {
		struct lhv_vcpu *t = vm->vcpus[i];

		if (!(dest.targets & BIT_ULL(i)) || !t)
			continue;
		/*
		 * Passthrough mode traps an ICR only where lhv emulates the
		 * guest's x2APIC: there INIT and SIPI go out as real ones, so
		 * the targets take INIT and SIPI exits as from any other IPI.
		 */
		if (kind == LAPIC_IPI_INIT && vm->lapic_mode == LHV_LAPIC_FILTERED)
			lhv_lapic_deliver_init(t);
		else if (kind == LAPIC_IPI_SIPI && vm->lapic_mode == LHV_LAPIC_FILTERED)
			lhv_lapic_deliver_sipi(t, icr.vector, true);
		else
			lhv_lapic_forward(&icr, vcpu, t);
	}
	return 0;
}

int lhv_lapic_xapic_access(struct lhv_vcpu *vcpu, u32 offset, void *buf,
			   unsigned int len, bool write)
{
	u32 val;

	/* Registers are 32 bits at 16-byte strides; anything else is ignored. */
	if (len != 4 || offset % 16 || offset > XAPIC_LAST) {
		if (!write)
			memset(buf, 0, len);
		lhv_lapic_count(vcpu, LHV_STAT_LAPIC_OTHER, 1);
		return 0;
	}
	if (!write) {
		val = apic_read(offset);
		memcpy(buf, &val, sizeof(val));
		return 0;
	}
	memcpy(&val, buf, sizeof(val));
	switch (offset) {
	case APIC_ICR:
		return lhv_lapic_icr_write(vcpu, (u64)vcpu->icr_high << 32 | val);
	case APIC_ICR2:
		/* Half of an ICR write: counted as an ICR trap, not forwarded. */
		vcpu->icr_high = val;
		lhv_lapic_count(vcpu, LHV_STAT_ICR_TRAP, 1);
		return 0;
	case XAPIC_ID:
		/* The guest's APIC ID is the CPU's; lhv resolves IPIs by it. */
		lhv_lapic_count(vcpu, LHV_STAT_LAPIC_OTHER, 1);
		return 0;
	/*
	 * LDR and DFR stay virtual: lhv resolves logical destinations from
	 * them, and the real APIC keeps LDR 0, so that the host's own logical
	 * IPIs (xAPIC flat mode: LDR bit n is host CPU n) reach no guest.
	 */
	case XAPIC_LDR:
		WRITE_ONCE(vcpu->logical_id, val >> 24);
		lhv_lapic_count(vcpu, LHV_STAT_LAPIC_OTHER, 1);
		return 0;
	case XAPIC_DFR:
		/* Model bits 31:28: 0xf flat, 0x0 cluster. */
		WRITE_ONCE(vcpu->dfr_cluster, (val >> 28) == 0);
		lhv_lapic_count(vcpu, LHV_STAT_LAPIC_OTHER, 1);
		return 0;
	}
	lhv_lapic_count(vcpu, LHV_STAT_LAPIC_OTHER, 1);
	apic_write(offset, val);
	return 0;
}
