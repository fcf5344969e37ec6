// SPDX-License-Identifier: GPL-2.0
/*
 * Decide from raw CPUID/MSR values whether lhv can use SVM here, and what
 * it found.  Pure logic: built into lhv.ko and into tests/unit.
 */
#include "svm_caps.h"

int svm_decode_caps(const struct svm_raw_caps *raw, struct lhv_caps *caps,
		    const char **why)
{
	u32 feat = raw->cpuid_8000000a_edx;

	memset(caps, 0, sizeof(*caps));

	if (raw->max_ext_leaf < 0x8000000a ||
	    !(raw->cpuid_80000001_ecx & LHV_CPUID_80000001_ECX_SVM)) {
		*why = "CPU does not support SVM";
		return -ENODEV;
	}
	/* EFER.SVME cannot be set while VM_CR.SVMDIS is 1 (APM 15.4). */
	if (!raw->vm_cr_valid) {
		*why = "VM_CR unreadable";
		return -ENODEV;
	}
	if (raw->vm_cr & LHV_VM_CR_SVMDIS) {
		*why = "SVM disabled by firmware (VM_CR.SVMDIS)";
		return -ENODEV;
	}

	caps->vendor = LHV_VENDOR_AMD_SVM;
	caps->svm_revision = raw->cpuid_8000000a_eax & 0xff;
	caps->asid_count = raw->cpuid_8000000a_ebx;
	caps->raw_svm_features = feat;
	if (feat & LHV_SVM_FEAT_NPT)
		caps->features |= LHV_CAP_SVM_NPT;
	if (feat & LHV_SVM_FEAT_NRIPS)
		caps->features |= LHV_CAP_SVM_NRIPS;
	if (feat & LHV_SVM_FEAT_DECODE_ASSISTS)
		caps->features |= LHV_CAP_SVM_DECODE_ASSISTS;
	if (feat & LHV_SVM_FEAT_VGIF)
		caps->features |= LHV_CAP_SVM_VGIF;
	if (raw->cpuid1_ecx & LHV_CPUID1_ECX_X2APIC_BIT)
		caps->features |= LHV_CAP_X2APIC;
	/* SVM has no SIPI exit: INIT/SIPI always come from the trapped ICR. */
	caps->lapic_modes = BIT(LHV_LAPIC_FILTERED);
	caps->default_lapic_mode = LHV_LAPIC_FILTERED;

	/* Guest memory lives behind nested paging; ASID 0 is the host's. */
	if (!(caps->features & LHV_CAP_SVM_NPT)) {
		*why = "SVM lacks nested paging (NPT)";
		return -ENODEV;
	}
	if (caps->asid_count < 2) {
		*why = "SVM offers no guest ASID";
		return -ENODEV;
	}
	*why = NULL;
	return 0;
}
