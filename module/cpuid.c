// SPDX-License-Identifier: GPL-2.0
/*
 * Guest CPUID.  A partitioned guest runs on a real CPU and mostly sees it
 * as it is: the real APIC IDs (leaves 1, 0xB, 0x1F), caches, topology and
 * features.  lhv changes only what would be a lie otherwise:
 *  - VMX (1:ECX[5]) and SVM (0x80000001:ECX[2]) and SVM's feature leaf
 *    0x8000000A: lhv does not offer nested virtualization;
 *  - the hypervisor bit (1:ECX[31]) and leaf 0x40000000, whose signature
 *    names lhv; whatever hypervisor lhv itself runs under answers
 *    0x40000000-0x400000FF on the host, and none of that is the guest's;
 *  - OSXSAVE (1:ECX[27]) and OSPKE (7.0:ECX[4]) mirror CR4.OSXSAVE and
 *    CR4.PKE (SDM Vol. 2A, CPUID), and those are the guest's CR4, not
 *    the host's.
 */
#include "cpuid.h"

#define CPUID1_ECX_VMX		BIT(5)
#define CPUID1_ECX_OSXSAVE	BIT(27)
#define CPUID1_ECX_HYPERVISOR	BIT(31)
#define CPUID7_ECX_OSPKE	BIT(4)
#define CPUIDX1_ECX_SVM		BIT(2)
#define CR4_OSXSAVE		BIT_ULL(18)
#define CR4_PKE			BIT_ULL(22)

static void lhv_cpuid_mirror(u32 *reg, u32 bit, bool on)
{
	if (on)
		*reg |= bit;
	else
		*reg &= ~bit;
}

void lhv_cpuid_adjust(u32 leaf, u32 subleaf, u64 guest_cr4,
		      struct lhv_cpuid_regs *r)
{
	if (leaf >= LHV_CPUID_HV_BASE && leaf <= LHV_CPUID_HV_BASE + 0xff) {
		memset(r, 0, sizeof(*r));
		if (leaf == LHV_CPUID_HV_BASE) {
			r->eax = LHV_CPUID_HV_MAX;
			memcpy(&r->ebx, LHV_CPUID_SIGNATURE, 4);
			memcpy(&r->ecx, LHV_CPUID_SIGNATURE + 4, 4);
			memcpy(&r->edx, LHV_CPUID_SIGNATURE + 8, 4);
		}
		return;
	}
	switch (leaf) {
	case 1:
		r->ecx &= ~CPUID1_ECX_VMX;
		r->ecx |= CPUID1_ECX_HYPERVISOR;
		lhv_cpuid_mirror(&r->ecx, CPUID1_ECX_OSXSAVE,
				 guest_cr4 & CR4_OSXSAVE);
		break;
	case 7:
		if (subleaf == 0)
			lhv_cpuid_mirror(&r->ecx, CPUID7_ECX_OSPKE,
					 guest_cr4 & CR4_PKE);
		break;
	case 0x80000001:
		r->ecx &= ~CPUIDX1_ECX_SVM;
		break;
	case 0x8000000a:
		memset(r, 0, sizeof(*r));
		break;
	}
}

/* Leaf 7.0: every AVX-512 feature bit (SDM Vol. 2A, CPUID). */
#define CPUID7_EBX_AVX512	(BIT(16) | BIT(17) | BIT(21) | BIT(26) | \
				 BIT(27) | BIT(28) | BIT(30) | BIT(31))
#define CPUID7_ECX_AVX512	(BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
#define CPUID7_EDX_AVX512	(BIT(2) | BIT(3) | BIT(8) | BIT(23))

void lhv_cpuid_hide_avx512(u32 leaf, u32 subleaf, struct lhv_cpuid_regs *r)
{
	if (leaf == 7 && subleaf == 0) {
		r->ebx &= ~CPUID7_EBX_AVX512;
		r->ecx &= ~CPUID7_ECX_AVX512;
		r->edx &= ~CPUID7_EDX_AVX512;
	} else if (leaf == 0xd && subleaf == 0) {
		r->eax &= ~(u32)LHV_XCR0_AVX512;
	} else if (leaf == 0xd && subleaf >= 5 && subleaf <= 7) {
		memset(r, 0, sizeof(*r));
	}
}

#define CPUID1_ECX_FMA		BIT(12)
#define CPUID1_ECX_XSAVE	BIT(26)
#define CPUID1_ECX_AVX		BIT(28)
#define CPUID1_ECX_F16C		BIT(29)
#define CPUID7_EBX_AVX2		BIT(5)
#define CPUID7_ECX_PKU		BIT(3)
#define CPUID7_ECX_VAES		BIT(9)
#define CPUID7_ECX_VPCLMULQDQ	BIT(10)
#define CPUID71_EAX_AVX_VNNI	BIT(4)
#define CPUID71_EAX_AVX512_BF16	BIT(5)
#define CPUIDX1_ECX_XOP		BIT(11)
#define CPUIDX1_ECX_FMA4	BIT(16)

void lhv_cpuid_hide_xsave(u32 leaf, u32 subleaf, struct lhv_cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		r->ecx &= ~(CPUID1_ECX_XSAVE | CPUID1_ECX_OSXSAVE |
			    CPUID1_ECX_AVX | CPUID1_ECX_FMA | CPUID1_ECX_F16C);
		break;
	case 7:
		if (subleaf == 0) {
			lhv_cpuid_hide_avx512(leaf, subleaf, r);
			r->ebx &= ~CPUID7_EBX_AVX2;
			r->ecx &= ~(CPUID7_ECX_PKU | CPUID7_ECX_OSPKE |
				    CPUID7_ECX_VAES | CPUID7_ECX_VPCLMULQDQ);
		} else if (subleaf == 1) {
			r->eax &= ~(CPUID71_EAX_AVX_VNNI |
				    CPUID71_EAX_AVX512_BF16);
		}
		break;
	case 0xd:
		memset(r, 0, sizeof(*r));
		break;
	case 0x80000001:
		r->ecx &= ~(CPUIDX1_ECX_XOP | CPUIDX1_ECX_FMA4);
		break;
	}
}

#define XFEATURE_X87		BIT_ULL(0)
#define XFEATURE_SSE		BIT_ULL(1)
#define XFEATURE_AVX		BIT_ULL(2)
#define XFEATURE_MPX		(BIT_ULL(3) | BIT_ULL(4))
#define XFEATURE_AVX512		(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))
#define XFEATURE_AMX		(BIT_ULL(17) | BIT_ULL(18))

/* Both or neither of the bits in @group. */
static bool lhv_xcr0_all_or_none(u64 xcr0, u64 group)
{
	return (xcr0 & group) == 0 || (xcr0 & group) == group;
}

bool lhv_xcr0_valid(u64 xcr0, u64 supported)
{
	/* SDM Vol. 1, 13.3 "Enabling the XSAVE Feature Set and XSAVE-Enabled Features". */
	if (!(xcr0 & XFEATURE_X87) || (xcr0 & ~supported))
		return false;
	if ((xcr0 & XFEATURE_AVX) && !(xcr0 & XFEATURE_SSE))
		return false;
	if ((xcr0 & XFEATURE_AVX512) && !(xcr0 & XFEATURE_AVX))
		return false;
	return lhv_xcr0_all_or_none(xcr0, XFEATURE_MPX) &&
	       lhv_xcr0_all_or_none(xcr0, XFEATURE_AVX512) &&
	       lhv_xcr0_all_or_none(xcr0, XFEATURE_AMX);
}
