// SPDX-License-Identifier: GPL-2.0
/*
 * conf-self: IPIs a single CPU sends itself (SDM 3A 10.6.1, table 10-3):
 * the self and all-including-self shorthands and its own physical APIC
 * ID, each with a fixed vector and as an NMI, in xAPIC mode and, where
 * the CPU has it, x2APIC mode (plus its SELF IPI register).  Each must be
 * taken exactly once.  The SDM calls an NMI by the self shorthand
 * invalid; KVM and real CPUs deliver it, and so does lhv.  Also: a
 * self-IPI with IF=0 waits in IRR, and a TPR above its priority class
 * holds it until the TPR drops.
 *
 * "nobroadcast" on the command line leaves the all-including and
 * all-excluding shorthands out: in lhv's passthrough mode they would
 * reach the host's CPUs.
 */
#include "conform.h"
#include "lapic.h"

#define VEC_BASE	0x40
#define NMI		2

const char conform_name[] = "conf-self";

static const char *mode_name(void)
{
	return lapic_x2 ? "x2apic" : "xapic";
}

/* Send @low (to @dest) and expect @want arrivals of @vec, nothing else. */
static void ipi_case(const char *what, uint32_t dest, uint32_t low,
		     unsigned int vec, unsigned int want, bool broadcast)
{
	const char *name = fmt_name("%s: %s", mode_name(), what);
	unsigned int n, other, first;

	trace(name);
	if (skip_listed(name))
		return;
	if (broadcast && cmdline_has("nobroadcast")) {
		report_skip(name, "nobroadcast: it would reach the host's CPUs");
		return;
	}
	snapshot();
	lapic_icr(dest, low);
	n = ipi_arrivals(vec, snap[vec]);
	other = strays(vec, &first);
	report(n == want && !other, name,
	       "taken %u times, expected %u; %u other interrupts (the first vector %x)",
	       n, want, other, first);
}

/* Fixed self-IPI while IF=0: pending in IRR, taken at the next STI. */
static void irr_case(void)
{
	const char *name = fmt_name("%s: self-IPI with IF=0 waits in IRR, taken after STI",
				    mode_name());
	unsigned int vec = VEC_BASE + 8, i, early, all, other, first;
	uint32_t before = vec_count[vec], irr = 0;

	trace(name);
	if (skip_listed(name))
		return;
	snapshot();
	lapic_icr(0, ICR_SELF | ICR_ASSERT | vec);
	for (i = 0; i < IPI_LOOPS && !(irr & 1u << (vec & 31)); i++)
		irr = lapic_read(APIC_IRR + (vec / 32) * 0x10);
	early = vec_count[vec] - before;
	all = ipi_arrivals(vec, before);
	other = strays(vec, &first);
	report((irr & 1u << (vec & 31)) && !early && all == 1 && !other, name,
	       "IRR word %x, %u arrivals before STI, %u in all; %u other interrupts (the first vector %x)",
	       irr, early, all, other, first);
}

/* TPR class 5 holds vector 0x4x (class 4); TPR 0 lets it in. */
static void tpr_case(void)
{
	const char *name = fmt_name("%s: TPR above the class holds a self-IPI, lowering it delivers",
				    mode_name());
	unsigned int vec = VEC_BASE + 9, held, all, other, first;
	uint32_t before = vec_count[vec];

	trace(name);
	if (skip_listed(name))
		return;
	snapshot();
	lapic_write(APIC_TPR, 0x50);
	lapic_icr(0, ICR_SELF | ICR_ASSERT | vec);
	wait_count(&vec_count[vec], before + 1, IPI_LOOPS);
	held = vec_count[vec] - before;
	lapic_write(APIC_TPR, 0);
	all = ipi_arrivals(vec, before);
	other = strays(vec, &first);
	report(held == 0 && all == 1 && !other, name,
	       "%u arrivals with TPR 0x50, %u in all; %u other interrupts (the first vector %x)",
	       held, all, other, first);
}

