// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: capability probe.  Reads the registers vmx_caps.c decides
 * from; never sets CR4.VMXE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "../module/lhv.h"
#include "vmx_caps.h"
#include "vmx_cpu.h"
#include "vmx_vcpu.h"

/* Returns 0 (register absent or faulted) so decoding sees "no feature". */
static u64 vmx_read_msr(u32 msr, bool *valid)
{
	u64 val;
	bool ok = !rdmsrl_safe(msr, &val);

	if (valid)
		*valid = ok;
	return ok ? val : 0;
}

static void vmx_read_raw_caps(struct vmx_raw_caps *raw)
{
	bool true_ctls;

	memset(raw, 0, sizeof(*raw));
	raw->cpuid1_ecx = cpuid_ecx(1);
	if (!(raw->cpuid1_ecx & LHV_CPUID1_ECX_VMX))
		return;

	raw->feature_control = vmx_read_msr(LHV_VMX_MSR_FEATURE_CONTROL,
					    &raw->feature_control_valid);
	raw->basic = vmx_read_msr(LHV_VMX_MSR_BASIC, &raw->basic_valid);
	if (!raw->basic_valid)
		return;

	true_ctls = raw->basic & LHV_VMX_BASIC_TRUE_CTLS;
	raw->pinbased = vmx_read_msr(true_ctls ? LHV_VMX_MSR_TRUE_PINBASED_CTLS :
				     LHV_VMX_MSR_PINBASED_CTLS, NULL);
	raw->procbased = vmx_read_msr(true_ctls ? LHV_VMX_MSR_TRUE_PROCBASED_CTLS :
				      LHV_VMX_MSR_PROCBASED_CTLS, NULL);
	raw->misc = vmx_read_msr(LHV_VMX_MSR_MISC, NULL);
	/* These two exist only when the control that reports them may be 1. */
	if (raw->procbased & LHV_VMX_PROC_ACTIVATE_SECONDARY)
		raw->procbased2 = vmx_read_msr(LHV_VMX_MSR_PROCBASED_CTLS2, NULL);
	if (raw->procbased2 & (LHV_VMX_PROC2_EPT | LHV_VMX_PROC2_VPID))
		raw->ept_vpid_cap = vmx_read_msr(LHV_VMX_MSR_EPT_VPID_CAP, NULL);
}

static int vmx_probe(struct lhv_caps *caps, const char **why)
{
	struct vmx_raw_caps raw;

	vmx_read_raw_caps(&raw);
	return vmx_decode_caps(&raw, caps, why);
}

const struct lhv_backend_ops vmx_backend_ops = {
	.name = "vmx",
	.probe = vmx_probe,
	.cpu_enable = vmx_cpu_enable,
	.cpu_disable = vmx_cpu_disable,
	.npt_format = &vmx_npt_format,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_load = vmx_vcpu_load,
	.vcpu_put = vmx_vcpu_put,
	.load_state = vmx_load_state,
	.load_regs = vmx_load_regs,
	.save_state = vmx_save_state,
	.get_rip = vmx_get_rip,
	.skip_insn = vmx_skip_insn,
	.inject_exception = vmx_inject_exception,
	.inject_nmi = vmx_inject_nmi,
	.nmi_ready = vmx_nmi_ready,
	.set_wait_for_sipi = vmx_set_wait_for_sipi,
	.run = vmx_run,
};
