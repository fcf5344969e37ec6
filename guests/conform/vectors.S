/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One stub per vector, the common path into trap_entry(), and the ways
 * into ring 3 and compatibility mode and back.
 */
#include "conform.h"

/*
 * Stubs of STUB_SIZE bytes in vector order, so desc.c finds vector v's
 * at isr_stubs + v * STUB_SIZE.  Each pushes a dummy error code where
 * the CPU pushes none, then its vector.  A software INT to a vector that
 * has an error code pushes none, so the cases never do that.
 */
	.section .text
	.code64
	.balign	STUB_SIZE
	.globl	isr_stubs
isr_stubs:
	.set	vec, 0
	.rept	256
	.balign	STUB_SIZE
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	jmp	isr_common
	.set	vec, vec + 1
	.endr

isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi		/* struct trap_frame * */
	sub	$8, %rsp		/* the CPU aligned the frame: keep the ABI's */
	call	trap_entry
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

/*
 * uint64_t user_call(uint64_t (*fn)(void), uint64_t rflags): IRETQ to a
 * ring-3 frame that calls @fn on stack_user and then raises
 * VEC_USER_EXIT, whose gate (user_exit) drops the ring-0 frame and
 * returns from here with @fn's RAX.
 */
	.globl	user_call
user_call:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, user_saved_rsp(%rip)
	pushq	$(USER_DS | 3)
	lea	stack_user + EXC_STACK(%rip), %rax
	push	%rax
	push	%rsi
	pushq	$(USER_CS | 3)
	lea	user_trampoline(%rip), %rax
	push	%rax
	iretq

user_trampoline:			/* CPL 3 */
	call	*%rdi
	int	$VEC_USER_EXIT
	ud2				/* not reached */

	.globl	user_exit
user_exit:				/* the DPL-3 gate's handler */
	mov	user_saved_rsp(%rip), %rsp
	mov	%ss, %ecx
	mov	%rcx, user_exit_ss(%rip)
	cmpl	$0, user_exit_keep_ss(%rip)
	jne	1f
	mov	$KERNEL_DS, %ecx
	mov	%ecx, %ss
1:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/*
 * uint32_t compat_call(uint32_t fn): far return to KERNEL_CS32, call
 * @fn there (32-bit code, in the first 4 GiB like all of us), far jump
 * back.  The upper halves of the registers are undefined after a stay
 * in compatibility mode, so every callee-saved one is kept on the stack.
 */
	.globl	compat_call
compat_call:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, compat_saved_rsp(%rip)
	mov	$KERNEL_DS, %eax	/* a NULL SS is no stack in compat mode */
	mov	%eax, %ss
	pushq	$KERNEL_CS32
	lea	compat_entry(%rip), %rax
	push	%rax
	lretq

	.code32
compat_entry:
	call	*%edi
	ljmp	$KERNEL_CS, $compat_back
	.code64
compat_back:
	mov	%eax, %eax
	mov	compat_saved_rsp(%rip), %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.section .bss
	.balign	8
user_saved_rsp:
	.quad	0
compat_saved_rsp:
	.quad	0
	.globl	user_exit_ss, user_exit_keep_ss
user_exit_ss:
	.quad	0
user_exit_keep_ss:
	.long	0

	.section .note.GNU-stack, "", @progbits
