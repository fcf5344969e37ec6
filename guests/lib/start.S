/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the 64-bit test guests.  liblhv starts them in long mode with
 * RDI = size of guest RAM at GPA 0; the guest switches to its own stack
 * and calls guest_main(ram_size), whose return value is the result.
 */
	.section .text.start, "ax"
	.code64
	.globl _start
_start:
	lea	guest_stack_top(%rip), %rsp
	call	guest_main
	mov	%eax, %edi
	call	guest_exit
	/* guest_exit does not return */
