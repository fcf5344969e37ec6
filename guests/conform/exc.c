// SPDX-License-Identifier: GPL-2.0
/*
 * conf-exc: exceptions of the guest's own, delivered through its own IDT.
 * Every case of exc-cases.c runs from CPL 0 and CPL 3 where it can, each
 * with its gate's IST field 0 and 1; the handler's frame must show the
 * vector, error code, RIP, CPL and stack the SDM gives.  Then the same
 * after the guest moved its IDT, GDT and TSS (LIDT, LGDT, LTR to second
 * copies) with VM exits in between, SYSCALL/SYSRET, a NULL SS across VM
 * exits, the descriptor-table registers read back (and UMIP), and a
 * divide error after software interrupts and a self-NMI.
 */
#include "exc.h"
#include "lapic.h"
#include "platform.h"

#define USER_RFLAGS	0x2ul		/* IF off: no interrupt is expected */
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define SFMASK		(RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_AC)
#define TSS_BUSY	(0x2ull << 40)
#define NMI_LOOPS	1000000

const char conform_name[] = "conf-exc";

static struct gate64 idt2[256] __attribute__((aligned(16)));
static uint64_t gdt2[GDT_ENTRIES] __attribute__((aligned(16)));
static bool on_tss2;

static const struct exc_case *find_case(const char *name)
{
	unsigned int i, n;

	for (i = 0; i < nr_exc_cases; i++) {
		for (n = 0; name[n] && name[n] == exc_cases[i].name[n]; n++)
			;
		if (!name[n] && !exc_cases[i].name[n])
			return &exc_cases[i];
	}
	bail_out("no case %s", name);
}

static enum stack_id want_stack(unsigned int cpl, bool ist)
{
	if (ist)
		return on_tss2 ? STK_IST1_B : STK_IST1;
	if (cpl)
		return on_tss2 ? STK_RSP0_B : STK_RSP0;
	return STK_BOOT;
}

static void run_one(const struct exc_case *c, unsigned int cpl, bool ist,
		    const char *prefix)
{
	const char *name = fmt_name("%s%s cpl%u%s", prefix, c->name, cpl,
				    ist ? " ist" : "");
	volatile struct trap_rec *t = &trap_last;
	enum stack_id stack = want_stack(cpl, ist);
	uint64_t rip;
	bool ok;

	trace(name);
	if (skip_listed(name))
		return;
	if (c->setup && !c->setup()) {
		report_skip(name, "the CPU cannot raise it");
		return;
	}
	idt_set_ist(c->vector, ist);
	trap_reset();
	expect.error = ERR_NONE;
	expect.cr2 = 0;
	expect.dr6 = 0;
	rip = cpl ? user_call(c->fn, USER_RFLAGS) : c->fn();
	idt_set_ist(c->vector, 0);
	if (c->teardown)
		c->teardown();

	ok = trap_count == 1 && t->vector == c->vector &&
	     t->error == (uint64_t)expect.error && t->rip == rip &&
	     (t->cs & 3) == cpl && t->stack == stack;
	if (ok && c->vector == 14 && t->cr2 != expect.cr2) {
		report(false, name, "CR2 %lx, expected %lx", t->cr2, expect.cr2);
		return;
	}
	if (ok && c->vector == 1 && (t->dr6 & expect.dr6) != expect.dr6) {
		report(false, name, "DR6 %lx, expected bits %lx set", t->dr6, expect.dr6);
		return;
	}
	report(ok, name,
	       "got %u exception(s), the last: vector %lu error %lx RIP %lx CPL %lu on %s; expected vector %u error %lx RIP %lx CPL %u on %s",
	       trap_count, t->vector, t->error, t->rip, t->cs & 3,
	       stack_name(t->stack), c->vector, expect.error, rip, cpl,
	       stack_name(stack));
}

/* Each way @c can run: CPL 0 and 3, IST 0 and 1, as its modes allow. */
static void run_case(const struct exc_case *c, const char *prefix)
{
	if (c->modes & M_CPL0 || c->modes & M_CPL0_IST) {
		if (!(c->modes & M_CPL0_IST))
			run_one(c, 0, false, prefix);
		if (!(c->modes & M_NO_IST))
			run_one(c, 0, true, prefix);
	}
	if (c->modes & M_CPL3) {
		run_one(c, 3, false, prefix);
		if (!(c->modes & M_NO_IST))
			run_one(c, 3, true, prefix);
	}
}

/* A few exceptions of each kind, for the sections that move tables. */
static const char *const reload_cases[] = {
	"de-div", "db-single-step", "bp-int3", "ud-ud2", "np-gate",
	"gp-noncanonical", "pf-not-present-write", "int-0x40",
};

