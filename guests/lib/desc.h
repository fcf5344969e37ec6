/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 descriptor-table formats the multi-vCPU guests build themselves:
 * an IDT gate (SDM 3A 6.14.1) and the operand of LGDT/LIDT.
 */
#ifndef _LHV_GUEST_DESC_H
#define _LHV_GUEST_DESC_H

#include <stdint.h>

#define GATE_INTR64		0x8e	/* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
};

/* launcher/longmode.h's 64-bit code selector, which every guest runs in. */
#define GUEST_CODE64_SEL	0x08

/* A 64-bit interrupt gate to @entry. */
static inline struct idt_gate idt_gate64(uintptr_t entry)
{
	return (struct idt_gate){
		.off0 = entry, .sel = GUEST_CODE64_SEL, .type = GATE_INTR64,
		.off1 = entry >> 16, .off2 = (uint64_t)entry >> 32,
	};
}

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#endif /* _LHV_GUEST_DESC_H */
