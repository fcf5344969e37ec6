/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GDT the guests' APs load in their SIPI trampolines: the selectors of
 * launcher/longmode.h (64-bit code 0x08, data 0x10, as the BSP starts
 * with, so one IDT serves every CPU) plus 32-bit code at 0x18 for the
 * step from real mode to long mode.
 */
	.section .data
	.balign	16
	.globl	guest_gdt, guest_gdt_end
guest_gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: data */
	.quad	0x00cf9b000000ffff	/* 0x18: 32-bit code */
guest_gdt_end:

	.section .note.GNU-stack, "", @progbits
