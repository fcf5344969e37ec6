/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVM capability decoding: pure logic shared by the kernel probe
 * (svm_probe.c) and the host unit tests.  Bit positions are from the AMD
 * APM Vol. 2, 15.4 ("Enabling SVM") and Vol. 3, CPUID Fn8000_000A.
 */
#ifndef _LHV_SVM_CAPS_H
#define _LHV_SVM_CAPS_H

#include <lhv/types.h>
#include <linux/lhv.h>

#define LHV_SVM_MSR_VM_CR			0xc0010114

#define LHV_CPUID_80000001_ECX_SVM		BIT(2)
#define LHV_CPUID1_ECX_X2APIC_BIT		BIT(21)
#define LHV_VM_CR_SVMDIS			BIT_ULL(4)

#define LHV_SVM_FEAT_NPT			BIT(0)
#define LHV_SVM_FEAT_NRIPS			BIT(3)
#define LHV_SVM_FEAT_DECODE_ASSISTS		BIT(7)
#define LHV_SVM_FEAT_VGIF			BIT(16)

/* A *_valid flag is false when the leaf or MSR does not exist. */
struct svm_raw_caps {
	u32 cpuid1_ecx;
	u32 max_ext_leaf;		/* CPUID 0x80000000 EAX */
	u32 cpuid_80000001_ecx;
	bool vm_cr_valid;
	u64 vm_cr;
	u32 cpuid_8000000a_eax;		/* SVM revision */
	u32 cpuid_8000000a_ebx;		/* number of ASIDs */
	u32 cpuid_8000000a_edx;		/* SVM feature flags */
};

/*
 * Fill @caps from @raw.  Returns 0 when lhv can run guests with SVM, or
 * -ENODEV with *@why naming the first thing missing.
 */
int svm_decode_caps(const struct svm_raw_caps *raw, struct lhv_caps *caps,
		    const char **why);

#endif /* _LHV_SVM_CAPS_H */
