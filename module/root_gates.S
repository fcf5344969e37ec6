/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gates of lhv's root IDT (root_idt.c), used on an owned CPU only for
 * moments when Linux's handlers must not run there: draining the local
 * APIC (lapic_reset.c) and waiting in HLT (pcpu.c).
 */
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/unwind_hints.h>

.section .text

/*
 * Every vector but NMI: only return.  Taking the interrupt is the point
 * when draining: it moves the vector from IRR to ISR, where an EOI clears
 * it.  Interrupts never push an error code, so IRET finds its frame.
 */
SYM_CODE_START(lhv_drain_stub)
	UNWIND_HINT_IRET_REGS
	ENDBR
	iretq
SYM_CODE_END(lhv_drain_stub)

/*
 * void lhv_root_hlt(const int *doorbell, int seen): HLT unless the
 * doorbell moved.  An NMI (the ring of a CPU waiting this way) that lands
 * anywhere from the compare to the HLT would otherwise be taken before
 * the HLT and leave the CPU asleep: lhv_root_nmi moves such an NMI's
 * return address past the HLT.
 */
SYM_FUNC_START(lhv_root_hlt)
	cmpl	%esi, (%rdi)
	jne	1f
	hlt
1:
SYM_INNER_LABEL(lhv_root_hlt_end, SYM_L_GLOBAL)
	RET
SYM_FUNC_END(lhv_root_hlt)

SYM_CODE_START(lhv_root_nmi)
	UNWIND_HINT_IRET_REGS
	ENDBR
	pushq	%rax
	pushq	%rcx
	movq	16(%rsp), %rax			/* the interrupted RIP */
	leaq	lhv_root_hlt(%rip), %rcx
	cmpq	%rcx, %rax
	jb	2f
	leaq	lhv_root_hlt_end(%rip), %rcx
	cmpq	%rcx, %rax
	jae	2f
	movq	%rcx, 16(%rsp)			/* resume after the HLT */
2:
	popq	%rcx
	popq	%rax
	iretq
SYM_CODE_END(lhv_root_nmi)
