// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of what guests see: the CPUID edits and cache,
 * XSETBV's XCR0 checks and the MSR intercept policy.
 */
#include <linux/lhv.h>

#include "../../module/cpuid.h"
#include "../../module/msr_policy.h"
#include "unit.h"

#define CR4_OSXSAVE	(1ULL << 18)
#define CR4_PKE		(1ULL << 22)

static void test_cpuid(void)
{
	struct lhv_cpuid_regs r;

	r = (struct lhv_cpuid_regs){ .ecx = 0xffffffff };
	lhv_cpuid_adjust(1, 0, 0, &r);
	CHECK(!(r.ecx & (1u << 5)), "leaf 1: VMX hidden");
	CHECK(r.ecx & (1u << 31), "leaf 1: hypervisor bit shown");
	CHECK(!(r.ecx & (1u << 27)), "leaf 1: OSXSAVE clear with guest CR4.OSXSAVE clear");
	r = (struct lhv_cpuid_regs){ .ecx = 0 };
	lhv_cpuid_adjust(1, 0, CR4_OSXSAVE, &r);
	CHECK(r.ecx & (1u << 27), "leaf 1: OSXSAVE set with guest CR4.OSXSAVE set");
	CHECK(r.ecx == ((1u << 27) | (1u << 31)), "leaf 1: nothing else added");

	r = (struct lhv_cpuid_regs){ .ecx = 0x10 };
	lhv_cpuid_adjust(7, 0, 0, &r);
	CHECK(r.ecx == 0, "leaf 7.0: OSPKE follows guest CR4.PKE (clear)");
	lhv_cpuid_adjust(7, 0, CR4_PKE, &r);
	CHECK(r.ecx == 0x10, "leaf 7.0: OSPKE follows guest CR4.PKE (set)");
	r = (struct lhv_cpuid_regs){ .ecx = 0x10 };
	lhv_cpuid_adjust(7, 1, 0, &r);
	CHECK(r.ecx == 0x10, "leaf 7.1: untouched");

	r = (struct lhv_cpuid_regs){ .ecx = 0xffffffff, .edx = 0x1234 };
	lhv_cpuid_adjust(0x80000001, 0, 0, &r);
	CHECK(r.ecx == 0xfffffffb && r.edx == 0x1234, "leaf 0x80000001: SVM hidden, rest kept");
	r = (struct lhv_cpuid_regs){ 1, 2, 3, 4 };
	lhv_cpuid_adjust(0x8000000a, 0, 0, &r);
	CHECK(!r.eax && !r.ebx && !r.ecx && !r.edx, "leaf 0x8000000A: SVM features gone");

	r = (struct lhv_cpuid_regs){ 0x40000010, 0x4b4d564b, 1, 2 };
	lhv_cpuid_adjust(0x40000000, 0, 0, &r);
	CHECK(r.eax == 0x40000000, "leaf 0x40000000: max leaf is lhv's");
	CHECK(!memcmp(&r.ebx, "lhvl", 4) && !memcmp(&r.ecx, "hvlh", 4) &&
	      !memcmp(&r.edx, "v\0\0\0", 4), "leaf 0x40000000: signature lhvlhvlhv");
	r = (struct lhv_cpuid_regs){ 1, 2, 3, 4 };
	lhv_cpuid_adjust(0x40000001, 0, 0, &r);
	CHECK(!r.eax && !r.ebx && !r.ecx && !r.edx, "leaf 0x40000001: the host hypervisor's leaves do not leak");
	r = (struct lhv_cpuid_regs){ 1, 2, 3, 4 };
	lhv_cpuid_adjust(0x400000ff, 0, 0, &r);
	CHECK(r.eax == 0, "leaf 0x400000FF: zero");
	r = (struct lhv_cpuid_regs){ 1, 2, 3, 4 };
	lhv_cpuid_adjust(0x40000100, 0, 0, &r);
	CHECK(r.eax == 1 && r.edx == 4, "leaf 0x40000100: outside lhv's range, untouched");
	CHECK(lhv_cpuid_needs_cr4(1) && lhv_cpuid_needs_cr4(7) && !lhv_cpuid_needs_cr4(0),
	      "only leaves 1 and 7 depend on CR4");
}

