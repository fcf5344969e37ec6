// SPDX-License-Identifier: GPL-2.0
/*
 * The extended state of an owned CPU at its handover.  Linux saves a
 * task's registers when it switches away, but does not clear them: the
 * CPU lhv takes still holds the last task's XMM/YMM values, and a guest
 * would start with them (measured: test_run's pattern, read by the cpuid
 * guest).  Nor does the way back clear the guest's.  A CPU at reset has
 * them in their initial state and XCR0 = 1, which is what a guest expects
 * to find.
 */
#include <linux/types.h>
#include <asm/cpufeature.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>

#include "fpu_reset.h"

/*
 * One area for both instructions.  XRSTOR with XSTATE_BV = 0 puts every
 * requested component in its initial state; it still loads MXCSR from
 * bytes 24-27 when it restores SSE or AVX.  FXRSTOR, without XSAVE, loads
 * the first 512 bytes: FCW 0x37f and MXCSR 0x1f80, everything else 0.
 */
static const struct {
	u8 bytes[576];		/* legacy area and XSAVE header */
} __aligned(64) lhv_fpu_init_area = {
	.bytes = {
		[0] = 0x7f, [1] = 0x03,			/* FCW */
		[24] = 0x80, [25] = 0x1f,		/* MXCSR */
	},
};

void lhv_fpu_reset(void)
{
	u64 mask;

	if (!boot_cpu_has(X86_FEATURE_OSXSAVE)) {
		asm volatile("fxrstor %0" : : "m"(lhv_fpu_init_area));
		return;
	}
	/* Armed XFD would fault the XRSTOR of AMX tile data: its reset is 0. */
	if (boot_cpu_has(X86_FEATURE_XFD))
		wrmsrl(MSR_IA32_XFD, 0);
	mask = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	asm volatile("xrstor %0"
		     : : "m"(lhv_fpu_init_area), "a"((u32)mask),
		       "d"((u32)(mask >> 32)));
	xsetbv(XCR_XFEATURE_ENABLED_MASK, XFEATURE_MASK_FP);
}
