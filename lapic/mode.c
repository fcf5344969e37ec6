// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's IA32_APIC_BASE: the mode of its CPU's local APIC
 * (Documentation/design.rst, "The guest's local APIC").
 *
 * vcpu->apic_base is the guest's view; the real APIC stays in the host's
 * mode, always, because Linux's apic driver speaks that mode and Linux
 * code runs on an owned CPU too (the wake-up IPI of every exit to
 * userspace, the NMI handler).  So:
 *  - "disabled" is the reset state, software-disabled: a globally
 *    disabled APIC would take no NMI, and lhv stops its CPU with one;
 *  - x2APIC on an xAPIC host is lhv's emulation over the xAPIC: the
 *    x2APIC MSRs trap (msr_policy.c) and land in lhv_lapic_x2apic_*();
 *  - on an x2APIC host an xAPIC is refused (apicbase.c): lhv never maps
 *    the APIC page there.
 */
#include <asm/apic.h>
#include <asm/processor.h>

#include "../module/vm.h"
#include "apicbase.h"
#include "dest.h"
#include "hw.h"
#include "lapic.h"
#include "reset.h"
#include "x2apic.h"

#define CPUID1_ECX_X2APIC	BIT(21)

enum lapic_mode lhv_lapic_mode(const struct lhv_vcpu *vcpu)
{
	return lapic_base_mode(READ_ONCE(vcpu->apic_base));
}

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
	/*
	 * xAPIC -> x2APIC keeps the APIC's state (SDM Vol. 3A, 10.12.5.1).
	 * Disabling resets it, and enabling finds it reset, whatever the
	 * guest wrote to the page meanwhile.
	 */
	if (from != to && to != LAPIC_MODE_X2APIC) {
		lhv_lapic_reset();
		lhv_lapic_reset_virtual(vcpu);
	}
	return 0;
}

/* The xAPIC's registers hold 32 bits; the x2APIC MSRs' upper half is reserved. */
int lhv_lapic_x2apic_read(struct lhv_vcpu *vcpu, u32 msr, u64 *val)
{
	struct lapic_x2apic_access a = lapic_x2apic_decode(msr, false);

	if (lhv_lapic_mode(vcpu) != LAPIC_MODE_X2APIC)
		return -EINVAL;
	switch (a.kind) {
	case LAPIC_X2_PLAIN:
		*val = apic_read(a.offset);
		return 0;
	case LAPIC_X2_ID:
		*val = vcpu->apic_id;
		return 0;
	case LAPIC_X2_LDR:
		*val = lapic_x2apic_ldr(vcpu->apic_id);
		return 0;
	case LAPIC_X2_ICR:
		/* The last value written: the xAPIC has no room for 32-bit IDs. */
		*val = (u64)vcpu->icr_high << 32 | (apic_read(APIC_ICR) & ~APIC_ICR_BUSY);
		return 0;
	default:
		return -EINVAL;
	}
}

int lhv_lapic_x2apic_write(struct lhv_vcpu *vcpu, u32 msr, u64 val)
{
	struct lapic_x2apic_access a = lapic_x2apic_decode(msr, true);

	if (lhv_lapic_mode(vcpu) != LAPIC_MODE_X2APIC)
		return -EINVAL;
	if (a.kind != LAPIC_X2_ICR && (val >> 32))
		return -EINVAL;
	switch (a.kind) {
	case LAPIC_X2_PLAIN:
		apic_write(a.offset, val);
		return 0;
	case LAPIC_X2_EOI:
		if (val)
			return -EINVAL;
		apic_write(APIC_EOI, APIC_EOI_ACK);
		return 0;
	case LAPIC_X2_SELF_IPI:
		if (val >> 8)
			return -EINVAL;
		lhv_apic_hw_send(APIC_DEST_SELF | APIC_DM_FIXED | (u32)val, 0);
		return 0;
	case LAPIC_X2_ICR:
		if (lhv_lapic_icr_write(vcpu, val))
			return -EINVAL;
		vcpu->icr_high = val >> 32;
		return 0;
	default:
		return -EINVAL;
	}
}