/* VM exits of the kinds lhv and KVM take: CPUID, port I/O, MMIO. */
static void exits(void)
{
	vm_exit_now();
	outb(0x80, 0);
	(void)inl(PLAT_PORT_EXITS);
	(void)*(volatile uint32_t *)0xd0000000ul;
	vm_exit_now();
}

static void run_reload_cases(const char *prefix)
{
	unsigned int i;

	for (i = 0; i < sizeof(reload_cases) / sizeof(reload_cases[0]); i++) {
		exits();
		run_case(find_case(reload_cases[i]), prefix);
	}
}

static bool dtr_is(bool gdt_reg, const void *base, uint16_t limit, const char *name)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) d;

	if (gdt_reg)
		asm volatile("sgdt %0" : "=m"(d));
	else
		asm volatile("sidt %0" : "=m"(d));
	report(d.base == (uintptr_t)base && d.limit == limit, name,
	       "base %lx limit %x, expected %lx limit %x", d.base, d.limit,
	       (uintptr_t)base, limit);
	return d.base == (uintptr_t)base;
}

static uint16_t str(void)
{
	uint16_t tr;

	asm volatile("str %0" : "=r"(tr));
	return tr;
}

/*
 * LIDT to a copy.  Every gate of the first IDT is moved to the #DF stack
 * meanwhile, so a handler reached through it reports the wrong stack.
 */
static void section_lidt(void)
{
	unsigned int v;

	memcpy(idt2, idt, sizeof(idt));
	for (v = 0; v < 256; v++)
		idt[v].ist = 2;
	load_idt(idt2, sizeof(idt2) - 1);
	cur_idt = idt2;
	exits();
	dtr_is(false, idt2, sizeof(idt2) - 1, "lidt: sidt reads the second IDT after VM exits");
	run_reload_cases("lidt: ");
	for (v = 0; v < 256; v++)
		idt[v].ist = v == 8 ? 2 : 0;
	load_idt(idt, sizeof(idt) - 1);
	cur_idt = idt;
	exits();
	dtr_is(false, idt, sizeof(idt) - 1, "lidt: sidt reads the first IDT again");
}

/*
 * LGDT to a copy and reload every segment from it.  The first GDT's user
 * segments are made not present meanwhile: entering ring 3 through them
 * would fault.
 */
static void section_lgdt(void)
{
	uint64_t pbit = 1ull << 47;

	memcpy(gdt2, gdt, sizeof(gdt));
	load_gdt(gdt2, sizeof(gdt2) - 1);
	reload_segments();
	gdt[USER_CS >> 3] &= ~pbit;
	gdt[USER_DS >> 3] &= ~pbit;
	exits();
	dtr_is(true, gdt2, sizeof(gdt2) - 1, "lgdt: sgdt reads the second GDT after VM exits");
	run_reload_cases("lgdt: ");
	gdt[USER_CS >> 3] |= pbit;
	gdt[USER_DS >> 3] |= pbit;
	load_gdt(gdt, sizeof(gdt) - 1);
	reload_segments();
	exits();
	dtr_is(true, gdt, sizeof(gdt) - 1, "lgdt: sgdt reads the first GDT again");
}

/* LTR the second TSS: ring-3 and IST exceptions must use its stacks. */
static void section_ltr(void)
{
	uint16_t tr;

	asm volatile("ltr %w0" : : "r"(TSS2_SEL));
	on_tss2 = true;
	exits();
	tr = str();
	report(tr == TSS2_SEL, "ltr: str reads the second TSS after VM exits",
	       "TR %x, expected %x", tr, TSS2_SEL);
	run_reload_cases("ltr: ");
	/* LTR wants an available TSS: the first one is still marked busy. */
	gdt[TSS_SEL >> 3] &= ~TSS_BUSY;
	asm volatile("ltr %w0" : : "r"(TSS_SEL));
	gdt[TSS2_SEL >> 3] &= ~TSS_BUSY;
	on_tss2 = false;
	exits();
	tr = str();
	report(tr == TSS_SEL, "ltr: str reads the first TSS again", "TR %x, expected %x",
	       tr, TSS_SEL);
}

