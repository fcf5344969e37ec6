// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: enter the guest and decode the VM exit into struct
 * lhv_vmexit.  One table, indexed by basic exit reason, says what each
 * exit is; the few that need more than a copy of the qualification have
 * a small handler.  An exit the table does not know goes to userspace as
 * UNHANDLED with the raw reason, qualification and interruption info:
 * lhv never resumes a guest it does not understand.
 */
#include <linux/kernel.h>
#include <asm/processor-flags.h>
#include <asm/sync_core.h>

#include <lhv/hypercall.h>

#include "../module/cpuid.h"
#include "../module/run.h"
#include "../module/vm.h"
#include "vmcs.h"
#include "vmx_bits.h"
#include "vmx_vcpu.h"

#define VMX_UD_VECTOR	6
#define VMX_GP_VECTOR	13

typedef void (*vmx_exit_handler)(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit);

struct vmx_exit_rule {
	bool known;
	bool has_len;		/* VM_EXIT_INSTRUCTION_LEN is valid (27.2.4) */
	u8 kind;		/* enum lhv_vmexit_kind, unless @handle decides */
	u8 stat;		/* LHV_STAT_* */
	vmx_exit_handler handle;
};

static void vmx_exit_exception(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	/*
	 * The exception bitmap is 0, so only NMIs exit here (NMI exiting,
	 * 24.6.1); anything else is a surprise for userspace to see.
	 */
	if ((exit->raw_info & (VMX_INTR_VALID | VMX_INTR_TYPE_MASK)) ==
	    (VMX_INTR_VALID | VMX_INTR_TYPE_NMI)) {
		exit->kind = LHV_VMEXIT_NMI;
		exit->stat = LHV_STAT_NMI;
		/*
		 * The NMI left physical NMIs blocked until the next IRET
		 * (SDM 27.5 / 31.7.1.2), and with virtual NMIs VM entry does
		 * not lift that block: every later kick would stay pending
		 * for good (measured on Bochs: the second signal to a
		 * spinning guest never stopped it).  An IRET to the next
		 * instruction lifts it; an NMI that was held meanwhile is
		 * taken in root mode, where Linux ignores it on an offline
		 * CPU, and the vCPU's stop/kick flags say what it was for.
		 */
		iret_to_self();
	} else {
		exit->kind = LHV_VMEXIT_UNHANDLED;
		exit->stat = LHV_STAT_EXCEPTION;
	}
}

/* The guest unblocked NMIs: back to controls without the window. */
static void vmx_exit_nmi_window(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	vmx_vmwrite(VMCS_PROC_CONTROLS, to_vmx(vcpu)->proc);
	exit->kind = LHV_VMEXIT_HANDLED;
}

static void vmx_exit_sipi(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	exit->kind = LHV_VMEXIT_SIPI;
	exit->sipi_vector = exit->raw_qual & 0xff;	/* 27.2.1 */
	/*
	 * The activity state is written when the vCPU starts
	 * (vmx_set_wait_for_sipi()).
	 */
}

static void vmx_exit_io(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	struct vmx_io_qual io;

	if (vmx_decode_io_qual(exit->raw_qual, &io)) {
		exit->kind = LHV_VMEXIT_UNHANDLED;
		return;
	}
	exit->kind = LHV_VMEXIT_IO;
	exit->io.port = io.port;
	exit->io.size = io.size;
	exit->io.in = io.in;
	exit->io.string = io.string;
	exit->io.rep = io.rep;
}

static void vmx_exit_ept_violation(struct lhv_vcpu *vcpu,
				   struct lhv_vmexit *exit)
{
	exit->kind = LHV_VMEXIT_NPF;
	exit->npf.gpa = vmx_vmread(VMCS_GUEST_PHYSICAL_ADDRESS);
	exit->npf.write = exit->raw_qual & VMX_EPT_QUAL_WRITE;
	/*
	 * The access was part of an IRET that had already unblocked virtual
	 * NMIs: re-block them, so that re-executing the IRET leaves the
	 * guest's NMI state as the CPU would have (27.2.3).
	 */
	if (exit->raw_qual & VMX_EPT_QUAL_NMI_UNBLOCK_IRET)
		vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY,
			    vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY) |
			    VMX_INTR_BLOCK_NMI);
}

