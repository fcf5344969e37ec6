/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a guest's CPUID returns: the host CPU's answer, edited.  Pure
 * logic, shared with the host unit tests.
 */
#ifndef _LHV_CPUID_H
#define _LHV_CPUID_H

#include <lhv/types.h>

/* The hypervisor leaves; CPUID.1:ECX[31] says they exist. */
#define LHV_CPUID_HV_BASE	0x40000000u
#define LHV_CPUID_HV_MAX	0x40000000u	/* only the signature leaf */
#define LHV_CPUID_SIGNATURE	"lhvlhvlhv\0\0\0"

struct lhv_cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/*
 * Turn the host's CPUID @r for @leaf, @subleaf into the guest's: VMX and SVM hidden,
 * the hypervisor bit and lhv's signature leaf shown, OSXSAVE and OSPKE
 * following the guest's CR4 (@guest_cr4) as they follow the host's on
 * bare metal.
 */
void lhv_cpuid_adjust(u32 leaf, u32 subleaf, u64 guest_cr4,
		      struct lhv_cpuid_regs *r);

/*
 * AVX-512 out of @r (leaf 7.0's feature bits, leaf 0xD.0's XCR0 bits) for
 * a host whose kernel turned it off (clearcpuid=avx512f, as the Bochs test
 * VM must: its AVX-512 XSAVE layout is inconsistent).  A guest gets no
 * CPU feature the host kernel refuses to use.
 */
#define LHV_XCR0_AVX512		0xe0ULL	/* opmask, ZMM_Hi256, Hi16_ZMM */
void lhv_cpuid_hide_avx512(u32 leaf, u32 subleaf, struct lhv_cpuid_regs *r);

/* Whether @leaf's answer depends on the guest's CR4. */
bool lhv_cpuid_needs_cr4(u32 leaf);

/*
 * Whether XSETBV may load @xcr0 into XCR0 on a CPU whose XCR0 may hold
 * the bits in @supported (CPUID 0xD.0 EDX:EAX); otherwise it raises #GP.
 */
bool lhv_xcr0_valid(u64 xcr0, u64 supported);

#endif /* _LHV_CPUID_H */
