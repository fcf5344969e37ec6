/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMRUN and back.  VMRUN switches only RAX, RSP, RIP and RFLAGS (APM Vol.
 * 2, 15.5.1); the other general-purpose registers are the guest's between
 * VMRUN and #VMEXIT, so this loads them from and stores them to the
 * struct lhv_regs the caller passes.  VMLOAD/VMSAVE move the state VMRUN
 * leaves alone (FS, GS, TR, LDTR and the SYSCALL/SYSENTER MSRs, 15.5.2)
 * between the guest's VMCB and the CPU, and VMLOAD of the host save area
 * puts the kernel's GS base back.  The caller holds GIF clear.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

/* Offsets in struct lhv_regs (include/uapi/linux/lhv.h). */
#define REG_RBX	8
#define REG_RCX	16
#define REG_RDX	24
#define REG_RSI	32
#define REG_RDI	40
#define REG_RBP	56
#define REG_R8	64
#define REG_R9	72
#define REG_R10	80
#define REG_R11	88
#define REG_R12	96
#define REG_R13	104
#define REG_R14	112
#define REG_R15	120

.section .text

/* void svm_vmrun(struct lhv_regs *regs, u64 vmcb_pa, u64 host_save_pa) */
SYM_FUNC_START(svm_vmrun)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	push %rdi		/* 24(%rsp) after the guest's RDI is pushed */
	push %rdx		/* 16(%rsp) */
	push %rsi		/*  8(%rsp) */

	mov %rsi, %rax
	vmload %rax

	mov REG_RBX(%rdi), %rbx
	mov REG_RCX(%rdi), %rcx
	mov REG_RDX(%rdi), %rdx
	mov REG_RSI(%rdi), %rsi
	mov REG_RBP(%rdi), %rbp
	mov REG_R8(%rdi), %r8
	mov REG_R9(%rdi), %r9
	mov REG_R10(%rdi), %r10
	mov REG_R11(%rdi), %r11
	mov REG_R12(%rdi), %r12
	mov REG_R13(%rdi), %r13
	mov REG_R14(%rdi), %r14
	mov REG_R15(%rdi), %r15
	mov REG_RDI(%rdi), %rdi

	/* RAX is the VMCB's address again after #VMEXIT (15.5.2). */
	vmrun %rax
	vmsave %rax

	push %rdi
	mov 24(%rsp), %rdi
	mov %rbx, REG_RBX(%rdi)
	mov %rcx, REG_RCX(%rdi)
	mov %rdx, REG_RDX(%rdi)
	mov %rsi, REG_RSI(%rdi)
	mov %rbp, REG_RBP(%rdi)
	mov %r8, REG_R8(%rdi)
	mov %r9, REG_R9(%rdi)
	mov %r10, REG_R10(%rdi)
	mov %r11, REG_R11(%rdi)
	mov %r12, REG_R12(%rdi)
	mov %r13, REG_R13(%rdi)
	mov %r14, REG_R14(%rdi)
	mov %r15, REG_R15(%rdi)
	popq REG_RDI(%rdi)

	add $8, %rsp		/* VMCB */
	pop %rax		/* host save area */
	vmload %rax
	add $8, %rsp		/* regs */
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(svm_vmrun)
