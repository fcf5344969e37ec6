// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the capability probes' decisions (nvmx/vmx_caps.c,
 * nsvm/svm_caps.c), including every -ENODEV path: the emulators always
 * offer VMX or SVM, so these paths are only reachable here.
 */
#include <string.h>

#include "../../nvmx/vmx_caps.h"
#include "../../nsvm/svm_caps.h"
#include "unit.h"

/* Bochs corei7_skylake_x as measured (PLATFORMS.md), usable VMX. */
static struct vmx_raw_caps good_vmx(void)
{
	struct vmx_raw_caps r = {
		.cpuid1_ecx = LHV_CPUID1_ECX_VMX | LHV_CPUID1_ECX_X2APIC,
		.feature_control_valid = true,
		.feature_control = LHV_FEATURE_CONTROL_LOCKED |
				   LHV_FEATURE_CONTROL_VMXON_OUTSIDE_SMX,
		.basic_valid = true,
		.basic = LHV_VMX_BASIC_TRUE_CTLS | 0x1,
		.pinbased = LHV_VMX_PIN_PREEMPTION_TIMER,
		.procbased = LHV_VMX_PROC_ACTIVATE_SECONDARY,
		.procbased2 = LHV_VMX_PROC2_EPT | LHV_VMX_PROC2_VPID |
			      LHV_VMX_PROC2_UNRESTRICTED,
		.ept_vpid_cap = LHV_VMX_EPT_WALK_4 | LHV_VMX_EPT_WB | LHV_VMX_EPT_2M,
		.misc = 0x600401e0,
	};
	return r;
}

/* QEMU TCG EPYC,+svm,+npt as measured: no NRIPS, no decode assists. */
static struct svm_raw_caps good_svm(void)
{
	struct svm_raw_caps r = {
		.max_ext_leaf = 0x8000001f,
		.cpuid_80000001_ecx = LHV_CPUID_80000001_ECX_SVM,
		.vm_cr_valid = true,
		.vm_cr = 0,
		.cpuid_8000000a_eax = 1,
		.cpuid_8000000a_ebx = 16,
		.cpuid_8000000a_edx = LHV_SVM_FEAT_NPT | LHV_SVM_FEAT_VGIF,
	};
	return r;
}

static void test_vmx(void)
{
	struct vmx_raw_caps r = good_vmx();
	struct lhv_caps c;
	const char *why = "unset";

	CHECK(vmx_decode_caps(&r, &c, &why) == 0 && why == NULL,
	      "vmx: usable VMX accepted");
	CHECK(c.vendor == LHV_VENDOR_INTEL_VMX && c.vmcs_revision == 1,
	      "vmx: vendor and VMCS revision");
	CHECK((c.features & LHV_CAP_VMX_MASK) == LHV_CAP_VMX_MASK,
	      "vmx: every VMX feature found");
	CHECK(c.features & LHV_CAP_X2APIC, "vmx: x2APIC found");
	CHECK(c.preemption_timer_shift == 0 && c.raw_vmx_misc == 0x600401e0,
	      "vmx: preemption timer rate and raw MISC");
	CHECK(c.lapic_modes == (BIT(LHV_LAPIC_PASSTHROUGH) |
				BIT(LHV_LAPIC_FILTERED)) &&
	      c.default_lapic_mode == LHV_LAPIC_PASSTHROUGH,
	      "vmx: wait-for-SIPI makes passthrough the default LAPIC mode");

	r.misc &= ~LHV_VMX_MISC_WAIT_FOR_SIPI;
	CHECK(vmx_decode_caps(&r, &c, &why) == 0 &&
	      !(c.features & LHV_CAP_VMX_WAIT_FOR_SIPI),
	      "vmx: missing wait-for-SIPI reported, still usable");
	CHECK(c.lapic_modes == BIT(LHV_LAPIC_FILTERED) &&
	      c.default_lapic_mode == LHV_LAPIC_FILTERED,
	      "vmx: without wait-for-SIPI only filtered mode");

	r = good_vmx();
	r.procbased = 0;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV &&
	      !strcmp(why, "VMX lacks EPT"),
	      "vmx: secondary controls absent means no EPT, -ENODEV");

	r = good_vmx();
	r.cpuid1_ecx = 0;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV &&
	      !strcmp(why, "CPU does not support VMX") &&
	      c.vendor == LHV_VENDOR_NONE,
	      "vmx: no VMX in CPUID, -ENODEV");

	r = good_vmx();
	r.feature_control = LHV_FEATURE_CONTROL_LOCKED;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV &&
	      strstr(why, "IA32_FEATURE_CONTROL"),
	      "vmx: locked off by IA32_FEATURE_CONTROL, -ENODEV");

	r = good_vmx();
	r.feature_control = LHV_FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV,
	      "vmx: IA32_FEATURE_CONTROL not locked, -ENODEV");

	r = good_vmx();
	r.feature_control_valid = false;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV,
	      "vmx: IA32_FEATURE_CONTROL unreadable, -ENODEV");

	r = good_vmx();
	r.procbased2 &= ~LHV_VMX_PROC2_UNRESTRICTED;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV &&
	      strstr(why, "unrestricted"),
	      "vmx: no unrestricted guest, -ENODEV");

	r = good_vmx();
	r.ept_vpid_cap &= ~LHV_VMX_EPT_WB;
	CHECK(vmx_decode_caps(&r, &c, &why) == -ENODEV,
	      "vmx: EPT without write-back, -ENODEV");

	r = good_vmx();
	r.ept_vpid_cap &= ~LHV_VMX_EPT_2M;
	r.procbased2 &= ~LHV_VMX_PROC2_VPID;
	r.pinbased = 0;
	CHECK(vmx_decode_caps(&r, &c, &why) == 0 &&
	      !(c.features & (LHV_CAP_VMX_EPT_2M | LHV_CAP_VMX_VPID |
			      LHV_CAP_VMX_PREEMPTION_TIMER)),
	      "vmx: optional features absent, still usable");
}

