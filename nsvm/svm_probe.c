// SPDX-License-Identifier: GPL-2.0
/*
 * SVM backend: capability probe.  Reads the registers svm_caps.c decides
 * from; never sets EFER.SVME.
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "../module/lhv.h"
#include "svm_caps.h"
#include "svm_cpu.h"
#include "svm_vcpu.h"

static void svm_read_raw_caps(struct svm_raw_caps *raw)
{
	u32 ecx_unused;

	memset(raw, 0, sizeof(*raw));
	raw->cpuid1_ecx = cpuid_ecx(1);
	raw->max_ext_leaf = cpuid_eax(0x80000000);
	if (raw->max_ext_leaf < 0x8000000a)
		return;
	raw->cpuid_80000001_ecx = cpuid_ecx(0x80000001);
	if (!(raw->cpuid_80000001_ecx & LHV_CPUID_80000001_ECX_SVM))
		return;
	raw->vm_cr_valid = !rdmsrl_safe(LHV_SVM_MSR_VM_CR, &raw->vm_cr);
	cpuid(0x8000000a, &raw->cpuid_8000000a_eax, &raw->cpuid_8000000a_ebx,
	      &ecx_unused, &raw->cpuid_8000000a_edx);
}

static int svm_probe(struct lhv_caps *caps, const char **why)
{
	struct svm_raw_caps raw;

	svm_read_raw_caps(&raw);
	return svm_decode_caps(&raw, caps, why);
}

const struct lhv_backend_ops svm_backend_ops = {
	.name = "svm",
	.probe = svm_probe,
	.cpu_enable = svm_cpu_enable,
	.cpu_disable = svm_cpu_disable,
	.npt_format = &svm_npt_format,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_load = svm_vcpu_load,
	.vcpu_put = svm_vcpu_put,
	.load_state = svm_load_state,
	.load_regs = svm_load_regs,
	.save_state = svm_save_state,
	.get_rip = svm_get_rip,
	.skip_insn = svm_skip_insn,
	.inject_exception = svm_inject_exception,
	.inject_nmi = svm_inject_nmi,
	.nmi_ready = svm_nmi_ready,
	.run = svm_run,
	.print_entry_state = svm_print_entry_state,
};