static void all_cases(void)
{
	uint32_t id;

	lapic_sync();
	lapic_enable();
	id = lapic_id();
	note("%s mode, APIC ID %u", mode_name(), id);
	ipi_case("self shorthand, fixed", 0, ICR_SELF | ICR_ASSERT | (VEC_BASE + 0),
		 VEC_BASE + 0, 1, false);
	ipi_case("self shorthand, NMI", 0, ICR_SELF | ICR_ASSERT | ICR_NMI, NMI, 1, false);
	ipi_case("own APIC ID, fixed", id, ICR_ASSERT | (VEC_BASE + 1), VEC_BASE + 1, 1,
		 false);
	ipi_case("own APIC ID, NMI", id, ICR_ASSERT | ICR_NMI, NMI, 1, false);
	ipi_case("all including self, fixed", 0, ICR_ALL | ICR_ASSERT | (VEC_BASE + 2),
		 VEC_BASE + 2, 1, true);
	ipi_case("all including self, NMI", 0, ICR_ALL | ICR_ASSERT | ICR_NMI, NMI, 1, true);
	ipi_case("all excluding self, fixed: not to self", 0,
		 ICR_ALL_BUT_SELF | ICR_ASSERT | (VEC_BASE + 3), VEC_BASE + 3, 0, true);
	irr_case();
	tpr_case();
	if (!lapic_x2) {
		report(!(lapic_read(APIC_ICR) & ICR_BUSY), "xapic: ICR delivery status idle",
		       "ICR %x", lapic_read(APIC_ICR));
		return;
	}
	trace("x2apic: SELF IPI MSR 0x83f, fixed");
	{
		unsigned int n, other, first;

		snapshot();
		wrmsr(0x83f, VEC_BASE + 4);
		n = ipi_arrivals(VEC_BASE + 4, snap[VEC_BASE + 4]);
		other = strays(VEC_BASE + 4, &first);
		report(n == 1 && !other, "x2apic: SELF IPI MSR 0x83f, fixed",
		       "taken %u times; %u other interrupts (the first vector %x)", n,
		       other, first);
	}
}

/* The highest vector set in the 256-bit register at @reg, or -1. */
static int highest_bit(uint32_t reg)
{
	int w, b;
	uint32_t v;

	for (w = 7; w >= 0; w--) {
		v = lapic_read(reg + w * 0x10);
		for (b = 31; b >= 0; b--)
			if (v >> b & 1)
				return w * 32 + b;
	}
	return -1;
}

/* What the APIC holds before the guest sent anything. */
static void quiet_case(void)
{
	const char *name = "xapic: nothing arrives that the guest did not send";
	unsigned int other, first;
	int irr, isr;

	trace(name);
	if (skip_listed(name))
		return;
	lapic_sync();
	irr = highest_bit(APIC_IRR);
	isr = highest_bit(APIC_ISR);
	snapshot();
	lapic_enable();
	wait_count(&vec_count[0], 1, IPI_LOOPS);
	other = strays(0, &first);
	report(!other && irr < 0 && isr < 0, name,
	       "%u interrupts (the first vector %x); at start the highest vector in IRR %d, in ISR %d (-1: none)",
	       other, first, irr, isr);
}

void conform_main(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE), x2 = base | APIC_BASE_EXTD;

	quiet_case();
	all_cases();
	if (base & APIC_BASE_EXTD)
		return;
	if (!cpu_has(1, 0, ECX, 21)) {
		report_skip("x2apic", "no x2APIC (CPUID.1:ECX[21])");
		return;
	}
	trace("x2apic: switching to x2APIC mode");
	if (skip_listed("x2apic: switching to x2APIC mode"))
		return;
	if (wrmsr_safe(MSR_APIC_BASE, x2) >= 0) {
		report(false, "x2apic: switching to x2APIC mode", "WRMSR %lx faulted", x2);
		return;
	}
	all_cases();
}
