// SPDX-License-Identifier: GPL-2.0
/*
 * Guest MSR accesses that exited, on the owned CPU.  An access exits
 * because msr_policy.c traps it, or because the backend's bitmap does not
 * cover the MSR at all.  The latter are passed through by executing them
 * here; a fault becomes the guest's #GP, as it would on bare metal.
 */
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "../lapic/lapic.h"
#include "msr.h"
#include "msr_policy.h"
#include "vm.h"

/* The x2APIC registers (SDM Vol. 3A, 10.12.1.2). */
#define X2APIC_FIRST		0x800
#define X2APIC_LAST		0x8ff

/* EFER bits a guest may write; LMA is the CPU's to set. */
#define LHV_EFER_WRITABLE	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)

/*
 * EFER exits only where the backend must keep bits of its own in the
 * real register (SVM: SVME, which VMRUN requires); the guest reads and
 * writes its view, which the backend's state load/save translate.
 */
static int lhv_efer_write(struct lhv_vcpu *vcpu, u64 val)
{
	u64 old;

	lhv_backend->save_state(vcpu);
	old = vcpu->sregs.efer;
	if (val & ~LHV_EFER_WRITABLE)
		return -EFAULT;
	/* APM Vol. 2, 14.6.1: LME cannot change while paging is on. */
	if (((val ^ old) & EFER_LME) && (vcpu->sregs.cr0 & X86_CR0_PG))
		return -EFAULT;
	vcpu->sregs.efer = (val & ~EFER_LMA) | (old & EFER_LMA);
	lhv_backend->load_state(vcpu);
	return 0;
}

int lhv_msr_read(struct lhv_vcpu *vcpu, u32 msr, u64 *val)
{
	if (msr == MSR_EFER) {
		lhv_backend->save_state(vcpu);
		*val = vcpu->sregs.efer;
		return 0;
	}
	if (msr == MSR_IA32_APICBASE) {
		*val = READ_ONCE(vcpu->apic_base);
		return 0;
	}
	if (lhv_msr_trapped(msr, false, vcpu->vm->lapic_mode, vcpu->vm->x2apic)) {
		if (msr >= X2APIC_FIRST && msr <= X2APIC_LAST)
			return lhv_lapic_x2apic_read(vcpu, msr, val) ? -EFAULT : 0;
		return -EFAULT;		/* the others hide a feature */
	}
	return rdmsrl_safe(msr, val) ? -EFAULT : 0;
}

int lhv_msr_write(struct lhv_vcpu *vcpu, u32 msr, u64 val)
{
	if (msr == MSR_EFER)
		return lhv_efer_write(vcpu, val);
	if (!lhv_msr_trapped(msr, true, vcpu->vm->lapic_mode, vcpu->vm->x2apic))
		return wrmsrl_safe(msr, val) ? -EFAULT : 0;

	switch (msr) {
	case MSR_IA32_APICBASE:
		return lhv_lapic_base_write(vcpu, val) ? -EFAULT : 0;
	case MSR_IA32_TSC:
	case MSR_IA32_TSC_ADJUST:
	case MSR_IA32_UCODE_WRITE:
	case MSR_MTRRcap:
	case MSR_MTRRdefType:
	case MSR_MTRRfix64K_00000:
	case MSR_MTRRfix16K_80000:
	case MSR_MTRRfix16K_A0000:
	case MSR_MTRRfix4K_C0000 ... MSR_MTRRfix4K_F8000:
	case 0x200 ... 0x21f:	/* variable-range MTRRs */
		/*
		 * Machine-wide state: accepted and ignored, so guests that
		 * write what firmware set (Linux does) keep running.
		 */
		return 0;
	case X2APIC_FIRST ... X2APIC_LAST:
		if (!vcpu->vm->x2apic)		/* emulated over the xAPIC */
			return lhv_lapic_x2apic_write(vcpu, msr, val) ? -EFAULT : 0;
		/* The real x2APIC's ICR, filtered mode; absent outside x2APIC mode. */
		if (lhv_lapic_mode(vcpu) != LAPIC_MODE_X2APIC)
			return -EFAULT;
		return lhv_lapic_icr_write(vcpu, val) ? -EFAULT : 0;
	default:
		return -EFAULT;
	}
}
