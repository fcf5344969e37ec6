/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench guest's assembly: the real-mode SIPI trampoline that takes an
 * AP to 64-bit C (bench_ap_main), and the interrupt and exception entries.
 *
 * The trampoline differs from smp-ap.S where bench needs it to: its first
 * instruction bumps an arrival counter inside the trampoline page, so the
 * BSP can time INIT-SIPI to that moment on its own TSC (vCPUs' TSCs may
 * differ), and each AP takes the stack of its boot_info.cpus[] index, so
 * an AP started again by a second INIT-SIPI reuses its stack instead of
 * using up a pool.  The BSP copies bench_tramp_start..bench_tramp_end to
 * BENCH_SIPI_VECTOR << 12 and fills in bench_tramp_gdtr and
 * bench_tramp_cr3; everything up to the far jump is CS-relative.  The
 * mode switch is the one smp-ap.S documents (SDM 3A 9.8.5): CR3 and
 * CR4.PAE in real mode, protected mode on a flat 32-bit CS, EFER.LME and
 * CR0.PG there, then 64-bit code on guest_gdt (guests/lib/gdt.S).
 */
#include "bench.h"

#define CR0_LONG	0x80010033	/* PG WP NE ET MP PE */
#define CR0_PE		0x1
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define CODE64_SEL	0x08		/* launcher/longmode.h's selectors */
#define DATA_SEL	0x10
#define CODE32_SEL	0x18

#define OFF(sym)	((sym) - bench_tramp_start)

	.section .text, "ax"
	.code16
	.globl bench_tramp_start, bench_tramp_end
	.globl bench_tramp_arrived, bench_tramp_gdtr, bench_tramp_cr3
bench_tramp_start:
	/* First: this write is the arrival the BSP waits for. */
	lock incl %cs:OFF(bench_tramp_arrived)
	/*
	 * Then the exits this vCPU took so far, for bench_ap_main: the
	 * launcher answers the IN, so it is an exit after the arrival.
	 */
	mov	$BENCH_PORT_EXITS, %dx
	inl	(%dx), %eax
	mov	%eax, %ebp
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	OFF(bench_tramp_gdtr)
	movl	OFF(bench_tramp_cr3), %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$CODE32_SEL, $bench_ap_start32

	.balign	8
bench_tramp_gdtr:			/* lgdt operand: limit, 32-bit base */
	.word	0
	.long	0
	.word	0
bench_tramp_cr3:
	.long	0
bench_tramp_arrived:			/* the BSP clears it before each start */
	.long	0
bench_tramp_end:

	.code32
bench_ap_start32:
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
	ljmp	$CODE64_SEL, $bench_ap_entry64

	.code64
/*
 * Find this AP's index in bench_apic_ids[] (the BSP's copy of the
 * boot-info block's APIC IDs) by its CPUID APIC ID, take that index's
 * stack and the shared IDT and call bench_ap_main(index, exits), which
 * does not return.  A CPU the block does not list halts for good.
 */
bench_ap_entry64:
	mov	$DATA_SEL, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$1, %eax
	cpuid
	shr	$24, %ebx			/* initial APIC ID */
	mov	bench_nr_cpus(%rip), %ecx
	lea	bench_apic_ids(%rip), %rsi
	xor	%edi, %edi
1:	cmp	%ecx, %edi
	jae	3f
	cmp	$BENCH_MAX_CPUS, %edi
	jae	3f
	cmp	(%rsi,%rdi,4), %ebx
	je	2f
	inc	%edi
	jmp	1b
2:	lea	bench_ap_stacks(%rip), %rsp
	lea	1(%rdi), %eax
	shl	$BENCH_AP_STACK_SHIFT, %rax
	add	%rax, %rsp			/* top of stack @index, 16-aligned */
	lidt	bench_idtr(%rip)
	mov	%ebp, %esi			/* the trampoline's exit count */
	call	bench_ap_main
3:	cli
	hlt
	jmp	3b

/*
 * Interrupt gates: save RAX and RDX, read the TSC before anything else
 * (the latency handlers want the entry time), save the rest of the
 * caller-saved registers and call handler(tsc).  The CPU aligns RSP to 16
 * before its 5-quadword frame; 9 pushes keep the call 16-aligned.
 */
	.macro	gate name, handler
	.globl	\name
\name:
	push	%rax
	push	%rdx
	lfence
	rdtsc
	push	%rcx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %rdi
	call	\handler
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rcx
	pop	%rdx
	pop	%rax
	iretq
	.endm

	gate	bench_ipi_request_entry, bench_ipi_request
	gate	bench_ipi_reply_entry, bench_ipi_reply
	gate	bench_timer_entry, bench_timer
	gate	bench_tick_entry, bench_tick
	gate	bench_nmi_entry, bench_nmi

/* Spurious interrupts need no EOI (SDM 3A 10.9): just return. */
	.globl	bench_spurious_entry
bench_spurious_entry:
	iretq

/*
 * Exceptions end the run: push the vector and call
 * bench_exception(vector, frame), frame pointing at the error code or,
 * for vectors without one, at the saved RIP.
 */
	.macro	exc n
exc_\n:
	push	$\n
	jmp	exc_common
	.endm

	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc	\n
	.endr

exc_common:
	mov	(%rsp), %edi
	lea	8(%rsp), %rsi
	and	$-16, %rsp
	call	bench_exception
1:	cli
	hlt
	jmp	1b

	.section .rodata
	.balign	8
	.globl	bench_exc_stubs
bench_exc_stubs:			/* 32 entries, vector order */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_\n
	.endr

	.section .bss
	.balign	4096
bench_ap_stacks:			/* index 0..BENCH_MAX_CPUS-1 */
	.skip	BENCH_MAX_CPUS << BENCH_AP_STACK_SHIFT

	.section .note.GNU-stack, "", @progbits
