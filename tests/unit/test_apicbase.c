// SPDX-License-Identifier: GPL-2.0
/* Unit tests of IA32_APIC_BASE writes against SDM Vol. 3A 10.12.5 (lapic/apicbase.c). */
#include <stdio.h>

#include "../../lapic/apicbase.h"
#include "unit.h"

#define BASE		0xfee00000ULL
#define DISABLED	(BASE)
#define XAPIC		(BASE | LAPIC_BASE_EN)
#define X2APIC		(BASE | LAPIC_BASE_EN | LAPIC_BASE_EXTD)
#define INVALID		(BASE | LAPIC_BASE_EXTD)

static const struct lapic_base_caps full = { .phys_bits = 39, .x2apic = true, .xapic = true };
static const struct lapic_base_caps no_x2apic = { .phys_bits = 39, .x2apic = false, .xapic = true };
static const struct lapic_base_caps x2apic_host = { .phys_bits = 46, .x2apic = true, .xapic = false };

static const struct base_case {
	u64 old, new;
	const struct lapic_base_caps *caps;
	int err;
	const char *name;
} cases[] = {
	{ XAPIC, XAPIC, &full, 0, "xAPIC: the same value" },
	{ XAPIC, DISABLED, &full, 0, "xAPIC -> disabled" },
	{ DISABLED, XAPIC, &full, 0, "disabled -> xAPIC" },
	{ XAPIC, X2APIC, &full, 0, "xAPIC -> x2APIC" },
	{ X2APIC, DISABLED, &full, 0, "x2APIC -> disabled" },
	{ X2APIC, X2APIC, &full, 0, "x2APIC: the same value" },
	{ DISABLED, DISABLED, &full, 0, "disabled: the same value" },
	{ XAPIC, XAPIC | LAPIC_BASE_BSP, &full, 0, "the BSP flag is writable" },
	{ X2APIC, XAPIC, &full, -EINVAL, "x2APIC -> xAPIC faults" },
	{ DISABLED, X2APIC, &full, -EINVAL, "disabled -> x2APIC faults" },
	{ XAPIC, INVALID, &full, -EINVAL, "EN=0 EXTD=1 faults" },
	{ DISABLED, INVALID, &full, -EINVAL, "EN=0 EXTD=1 from disabled faults" },
	{ XAPIC, X2APIC, &no_x2apic, -EINVAL, "EXTD without x2APIC is reserved" },
	{ XAPIC, XAPIC | 1, &full, -EINVAL, "bit 0 is reserved" },
	{ XAPIC, XAPIC | 0x80, &full, -EINVAL, "bit 7 is reserved" },
	{ XAPIC, XAPIC | (1ULL << 9), &full, -EINVAL, "bit 9 is reserved" },
	{ XAPIC, XAPIC | (1ULL << 39), &full, -EINVAL, "a bit at MAXPHYADDR is reserved" },
	{ XAPIC, XAPIC | (1ULL << 40), &x2apic_host, -EINVAL, "a moved base faults (lhv)" },
	{ XAPIC, (XAPIC & ~BASE) | 0xfed00000ULL, &full, -EINVAL, "a moved base faults (lhv)" },
	{ DISABLED, (DISABLED & ~BASE) | 0x10000000ULL, &full, -EINVAL,
	  "a moved base faults while disabled too (lhv)" },
	{ X2APIC, DISABLED, &x2apic_host, 0, "x2APIC host: x2APIC -> disabled" },
	{ DISABLED, XAPIC, &x2apic_host, -EINVAL, "x2APIC host: no xAPIC (lhv)" },
	{ XAPIC, XAPIC, &x2apic_host, 0, "x2APIC host: an xAPIC it already has stays" },
};

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct base_case *c = &cases[i];

		CHECK(lapic_base_check(c->old, c->new, c->caps) == c->err, c->name);
	}
	CHECK(lapic_base_mode(DISABLED) == LAPIC_MODE_DISABLED, "mode: disabled");
	CHECK(lapic_base_mode(INVALID) == LAPIC_MODE_INVALID, "mode: invalid");
	CHECK(lapic_base_mode(XAPIC) == LAPIC_MODE_XAPIC, "mode: xAPIC");
	CHECK(lapic_base_mode(X2APIC | LAPIC_BASE_BSP) == LAPIC_MODE_X2APIC, "mode: x2APIC");
	return unit_done();
}
