/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot header and the way from the loader's 32-bit protected mode
 * into long mode.  GDTR, IDTR and ESP are undefined at entry (multiboot
 * 0.6.96, 3.2), so the GDT comes first.  The page tables identity-map
 * the first 4 GiB with 2 MiB pages, user-accessible, so ring-3 cases can
 * run the image's own code; the top GiB (LAPIC, MMIO hole) is uncached.
 */
#include "conform.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x3		/* page-aligned modules, memory info */

#define PTE_P		0x1
#define PTE_W		0x2
#define PTE_U		0x4
#define PTE_PWT		0x8
#define PTE_PCD		0x10
#define PTE_PS		0x80
#define PD_UC_FIRST	1536		/* the 2 MiB page at 3 GiB */

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl	_start
_start:
	cli
	cld
	mov	%eax, %edi		/* loader magic */
	mov	%ebx, %esi		/* info */
	lgdt	gdt_desc32
	ljmp	$KERNEL_CS32, $1f
1:	mov	$KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$boot_stack + BOOT_STACK, %esp

	/* 2048 2 MiB pages in four page directories, one after the other. */
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_W | PTE_U | PTE_PS), %eax
	cmp	$PD_UC_FIRST, %ecx
	jb	3f
	or	$(PTE_PCD | PTE_PWT), %eax
3:	mov	%eax, pd(, %ecx, 8)
	mov	%ecx, %eax
	shr	$11, %eax		/* bits 32+ of the address */
	mov	%eax, pd + 4(, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jb	2b
	xor	%ecx, %ecx
4:	mov	%ecx, %eax
	shl	$12, %eax
	add	$pd + (PTE_P | PTE_W | PTE_U), %eax
	mov	%eax, pdpt(, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jb	4b
	mov	$pdpt + (PTE_P | PTE_W | PTE_U), %eax
	mov	%eax, pml4

	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$(EFER_LME | EFER_SCE | EFER_NXE), %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0
	ljmp	$KERNEL_CS, $start64

	.code64
start64:
	mov	$KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	lgdt	gdt_desc64(%rip)
	lea	boot_stack + BOOT_STACK(%rip), %rsp
	/* Upper halves are undefined after the mode switch. */
	mov	%edi, %edi
	mov	%esi, %esi
	call	conform_start
5:	cli
	hlt
	jmp	5b

	.section .rodata
	.balign	8
gdt_desc32:
	.word	GDT_ENTRIES * 8 - 1
	.long	gdt
	.balign	8
gdt_desc64:
	.word	GDT_ENTRIES * 8 - 1
	.quad	gdt

	.section .bss
	.balign	4096
	.globl	pml4, pdpt, pd
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
	.balign	16
	.globl	boot_stack
boot_stack:
	.skip	BOOT_STACK

	.section .note.GNU-stack, "", @progbits
