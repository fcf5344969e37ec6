// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: guest register state between struct lhv_regs/lhv_sregs and
 * the current VMCS, and the events lhv makes the next entry deliver.
 * Everything here runs on the owned CPU with the vCPU's VMCS current.
 *
 * CR0 and CR4 as the guest sees them: bits that VMX forces (CR0.NE,
 * CR4.VMXE and whatever IA32_VMX_CRn_FIXED0/1 say) belong to lhv through
 * the guest/host masks.  The real registers hold the forced values, the
 * read shadows the guest's own, so MOV from CR0/CR4 returns the guest's
 * view without an exit, and only a MOV to CR0/CR4 that changes a masked
 * bit exits (25.3, "Changes to Instruction Behavior in VMX Non-Root
 * Operation"); vmx_set_guest_cr0/cr4() then do what the CPU would have.
 *
 * CR2 and CR8 are not in the VMCS: CR2 is the owned CPU's own register,
 * which nothing in the root loop changes, and CR8 is the real TPR, which
 * the guest owns through its passed-through local APIC.
 */
#include <linux/mm.h>
#include <asm/special_insns.h>
#include <asm/processor-flags.h>

#include "../module/gmem.h"
#include "../module/vm.h"
#include "vmcs.h"
#include "vmx_bits.h"
#include "vmx_vcpu.h"

#define VMX_RFLAGS_TF		BIT(8)

static struct lhv_segment *vmx_sreg(struct lhv_sregs *s, enum vmx_seg seg)
{
	switch (seg) {
	case VMX_SEG_ES: return &s->es;
	case VMX_SEG_CS: return &s->cs;
	case VMX_SEG_SS: return &s->ss;
	case VMX_SEG_DS: return &s->ds;
	case VMX_SEG_FS: return &s->fs;
	case VMX_SEG_GS: return &s->gs;
	case VMX_SEG_LDTR: return &s->ldt;
	default: return &s->tr;
	}
}

bool vmx_set_activity(u32 state)
{
	/* The one place the activity state is written. */
	return vmx_vmwrite(VMCS_GUEST_ACTIVITY_STATE, state);
}

/*
 * How long a vCPU parked in wait-for-SIPI stays there before the
 * preemption timer brings it back to the root loop, which then sees stop
 * requests -- under L0 KVM, which takes that exit; the SDM (26.5.1) and
 * Bochs do not, and lhv's kick SIPI is what stops the vCPU there (run.c):
 * 2^20 TSC ticks before the IA32_VMX_MISC[4:0] shift, about
 * 0.3 ms at 3 GHz, 0.1 s of Bochs time at its default 10^7 ips.
 */
#define VMX_WFS_TIMER_TICKS	BIT(20)

void vmx_set_wait_for_sipi(struct lhv_vcpu *vcpu, bool wait)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	u32 pin = vmx->pin;

	if (wait && (lhv_caps.features & LHV_CAP_VMX_PREEMPTION_TIMER)) {
		pin |= VMX_PIN_PREEMPTION_TIMER;
		vmx_vmwrite(VMCS_PREEMPTION_TIMER,
			    VMX_WFS_TIMER_TICKS >> lhv_caps.preemption_timer_shift);
	}
	vmx_vmwrite(VMCS_PIN_CONTROLS, pin);
	/*
	 * Only a change of state is written: a guest that halted and was
	 * kicked out must go back to its HLT, not be woken by lhv.
	 */
	if (wait && !vmx->waiting) {
		/*
		 * An INIT ends an STI or MOV SS shadow and drops an event in
		 * delivery, and VM entry into wait-for-SIPI refuses both
		 * (SDM Vol. 3C, 26.3.1.5): the INIT exit may have left either.
		 */
		vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
		vmx_vmwrite(VMCS_ENTRY_INTR_INFO, 0);
		vmx_set_activity(VMX_ACTIVITY_WAIT_SIPI);
	} else if (!wait && vmx->waiting) {
		vmx_set_activity(VMX_ACTIVITY_ACTIVE);
	}
	vmx->waiting = wait;
}

static bool vmx_long_mode(u64 efer)
{
	return efer & EFER_LMA;
}

