// SPDX-License-Identifier: GPL-2.0
/*
 * quiet: the guest's local APIC receives nothing it did not ask for.  The
 * host's Linux still runs on the other CPUs; whatever it sends (an
 * all-but-self IPI, for one) must not reach a CPU lhv owns.  The guest
 * software-enables its APIC with interrupts off, says "quiet: watching",
 * and for QUIET_WATCH_MS of its TSC looks at IRR and ISR.  It prints
 * "quiet: nothing arrived" and returns 0, or stops at the first vector
 * that arrives, names it and returns 1.  Needs the boot-info block's TSC
 * rate; works in both APIC modes.
 */
#include "bootinfo.h"
#include "guest.h"
#include "x86.h"

#define QUIET_WATCH_MS	3000

#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define SVR_ENABLE	(1u << 8)

static bool x2apic;
static uint64_t base;

static uint32_t apic_read(uint32_t reg)
{
	if (x2apic)
		return rdmsr(0x800 + reg / 16);
	return *(volatile uint32_t *)(uintptr_t)(base + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + reg / 16, v);
	else
		*(volatile uint32_t *)(uintptr_t)(base + reg) = v;
}

/* The highest vector set in the 256-bit register at @reg, or -1. */
static int highest(uint32_t reg)
{
	int w;

	for (w = 7; w >= 0; w--) {
		uint32_t v = apic_read(reg + w * 0x10);

		if (v)
			return w * 32 + 31 - __builtin_clz(v);
	}
	return -1;
}

uint32_t guest_main(uint64_t ram_size)
{
	const struct boot_info *bi = (const struct boot_info *)BOOT_INFO_GPA;
	uint64_t apic_base = rdmsr(MSR_APIC_BASE), end;

	(void)ram_size;
	if (bi->magic != BOOT_INFO_MAGIC || !bi->tsc_per_ms) {
		puts_com1("quiet: no boot-info block\n");
		return 100;
	}
	x2apic = apic_base & APIC_BASE_EXTD;
	base = apic_base & ~0xfffull;
	asm volatile("cli");
	/* A software-disabled APIC would hold fixed interrupts back. */
	apic_write(APIC_SVR, SVR_ENABLE | 0xff);
	puts_com1("quiet: watching\n");
	end = rdtsc() + QUIET_WATCH_MS * bi->tsc_per_ms;
	while (rdtsc() < end) {
		int irr = highest(APIC_IRR), isr = highest(APIC_ISR);

		if (irr >= 0 || isr >= 0) {
			printf_com1("quiet: FAIL: vector 0x%x arrived (IRR), 0x%x (ISR)\n",
				    irr, isr);
			return 1;
		}
	}
	puts_com1("quiet: nothing arrived\n");
	return 0;
}
