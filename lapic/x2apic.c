// SPDX-License-Identifier: GPL-2.0
/*
 * The x2APIC MSRs over an xAPIC.  MSR 0x800 + n is the xAPIC register at
 * offset n * 16, with these differences (SDM Vol. 3A, 10.12.1.2): the ID
 * is 32 bits and the LDR derived from it, both read-only; there is no
 * DFR, no ICR high half (the ICR is one 64-bit MSR) and no arbitration
 * priority; EOI takes only 0, and SELF IPI (0x83F) is new.  Reading a
 * write-only register or writing a read-only one faults.
 */
#include "x2apic.h"

#define R	1
#define W	2

static const struct {
	u8 index;		/* MSR - 0x800 */
	u8 how;
	u8 kind;
} lapic_x2apic_regs[] = {
	{ 0x02, R, LAPIC_X2_ID },
	{ 0x03, R, LAPIC_X2_PLAIN },		/* version */
	{ 0x08, R | W, LAPIC_X2_PLAIN },	/* TPR */
	{ 0x0a, R, LAPIC_X2_PLAIN },		/* PPR */
	{ 0x0b, W, LAPIC_X2_EOI },
	{ 0x0d, R, LAPIC_X2_LDR },
	{ 0x0f, R | W, LAPIC_X2_PLAIN },	/* SVR */
	{ 0x10, R, LAPIC_X2_PLAIN },		/* ISR, TMR, IRR: 0x10-0x27 */
	{ 0x28, R | W, LAPIC_X2_PLAIN },	/* ESR */
	{ 0x2f, R | W, LAPIC_X2_PLAIN },	/* LVT CMCI */
	{ 0x30, R | W, LAPIC_X2_ICR },
	{ 0x32, R | W, LAPIC_X2_PLAIN },	/* LVTs: 0x32-0x37 */
	{ 0x38, R | W, LAPIC_X2_PLAIN },	/* initial count */
	{ 0x39, R, LAPIC_X2_PLAIN },		/* current count */
	{ 0x3e, R | W, LAPIC_X2_PLAIN },	/* divide configuration */
	{ 0x3f, W, LAPIC_X2_SELF_IPI },
};

/* ISR, TMR and IRR are eight MSRs each, the LVTs six: one row per run. */
static unsigned int lapic_x2apic_row(unsigned int index)
{
	if (index > 0x10 && index <= 0x27)
		return 0x10;
	if (index > 0x32 && index <= 0x37)
		return 0x32;
	return index;
}

struct lapic_x2apic_access lapic_x2apic_decode(u32 msr, bool write)
{
	struct lapic_x2apic_access a = { LAPIC_X2_NONE, 0 };
	unsigned int index, row, i;

	if (msr < LAPIC_X2APIC_MSR_FIRST || msr > LAPIC_X2APIC_MSR_LAST)
		return a;
	index = msr - LAPIC_X2APIC_MSR_FIRST;
	row = lapic_x2apic_row(index);
	for (i = 0; i < ARRAY_SIZE(lapic_x2apic_regs); i++) {
		if (lapic_x2apic_regs[i].index != row)
			continue;
		if (!(lapic_x2apic_regs[i].how & (write ? W : R)))
			return a;
		a.kind = lapic_x2apic_regs[i].kind;
		a.offset = index << 4;
		return a;
	}
	return a;
}