static void vmx_set_ia32e(struct vmx_vcpu *vmx, bool lma)
{
	/*
	 * VM entry wants "IA-32e mode guest" equal to EFER.LMA (26.3.1.1);
	 * VM exits store LMA into it (27.2, last paragraph), so only lhv's own
	 * changes of LMA need this.
	 */
	u32 ctl = vmx_vmread(VMCS_ENTRY_CONTROLS);

	ctl = lma ? ctl | VMX_ENTRY_IA32E_GUEST : ctl & ~VMX_ENTRY_IA32E_GUEST;
	vmx_vmwrite(VMCS_ENTRY_CONTROLS, ctl);
}

/*
 * PAE paging outside long mode with EPT: VM entry takes the four PDPTEs
 * from the VMCS (26.3.2.4), so whenever lhv rather than the guest's own
 * MOV to CR0/CR3/CR4 establishes that mode, lhv loads them from guest
 * memory as the CPU would (SDM Vol. 3A, 4.4.1).  -EINVAL: #GP for a
 * guest write.
 */
static int vmx_load_pdptes(struct lhv_vcpu *vcpu, u64 cr0, u64 cr4, u64 efer,
			   u64 cr3)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	struct lhv_guest_mem mem;
	u64 pdpte[4];
	unsigned int i;

	if (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE) || vmx_long_mode(efer))
		return 0;
	lhv_gmem_init(&mem, vcpu);
	if (mem.read(mem.ctx, cr3 & 0xffffffe0, pdpte, sizeof(pdpte)))
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if ((pdpte[i] & 1) && (pdpte[i] & vmx->pdpte_rsvd))
			return -EINVAL;
	for (i = 0; i < 4; i++)
		vmx_vmwrite(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return 0;
}

/*
 * Whether @s changes what the PDPTEs were loaded from.  A VM exit saves
 * the PDPTEs the CPU uses (27.3.4), so a save_state/load_state round trip
 * of unchanged registers keeps them, as the CPU would.
 */
static bool vmx_paging_changed(const struct lhv_sregs *s)
{
	u64 cr0 = vmx_vmread(VMCS_GUEST_CR0), cr4 = vmx_vmread(VMCS_GUEST_CR4);

	return ((cr0 ^ s->cr0) & X86_CR0_PG) || ((cr4 ^ s->cr4) & X86_CR4_PAE) ||
	       vmx_vmread(VMCS_GUEST_CR3) != s->cr3 ||
	       ((vmx_vmread(VMCS_GUEST_EFER) ^ s->efer) & EFER_LMA);
}

void vmx_load_state(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	struct lhv_sregs *s = &vcpu->sregs;
	bool paging_changed = vmx_paging_changed(s);
	unsigned int i;

	for (i = 0; i < VMX_SEG_NR; i++) {
		const struct lhv_segment *seg = vmx_sreg(s, i);

		vmx_vmwrite(VMCS_GUEST_ES_SELECTOR + 2 * i, seg->selector);
		vmx_vmwrite(VMCS_GUEST_ES_BASE + 2 * i, seg->base);
		vmx_vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, seg->limit);
		vmx_vmwrite(VMCS_GUEST_ES_AR + 2 * i, vmx_segment_to_ar(seg));
	}
	vmx_vmwrite(VMCS_GUEST_GDTR_BASE, s->gdt.base);
	vmx_vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdt.limit);
	vmx_vmwrite(VMCS_GUEST_IDTR_BASE, s->idt.base);
	vmx_vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idt.limit);

	vmx_vmwrite(VMCS_GUEST_CR0, vmx_cr_real(s->cr0, vmx->cr0_mask, vmx->cr0_set));
	vmx_vmwrite(VMCS_CR0_READ_SHADOW, s->cr0);
	vmx_vmwrite(VMCS_GUEST_CR3, s->cr3);
	vmx_vmwrite(VMCS_GUEST_CR4, vmx_cr_real(s->cr4, vmx->cr4_mask, vmx->cr4_set));
	vmx_vmwrite(VMCS_CR4_READ_SHADOW, s->cr4);
	vmx_vmwrite(VMCS_GUEST_EFER, s->efer);
	vmx_set_ia32e(vmx, vmx_long_mode(s->efer));
	/*
	 * PDPTEs that cannot be read are left as they were: VM entry then
	 * fails or the guest faults, which is what that state deserves.
	 */
	if (paging_changed)
		vmx_load_pdptes(vcpu, s->cr0, s->cr4, s->efer, s->cr3);
	native_write_cr2(s->cr2);
	asm volatile("mov %0, %%cr8" : : "r" ((unsigned long)s->cr8));

	vmx_load_regs(vcpu);
}

