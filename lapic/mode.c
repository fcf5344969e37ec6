// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's IA32_APIC_BASE: the mode of its CPU's local APIC
 * (Documentation/design.rst, "The guest's local APIC").
 *
 * vcpu->apic_base is the guest's view.  The real APIC follows it with
 * two differences, both so that lhv keeps reaching its CPU:
 *  - "disabled" is the reset state, software-disabled: a globally
 *    disabled APIC would take no NMI, and lhv stops its CPU with one;
 *  - on an x2APIC host an xAPIC is refused (apicbase.c): lhv never maps
 *    the APIC page there.
 * x2APIC on an xAPIC host is real: the guest's x2APIC MSRs reach the APIC
 * without an exit (filtered mode traps the ICR only), and the APIC goes
 * back to xAPIC mode when the guest disables it or gives the CPU back
 * (lhv_apic_hw_restore_mode()).
 */
#include <asm/processor.h>

#include "../module/vm.h"
#include "apicbase.h"
#include "hw.h"
#include "lapic.h"
#include "reset.h"

#define CPUID1_ECX_X2APIC	BIT(21)

enum lapic_mode lhv_lapic_mode(const struct lhv_vcpu *vcpu)
{
	return lapic_base_mode(READ_ONCE(vcpu->apic_base));
}

/* What INIT and a global disable reset besides the real APIC. */
void lhv_lapic_reset_virtual(struct lhv_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->logical_id, 0);
	WRITE_ONCE(vcpu->dfr_cluster, 0);
	vcpu->icr_high = 0;
}

int lhv_lapic_base_write(struct lhv_vcpu *vcpu, u64 val)
{
	struct lapic_base_caps caps = {
		.phys_bits = boot_cpu_data.x86_phys_bits,
		.x2apic = cpuid_ecx(1) & CPUID1_ECX_X2APIC,
		.xapic = !vcpu->vm->x2apic,
	};
	enum lapic_mode from = lapic_base_mode(vcpu->apic_base);
	enum lapic_mode to = lapic_base_mode(val);

	if (lapic_base_check(vcpu->apic_base, val, &caps))
		return -EINVAL;
	WRITE_ONCE(vcpu->apic_base, val);
	vcpu->sregs.apic_base = val;
	if (from == to)
		return 0;

	switch (to) {
	case LAPIC_MODE_X2APIC:
		/* From xAPIC, whose state x2APIC mode keeps (10.12.5.1). */
		if (!vcpu->vm->x2apic)
			lhv_apic_hw_raise_x2apic();
		break;
	case LAPIC_MODE_DISABLED:
		lhv_apic_hw_restore_mode();
		fallthrough;
	default:
		/* Disabling resets the APIC, so enabling finds it reset too. */
		lhv_lapic_reset();
		lhv_lapic_reset_virtual(vcpu);
		break;
	}
	return 0;
}
