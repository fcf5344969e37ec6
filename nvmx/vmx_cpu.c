// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: VMX operation on a CPU lhv owns.  VMXON needs CR4.VMXE and
 * a 4 KiB region that starts with the VMCS revision identifier (SDM Vol.
 * 3C, 24.11.5); VMXOFF undoes it.  A CPU in VMX root operation blocks
 * INIT, so a CPU must leave it before Linux brings it back with
 * INIT-SIPI.
 */
#include <linux/kernel.h>
#include <asm/asm.h>
#include <asm/tlbflush.h>

#include "../module/lhv.h"
#include "vmx_cpu.h"

/* 0, -EIO on VMfail (CF or ZF set), -EFAULT if VMXON faulted (#UD, #GP). */
static int vmx_vmxon(phys_addr_t pa)
{
	u8 result = 2;	/* left as is when the exception table skips setna */

	asm volatile("1: vmxon %[pa]\n\t"
		     "setna %[result]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [result] "+qm" (result)
		     : [pa] "m" (pa)
		     : "cc", "memory");
	return result == 0 ? 0 : result == 1 ? -EIO : -EFAULT;
}

/* Faults only outside VMX operation, which leaves nothing to undo. */
static void vmx_vmxoff(void)
{
	asm volatile("1: vmxoff\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : : : "cc", "memory");
}

int vmx_cpu_enable(struct lhv_cpu_hw *hw)
{
	int err;

	/* Only lhv enables VMX on a CPU it owns; anything else is a bug. */
	if (cr4_read_shadow() & X86_CR4_VMXE)
		return -EBUSY;
	*(u32 *)hw->page = lhv_caps.vmcs_revision;
	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	err = vmx_vmxon(hw->page_pa);
	if (err)
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	return err;
}

void vmx_cpu_disable(struct lhv_cpu_hw *hw)
{
	vmx_vmxoff();
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
}
