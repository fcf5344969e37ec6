/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello-realmode: runs from the reset state, F000:FFF0 with CS.base
 * 0xFFFF0000, like firmware.  The 64 KiB image is the top of the 4 GiB
 * space (GPA 0xFFFF0000); the reset vector jumps to its start.  It prints
 * through COM1 and reports 0 through port 0xf4 without touching memory
 * other than its own code and data, read through CS (DS.base 0 cannot
 * reach it in real mode).
 */
#define COM1		0x3f8
#define COM1_LSR	0x3fd
#define DEBUG_EXIT	0xf4

	.code16
	.section .text, "ax"
	.globl start16
start16:
	cli
	xor	%eax, %eax
	mov	$msg, %si
1:	movb	%cs:(%si), %bl
	test	%bl, %bl
	jz	3f
	mov	$COM1_LSR, %dx
2:	inb	%dx, %al
	test	$0x20, %al		/* THR empty */
	jz	2b
	mov	$COM1, %dx
	mov	%bl, %al
	outb	%al, %dx
	inc	%si
	jmp	1b
3:	mov	$DEBUG_EXIT, %dx
	xor	%eax, %eax
	outl	%eax, %dx
4:	hlt
	jmp	4b

msg:
	.asciz	"Hello from real mode\n"

	/* The reset vector, 16 bytes below 4 GiB. */
	.section .reset, "ax"
	.globl reset16
reset16:
	jmp	start16
	.balign	16, 0xf4
