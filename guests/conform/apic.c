// SPDX-License-Identifier: GPL-2.0
/*
 * conf-apic: IA32_APIC_BASE and the local APIC's modes (SDM 3A 10.4.3,
 * 10.12.5 "x2APIC State Transitions", figure 10-27): the MSR as read,
 * reserved bits, global disable and re-enable (the APIC ID kept, the
 * APIC working again), xAPIC to x2APIC and the x2APIC's registers, and
 * every transition the SDM forbids taking #GP.  What a disable does to
 * the other registers the SDM leaves open ("may be lost"): printed, not
 * judged.  Where lhv documents a choice of its own, the case says so and
 * expects it only under lhv: the BSP flag is clear (lhv never owns the
 * host's BSP) and moving the base address takes #GP (the guest's APIC
 * stays where the host's is); KVM sets the flag and allows the move.
 */
#include "conform.h"
#include "lapic.h"

#define ABASE_RSVD_LOW	0x2ffull		/* bits 7:0 and 9 */
#define VEC_TEST	0x60
#define MOVED_BASE	0xfed00000ull

const char conform_name[] = "conf-apic";

static uint64_t base0;			/* IA32_APIC_BASE as we found it */
static bool has_x2;

static uint64_t base_now(void)
{
	return rdmsr(MSR_APIC_BASE);
}

/* One case: WRMSR of IA32_APIC_BASE takes #GP (@gp) or not, as it must. */
static bool write_case(const char *name, uint64_t v, bool gp)
{
	int vec;

	trace(name);
	if (skip_listed(name))
		return false;
	vec = wrmsr_safe(MSR_APIC_BASE, v);
	report(gp ? vec == 13 : vec < 0, name, "WRMSR %lx: %s, expected %s", v,
	       vec < 0 ? "accepted" : vec == 13 ? "#GP" : "another exception",
	       gp ? "#GP" : "no exception");
	return vec < 0;
}

static bool mode_is(const char *name, uint64_t want)
{
	uint64_t b = base_now();

	report(b == want, name, "IA32_APIC_BASE %lx, expected %lx", b, want);
	return b == want;
}

/* A fixed self-IPI by physical APIC ID in the current mode, taken once. */
static void self_ipi_case(const char *name)
{
	unsigned int n, other, first;

	trace(name);
	if (skip_listed(name))
		return;
	lapic_sync();
	lapic_enable();
	snapshot();
	lapic_icr(lapic_id(), ICR_FIXED | ICR_ASSERT | VEC_TEST);
	n = ipi_arrivals(VEC_TEST, snap[VEC_TEST]);
	other = strays(VEC_TEST, &first);
	report(n == 1 && !other, name, "taken %u times; %u other interrupts (the first vector %x)",
	       n, other, first);
}

static uint32_t maxphyaddr(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000008, 0, &a, &b, &c, &d);
	return a & 0xff;
}

static void initial_state(void)
{
	uint32_t id_reg, id_cpuid = cpuid_apic_id();

	report((base0 & APIC_BASE_ENABLE) && (base0 & APIC_BASE_ADDR) == APIC_DEFAULT &&
	       !(base0 & ABASE_RSVD_LOW), "apic-base: enabled at 0xfee00000, reserved bits clear",
	       "IA32_APIC_BASE %lx", base0);
	/* lhv owns no host BSP and says so (Documentation/ioctl.rst). */
	if (hypervisor == HV_LHV)
		report(!(base0 & APIC_BASE_BSP),
		       "apic-base: BSP flag clear (lhv's documented choice: it never owns CPU 0)",
		       "IA32_APIC_BASE %lx", base0);
	else
		report(base0 & APIC_BASE_BSP, "apic-base: BSP flag set on the boot CPU",
		       "IA32_APIC_BASE %lx", base0);
	report(cpu_has(1, 0, EDX, 9), "cpuid: APIC flag (1:EDX[9]) set while enabled",
	       "clear");
	lapic_sync();
	id_reg = lapic_id();
	report(lapic_x2 || id_reg == id_cpuid, "xapic: ID register = CPUID.1:EBX[31:24]",
	       "ID register %u, CPUID %u", id_reg, id_cpuid);
	note("APIC ID %u, %s mode, version register %x, SVR %x", id_reg,
	     lapic_x2 ? "x2APIC" : "xAPIC", lapic_read(APIC_LVR), lapic_read(APIC_SVR));
}

static void reserved_bits(void)
{
	uint32_t mp = maxphyaddr();

	write_case("apic-base: writing back the value read is accepted", base0, false);
	write_case("apic-base: reserved bit 9: #GP", base0 | 1ull << 9, true);
	write_case("apic-base: reserved bit 0: #GP", base0 | 1, true);
	if (mp && mp < 52)
		write_case("apic-base: a bit above MAXPHYADDR: #GP", base0 | 1ull << mp, true);
	if (!has_x2)
		write_case("apic-base: EXTD without x2APIC support: #GP",
			   base0 | APIC_BASE_EXTD, true);
	write_case("apic-base: EN=0 EXTD=1 (invalid) from xAPIC: #GP",
		   (base0 & ~APIC_BASE_ENABLE) | APIC_BASE_EXTD, true);
}

