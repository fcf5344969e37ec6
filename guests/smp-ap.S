/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smp guest's AP side: the real-mode SIPI trampoline, the 64-bit AP
 * entry, and the NMI handler's entry.
 *
 * A SIPI with vector V starts an AP in real mode at V000 (CS = V << 8,
 * IP = 0; SDM vol. 3A 8.4.4 / 10.6.1, APM vol. 2 15.29.5).  The BSP copies
 * ap_tramp_start..ap_tramp_end to that page and fills in its parameter
 * block (tramp_*: the address of guest_gdt, guests/lib/gdt.S, and the
 * BSP's CR3).  The trampoline reads the TSC first, loads the GDT, CR3 and
 * CR4.PAE, enters 32-bit protected mode and far-jumps to ap_start32 in the
 * image; everything up to there is addressed relative to CS, so any
 * vector page works.  With a flat CS it sets EFER.LME and CR0.PG and
 * jumps to 64-bit code (SDM 3A 9.8.5, the path Linux's trampoline_64.S
 * takes too; no MSR is touched in real mode).
 */
#define CR0_LONG	0x80010033	/* PG WP NE ET MP PE */
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define CODE64_SEL	0x08		/* launcher/longmode.h */
#define DATA_SEL	0x10
#define CODE32_SEL	0x18
#define CR0_PE		0x1
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
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$CODE32_SEL, $ap_start32

	.balign	8
tramp_gdtr:				/* lgdt operand: limit, 32-bit base */
	.word	0
	.long	0
	.word	0
tramp_cr3:
	.long	0
ap_tramp_end:

	.code32
ap_start32:
	mov	$DATA_SEL, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	/* EFER is 0 after INIT (SDM 3A table 9-1): write LME outright. */
	mov	$MSR_EFER, %ecx
	mov	$EFER_LME, %eax
	xor	%edx, %edx
	wrmsr
	mov	$CR0_LONG, %eax
	mov	%eax, %cr0
	ljmp	$CODE64_SEL, $ap_entry64

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
	test	%eax, %eax
	jz	2f
	/* ap_main() asked to take interrupts (SMP_PLATFORM). */
3:	sti
	hlt
	jmp	3b
2:	cli
	hlt
	jmp	2b

/*
 * Interrupt gates: save the caller-saved registers (5 + 9 quadwords keep
 * RSP 16-aligned), call the C handler, return.
 */
	.macro	gate name, handler
	.globl \name
\name:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	call	\handler
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
	.endm

	gate	nmi_entry, nmi_handler
	gate	msi_entry, msi_handler

	.section .bss
	.balign	4096
ap_stacks:
	.skip	AP_STACK_SIZE * AP_STACKS
	.balign	4
ap_stack_next:
	.long	0

	.section .note.GNU-stack, "", @progbits
