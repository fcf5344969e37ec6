/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mb-smp's multiboot header, the BSP's entry, the GDT and one interrupt
 * stub per vector.
 *
 * The loader enters _start in 32-bit protected mode, paging off, with
 * EAX = 0x2BADB002 and EBX = the info's address, but GDTR, IDTR and ESP
 * are undefined (multiboot 0.6.96, 3.2), so we load our own GDT before
 * touching a segment register and take our own stack.
 */
#include "mb-smp.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x3		/* bit 0: page-align modules, bit 1: memory info */

	/* ELF: the loader follows the program headers, no address fields. */
	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .text
	.code32
	.globl	_start
_start:
	cli
	cld
	mov	%eax, %esi		/* loader magic */
	lgdt	gdt_desc
	ljmp	$CODE_SEL, $1f
1:	mov	$DATA_SEL, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%eax, %ss
	/*
	 * Zero-filling .bss (p_memsz beyond p_filesz) is the loader's job;
	 * check it before our stack, which lives there, is used.
	 */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	repe scasl
	setne	%al			/* 1: .bss was dirty */
	mov	$bsp_stack + BSP_STACK_SIZE, %esp
	push	%eax
	push	%ebx			/* info */
	push	%esi			/* magic */
	call	bsp_main
	/* fall through: bsp_main does not return */

	.globl	halt_forever
halt_forever:
	cli
	hlt
	jmp	halt_forever

/*
 * Interrupt stubs, ISR_STUB_SIZE bytes each, so vector v's is at
 * isr_stubs + v * ISR_STUB_SIZE.  Each leaves the same frame (see struct
 * int_frame in mb-smp.c): a dummy 0 where the CPU pushes no error code,
 * then the vector.
 */
	.balign	ISR_STUB_SIZE
	.globl	isr_stubs
isr_stubs:
	.set	vec, 0
	.rept	256
	.balign	ISR_STUB_SIZE
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushl	$0
	.endif
	pushl	$vec
	jmp	isr_common
	.set	vec, vec + 1
	.endr

isr_common:
	pusha
	cld
	push	%esp			/* struct int_frame * */
	call	mb_interrupt
	add	$4, %esp
	popa
	add	$8, %esp		/* vector, error code */
	iret

	.section .rodata
	.balign	8
	.globl	gdt
gdt:					/* accessed bits preset: never written */
	.quad	0
	.quad	0x00cf9b000000ffff	/* CODE_SEL: base 0, 4 GiB, 32-bit */
	.quad	0x00cf93000000ffff	/* DATA_SEL */
gdt_desc:
	.word	GDT_BYTES - 1
	.long	gdt

	.section .bss
	.balign	16
bsp_stack:
	.skip	BSP_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