/* All three at once, then many exceptions with exits in between. */
static void section_all(void)
{
	const struct exc_case *ud = find_case("ud-ud2");
	const struct exc_case *pf = find_case("pf-not-present-read");
	unsigned int v, i, bad = 0;
	uint64_t pbit = 1ull << 47;

	memcpy(idt2, idt, sizeof(idt));
	memcpy(gdt2, gdt, sizeof(gdt));
	for (v = 0; v < 256; v++)
		idt[v].ist = 2;
	load_idt(idt2, sizeof(idt2) - 1);
	cur_idt = idt2;
	load_gdt(gdt2, sizeof(gdt2) - 1);
	reload_segments();
	gdt[USER_CS >> 3] &= ~pbit;
	gdt[USER_DS >> 3] &= ~pbit;
	asm volatile("ltr %w0" : : "r"(TSS2_SEL));
	on_tss2 = true;
	for (i = 0; i < 50; i++) {
		exits();
		trap_reset();
		expect.error = ERR_NONE;
		(void)user_call(i & 1 ? pf->fn : ud->fn, USER_RFLAGS);
		if (trap_count != 1 || trap_last.vector != (i & 1 ? 14u : 6u) ||
		    trap_last.stack != STK_RSP0_B)
			bad++;
	}
	report(!bad, "all tables moved: 50 ring-3 #UD/#PF with VM exits in between",
	       "%u of 50 not as expected, the last: vector %lu on %s", bad,
	       trap_last.vector, stack_name(trap_last.stack));
	gdt2[TSS_SEL >> 3] &= ~TSS_BUSY;
	asm volatile("ltr %w0" : : "r"(TSS_SEL));
	gdt2[TSS2_SEL >> 3] &= ~TSS_BUSY;
	gdt[TSS2_SEL >> 3] &= ~TSS_BUSY;
	on_tss2 = false;
	gdt[USER_CS >> 3] |= pbit;
	gdt[USER_DS >> 3] |= pbit;
	load_gdt(gdt, sizeof(gdt) - 1);
	reload_segments();
	for (v = 0; v < 256; v++)
		idt[v].ist = v == 8 ? 2 : 0;
	load_idt(idt, sizeof(idt) - 1);
	cur_idt = idt;
	exits();
	run_case(ud, "restored: ");
}

/* SYSCALL from ring 3 and SYSRET back (SDM 2B SYSCALL, SYSRET). */
static volatile uint64_t sysret_cs, sysret_ss;

static uint64_t u_syscall(void)
{
	uint64_t at, cs, ss;

	asm volatile("std\n\t"
		     "lea 1f(%%rip), %[at]\n\t"
		     "syscall\n"
		     "1:\tcld\n\t"
		     "mov %%cs, %[cs]\n\t"
		     "mov %%ss, %[ss]"
		     : [at] "=&r"(at), [cs] "=&r"(cs), [ss] "=&r"(ss)
		     : : "rax", "rcx", "r11", "memory");
	sysret_cs = cs & 0xffff;
	sysret_ss = ss & 0xffff;
	return at;
}

static void section_syscall(void)
{
	volatile struct syscall_seen *s = &syscall_seen;
	uint64_t rip;

	wrmsr(MSR_STAR, (uint64_t)USER_CS32 << 48 | (uint64_t)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK);
	exits();
	trap_reset();
	rip = user_call(u_syscall, USER_RFLAGS);
	report(trap_count == 0 && s->rcx == rip && s->cs == KERNEL_CS &&
	       s->ss == KERNEL_DS && (s->r11 & RFLAGS_DF) && !(s->rflags & SFMASK),
	       "syscall: LSTAR at CPL 0, CS/SS from STAR, RCX/R11 saved, SFMASK applied",
	       "%u exceptions, RCX %lx (want %lx) R11 %lx RFLAGS %lx CS %lx SS %lx",
	       trap_count, s->rcx, rip, s->r11, s->rflags, s->cs, s->ss);
	report(sysret_cs == (USER_CS | 3) && sysret_ss == (USER_DS | 3),
	       "sysret: back at CPL 3 after the SYSCALL, CS/SS from STAR",
	       "CS %lx SS %lx, expected %x %x", sysret_cs, sysret_ss,
	       USER_CS | 3, USER_DS | 3);
}

static uint64_t u_nothing(void)
{
	return 0;
}

/* An interrupt from CPL 3 leaves SS NULL at CPL 0 (SDM 3A 6.14.2). */
static void section_null_ss(void)
{
	const struct exc_case *ud = find_case("ud-ud2");
	uint16_t before, after;

	user_exit_keep_ss = 1;
	(void)user_call(u_nothing, USER_RFLAGS);
	user_exit_keep_ss = 0;
	before = read_ss();
	exits();
	after = read_ss();
	report(user_exit_ss == 0 && before == 0 && after == 0,
	       "null-ss: SS is NULL at CPL 0 after ring 3 and stays so across VM exits",
	       "SS %lx after the gate, %x before the exits, %x after", user_exit_ss,
	       before, after);
	run_one(ud, 0, false, "null-ss: ");
	run_one(ud, 0, true, "null-ss: ");
	asm volatile("mov %0, %%ss" : : "r"(KERNEL_DS));
}

