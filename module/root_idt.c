// SPDX-License-Identifier: GPL-2.0
/*
 * An IDT of lhv's own, loaded on an owned CPU around the few instructions
 * that need interrupts or NMIs handled by lhv rather than Linux: Linux's
 * handlers must not run on a CPU that is offline (RCU does not watch it).
 * NMI goes to lhv_root_nmi, everything else to a gate that only returns
 * (root_gates.S).  Built once at module load; read-only afterwards.
 */
#include <linux/init.h>
#include <asm/desc.h>
#include <asm/trapnr.h>

#include "root_idt.h"

static gate_desc lhv_root_idt[256] __aligned(PAGE_SIZE);

static void lhv_root_idt_build(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lhv_root_idt); i++)
		pack_gate(&lhv_root_idt[i], GATE_INTERRUPT,
			  (unsigned long)(i == X86_TRAP_NMI ? lhv_root_nmi :
							      lhv_drain_stub),
			  0, 0, __KERNEL_CS);
}

void lhv_root_idt_enter(struct desc_ptr *linux_idt)
{
	struct desc_ptr ours = {
		.size = sizeof(lhv_root_idt) - 1,
		.address = (unsigned long)lhv_root_idt,
	};

	/* Racy build is harmless: every CPU writes the same gates. */
	if (!lhv_root_idt[0].offset_low)
		lhv_root_idt_build();
	store_idt(linux_idt);
	load_idt(&ours);
}

void lhv_root_idt_leave(const struct desc_ptr *linux_idt)
{
	load_idt(linux_idt);
}
