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
 * a host whose kernel turned it off (clearcpuid=avx512f; Bochs 2.7's
 * AVX-512 XSAVE layout is inconsistent).  A guest gets no CPU feature the
 * host kernel refuses to use.
 */
#define LHV_XCR0_AVX512		0xe0ULL	/* opmask, ZMM_Hi256, Hi16_ZMM */
void lhv_cpuid_hide_avx512(u32 leaf, u32 subleaf, struct lhv_cpuid_regs *r);

/*
 * XSAVE and every feature that needs XCR0 out of @r, for a host whose
 * kernel runs without XSAVE (noxsave, as the Bochs test VM does: Bochs
 * 2.7's compacted XSAVE format misplaces the AVX state).  lhv loads a
 * guest's XCR0 with XSETBV, which needs the host's CR4.OSXSAVE, so such a
 * host cannot give a guest XSAVE at all: leaf 1 loses XSAVE, OSXSAVE,
 * AVX, FMA and F16C, leaf 7 AVX2, AVX-512, VAES, VPCLMULQDQ and PKU
 * (PKRU is XSAVE state), 0x80000001 XOP and FMA4, and leaf 0xD reads 0.
 */
void lhv_cpuid_hide_xsave(u32 leaf, u32 subleaf, struct lhv_cpuid_regs *r);

/* Whether @leaf's answer depends on the guest's CR4 (inline: the fast exit asks). */
static inline bool lhv_cpuid_needs_cr4(u32 leaf)
{
	return leaf == 1 || leaf == 7;
}

/*
 * The answers one vCPU has been given, so that a repeated CPUID does not
 * execute the host's CPUID again: nested in KVM that is itself an exit to
 * L0, and the edits above cost as much again.  One cache per vCPU: leaves
 * 1, 0xB, 0x1F and 0x8000001E name the CPU that answers.  Kept only for
 * answers that stay as they are while the vCPU lives: not those that
 * follow the guest's CR4 (1, 7) or its XCR0 and IA32_XSS (0xD sizes the
 * XSAVE area for the features enabled now).  Direct-mapped: a collision
 * just replaces the older answer.
 */
#define LHV_CPUID_CACHE_SLOTS	32

struct lhv_cpuid_cached {
	u32 leaf, subleaf;
	bool valid;
	struct lhv_cpuid_regs r;
};

struct lhv_cpuid_cache {
	struct lhv_cpuid_cached slot[LHV_CPUID_CACHE_SLOTS];
};

static inline bool lhv_cpuid_cacheable(u32 leaf)
{
	return !lhv_cpuid_needs_cr4(leaf) && leaf != 0xd;
}

/*
 * Leaves 0-0x1F, 0x40000000 and 0x80000000-0x8000001F that guests ask
 * for most (0, 1-7, 0xB, 0x1F, 0x80000000-8, 0x8000001E) each get
 * a slot of their own (tests/unit/test_policy.c).
 */
static inline struct lhv_cpuid_cached *
lhv_cpuid_slot(struct lhv_cpuid_cache *c, u32 leaf, u32 subleaf)
{
	return &c->slot[(leaf ^ (leaf >> 27) ^ (subleaf * 7)) %
			LHV_CPUID_CACHE_SLOTS];
}

/* Whether @c holds @leaf.@subleaf; if so, the answer is in @r. */
static inline bool lhv_cpuid_cache_get(struct lhv_cpuid_cache *c, u32 leaf,
				       u32 subleaf, struct lhv_cpuid_regs *r)
{
	const struct lhv_cpuid_cached *e = lhv_cpuid_slot(c, leaf, subleaf);

	if (!e->valid || e->leaf != leaf || e->subleaf != subleaf)
		return false;
	*r = e->r;
	return true;
}

/*
 * The guest's CPUID (leaf in *@rax, subleaf in *@rcx) answered from @c
 * into the four registers, zero-extended as the instruction does; false
 * if @c does not have it.  For the backends' entry loops, where the
 * call into lhv_cpuid_emulate() would be a third of the cost.
 */
static inline bool lhv_cpuid_cache_answer(struct lhv_cpuid_cache *c,
					  u64 *rax, u64 *rbx, u64 *rcx,
					  u64 *rdx)
{
	struct lhv_cpuid_regs r;

	if (!lhv_cpuid_cache_get(c, *rax, *rcx, &r))
		return false;
	*rax = r.eax;
	*rbx = r.ebx;
	*rcx = r.ecx;
	*rdx = r.edx;
	return true;
}

/* Keep @r as the answer to @leaf.@subleaf, if it may be kept. */
static inline void lhv_cpuid_cache_put(struct lhv_cpuid_cache *c, u32 leaf,
				       u32 subleaf,
				       const struct lhv_cpuid_regs *r)
{
	struct lhv_cpuid_cached *e = lhv_cpuid_slot(c, leaf, subleaf);

	if (!lhv_cpuid_cacheable(leaf))
		return;
	e->leaf = leaf;
	e->subleaf = subleaf;
	e->r = *r;
	e->valid = true;
}

/*
 * Whether XSETBV may load @xcr0 into XCR0 on a CPU whose XCR0 may hold
 * the bits in @supported (CPUID 0xD.0 EDX:EAX); otherwise it raises #GP.
 */
bool lhv_xcr0_valid(u64 xcr0, u64 supported);

#endif /* _LHV_CPUID_H */