/*
 * lhv offers guests no VMX (CPUID hides it, CR4.VMXE cannot be set), so
 * a VMX instruction gets the #UD a CPU without VMX raises.
 */
static void vmx_exit_vmx_insn(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	vmx_inject_exception(vcpu, VMX_UD_VECTOR, false, 0);
	exit->kind = LHV_VMEXIT_HANDLED;
}

static u64 *vmx_gpr(struct lhv_vcpu *vcpu, unsigned int gpr)
{
	return (u64 *)((u8 *)&vcpu->regs + vmx_gpr_offset(gpr));
}

/* A MOV to CR0/CR4, LMSW or CLTS that touched a bit lhv owns (25.1.3). */
static void vmx_exit_cr(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	struct vmx_cr_qual q;
	u64 cr0 = vmx_cr_guest_view(vmx_vmread(VMCS_GUEST_CR0),
				    vmx_vmread(VMCS_CR0_READ_SHADOW), vmx->cr0_mask);
	u64 val;
	int err = -EINVAL;

	vmx_decode_cr_qual(exit->raw_qual, &q);
	if (q.type == VMX_CR_MOV_TO) {
		/* RSP is in the VMCS, not in vcpu->regs, while the guest runs. */
		val = q.gpr == 4 ? vmx_vmread(VMCS_GUEST_RSP) : *vmx_gpr(vcpu, q.gpr);
		/* Outside 64-bit mode the operand is 32 bits. */
		if (!(vmx_vmread(VMCS_ENTRY_CONTROLS) & VMX_ENTRY_IA32E_GUEST) ||
		    !(vmx_vmread(VMCS_GUEST_ES_AR + 2 * VMX_SEG_CS) & BIT(13)))
			val = (u32)val;
		if (q.cr == 0)
			err = vmx_set_guest_cr0(vcpu, val);
		else if (q.cr == 4)
			err = vmx_set_guest_cr4(vcpu, val);
		else
			goto unhandled;
	} else if (q.type == VMX_CR_CLTS) {
		err = vmx_set_guest_cr0(vcpu, cr0 & ~X86_CR0_TS);
	} else if (q.type == VMX_CR_LMSW) {
		/* LMSW loads PE, MP, EM, TS and cannot clear PE. */
		err = vmx_set_guest_cr0(vcpu, (cr0 & ~0xeULL) | (q.lmsw_data & 0xf));
	} else {
		goto unhandled;		/* MOV from CR3/CR8: never made to exit */
	}
	if (err)
		vmx_inject_exception(vcpu, VMX_GP_VECTOR, true, 0);
	else
		vmx_skip_insn(vcpu, exit->insn_len);
	exit->kind = LHV_VMEXIT_HANDLED;
	return;

unhandled:
	exit->kind = LHV_VMEXIT_UNHANDLED;
	exit->stat = LHV_STAT_OTHER;
}

#define RULE(reason, k, s, len) \
	[reason] = { .known = true, .has_len = len, .kind = k, .stat = s }
#define HANDLER(reason, fn, s, len) \
	[reason] = { .known = true, .has_len = len, .stat = s, .handle = fn }
#define VMX_INSN(reason) HANDLER(reason, vmx_exit_vmx_insn, LHV_STAT_OTHER, true)

