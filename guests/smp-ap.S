/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smp guest's AP side: the real-mode SIPI trampoline, the 64-bit AP
 * entry, and the NMI handler's entry.
 *
 * A SIPI with vector V starts an AP in real mode at V000 (CS = V << 8,
 * IP = 0; SDM vol. 3A 8.4.4 / 10.6.1, APM vol. 2 15.29.5).  The BSP copies
 * ap_tramp_start..ap_tramp_end to that page and fills in its parameter
 * block (tramp_*: the BSP's GDT and CR3).  The trampoline reads the TSC
 * first, then switches straight from real mode to long mode with the BSP's
 * tables (CR4.PAE, EFER.LME, then CR0.PE and PG together, SDM 3A 9.8.5),
 * and far-jumps to ap_entry64 in the image: everything it touches is
 * addressed relative to CS, so any vector page works.
 */
#define CR0_LONG	0x80010033	/* PG WP NE ET MP PE */
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define CODE64_SEL	0x08		/* launcher/longmode.h */
#define DATA_SEL	0x10
#define AP_STACK_SIZE	4096
#define AP_STACKS	16

#define OFF(sym)	((sym) - ap_tramp_start)

	.section .text, "ax"
	.code16
	.globl ap_tramp_start, ap_tramp_end, tramp_gdtr, tramp_cr3
ap_tramp_start:
	rdtsc				/* the AP's first instruction */
	cli
	mov	%eax, %edi		/* TSC low */
	mov	%edx, %esi		/* TSC high */
	xor	%ebx, %ebx
	mov	%cs, %bx
	shr	$8, %ebx		/* the SIPI vector */
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	OFF(tramp_gdtr)
	movl	OFF(tramp_cr3), %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	$CR0_LONG, %eax
	mov	%eax, %cr0
	ljmpl	$CODE64_SEL, $ap_entry64

	.balign	8
tramp_gdtr:				/* lgdt operand: limit, 32-bit base */
	.word	0
	.long	0
	.word	0
tramp_cr3:
	.long	0
ap_tramp_end:

	.code64
/*
 * In long mode on the BSP's GDT and page tables: data segments, a stack of
 * its own (one per start, taken atomically), the BSP's IDT, then
 * ap_main(apic_id, first_tsc, vector) and a cli; hlt loop.  A CPU costs
 * nothing halted, and an NMI still reaches its handler.
 */
ap_entry64:
	mov	$DATA_SEL, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%ebx, %r12d		/* vector */
	mov	%edi, %r13d
	shl	$32, %rsi
	or	%rsi, %r13		/* first TSC */
	mov	$1, %eax
	lock xadd %eax, ap_stack_next(%rip)
	cmp	$AP_STACKS, %eax
	jae	2f
	inc	%eax
	shl	$12, %rax
	lea	ap_stacks(%rip), %rsp
	add	%rax, %rsp
	lidt	guest_idtr(%rip)
	mov	$1, %eax
	cpuid
	shr	$24, %ebx
	mov	%ebx, %edi		/* APIC ID */
	mov	%r13, %rsi
	mov	%r12d, %edx
	call	ap_main
2:	cli
	hlt
	jmp	2b

/* NMI gate: save the caller-saved registers, count, return. */
	.globl nmi_entry
nmi_entry:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11			/* 5 + 9 quadwords: RSP 16-aligned */
	call	nmi_handler
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

	.section .bss
	.balign	4096
ap_stacks:
	.skip	AP_STACK_SIZE * AP_STACKS
	.balign	4
ap_stack_next:
	.long	0

	.section .note.GNU-stack, "", @progbits