void vmx_load_regs(struct lhv_vcpu *vcpu)
{
	vmx_vmwrite(VMCS_GUEST_RSP, vcpu->regs.rsp);
	vmx_vmwrite(VMCS_GUEST_RIP, vcpu->regs.rip);
	vmx_vmwrite(VMCS_GUEST_RFLAGS, vcpu->regs.rflags);
}

void vmx_save_state(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	struct lhv_sregs *s = &vcpu->sregs;
	unsigned long cr8;
	unsigned int i;

	for (i = 0; i < VMX_SEG_NR; i++) {
		struct lhv_segment *seg = vmx_sreg(s, i);

		seg->selector = vmx_vmread(VMCS_GUEST_ES_SELECTOR + 2 * i);
		seg->base = vmx_vmread(VMCS_GUEST_ES_BASE + 2 * i);
		seg->limit = vmx_vmread(VMCS_GUEST_ES_LIMIT + 2 * i);
		vmx_ar_to_segment(vmx_vmread(VMCS_GUEST_ES_AR + 2 * i), seg);
	}
	s->gdt.base = vmx_vmread(VMCS_GUEST_GDTR_BASE);
	s->gdt.limit = vmx_vmread(VMCS_GUEST_GDTR_LIMIT);
	s->idt.base = vmx_vmread(VMCS_GUEST_IDTR_BASE);
	s->idt.limit = vmx_vmread(VMCS_GUEST_IDTR_LIMIT);

	s->cr0 = vmx_cr_guest_view(vmx_vmread(VMCS_GUEST_CR0),
				   vmx_vmread(VMCS_CR0_READ_SHADOW), vmx->cr0_mask);
	s->cr3 = vmx_vmread(VMCS_GUEST_CR3);
	s->cr4 = vmx_cr_guest_view(vmx_vmread(VMCS_GUEST_CR4),
				   vmx_vmread(VMCS_CR4_READ_SHADOW), vmx->cr4_mask);
	s->efer = vmx_vmread(VMCS_GUEST_EFER);
	s->cr2 = native_read_cr2();
	asm volatile("mov %%cr8, %0" : "=r" (cr8));
	s->cr8 = cr8;

	vcpu->regs.rsp = vmx_vmread(VMCS_GUEST_RSP);
	vcpu->regs.rip = vmx_vmread(VMCS_GUEST_RIP);
	vcpu->regs.rflags = vmx_vmread(VMCS_GUEST_RFLAGS);
}

u64 vmx_get_rip(struct lhv_vcpu *vcpu)
{
	return vmx_vmread(VMCS_GUEST_RIP);
}

void vmx_skip_insn(struct lhv_vcpu *vcpu, unsigned int len)
{
	u32 intr = vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY);
	u64 rip = vmx_vmread(VMCS_GUEST_RIP) + len;

	/* Outside 64-bit mode RIP wraps at 4 GiB, like EIP. */
	if (!(vmx_vmread(VMCS_ENTRY_CONTROLS) & VMX_ENTRY_IA32E_GUEST) ||
	    !(vmx_vmread(VMCS_GUEST_ES_AR + 2 * VMX_SEG_CS) & BIT(13)))
		rip = (u32)rip;
	vmx_vmwrite(VMCS_GUEST_RIP, rip);
	/* The instruction completed: its STI/MOV SS shadow ends with it. */
	if (intr & (VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS))
		vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY,
			    intr & ~(VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS));
	/*
	 * And with RFLAGS.TF set it single-stepped: a pending BS debug
	 * exception gives the guest its #DB after the instruction (24.4.2).
	 */
	if (vmx_vmread(VMCS_GUEST_RFLAGS) & VMX_RFLAGS_TF)
		vmx_vmwrite(VMCS_GUEST_PENDING_DBG,
			    vmx_vmread(VMCS_GUEST_PENDING_DBG) | VMX_PENDING_DBG_BS);
}

void vmx_inject_exception(struct lhv_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error_code)
{
	/* CR0.PE is the guest's own (not masked): the real register has it. */
	bool pe = vmx_vmread(VMCS_GUEST_CR0) & X86_CR0_PE;
	u32 info = vector | VMX_INTR_TYPE_HW_EXC | VMX_INTR_VALID;

	/*
	 * VM entry insists the error-code bit match the vector and mode
	 * (26.2.1.3): no error code in real mode, one for exactly the
	 * vectors that push one.
	 */
	if (has_error && vmx_exception_has_error(vector, pe)) {
		info |= VMX_INTR_ERROR_VALID;
		vmx_vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, error_code);
	}
	vmx_vmwrite(VMCS_ENTRY_INTR_INFO, info);
}