/* SGDT, SIDT, STR, SMSW at CPL 3: allowed, unless CR4.UMIP. */
static volatile uint64_t u_sgdt_base;

static uint64_t u_sgdt(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) d;

	asm volatile("sgdt %0" : "=m"(d));
	u_sgdt_base = d.base;
	return 0;
}

#define UMIP_CASE(name, insn) \
static uint64_t u_umip_##name(void) \
{ \
	char buf[16]; \
	uint64_t at; \
\
	expect.error = 0; \
	asm volatile(TRY(insn) : [at] "=&r"(at), [m] "=m"(buf) : : "r11", "memory"); \
	return at; \
}
UMIP_CASE(sgdt, "sgdt %[m]")
UMIP_CASE(sidt, "sidt %[m]")
UMIP_CASE(str, "str %[m]")
UMIP_CASE(smsw, "smsw %[m]")

static void section_umip(void)
{
	static const struct exc_case umip_cases[] = {
		CASE("umip-sgdt", 13, M_CPL3 | M_NO_IST, u_umip_sgdt),
		CASE("umip-sidt", 13, M_CPL3 | M_NO_IST, u_umip_sidt),
		CASE("umip-str", 13, M_CPL3 | M_NO_IST, u_umip_str),
		CASE("umip-smsw", 13, M_CPL3 | M_NO_IST, u_umip_smsw),
	};
	unsigned int i;

	exits();
	dtr_is(true, gdt, sizeof(gdt) - 1, "sgdt at CPL 0 after VM exits");
	dtr_is(false, idt, sizeof(idt) - 1, "sidt at CPL 0 after VM exits");
	report(str() == TSS_SEL, "str at CPL 0 after VM exits", "TR %x", str());
	(void)user_call(u_sgdt, USER_RFLAGS);
	report(u_sgdt_base == (uintptr_t)gdt, "sgdt at CPL 3 without UMIP",
	       "base %lx, expected %lx", u_sgdt_base, (uintptr_t)gdt);
	if (!cpu_has(7, 0, ECX, 2)) {
		for (i = 0; i < 4; i++)
			report_skip(fmt_name("%s cpl3", umip_cases[i].name),
				    "no UMIP (CPUID.7.0:ECX[2])");
		return;
	}
	write_cr4(read_cr4() | CR4_UMIP);
	exits();
	for (i = 0; i < 4; i++)
		run_case(&umip_cases[i], "");
	write_cr4(read_cr4() & ~CR4_UMIP);
}

/*
 * Software interrupts, an NMI to the guest's own APIC ID, a divide
 * error, and an NMI again: NMIs must be unblocked by the handler's IRETQ.
 */
static void section_nmi(void)
{
	const struct exc_case *de = find_case("de-div");
	uint32_t before;
	bool ok;

	run_case(find_case("int-0x20"), "nmi: ");
	run_case(find_case("int-2"), "nmi: ");
	lapic_sync();
	lapic_enable();
	note("APIC ID %u, %s mode", lapic_id(), lapic_x2 ? "x2APIC" : "xAPIC");
	before = vec_count[2];
	trap_reset();
	lapic_icr(lapic_id(), ICR_NMI | ICR_ASSERT);
	ok = wait_count(&vec_count[2], before + 1, NMI_LOOPS);
	report(ok && trap_last.vector == 2, "nmi: self-NMI by physical APIC ID taken",
	       "%u NMIs, the last event vector %lu", vec_count[2] - before,
	       trap_last.vector);
	run_case(de, "nmi: after int and NMI: ");
	before = vec_count[2];
	lapic_icr(lapic_id(), ICR_NMI | ICR_ASSERT);
	ok = wait_count(&vec_count[2], before + 1, NMI_LOOPS);
	report(ok, "nmi: a second self-NMI taken after IRETQ",
	       "%u NMIs", vec_count[2] - before);
	run_case(de, "nmi: after the second NMI: ");
}

void conform_main(void)
{
	unsigned int i;

	pf_pages_init();
	for (i = 0; i < nr_exc_cases; i++)
		if (!(exc_cases[i].modes & M_LAST))
			run_case(&exc_cases[i], "");
	section_syscall();
	section_null_ss();
	section_umip();
	section_lidt();
	section_lgdt();
	section_ltr();
	section_all();
	section_nmi();
	for (i = 0; i < nr_exc_cases; i++)
		if (exc_cases[i].modes & M_LAST)
			run_case(&exc_cases[i], "");
}
