/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf-exc's compatibility-mode functions (INTO and BOUND exist only
 * outside 64-bit mode) and its SYSCALL entry, which records what the CPU
 * loaded and returns at once with SYSRET.
 */
#include "conform.h"

	.section .text
	.code32
	.globl	c32_into, c32_into_next
c32_into:
	mov	$0x7f, %al
	add	$1, %al			/* OF = 1 */
	into
c32_into_next:
	ret

	.globl	c32_bound, c32_bound_at, c32_bound_next
c32_bound:
	mov	$20, %eax		/* outside [0, 10] */
c32_bound_at:
	bound	%eax, c32_bounds
c32_bound_next:
	ret

	.globl	c32_ud2, c32_ud2_at, c32_ud2_next
c32_ud2:
c32_ud2_at:
	ud2
c32_ud2_next:
	ret

	.code64
/* SYSCALL lands here at CPL 0 with the user's RSP: a user page. */
	.globl	syscall_entry
syscall_entry:
	mov	%rcx, syscall_seen(%rip)
	mov	%r11, syscall_seen + 8(%rip)
	pushf
	pop	syscall_seen + 16(%rip)
	mov	%cs, %eax
	mov	%rax, syscall_seen + 24(%rip)
	mov	%ss, %eax
	mov	%rax, syscall_seen + 32(%rip)
	mov	%rsp, syscall_seen + 40(%rip)
	sysretq

	.section .data
	.balign	8
c32_bounds:
	.long	0, 10
	.globl	syscall_seen
syscall_seen:
	.skip	48

	.section .note.GNU-stack, "", @progbits