void vmx_inject_nmi(struct lhv_vcpu *vcpu)
{
	vmx_vmwrite(VMCS_ENTRY_INTR_INFO,
		    2 | VMX_INTR_TYPE_NMI | VMX_INTR_VALID);
}

/*
 * VM entry refuses an injected NMI while the guest blocks NMIs (26.3.1.5):
 * then NMI-window exiting (25.2) brings the vCPU back as soon as it
 * unblocks them, and the exit puts the controls back (vmx_exit.c).
 */
bool vmx_nmi_ready(struct lhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = to_vmx(vcpu);
	u32 blocking = VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS |
		       VMX_INTR_BLOCK_NMI;

	if (!(vmx_vmread(VMCS_ENTRY_INTR_INFO) & VMX_INTR_VALID) &&
	    !(vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY) & blocking))
		return true;
	if (vmx->nmi_window)
		vmx_vmwrite(VMCS_PROC_CONTROLS, vmx->proc | VMX_PROC_NMI_WINDOW);
	return false;
}

static void vmx_flush_guest_tlb(struct lhv_vcpu *vcpu)
{
	vmx_flush_tlb(vcpu->hw, vmx_vmread(VMCS_EPT_POINTER));
}

int vmx_set_guest_cr0(struct lhv_vcpu *vcpu, u64 val)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	u64 old = vmx_cr_guest_view(vmx_vmread(VMCS_GUEST_CR0),
				    vmx_vmread(VMCS_CR0_READ_SHADOW), vmx->cr0_mask);
	u64 efer = vmx_vmread(VMCS_GUEST_EFER);
	u64 cr4 = vmx_vmread(VMCS_GUEST_CR4);
	bool paging = val & X86_CR0_PG;

	/* MOV to CR0 raises #GP for these (SDM Vol. 2B, MOV to/from Control Registers). */
	if ((val >> 32) || (paging && !(val & X86_CR0_PE)) ||
	    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
		return -EINVAL;
	if (paging && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		/* Turning paging on with LME activates IA-32e mode (SDM Vol. 3A, 9.8.5). */
		if (!(cr4 & X86_CR4_PAE) ||
		    (vmx_vmread(VMCS_GUEST_ES_AR + 2 * VMX_SEG_CS) & BIT(13)))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if (!paging && (old & X86_CR0_PG) && (efer & EFER_LMA)) {
		/* Leaving it is only allowed from compatibility mode. */
		if (vmx_vmread(VMCS_GUEST_ES_AR + 2 * VMX_SEG_CS) & BIT(13))
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	if (vmx_load_pdptes(vcpu, val, cr4, efer, vmx_vmread(VMCS_GUEST_CR3)))
		return -EINVAL;
	vmx_vmwrite(VMCS_GUEST_EFER, efer);
	vmx_set_ia32e(vmx, vmx_long_mode(efer));
	vmx_vmwrite(VMCS_GUEST_CR0, vmx_cr_real(val, vmx->cr0_mask, vmx->cr0_set));
	vmx_vmwrite(VMCS_CR0_READ_SHADOW, val);
	if ((old ^ val) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		vmx_flush_guest_tlb(vcpu);
	return 0;
}

int vmx_set_guest_cr4(struct lhv_vcpu *vcpu, u64 val)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	u64 efer = vmx_vmread(VMCS_GUEST_EFER);

	/*
	 * Bits VMX forces to 0, and CR4.VMXE, which lhv keeps set and hidden
	 * (CR4_FIXED0 has it): the guest gets #GP as if its CPU had no VMX.
	 */
	if (val & vmx->cr4_mask & ~(vmx->cr4_set & ~X86_CR4_VMXE))
		return -EINVAL;
	if (vmx_long_mode(efer) && !(val & X86_CR4_PAE))
		return -EINVAL;
	if (vmx_load_pdptes(vcpu, vmx_vmread(VMCS_GUEST_CR0), val, efer,
			    vmx_vmread(VMCS_GUEST_CR3)))
		return -EINVAL;
	vmx_vmwrite(VMCS_GUEST_CR4, vmx_cr_real(val, vmx->cr4_mask, vmx->cr4_set));
	vmx_vmwrite(VMCS_CR4_READ_SHADOW, val);
	/* Paging-mode bits may have changed: what the TLB holds is stale. */
	vmx_flush_guest_tlb(vcpu);
	return 0;
}