static const struct vmx_exit_rule vmx_exit_rules[VMX_EXIT_NR] = {
	HANDLER(VMX_EXIT_EXCEPTION_NMI, vmx_exit_exception, LHV_STAT_NMI, false),
	RULE(VMX_EXIT_TRIPLE_FAULT, LHV_VMEXIT_SHUTDOWN, LHV_STAT_SHUTDOWN, false),
	RULE(VMX_EXIT_INIT, LHV_VMEXIT_INIT, LHV_STAT_INIT, false),
	HANDLER(VMX_EXIT_SIPI, vmx_exit_sipi, LHV_STAT_SIPI, false),
	HANDLER(VMX_EXIT_NMI_WINDOW, vmx_exit_nmi_window, LHV_STAT_OTHER, false),
	RULE(VMX_EXIT_CPUID, LHV_VMEXIT_CPUID, LHV_STAT_CPUID, true),
	RULE(VMX_EXIT_RDMSR, LHV_VMEXIT_RDMSR, LHV_STAT_MSR_READ, true),
	RULE(VMX_EXIT_WRMSR, LHV_VMEXIT_WRMSR, LHV_STAT_MSR_WRITE, true),
	RULE(VMX_EXIT_XSETBV, LHV_VMEXIT_XSETBV, LHV_STAT_XSETBV, true),
	HANDLER(VMX_EXIT_IO, vmx_exit_io, LHV_STAT_IO, true),
	/* Only armed while parked in wait-for-SIPI: back to the root loop. */
	RULE(VMX_EXIT_PREEMPTION_TIMER, LHV_VMEXIT_HANDLED, LHV_STAT_OTHER, false),
	HANDLER(VMX_EXIT_CR_ACCESS, vmx_exit_cr, LHV_STAT_CR_ACCESS, true),
	/* The instruction length is undefined for EPT violations (27.2.4). */
	HANDLER(VMX_EXIT_EPT_VIOLATION, vmx_exit_ept_violation, LHV_STAT_NPF, false),
	VMX_INSN(VMX_EXIT_VMCLEAR),
	VMX_INSN(VMX_EXIT_VMLAUNCH),
	VMX_INSN(VMX_EXIT_VMPTRLD),
	VMX_INSN(VMX_EXIT_VMPTRST),
	VMX_INSN(VMX_EXIT_VMREAD),
	VMX_INSN(VMX_EXIT_VMRESUME),
	VMX_INSN(VMX_EXIT_VMWRITE),
	VMX_INSN(VMX_EXIT_VMXOFF),
	VMX_INSN(VMX_EXIT_VMXON),
	VMX_INSN(VMX_EXIT_INVEPT),
	VMX_INSN(VMX_EXIT_INVVPID),
	VMX_INSN(VMX_EXIT_VMFUNC),
};

/*
 * An exit during event delivery through the guest's IDT (an EPT
 * violation on the IDT or stack, say) loses that event unless the next
 * entry delivers it again (27.2.4, 31.7.1.1).
 */
static void vmx_reinject_vectoring(void)
{
	u32 info = vmx_vmread(VMCS_IDT_VECTORING_INFO);
	u32 type = info & VMX_INTR_TYPE_MASK;

	if (!(info & VMX_INTR_VALID))
		return;
	if (info & VMX_INTR_ERROR_VALID)
		vmx_vmwrite(VMCS_ENTRY_EXCEPTION_ERROR,
			    vmx_vmread(VMCS_IDT_VECTORING_ERROR));
	if (type == VMX_INTR_TYPE_SOFT_INT || type == VMX_INTR_TYPE_PRIV_SOFT_EXC ||
	    type == VMX_INTR_TYPE_SOFT_EXC)
		vmx_vmwrite(VMCS_ENTRY_INSTRUCTION_LEN,
			    vmx_vmread(VMCS_EXIT_INSTRUCTION_LEN));
	vmx_vmwrite(VMCS_ENTRY_INTR_INFO, info & ~VMX_INTR_NMI_UNBLOCK_IRET);
}

/* For the stuck-vCPU report: activity state and interruptibility. */
static u32 vmx_wait_state(void)
{
	return vmx_vmread(VMCS_GUEST_ACTIVITY_STATE) << 8 |
	       vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY);
}

