// SPDX-License-Identifier: GPL-2.0
/*
 * apic: the local APIC a guest is handed (Documentation/design.rst,
 * "Handing a CPU over") is in the state INIT leaves: software-disabled
 * with spurious vector 0xFF, every LVT masked, timer stopped, TPR 0,
 * nothing in service or requested.  Reads the registers the way the host
 * left the APIC's mode: xAPIC through the MMIO page (mapped 1:1), x2APIC
 * through MSRs (passed through).  Prints the mode as "apic: mode x2apic"
 * or "apic: mode xapic", every register it checked, and "apic: PASS";
 * the result is the number of wrong registers.
 */
#include "guest.h"
#include "x86.h"

/* xAPIC register offsets; the x2APIC MSR is 0x800 + offset / 16. */
#define APIC_LVR	0x030
#define APIC_TPR	0x080
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_THERMAL	0x330	/* if LVR's max LVT >= 5 */
#define APIC_LVT_PERF	0x340	/* if LVR's max LVT >= 4 */
#define APIC_LVT_LAST	0x370	/* LINT0, LINT1, error */
#define APIC_TMICT	0x380
#define LVT_MASKED	(1u << 16)

static bool x2apic;
static uint64_t base;
static uint32_t failures;

static uint32_t apic_read(uint32_t reg)
{
	if (x2apic)
		return rdmsr(0x800 + reg / 16);
	return *(volatile uint32_t *)(uintptr_t)(base + reg);
}

static void expect(uint32_t reg, uint32_t mask, uint32_t want, const char *name)
{
	uint32_t v = apic_read(reg);
	bool ok = (v & mask) == want;

	printf_com1("apic: %s %s %x\n", ok ? "ok" : "WRONG", name, v);
	if (!ok)
		failures++;
}

uint32_t guest_main(uint64_t ram_size)
{
	uint64_t apic_base = rdmsr(MSR_APIC_BASE);
	uint32_t reg, maxlvt;

	(void)ram_size;
	x2apic = apic_base & APIC_BASE_EXTD;
	base = apic_base & ~0xfffull;
	printf_com1("apic: mode %s, base %lx\n", x2apic ? "x2apic" : "xapic",
		    (unsigned long)base);
	if (!(apic_base & APIC_BASE_ENABLE)) {
		puts_com1("apic: WRONG: globally disabled\n");
		return 1;
	}
	expect(APIC_SVR, 0x1ff, 0xff, "SVR: software-disabled, spurious vector 0xff");
	expect(APIC_TPR, 0xff, 0, "TPR");
	expect(APIC_TMICT, ~0u, 0, "timer initial count");
	maxlvt = (apic_read(APIC_LVR) >> 16) & 0xff;
	for (reg = APIC_LVT_TIMER; reg <= APIC_LVT_LAST; reg += 0x10) {
		if ((reg == APIC_LVT_THERMAL && maxlvt < 5) ||
		    (reg == APIC_LVT_PERF && maxlvt < 4))
			continue;
		expect(reg, LVT_MASKED, LVT_MASKED, "LVT masked");
	}
	for (reg = 0; reg < 8; reg++)
		expect(APIC_ISR + reg * 0x10, ~0u, 0, "ISR word clear");
	for (reg = 0; reg < 8; reg++)
		expect(APIC_IRR + reg * 0x10, ~0u, 0, "IRR word clear");
	puts_com1(failures ? "apic: FAIL\n" : "apic: PASS\n");
	return failures;
}
