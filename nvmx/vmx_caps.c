// SPDX-License-Identifier: GPL-2.0
/*
 * Decide from raw CPUID/MSR values whether lhv can use VMX here, and what
 * it found.  Pure logic: built into lhv.ko and into tests/unit.
 */
#include "vmx_caps.h"

static void vmx_fill_features(const struct vmx_raw_caps *raw,
			      struct lhv_caps *caps)
{
	bool secondary = raw->procbased & LHV_VMX_PROC_ACTIVATE_SECONDARY;
	u64 proc2 = secondary ? raw->procbased2 : 0;

	caps->vendor = LHV_VENDOR_INTEL_VMX;
	caps->vmcs_revision = raw->basic & LHV_VMX_BASIC_REVISION_MASK;
	caps->raw_vmx_basic = raw->basic;
	caps->raw_vmx_misc = raw->misc;
	caps->raw_vmx_ept_vpid_cap = raw->ept_vpid_cap;
	caps->preemption_timer_shift = raw->misc & LHV_VMX_MISC_TIMER_SHIFT_MASK;

	if (proc2 & LHV_VMX_PROC2_EPT)
		caps->features |= LHV_CAP_VMX_EPT;
	if ((proc2 & LHV_VMX_PROC2_EPT) && (raw->ept_vpid_cap & LHV_VMX_EPT_2M))
		caps->features |= LHV_CAP_VMX_EPT_2M;
	if (proc2 & LHV_VMX_PROC2_UNRESTRICTED)
		caps->features |= LHV_CAP_VMX_UNRESTRICTED;
	if (proc2 & LHV_VMX_PROC2_VPID)
		caps->features |= LHV_CAP_VMX_VPID;
	if (raw->misc & LHV_VMX_MISC_WAIT_FOR_SIPI)
		caps->features |= LHV_CAP_VMX_WAIT_FOR_SIPI;
	if (raw->pinbased & LHV_VMX_PIN_PREEMPTION_TIMER)
		caps->features |= LHV_CAP_VMX_PREEMPTION_TIMER;
	if (raw->cpuid1_ecx & LHV_CPUID1_ECX_X2APIC)
		caps->features |= LHV_CAP_X2APIC;

	/*
	 * Passthrough parks APs in wait-for-SIPI and takes INIT/SIPI as exits;
	 * without that activity state only the ICR-trapping mode works.
	 */
	caps->lapic_modes = BIT(LHV_LAPIC_FILTERED);
	caps->default_lapic_mode = LHV_LAPIC_FILTERED;
	if (caps->features & LHV_CAP_VMX_WAIT_FOR_SIPI) {
		caps->lapic_modes |= BIT(LHV_LAPIC_PASSTHROUGH);
		caps->default_lapic_mode = LHV_LAPIC_PASSTHROUGH;
	}
}

int vmx_decode_caps(const struct vmx_raw_caps *raw, struct lhv_caps *caps,
		    const char **why)
{
	const u64 fc_needed = LHV_FEATURE_CONTROL_LOCKED |
			      LHV_FEATURE_CONTROL_VMXON_OUTSIDE_SMX;

	memset(caps, 0, sizeof(*caps));

	if (!(raw->cpuid1_ecx & LHV_CPUID1_ECX_VMX)) {
		*why = "CPU does not support VMX";
		return -ENODEV;
	}
	/*
	 * VMXON faults unless IA32_FEATURE_CONTROL is locked with "VMXON
	 * outside SMX" set (SDM 23.7).  Linux locks it at boot when the
	 * firmware did not, so an unlocked or clear MSR here means firmware
	 * disabled VMX.
	 */
	if (!raw->feature_control_valid ||
	    (raw->feature_control & fc_needed) != fc_needed) {
		*why = "VMX disabled by firmware (IA32_FEATURE_CONTROL)";
		return -ENODEV;
	}
	if (!raw->basic_valid) {
		*why = "IA32_VMX_BASIC unreadable";
		return -ENODEV;
	}

	vmx_fill_features(raw, caps);

	/* Guests start in real mode and live in EPT-translated memory. */
	if (!(caps->features & LHV_CAP_VMX_EPT)) {
		*why = "VMX lacks EPT";
		return -ENODEV;
	}
	if ((raw->ept_vpid_cap & (LHV_VMX_EPT_WALK_4 | LHV_VMX_EPT_WB)) !=
	    (LHV_VMX_EPT_WALK_4 | LHV_VMX_EPT_WB)) {
		*why = "EPT lacks 4-level walks or write-back paging structures";
		return -ENODEV;
	}
	if (!(caps->features & LHV_CAP_VMX_UNRESTRICTED)) {
		*why = "VMX lacks unrestricted guest";
		return -ENODEV;
	}
	*why = NULL;
	return 0;
}
