// SPDX-License-Identifier: GPL-2.0
/*
 * IA32_VMX_MISC as KVM gives it to L1 advertises the wait-for-SIPI
 * activity state (bit 8, SDM Vol. 3D, A.6): a VMM like lhv only uses the
 * state when the bit says it may.
 */
#include "kselftest.h"
#include "nested_ipi.h"
#include "nested_vmx.h"

static const char *const checks[] = {
	"L1's RDMSR of IA32_VMX_MISC has bit 8 (wait-for-SIPI) set",
	"KVM's IA32_VMX_MISC feature MSR (KVM_GET_MSRS on /dev/kvm) has bit 8 set",
	"KVM_GET_MSRS on the vCPU returns the value L1 reads",
};

static uint64_t l1_misc;

static void l1_code(void)
{
	l1_misc = rdmsr(MSR_IA32_VMX_MISC);
	GUEST_DONE();
}

int main(void)
{
	uint64_t feature, vcpu_misc, misc;
	struct kvm_vcpu *target;
	const char *why;

	nipi_begin(checks, ARRAY_SIZE(checks));
	why = nipi_vmx_unavailable();
	if (why)
		nipi_skip_all("%s", why);

	nipi_create(l1_code, &target);
	nipi_start();
	nipi_finish();
	misc = *(uint64_t *)nipi_guest_hva(&l1_misc);
	feature = kvm_get_feature_msr(MSR_IA32_VMX_MISC);
	vcpu_misc = vcpu_get_msr(target, MSR_IA32_VMX_MISC);

	nipi_result(misc & VMX_MISC_ACT_WAIT_SIPI, "IA32_VMX_MISC = %#lx", misc);
	nipi_result(feature & VMX_MISC_ACT_WAIT_SIPI, "feature MSR = %#lx", feature);
	nipi_result(vcpu_misc == misc, "vCPU MSR = %#lx, L1 read %#lx", vcpu_misc, misc);
	return nipi_end();
}
