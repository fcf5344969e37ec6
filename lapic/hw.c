// SPDX-License-Identifier: GPL-2.0
/*
 * The real APIC in the guest's mode.  Only one mode differs from the
 * host's: x2APIC on a host that runs its APICs as xAPICs, which
 * lhv_apic_hw_raise_x2apic() records per CPU.  Every other case is the
 * host's mode, and Linux's accessors serve it.
 */
#include <linux/percpu.h>
#include <asm/apic.h>
#include <asm/msr.h>

#include "hw.h"

/* This CPU's APIC is in x2APIC mode although the host's driver is xAPIC. */
static DEFINE_PER_CPU(bool, lhv_apic_raised);

/* SDM Vol. 3A, 10.12.1.2: register offset >> 4 is the MSR's offset. */
static u32 lhv_apic_msr(u32 reg)
{
	return APIC_BASE_MSR + (reg >> 4);
}

u32 lhv_apic_hw_read(u32 reg)
{
	u64 val;

	if (!this_cpu_read(lhv_apic_raised))
		return apic_read(reg);
	/* Registers x2APIC lacks (DFR, ICR2) read as 0. */
	return rdmsrl_safe(lhv_apic_msr(reg), &val) ? 0 : (u32)val;
}

void lhv_apic_hw_write(u32 reg, u32 val)
{
	if (!this_cpu_read(lhv_apic_raised)) {
		apic_write(reg, val);
		return;
	}
	/* x2APIC has no DFR and a read-only LDR: writes to them fault. */
	wrmsrl_safe(lhv_apic_msr(reg), val);
}

void lhv_apic_hw_send(u32 low, u32 apicid)
{
	if (this_cpu_read(lhv_apic_raised)) {
		/* One 64-bit write sends; x2APIC has no delivery status to wait on. */
		wrmsrl(lhv_apic_msr(APIC_ICR), (u64)apicid << 32 | low);
		return;
	}
	safe_apic_wait_icr_idle();
	apic_icr_write(low, apicid);
}

void lhv_apic_hw_raise_x2apic(void)
{
	u64 base;

	rdmsrl(MSR_IA32_APICBASE, base);
	wrmsrl(MSR_IA32_APICBASE, base | X2APIC_ENABLE);
	this_cpu_write(lhv_apic_raised, true);
}

void lhv_apic_hw_restore_mode(void)
{
	u64 base;

	if (!this_cpu_read(lhv_apic_raised))
		return;
	/* x2APIC -> xAPIC only through disabled (figure 10-27). */
	rdmsrl(MSR_IA32_APICBASE, base);
	base &= ~(X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE);
	wrmsrl(MSR_IA32_APICBASE, base);
	wrmsrl(MSR_IA32_APICBASE, base | MSR_IA32_APICBASE_ENABLE);
	this_cpu_write(lhv_apic_raised, false);
}
