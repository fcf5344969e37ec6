/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX capability decoding: pure logic shared by the kernel probe
 * (vmx_probe.c) and the host unit tests.  Bit positions are from the
 * Intel SDM Vol. 3D, Appendix A ("VMX Capability Reporting Facility").
 */
#ifndef _LHV_VMX_CAPS_H
#define _LHV_VMX_CAPS_H

#include <lhv/types.h>
#include <linux/lhv.h>

#define LHV_VMX_MSR_FEATURE_CONTROL		0x0000003a
#define LHV_VMX_MSR_BASIC			0x00000480
#define LHV_VMX_MSR_PINBASED_CTLS		0x00000481
#define LHV_VMX_MSR_PROCBASED_CTLS		0x00000482
#define LHV_VMX_MSR_MISC			0x00000485
#define LHV_VMX_MSR_PROCBASED_CTLS2		0x0000048b
#define LHV_VMX_MSR_EPT_VPID_CAP		0x0000048c
#define LHV_VMX_MSR_TRUE_PINBASED_CTLS	0x0000048d
#define LHV_VMX_MSR_TRUE_PROCBASED_CTLS	0x0000048e

#define LHV_CPUID1_ECX_VMX			BIT(5)
#define LHV_CPUID1_ECX_X2APIC		BIT(21)

#define LHV_FEATURE_CONTROL_LOCKED		BIT_ULL(0)
#define LHV_FEATURE_CONTROL_VMXON_OUTSIDE_SMX BIT_ULL(2)

#define LHV_VMX_BASIC_REVISION_MASK		0x7fffffffULL
#define LHV_VMX_BASIC_TRUE_CTLS		BIT_ULL(55)

/* Allowed-1 settings live in bits 63:32 of a control MSR. */
#define LHV_VMX_PIN_PREEMPTION_TIMER	BIT_ULL(32 + 6)
#define LHV_VMX_PROC_ACTIVATE_SECONDARY	BIT_ULL(32 + 31)
#define LHV_VMX_PROC2_EPT			BIT_ULL(32 + 1)
#define LHV_VMX_PROC2_VPID			BIT_ULL(32 + 5)
#define LHV_VMX_PROC2_UNRESTRICTED		BIT_ULL(32 + 7)

#define LHV_VMX_EPT_WALK_4			BIT_ULL(6)
#define LHV_VMX_EPT_WB			BIT_ULL(14)
#define LHV_VMX_EPT_2M			BIT_ULL(16)

#define LHV_VMX_MISC_TIMER_SHIFT_MASK	0x1fULL
#define LHV_VMX_MISC_WAIT_FOR_SIPI		BIT_ULL(8)

/*
 * The registers the decision is made from.  The kernel side fills in what
 * the CPU has; a *_valid flag is false when the register does not exist or
 * its read faulted, and the register then counts as all-zero.
 */
struct vmx_raw_caps {
	u32 cpuid1_ecx;
	bool feature_control_valid;
	u64 feature_control;
	bool basic_valid;
	u64 basic;
	u64 pinbased;		/* TRUE_ variant when BASIC[55] says so */
	u64 procbased;		/* TRUE_ variant when BASIC[55] says so */
	u64 procbased2;
	u64 ept_vpid_cap;
	u64 misc;
};

/*
 * Fill @caps from @raw.  Returns 0 when lhv can run guests with VMX, or
 * -ENODEV with *@why naming the first thing missing.
 */
int vmx_decode_caps(const struct vmx_raw_caps *raw, struct lhv_caps *caps,
		    const char **why);

#endif /* _LHV_VMX_CAPS_H */