/* Global disable and re-enable (SDM 10.4.3). */
static void disable_enable(void)
{
	uint64_t off = base0 & ~(APIC_BASE_ENABLE | APIC_BASE_EXTD);
	uint64_t on = off | APIC_BASE_ENABLE;
	uint32_t id = lapic_id();

	/* Some state to lose: TPR, an unmasked LVT, a logical ID. */
	lapic_write(APIC_TPR, 0x20);
	lapic_write(APIC_LVT_TIMER, 0x50);
	lapic_write(APIC_LDR, 0x01000000);
	if (!write_case("disable: EN=0 accepted", off, false))
		return;
	mode_is("disabled: IA32_APIC_BASE reads EN=0", off);
	report(!cpu_has(1, 0, EDX, 9), "disabled: CPUID APIC flag (1:EDX[9]) clear",
	       "still set");
	write_case("disabled: EN=0 EXTD=1 (invalid): #GP", off | APIC_BASE_EXTD, true);
	if (has_x2)
		write_case("disabled: straight to x2APIC (EN=1 EXTD=1): #GP",
			   on | APIC_BASE_EXTD, true);
	if (!write_case("re-enable: EN=1 accepted", on, false))
		return;
	mode_is("re-enabled: xAPIC mode, same base", on);
	lapic_sync();
	report(lapic_id() == id, "re-enabled: APIC ID kept", "ID %u, was %u",
	       lapic_id(), id);
	note("after disable/enable: SVR %x TPR %x LDR %x LVT timer %x LINT0 %x (the SDM leaves them open)",
	     lapic_read(APIC_SVR), lapic_read(APIC_TPR), lapic_read(APIC_LDR),
	     lapic_read(APIC_LVT_TIMER), lapic_read(APIC_LVT_LINT0));
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	self_ipi_case("re-enabled: a fixed self-IPI is taken once");
}

static void x2apic(void)
{
	uint64_t xapic = (base0 & ~APIC_BASE_EXTD) | APIC_BASE_ENABLE;
	uint64_t x2 = xapic | APIC_BASE_EXTD, off = xapic & ~APIC_BASE_ENABLE;
	uint32_t a, b, c, d, id8, id32, ldr, want_ldr, before, n;
	uint64_t v;

	if (!has_x2) {
		report_skip("x2apic", "no x2APIC (CPUID.1:ECX[21])");
		return;
	}
	lapic_sync();
	id8 = lapic_id();
	report(rdmsr_safe(0x802, &v) == 13, "xapic: x2APIC MSR 0x802 read in xAPIC mode: #GP",
	       "no #GP, read %lx", v);
	if (!write_case("xapic to x2apic: EXTD=1 accepted", x2, false))
		return;
	lapic_sync();
	id32 = rdmsr(0x802);
	cpuid(0xb, 0, &a, &b, &c, &d);
	report((b ? id32 == d : true) && (id32 & 0xff) == id8,
	       "x2apic: ID MSR 0x802 = CPUID.B:EDX, low byte the xAPIC ID",
	       "x2APIC ID %x, CPUID.B:EDX %x, xAPIC ID %x", id32, d, id8);
	ldr = rdmsr(0x80d);
	want_ldr = (id32 >> 4) << 16 | 1u << (id32 & 0xf);
	report(ldr == want_ldr, "x2apic: LDR = cluster << 16 | 1 << (ID & 15)",
	       "LDR %x, expected %x", ldr, want_ldr);
	lapic_enable();
	before = vec_count[VEC_TEST];
	trace("x2apic: self-IPI via ICR MSR 0x830 (self shorthand) taken once");
	wrmsr(0x830, ICR_SELF | ICR_ASSERT | VEC_TEST);
	n = ipi_arrivals(VEC_TEST, before);
	report(n == 1, "x2apic: self-IPI via ICR MSR 0x830 (self shorthand) taken once",
	       "taken %u times", n);
	before = vec_count[VEC_TEST];
	trace("x2apic: self-IPI via SELF IPI MSR 0x83f taken once");
	wrmsr(0x83f, VEC_TEST);
	n = ipi_arrivals(VEC_TEST, before);
	report(n == 1, "x2apic: self-IPI via SELF IPI MSR 0x83f taken once",
	       "taken %u times", n);
	self_ipi_case("x2apic: self-IPI by x2APIC ID taken once");
	write_case("x2apic: straight to xAPIC (EN=1 EXTD=0): #GP", xapic, true);
	write_case("x2apic: EN=0 EXTD=1 (invalid): #GP", off | APIC_BASE_EXTD, true);
	if (!write_case("x2apic to disabled: EN=0 EXTD=0 accepted", off, false))
		return;
	if (!write_case("disabled to xAPIC: EN=1 accepted", xapic, false))
		return;
	mode_is("back in xAPIC mode", xapic);
	lapic_sync();
	report(lapic_id() == id8, "back in xAPIC mode: APIC ID kept", "ID %u, was %u",
	       lapic_id(), id8);
	self_ipi_case("back in xAPIC mode: a fixed self-IPI is taken once");
}

/* lhv keeps the guest's APIC at the host's address (its choice). */
static void move_base(void)
{
	const char *name = "apic-base: moving the base: #GP (lhv's documented choice)";
	uint64_t moved = (base0 & ~APIC_BASE_ADDR) | MOVED_BASE;
	int vec;

	if (hypervisor != HV_LHV) {
		report_skip(name, "lhv's choice; KVM and the SDM allow moving it");
		return;
	}
	trace(name);
	if (skip_listed(name))
		return;
	vec = wrmsr_safe(MSR_APIC_BASE, moved);
	if (vec < 0)
		wrmsr_safe(MSR_APIC_BASE, base0);
	report(vec == 13, name, "WRMSR %lx: %s", moved, vec < 0 ? "accepted" : "another exception");
}

void conform_main(void)
{
	base0 = base_now();
	has_x2 = cpu_has(1, 0, ECX, 21);
	initial_state();
	reserved_bits();
	self_ipi_case("xapic: a fixed self-IPI is taken once");
	disable_enable();
	x2apic();
	move_base();
	/* Leave it as we found it, for whoever looks next. */
	if (base_now() != base0 && (base0 & APIC_BASE_EXTD))
		wrmsr_safe(MSR_APIC_BASE, base0);
}
