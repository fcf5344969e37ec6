/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX backend: the world switch.
 *
 * VM entry loads the guest's RSP, RIP and RFLAGS from the VMCS, but no
 * other general-purpose register, and a VM exit restores only the host's
 * RSP and RIP (SDM Vol. 3C, 26.3.2.3 and 27.5.3).  So this function saves
 * the host's callee-saved registers on its stack, points HOST_RSP at that
 * stack, loads the guest's GPRs from struct lhv_regs and enters; a VM
 * exit lands at vmx_vmexit (HOST_RIP) with the same stack and stores the
 * guest's GPRs back.  A VMLAUNCH/VMRESUME that fails (VMfail, 30.2)
 * falls through with the guest's registers loaded and takes the same way
 * out, returning 1.
 *
 * objtool: the code after VMLAUNCH/VMRESUME is reached by the VM exit,
 * not by a branch, so the unwind state is saved before the entry and
 * restored at vmx_vmexit.  RET is the kernel's macro (return thunk).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* struct lhv_regs; vmx_exit.c checks these offsets at build time. */
#define REGS_RAX	0
#define REGS_RBX	8
#define REGS_RCX	16
#define REGS_RDX	24
#define REGS_RSI	32
#define REGS_RDI	40
#define REGS_RBP	56
#define REGS_R8		64
#define REGS_R9		72
#define REGS_R10	80
#define REGS_R11	88
#define REGS_R12	96
#define REGS_R13	104
#define REGS_R14	112
#define REGS_R15	120

#define VMCS_HOST_RSP	0x6c14

.text

/*
 * int vmx_enter_guest(struct lhv_regs *regs, bool launched)
 * Returns 0 after a VM exit, 1 if the entry instruction failed.
 */
SYM_FUNC_START(vmx_enter_guest)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* @regs, for the exit path: HOST_RSP points here. */
	push %rdi

	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lvmfail

	/* Flags from this test select VMRESUME; the MOVs below keep them. */
	test %sil, %sil

	mov REGS_RAX(%rdi), %rax
	mov REGS_RBX(%rdi), %rbx
	mov REGS_RCX(%rdi), %rcx
	mov REGS_RDX(%rdi), %rdx
	mov REGS_RSI(%rdi), %rsi
	mov REGS_RBP(%rdi), %rbp
	mov REGS_R8(%rdi), %r8
	mov REGS_R9(%rdi), %r9
	mov REGS_R10(%rdi), %r10
	mov REGS_R11(%rdi), %r11
	mov REGS_R12(%rdi), %r12
	mov REGS_R13(%rdi), %r13
	mov REGS_R14(%rdi), %r14
	mov REGS_R15(%rdi), %r15
	mov REGS_RDI(%rdi), %rdi

	UNWIND_HINT_SAVE
	jz .Lvmlaunch
	vmresume
	jmp .Lvmfail
.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail

SYM_INNER_LABEL(vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR

	/* Free a register for @regs, then store every guest GPR but RSP. */
	push %rdi
	mov 8(%rsp), %rdi
	mov %rax, REGS_RAX(%rdi)
	pop REGS_RDI(%rdi)
	mov %rbx, REGS_RBX(%rdi)
	mov %rcx, REGS_RCX(%rdi)
	mov %rdx, REGS_RDX(%rdi)
	mov %rsi, REGS_RSI(%rdi)
	mov %rbp, REGS_RBP(%rdi)
	mov %r8, REGS_R8(%rdi)
	mov %r9, REGS_R9(%rdi)
	mov %r10, REGS_R10(%rdi)
	mov %r11, REGS_R11(%rdi)
	mov %r12, REGS_R12(%rdi)
	mov %r13, REGS_R13(%rdi)
	mov %r14, REGS_R14(%rdi)
	mov %r15, REGS_R15(%rdi)
	xor %ebx, %ebx

.Lout:
	/* Drop @regs. */
	pop %rax

	/* No guest value may linger in a register the host reads speculatively. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

	/*
	 * The guest may have filled the return stack buffer with its own
	 * targets; refill it before the first unbalanced RET, as the
	 * kernel's mitigations ask after a VM exit.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE

	mov %ebx, %eax
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	mov $1, %ebx
	jmp .Lout
SYM_FUNC_END(vmx_enter_guest)