static void test_xcr0(void)
{
	const u64 all = 0x602e7;	/* x87 SSE AVX opmask ZMM PKRU AMX */

	CHECK(lhv_xcr0_valid(1, all), "XCR0 x87 only");
	CHECK(lhv_xcr0_valid(7, all), "XCR0 x87|SSE|AVX");
	CHECK(!lhv_xcr0_valid(0, all), "XCR0 without x87 is #GP");
	CHECK(!lhv_xcr0_valid(5, all), "XCR0 AVX without SSE is #GP");
	CHECK(!lhv_xcr0_valid(0xf, 0x7), "XCR0 with an unsupported bit is #GP");
	CHECK(lhv_xcr0_valid(0xe7, all), "XCR0 with all of AVX-512");
	CHECK(!lhv_xcr0_valid(0x67, all), "XCR0 with part of AVX-512 is #GP");
	CHECK(!lhv_xcr0_valid(0xe3, all), "XCR0 AVX-512 without AVX is #GP");
	CHECK(!lhv_xcr0_valid(0x8 | 3, 0x1f), "XCR0 BNDREGS without BNDCSR is #GP");
	CHECK(!lhv_xcr0_valid(0x20003, all), "XCR0 TILECFG without TILEDATA is #GP");
	CHECK(lhv_xcr0_valid(0x60003, all), "XCR0 TILECFG with TILEDATA");
}

#define X2	true	/* a host in x2APIC mode */
#define XA	false	/* a host in xAPIC mode */

static void test_msr_policy(void)
{
	u32 pt = LHV_LAPIC_PASSTHROUGH, fl = LHV_LAPIC_FILTERED;
	u32 msr;
	bool x2apic_open = true, x2apic_trapped = true;

	CHECK(lhv_msr_trapped(0x1b, false, pt, X2), "APIC base reads trap: the guest sees its own view");
	CHECK(lhv_msr_trapped(0x1b, true, pt, X2), "APIC base writes trap (passthrough)");
	CHECK(lhv_msr_trapped(0x1b, true, fl, X2), "APIC base writes trap (filtered)");
	for (msr = 0x800; msr <= 0x8ff; msr++)
		x2apic_open &= !lhv_msr_trapped(msr, false, pt, X2) &&
			       !lhv_msr_trapped(msr, true, pt, X2);
	CHECK(x2apic_open, "x2APIC host, passthrough: the whole x2APIC range passes both ways");
	for (msr = 0x800; msr <= 0x8ff; msr++)
		x2apic_trapped &= lhv_msr_trapped(msr, false, pt, XA) &&
				  lhv_msr_trapped(msr, true, fl, XA);
	CHECK(x2apic_trapped, "xAPIC host: the whole x2APIC range traps (emulated), both modes");
	CHECK(lhv_msr_trapped(0x1b, false, fl, XA) && !lhv_msr_trapped(0x10, false, pt, XA),
	      "xAPIC host: the other rows stay");
	CHECK(lhv_msr_trapped(0x830, true, fl, X2), "filtered: x2APIC ICR writes trap");
	CHECK(!lhv_msr_trapped(0x830, false, fl, X2), "filtered: x2APIC ICR reads pass");
	CHECK(!lhv_msr_trapped(0x80b, true, fl, X2), "filtered: x2APIC EOI writes pass");
	CHECK(lhv_msr_trapped(0x480, false, pt, X2) && lhv_msr_trapped(0x493, true, pt, X2),
	      "VMX capability MSRs trap");
	CHECK(lhv_msr_trapped(0xc0010117, false, pt, X2), "SVM host save area traps");
	CHECK(lhv_msr_trapped(0x10, true, pt, X2) && !lhv_msr_trapped(0x10, false, pt, X2),
	      "TSC: writes trap, reads pass");
	CHECK(lhv_msr_trapped(0x2ff, true, pt, X2), "MTRR default type writes trap");
	CHECK(!lhv_msr_trapped(0xc0000100, true, pt, X2), "FS base passes");
	CHECK(!lhv_msr_trapped(0x277, true, pt, X2), "PAT passes (switched by the CPU)");
}

