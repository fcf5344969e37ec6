// SPDX-License-Identifier: GPL-2.0
/*
 * SVM backend: SVM operation on a CPU lhv owns.  EFER.SVME enables the
 * SVM instructions, and VMRUN saves host state in the page VM_HSAVE_PA
 * names (APM Vol. 2, 15.4 and 15.30.4).  Both are undone before the CPU
 * goes back to Linux.
 */
#include <linux/kernel.h>
#include <asm/msr.h>

#include "../module/lhv.h"
#include "svm_cpu.h"

int svm_cpu_enable(struct lhv_cpu_hw *hw)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	/* Only lhv enables SVM on a CPU it owns; anything else is a bug. */
	if (efer & EFER_SVME)
		return -EBUSY;
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, hw->page_pa);
	return 0;
}

void svm_cpu_disable(struct lhv_cpu_hw *hw)
{
	u64 efer;

	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}
