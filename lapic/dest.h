/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPI destination resolution against a VM's own vCPUs (filtered mode,
 * Documentation/initsipi.rst).  Pure logic shared by lhv.ko and the host
 * unit tests.
 */
#ifndef _LHV_LAPIC_DEST_H
#define _LHV_LAPIC_DEST_H

#include <lhv/types.h>

#include "icr.h"

/* Bits in the u64 target mask: vCPU index i is bit i. */
#define LAPIC_MAX_VCPUS		64

/*
 * What destination resolution needs to know of one vCPU.  In xAPIC mode
 * the logical ID and the model are the guest's LDR and DFR, which lhv
 * tracks; in x2APIC mode the logical ID follows from the APIC ID.
 */
struct lapic_vcpu_id {
	u32 apic_id;		/* xAPIC: 8 bits; x2APIC: 32 bits */
	u8 present;		/* the VM has this vCPU */
	u8 logical_id;		/* xAPIC: LDR[31:24] */
	u8 cluster;		/* xAPIC: DFR model cluster (0), not flat (0xF) */
};

struct lapic_dest {
	u64 targets;		/* bit i: vCPU i receives the IPI */
	u32 outside;		/* destination IDs that are none of the VM's */
};

/*
 * Resolve @icr, written by vCPU @self, against the VM's @nr vCPUs @vcpus
 * (non-present ones never match).  ->outside counts the physical APIC IDs
 * and the logical-mask bits (each naming one processor) of the
 * destination that match no vCPU: the caller drops them and counts them
 * (LHV_STAT_IPI_DROPPED).  Shorthands and broadcasts mean "every vCPU of
 * the VM" and name nothing outside.  Lowest-priority delivery picks the
 * matching vCPU with the lowest index; ->outside is then 0.  Returns 0, or
 * -EINVAL if @nr exceeds LAPIC_MAX_VCPUS or @self is not below @nr.
 */
int lapic_dest_resolve(const struct lapic_icr *icr, unsigned int self,
		       const struct lapic_vcpu_id *vcpus, unsigned int nr,
		       struct lapic_dest *out);

/* The x2APIC logical ID (LDR) of @apic_id (SDM Vol. 3A, 10.12.10.2). */
u32 lapic_x2apic_ldr(u32 apic_id);

#endif /* _LHV_LAPIC_DEST_H */