static void test_cpuid_cache(void)
{
	static const u32 leaves[] = { 0, 2, 3, 4, 5, 6, 0xb, 0x1f, 0x40000000,
				      0x80000000, 0x80000001, 0x80000002, 0x80000003,
				      0x80000004, 0x80000005, 0x80000006, 0x80000007,
				      0x80000008, 0x8000001e };
	struct lhv_cpuid_cache c = { 0 };
	struct lhv_cpuid_regs a = { 1, 2, 3, 4 }, r;
	unsigned int i, kept = 0;

	CHECK(!lhv_cpuid_cache_get(&c, 0, 0, &r), "cache: empty at first");
	lhv_cpuid_cache_put(&c, 4, 1, &a);
	CHECK(lhv_cpuid_cache_get(&c, 4, 1, &r) && r.eax == 1 && r.ebx == 2 &&
	      r.ecx == 3 && r.edx == 4, "cache: 4.1 answered as kept");
	CHECK(!lhv_cpuid_cache_get(&c, 4, 0, &r) && !lhv_cpuid_cache_get(&c, 5, 1, &r),
	      "cache: another subleaf or leaf is a miss");
	for (i = 1; i < 8; i++)
		CHECK(!lhv_cpuid_cache_get(&c, 4, 1 + i * LHV_CPUID_CACHE_SLOTS, &r),
		      "cache: a subleaf in the same slot is a miss");

	/* What follows the guest's CR4 or XCR0 is never kept. */
	lhv_cpuid_cache_put(&c, 1, 0, &a);
	lhv_cpuid_cache_put(&c, 7, 0, &a);
	lhv_cpuid_cache_put(&c, 0xd, 0, &a);
	lhv_cpuid_cache_put(&c, 0xd, 1, &a);
	CHECK(!lhv_cpuid_cache_get(&c, 1, 0, &r) && !lhv_cpuid_cache_get(&c, 7, 0, &r) &&
	      !lhv_cpuid_cache_get(&c, 0xd, 0, &r) && !lhv_cpuid_cache_get(&c, 0xd, 1, &r),
	      "cache: leaves 1, 7 and 0xD are not kept");

	/* The leaves a Linux guest asks for over and over live side by side. */
	c = (struct lhv_cpuid_cache){ 0 };
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		a.eax = leaves[i];
		lhv_cpuid_cache_put(&c, leaves[i], 0, &a);
	}
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		kept += lhv_cpuid_cache_get(&c, leaves[i], 0, &r) && r.eax == leaves[i];
	CHECK(kept == sizeof(leaves) / sizeof(leaves[0]),
	      "cache: leaves 0, 2-6, 0xB, 0x1F, 0x40000000, 0x80000000-8, 0x8000001E in distinct slots");
	/* A collision replaces. */
	a.eax = 99;
	lhv_cpuid_cache_put(&c, 0x80000000 ^ LHV_CPUID_CACHE_SLOTS, 0, &a);
	CHECK(lhv_cpuid_cache_get(&c, 0x80000000 ^ LHV_CPUID_CACHE_SLOTS, 0, &r) && r.eax == 99 &&
	      !lhv_cpuid_cache_get(&c, 0x80000000, 0, &r),
	      "cache: a colliding leaf replaces the older answer");
}