static void vmx_decode_exit(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	u32 reason = vmx_vmread(VMCS_EXIT_REASON);
	u32 basic = reason & VMX_EXIT_REASON_BASIC;
	const struct vmx_exit_rule *rule;

	exit->raw_reason = reason;
	exit->raw_qual = vmx_vmread(VMCS_EXIT_QUALIFICATION);
	exit->raw_info = vmx_vmread(VMCS_EXIT_INTR_INFO);

	/*
	 * VM entry failed while or after loading guest state (26.7, 26.8):
	 * invalid guest state (33), MSR loading (34), machine check (41).
	 */
	if (reason & VMX_EXIT_REASON_FAILED_ENTRY) {
		exit->kind = LHV_VMEXIT_FAIL_ENTRY;
		exit->stat = LHV_STAT_FAIL_ENTRY;
		exit->raw_reason = basic;
		return;
	}
	to_vmx(vcpu)->launched = true;
	vmx_reinject_vectoring();

	rule = basic < VMX_EXIT_NR ? &vmx_exit_rules[basic] : NULL;
	if (!rule || !rule->known) {
		exit->kind = LHV_VMEXIT_UNHANDLED;
		exit->stat = LHV_STAT_OTHER;
		return;
	}
	exit->kind = rule->kind;
	exit->stat = rule->stat;
	if (rule->has_len)
		exit->insn_len = vmx_vmread(VMCS_EXIT_INSTRUCTION_LEN);
	if (rule->handle)
		rule->handle(vcpu, exit);
}

/*
 * Exits completed here, inside the entry loop, without the core's exit
 * path: the null hypercall (include/lhv/hypercall.h), whose point is the
 * bare cost of an exit and an entry, and CPUID leaves that need nothing
 * but the registers, the commonest exit handled in the kernel (answered
 * from the vCPU's cache where it can: module/cpuid.h).  Returns
 * the exit's LHV_STAT_*, or -1 for any other exit.
 */
static int vmx_fast_exit(struct lhv_vcpu *vcpu)
{
	u32 reason = vmx_vmread(VMCS_EXIT_REASON);
	struct lhv_regs *r = &vcpu->regs;
	u32 eax = r->rax;
	int stat;

	if (reason == VMX_EXIT_VMCALL) {
		r->rax = LHV_HC_RESULT(eax);
		stat = LHV_STAT_OTHER;
	} else if (reason == VMX_EXIT_CPUID) {
		if (!lhv_cpuid_cache_answer(&vcpu->cpuid_cache, &r->rax,
					    &r->rbx, &r->rcx, &r->rdx)) {
			if (lhv_cpuid_needs_cr4(eax))
				return -1;
			lhv_cpuid_emulate(vcpu, 0);
		}
		stat = LHV_STAT_CPUID;
	} else {
		return -1;
	}
	to_vmx(vcpu)->launched = true;
	vmx_skip_insn(vcpu, vmx_vmread(VMCS_EXIT_INSTRUCTION_LEN));
	return stat;
}

void vmx_run(struct lhv_vcpu *vcpu, struct lhv_vmexit *exit)
{
	struct vmx_vcpu *vmx = vcpu->hw;
	int stat;

	/* vmx_enter.S hard-codes where the GPRs are. */
	BUILD_BUG_ON(offsetof(struct lhv_regs, rax) != 0 ||
		     offsetof(struct lhv_regs, rdi) != 40 ||
		     offsetof(struct lhv_regs, rbp) != 56 ||
		     offsetof(struct lhv_regs, r8) != 64 ||
		     offsetof(struct lhv_regs, r15) != 120);

	memset(exit, 0, sizeof(*exit));
	if (lhv_exit_trace)
		exit->state_in = vmx_wait_state();
	for (;;) {
		if (vmx_enter_guest(&vcpu->regs, vmx->launched)) {
			/* VMfailValid: the VMCS is current, so the error number is there (30.4). */
			exit->kind = LHV_VMEXIT_FAIL_ENTRY;
			exit->stat = LHV_STAT_FAIL_ENTRY;
			exit->raw_reason = VMX_EXIT_REASON_VMFAIL;
			exit->raw_qual = vmx_vmread(VMCS_VM_INSTRUCTION_ERROR);
			return;
		}
		stat = vmx_fast_exit(vcpu);
		if (stat < 0)
			break;
		if (lhv_vcpu_wants_root(vcpu)) {
			exit->kind = LHV_VMEXIT_HANDLED;
			exit->stat = stat;
			exit->raw_reason = vmx_vmread(VMCS_EXIT_REASON);
			return;
		}
		/* The core counts the exit it sees; these it never sees. */
		vcpu->stats.exits++;
		vcpu->stats.entries++;
		vcpu->stats.by_reason[stat]++;
	}
	if (lhv_exit_trace)
		exit->state_out = vmx_wait_state();
	vmx_decode_exit(vcpu, exit);
}