static void test_svm(void)
{
	struct svm_raw_caps r = good_svm();
	struct lhv_caps c;
	const char *why = "unset";

	CHECK(svm_decode_caps(&r, &c, &why) == 0 && why == NULL,
	      "svm: usable SVM accepted");
	CHECK(c.vendor == LHV_VENDOR_AMD_SVM && c.asid_count == 16 &&
	      c.svm_revision == 1,
	      "svm: vendor, revision and ASID count");
	CHECK(c.features == (LHV_CAP_SVM_NPT | LHV_CAP_SVM_VGIF),
	      "svm: NPT and vGIF found, no next-RIP save or decode assists");
	CHECK(c.lapic_modes == BIT(LHV_LAPIC_FILTERED) &&
	      c.default_lapic_mode == LHV_LAPIC_FILTERED,
	      "svm: filtered is the only LAPIC mode");

	r.cpuid_8000000a_edx |= LHV_SVM_FEAT_NRIPS | LHV_SVM_FEAT_DECODE_ASSISTS;
	r.cpuid1_ecx = LHV_CPUID1_ECX_X2APIC_BIT;
	CHECK(svm_decode_caps(&r, &c, &why) == 0 &&
	      (c.features & LHV_CAP_SVM_MASK) == LHV_CAP_SVM_MASK &&
	      (c.features & LHV_CAP_X2APIC),
	      "svm: every SVM feature and x2APIC found");

	r = good_svm();
	r.vm_cr = LHV_VM_CR_SVMDIS;
	CHECK(svm_decode_caps(&r, &c, &why) == -ENODEV &&
	      !strcmp(why, "SVM disabled by firmware (VM_CR.SVMDIS)") &&
	      c.vendor == LHV_VENDOR_NONE,
	      "svm: VM_CR.SVMDIS, -ENODEV");

	r = good_svm();
	r.cpuid_80000001_ecx = 0;
	CHECK(svm_decode_caps(&r, &c, &why) == -ENODEV &&
	      !strcmp(why, "CPU does not support SVM"),
	      "svm: no SVM in CPUID, -ENODEV");

	r = good_svm();
	r.max_ext_leaf = 0x80000008;
	CHECK(svm_decode_caps(&r, &c, &why) == -ENODEV,
	      "svm: no SVM leaf, -ENODEV");

	r = good_svm();
	r.vm_cr_valid = false;
	CHECK(svm_decode_caps(&r, &c, &why) == -ENODEV,
	      "svm: VM_CR unreadable, -ENODEV");

	r = good_svm();
	r.cpuid_8000000a_edx = 0;
	CHECK(svm_decode_caps(&r, &c, &why) == -ENODEV &&
	      strstr(why, "NPT"),
	      "svm: no NPT, -ENODEV");

	r = good_svm();
	r.cpuid_8000000a_ebx = 1;
	CHECK(svm_decode_caps(&r, &c, &why) == -ENODEV,
	      "svm: only the host ASID, -ENODEV");
}

int main(void)
{
	test_vmx();
	test_svm();
	return unit_done();
}
