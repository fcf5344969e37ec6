// SPDX-License-Identifier: GPL-2.0
/*
 * LHV_SIGNAL_MSI: an interrupt from a launcher device, raised on the
 * target vCPUs' real local APICs by an IPI from the calling (online) CPU.
 * Nothing in the guest's APIC is monitored for it: the IPI lands in the
 * IRR of the APIC the guest owns and the guest takes it as it would a
 * device's MSI.  An NMI goes through lhv_vcpu_request_nmi() instead, as a
 * raw NMI would be taken for lhv's kick.
 */
#include <linux/uaccess.h>
#include <asm/apic.h>

#include <lhv/abi.h>

#include "../module/run.h"
#include "../module/vm.h"
#include "dest.h"
#include "hw.h"
#include "lapic.h"
#include "msi.h"

static void lhv_lapic_send_fixed(const struct lapic_icr *icr, u32 apic_id)
{
	unsigned long flags;

	/*
	 * Interrupts off: an IPI sent from an interrupt on this CPU would
	 * overwrite the xAPIC ICR's destination half.
	 */
	local_irq_save(flags);
	lhv_apic_hw_send((u32)lapic_icr_for_target(icr, apic_id), apic_id);
	local_irq_restore(flags);
}

long lhv_lapic_signal_msi(struct lhv_vm *vm, const void __user *argp)
{
	struct lapic_vcpu_id ids[LHV_MAX_VCPUS];
	struct lapic_dest dest;
	struct lapic_icr icr;
	struct lhv_msi msi;
	unsigned int i;
	long sent = 0;

	if (copy_from_user(&msi, argp, sizeof(msi)))
		return -EFAULT;
	if (msi.flags || !lhv_all_zero(msi.reserved, ARRAY_SIZE(msi.reserved)) ||
	    lapic_msi_decode(msi.address, msi.data, vm->x2apic, &icr))
		return -EINVAL;
	/*
	 * A passthrough guest's xAPIC logical IDs are in its APIC alone,
	 * which lhv does not watch; x2APIC ones follow from the APIC ID.
	 */
	if (icr.logical && !vm->x2apic && vm->lapic_mode == LHV_LAPIC_PASSTHROUGH)
		return -EOPNOTSUPP;

	mutex_lock(&vm->lock);
	for (i = 0; i < LHV_MAX_VCPUS; i++) {
		struct lhv_vcpu *v = vm->vcpus[i];

		ids[i].present = !!v;
		if (!v)
			continue;
		ids[i].apic_id = v->apic_id;
		ids[i].logical_id = READ_ONCE(v->logical_id);
		ids[i].cluster = READ_ONCE(v->dfr_cluster);
	}
	if (!lapic_dest_resolve(&icr, 0, ids, LHV_MAX_VCPUS, &dest)) {
		for (i = 0; i < LHV_MAX_VCPUS; i++) {
			struct lhv_vcpu *t = vm->vcpus[i];

			if (!(dest.targets & BIT_ULL(i)) || !t)
				continue;
			if (icr.delivery == LAPIC_DM_NMI)
				lhv_vcpu_request_nmi(t);
			else
				lhv_lapic_send_fixed(&icr, t->apic_id);
			sent++;
		}
	}
	mutex_unlock(&vm->lock);
	return sent;
}
