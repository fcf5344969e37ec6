/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The APs' way in.  A SIPI with vector V starts an AP in real mode at
 * CS = V << 8, IP = 0 (SDM vol. 3A 8.4.4, 10.6.1), so the BSP copies
 * tramp_start..tramp_end to TRAMPOLINE_ADDR, a page below 1 MiB, and
 * everything before the far jump addresses only that copy (relative to
 * CS).  The trampoline loads our GDT by its 32-bit linear address
 * (lgdtl), sets CR0.PE and jumps to ap_entry32 in the image.
 */
#include "mb-smp.h"

#define CR0_PE		0x1

	.section .text
	.code16
	.globl	tramp_start, tramp_end
tramp_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdtr - tramp_start
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$CODE_SEL, $ap_entry32

	.balign	4
tramp_gdtr:
	.word	GDT_BYTES - 1
	.long	gdt
tramp_end:

	.code32
/*
 * Flat segments, then a stack: each AP takes the next slot with a locked
 * xadd, as all of them run this at once.  An AP beyond MB_MAX_APS has no
 * stack and halts; ap_slots_taken still counts it, which the BSP checks.
 */
ap_entry32:
	mov	$DATA_SEL, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%eax, %ss
	mov	$1, %eax
	lock xadd %eax, ap_slots_taken
	cmp	$MB_MAX_APS, %eax
	jae	halt_forever
	lea	1(%eax), %edx
	imul	$AP_STACK_SIZE, %edx
	lea	ap_stacks(%edx), %esp
	push	%eax
	call	ap_main			/* does not return */
	jmp	halt_forever

	.section .bss
	.balign	16
ap_stacks:
	.skip	AP_STACK_SIZE * MB_MAX_APS
	.balign	4
	.globl	ap_slots_taken
ap_slots_taken:
	.long	0

	.section .note.GNU-stack, "", @progbits
