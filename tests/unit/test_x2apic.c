// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the x2APIC register file over an xAPIC (lapic/x2apic.c, SDM 3A table 10-6). */
#include <stdio.h>

#include "../../lapic/x2apic.h"
#include "unit.h"

static const struct x2_case {
	u32 msr;
	bool write;
	enum lapic_x2apic_reg kind;
	u32 offset;
	const char *name;
} cases[] = {
	{ 0x802, false, LAPIC_X2_ID, 0x20, "ID reads" },
	{ 0x802, true, LAPIC_X2_NONE, 0, "ID is read-only" },
	{ 0x803, false, LAPIC_X2_PLAIN, 0x30, "version reads" },
	{ 0x808, true, LAPIC_X2_PLAIN, 0x80, "TPR writes" },
	{ 0x809, false, LAPIC_X2_NONE, 0, "no arbitration priority" },
	{ 0x80a, true, LAPIC_X2_NONE, 0, "PPR is read-only" },
	{ 0x80b, true, LAPIC_X2_EOI, 0xb0, "EOI writes" },
	{ 0x80b, false, LAPIC_X2_NONE, 0, "EOI is write-only" },
	{ 0x80d, false, LAPIC_X2_LDR, 0xd0, "LDR reads (derived)" },
	{ 0x80d, true, LAPIC_X2_NONE, 0, "LDR is read-only" },
	{ 0x80e, false, LAPIC_X2_NONE, 0, "no DFR" },
	{ 0x80f, true, LAPIC_X2_PLAIN, 0xf0, "SVR writes" },
	{ 0x810, false, LAPIC_X2_PLAIN, 0x100, "ISR 0 reads" },
	{ 0x817, false, LAPIC_X2_PLAIN, 0x170, "ISR 7 reads" },
	{ 0x81f, false, LAPIC_X2_PLAIN, 0x1f0, "TMR 7 reads" },
	{ 0x827, false, LAPIC_X2_PLAIN, 0x270, "IRR 7 reads" },
	{ 0x820, true, LAPIC_X2_NONE, 0, "IRR is read-only" },
	{ 0x828, true, LAPIC_X2_PLAIN, 0x280, "ESR writes" },
	{ 0x82f, true, LAPIC_X2_PLAIN, 0x2f0, "LVT CMCI writes" },
	{ 0x830, true, LAPIC_X2_ICR, 0x300, "ICR writes" },
	{ 0x830, false, LAPIC_X2_ICR, 0x300, "ICR reads" },
	{ 0x831, true, LAPIC_X2_NONE, 0, "no ICR high half" },
	{ 0x832, true, LAPIC_X2_PLAIN, 0x320, "LVT timer writes" },
	{ 0x837, false, LAPIC_X2_PLAIN, 0x370, "LVT error reads" },
	{ 0x838, true, LAPIC_X2_PLAIN, 0x380, "initial count writes" },
	{ 0x839, true, LAPIC_X2_NONE, 0, "current count is read-only" },
	{ 0x839, false, LAPIC_X2_PLAIN, 0x390, "current count reads" },
	{ 0x83e, true, LAPIC_X2_PLAIN, 0x3e0, "divide configuration writes" },
	{ 0x83f, true, LAPIC_X2_SELF_IPI, 0x3f0, "SELF IPI writes" },
	{ 0x83f, false, LAPIC_X2_NONE, 0, "SELF IPI is write-only" },
	{ 0x840, false, LAPIC_X2_NONE, 0, "0x840 does not exist" },
	{ 0x8ff, true, LAPIC_X2_NONE, 0, "0x8ff does not exist" },
	{ 0x7ff, false, LAPIC_X2_NONE, 0, "below the range" },
};

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct x2_case *c = &cases[i];
		struct lapic_x2apic_access a = lapic_x2apic_decode(c->msr, c->write);

		CHECK(a.kind == c->kind && (a.kind == LAPIC_X2_NONE || a.offset == c->offset),
		      c->name);
	}
	return unit_done();
}