int main(void)
{
	test_cpuid();
	test_cpuid_cache();
	test_xcr0();
	test_msr_policy();
	{
		struct lhv_cpuid_regs r = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };

		lhv_cpuid_hide_avx512(7, 0, &r);
		CHECK(r.eax == 0xffffffff && r.ebx == 0x23dcffff &&
		      r.ecx == 0xffffa7bd && r.edx == 0xff7ffef3,
		      "hide AVX-512: leaf 7.0 loses F/DQ/IFMA/PF/ER/CD/BW/VL, VBMI/VBMI2/VNNI/BITALG/VPOPCNTDQ, 4VNNIW/4FMAPS/VP2INTERSECT/FP16, nothing else");
		r = (struct lhv_cpuid_regs){ 0x2ff, 2688, 2688, 0 };
		lhv_cpuid_hide_avx512(0xd, 0, &r);
		CHECK(r.eax == 0x21f && r.ebx == 2688 && r.edx == 0,
		      "hide AVX-512: leaf 0xD.0 drops XCR0 bits 5-7 only");
		r = (struct lhv_cpuid_regs){ 1024, 832, 0, 0 };
		lhv_cpuid_hide_avx512(0xd, 6, &r);
		CHECK(!r.eax && !r.ebx && !r.ecx && !r.edx,
		      "hide AVX-512: leaf 0xD.6 (ZMM_Hi256) is all zero");
		r = (struct lhv_cpuid_regs){ 1, 2, 3, 4 };
		lhv_cpuid_hide_avx512(7, 1, &r);
		CHECK(r.eax == 1 && r.ebx == 2 && r.ecx == 3 && r.edx == 4,
		      "hide AVX-512: other leaves untouched");
		CHECK(!lhv_xcr0_valid(0xe7, 0x2ff & ~LHV_XCR0_AVX512) &&
		      lhv_xcr0_valid(0x7, 0x2ff & ~LHV_XCR0_AVX512),
		      "XSETBV with AVX-512 hidden: #GP for it, fine without");
	}
	{
		const struct lhv_cpuid_regs ones = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };
		struct lhv_cpuid_regs r = ones;

		lhv_cpuid_hide_xsave(1, 0, &r);
		CHECK(r.eax == 0xffffffff && r.ebx == 0xffffffff &&
		      r.ecx == 0xc3ffefff && r.edx == 0xffffffff,
		      "hide XSAVE: leaf 1 loses FMA, XSAVE, OSXSAVE, AVX, F16C, nothing else");
		r = ones;
		lhv_cpuid_hide_xsave(7, 0, &r);
		CHECK(r.eax == 0xffffffff && r.ebx == 0x23dcffdf &&
		      r.ecx == 0xffffa1a5 && r.edx == 0xff7ffef3,
		      "hide XSAVE: leaf 7.0 loses AVX2, AVX-512, PKU/OSPKE, VAES, VPCLMULQDQ");
		r = ones;
		lhv_cpuid_hide_xsave(7, 1, &r);
		CHECK(r.eax == 0xffffffcf && r.ebx == 0xffffffff,
		      "hide XSAVE: leaf 7.1 loses AVX-VNNI and AVX512_BF16");
		r = ones;
		lhv_cpuid_hide_xsave(0xd, 1, &r);
		CHECK(!r.eax && !r.ebx && !r.ecx && !r.edx,
		      "hide XSAVE: leaf 0xD reads 0");
		r = ones;
		lhv_cpuid_hide_xsave(0x80000001, 0, &r);
		CHECK(r.ecx == 0xfffef7ff && r.edx == 0xffffffff,
		      "hide XSAVE: leaf 0x80000001 loses XOP and FMA4");
		r = ones;
		lhv_cpuid_hide_xsave(2, 0, &r);
		CHECK(!memcmp(&r, &ones, sizeof(r)),
		      "hide XSAVE: other leaves untouched");
	}
	return unit_done();
}
