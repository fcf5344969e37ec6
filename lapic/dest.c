// SPDX-License-Identifier: GPL-2.0
/*
 * IPI destination resolution.  Pure logic: built into lhv.ko and into
 * tests/unit.
 *
 * In filtered mode a guest's IPI must reach its own vCPUs and nothing
 * else, so lhv resolves the destination itself, the way every local APIC
 * on the bus would (SDM Vol. 3A, 10.6.2), but against the VM's vCPU table:
 *  - physical: the APIC ID, or all for the broadcast ID (10.6.2.1);
 *  - logical, xAPIC flat: the 8-bit destination is a mask ANDed with each
 *    LDR logical ID; cluster: destination and logical ID are a 4-bit
 *    cluster and a 4-bit mask (10.6.2.2);
 *  - logical, x2APIC: a 16-bit cluster and a 16-bit mask, the logical ID
 *    following from the x2APIC ID (10.12.10.2);
 *  - all ones is a broadcast in every mode; a shorthand ignores the
 *    destination (10.6.1).
 * Each vCPU interprets a logical destination with its own DFR model, as
 * the hardware does; what the destination names beyond the VM is counted
 * with the sender's model, the one its OS chose.
 *
 * Lowest priority: arbitration picks the processor with the lowest
 * priority (10.6.2.4), whose TPR and PPR lhv cannot see on other CPUs
 * without stopping them, and whose choice the SDM leaves model-specific
 * on recent processors.  lhv delivers to the matching vCPU with the lowest
 * index: deterministic, and a legal outcome of arbitration.
 */
#include "dest.h"

#define LAPIC_X2APIC_CLUSTER_SHIFT	16
#define LAPIC_X2APIC_MASK		0xffffU

/* A logical ID or destination as a cluster and a mask of members. */
struct lapic_logical {
	u32 cluster;
	u32 mask;
};

u32 lapic_x2apic_ldr(u32 apic_id)
{
	return (apic_id >> 4) << LAPIC_X2APIC_CLUSTER_SHIFT |
	       BIT(apic_id & 0xf);
}

static struct lapic_logical lapic_split(u32 id, bool x2apic, bool cluster)
{
	struct lapic_logical l;

	if (x2apic) {
		l.cluster = id >> LAPIC_X2APIC_CLUSTER_SHIFT;
		l.mask = id & LAPIC_X2APIC_MASK;
	} else if (cluster) {
		l.cluster = (id >> 4) & 0xf;
		l.mask = id & 0xf;
	} else {
		l.cluster = 0;
		l.mask = id & 0xff;
	}
	return l;
}

static unsigned int lapic_bit_count(u32 x)
{
	unsigned int n = 0;

	/* At most 32 rounds: each clears the lowest set bit. */
	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

static void lapic_dest_physical(const struct lapic_icr *icr,
				const struct lapic_vcpu_id *vcpus,
				unsigned int nr, struct lapic_dest *out)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (vcpus[i].present && vcpus[i].apic_id == icr->dest)
			out->targets |= BIT_ULL(i);
	out->outside = out->targets ? 0 : 1;
}

static void lapic_dest_logical(const struct lapic_icr *icr, unsigned int self,
			       const struct lapic_vcpu_id *vcpus,
			       unsigned int nr, struct lapic_dest *out)
{
	bool model = vcpus[self].cluster;
	struct lapic_logical want = lapic_split(icr->dest, icr->x2apic, model);
	u32 covered = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const struct lapic_vcpu_id *v = &vcpus[i];
		struct lapic_logical d, id;

		if (!v->present)
			continue;
		d = lapic_split(icr->dest, icr->x2apic, v->cluster);
		id = icr->x2apic ?
		     lapic_split(lapic_x2apic_ldr(v->apic_id), true, false) :
		     lapic_split(v->logical_id, false, v->cluster);
		if (id.cluster != d.cluster)
			continue;
		if (id.mask & d.mask)
			out->targets |= BIT_ULL(i);
		if (icr->x2apic || v->cluster == model)
			covered |= id.mask;
	}
	out->outside = lapic_bit_count(want.mask & ~covered);
}

int lapic_dest_resolve(const struct lapic_icr *icr, unsigned int self,
		       const struct lapic_vcpu_id *vcpus, unsigned int nr,
		       struct lapic_dest *out)
{
	u32 broadcast = icr->x2apic ? LAPIC_X2APIC_BROADCAST :
				      LAPIC_XAPIC_BROADCAST;
	u64 all = 0;
	unsigned int i;

	if (nr > LAPIC_MAX_VCPUS || self >= nr)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (vcpus[i].present)
			all |= BIT_ULL(i);

	out->targets = 0;
	out->outside = 0;
	switch (icr->shorthand) {
	case LAPIC_SH_SELF:
		out->targets = all & BIT_ULL(self);
		break;
	case LAPIC_SH_ALL:
		out->targets = all;
		break;
	case LAPIC_SH_OTHERS:
		out->targets = all & ~BIT_ULL(self);
		break;
	default:
		if (icr->dest == broadcast)
			out->targets = all;
		else if (icr->logical)
			lapic_dest_logical(icr, self, vcpus, nr, out);
		else
			lapic_dest_physical(icr, vcpus, nr, out);
		break;
	}

	if (icr->delivery == LAPIC_DM_LOWEST && out->targets) {
		out->targets &= -out->targets;	/* the lowest set bit */
		out->outside = 0;
	}
	return 0;
}
