// SPDX-License-Identifier: GPL-2.0
/*
 * bench: what the basic virtualization events cost, in guest TSC ticks,
 * so that lhv and KVM can be compared on the same host with the same
 * launcher.  Each result is one COM1 line "BENCH <name> <value>"; other
 * lines are diagnostics.  In order:
 *
 *   vendor, cpus                   1 on AMD, 0 on Intel; vCPUs in the VM
 *   ap_bringup_ap1, _ap2, _all     INIT-SIPI to an AP's arrival (BSP TSC)
 *   ap_exits_ap1, _ap2, _all       the AP's VM exits from the INIT to its
 *                                  first instruction (_all: the most of
 *                                  any AP); ap_bsp_exits_*: the BSP's
 *                                  exits while it started them
 *   hypercall, cpuid, pio, mmio    ticks per exit of each kind
 *   ipi_roundtrip                  BSP -> AP1 -> BSP fixed IPIs, median
 *   timer_latency                  one-shot LAPIC timer: late by, median
 *   timer_exits, timer_ticks       a 1 kHz periodic timer over 1 s
 *   done                           1
 *
 * A failure prints "BENCH error <what>" and ends the run with a nonzero
 * debug-exit code.  The local APIC is the xAPIC at IA32_APIC_BASE
 * (0xfee00000 under both hypervisors), reached through the launcher's
 * identity map; the vCPUs and their APIC IDs come from the boot-info
 * block (guests/bootinfo.h).  The APs run bench-ap.S's trampoline.
 */
#include "bench.h"
#include "desc.h"
#include "bootinfo.h"
#include "guest.h"
#include "platform.h"
#include "x86.h"

/* Local APIC registers (xAPIC offsets, SDM 3A 10.4.1). */
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_TIMER_INIT		0x380
#define APIC_TIMER_CUR		0x390
#define APIC_TIMER_DIV		0x3e0

#define SVR_ENABLE		(1u << 8)
#define ICR_FIXED		(0u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_STARTUP		(6u << 8)
#define ICR_BUSY		(1u << 12)	/* delivery status */
#define ICR_ASSERT		(1u << 14)
#define LVT_MASKED		(1u << 16)
#define LVT_PERIODIC		(1u << 17)
#define TIMER_DIV_1		0xb

#define VEC_NMI			2
#define VEC_IPI_REQUEST		0x40	/* BSP -> AP1 */
#define VEC_IPI_REPLY		0x41	/* AP1 -> BSP */
#define VEC_TIMER		0x42	/* one-shot: latency */
#define VEC_TICK		0x43	/* periodic: exits per tick */
#define VEC_SPURIOUS		0xff

/* Exception vectors that push an error code (SDM 3A table 6-1). */
#define EXC_ERRCODE_MASK	0x60227d00u

/* Page-table bits for the MMIO page (SDM 3A 4.5). */
#define PTE_P			(1ull << 0)
#define PTE_PWT			(1ull << 3)
#define PTE_PCD			(1ull << 4)
#define PTE_PS			(1ull << 7)
#define PTE_ADDR		0x000ffffffffff000ull

/* Exit costs: batches until 200 ms or 100000 ops (a multiple of BATCH). */
#define BATCH			20
#define MAX_OPS			100000
#define OP_BUDGET_MS		200
/* Latency medians. */
#define NR_SAMPLES		64
#define SETTLE_US		10	/* between samples: handlers have returned */
#define CALIBRATE_MS		10
#define ONE_SHOT_US		100
#define COMPUTE_MS		1000

_Static_assert(BENCH_MAX_CPUS == BOOT_INFO_MAX_CPUS, "one AP stack per CPU");
_Static_assert(MAX_OPS % BATCH == 0, "ops end on a batch");
#ifdef PLAT_PORT_EXITS
_Static_assert(BENCH_PORT_EXITS == PLAT_PORT_EXITS, "exit-count port");
#endif
#ifdef PLAT_MMIO_HOLE_GPA
_Static_assert(BENCH_MMIO_GPA == PLAT_MMIO_HOLE_GPA, "MMIO hole");
#endif

/* bench-ap.S */
extern const char bench_tramp_start[], bench_tramp_end[];
extern const char bench_tramp_arrived[], bench_tramp_gdtr[], bench_tramp_cr3[];
extern const char guest_gdt[], guest_gdt_end[];	/* lib/gdt.S */
extern const uint64_t bench_exc_stubs[32];
extern const char bench_ipi_request_entry[], bench_ipi_reply_entry[];
extern const char bench_timer_entry[], bench_tick_entry[], bench_nmi_entry[];
extern const char bench_spurious_entry[];
/* ... and what it calls or reads here. */
void bench_ap_main(uint32_t index, uint32_t exits_at_arrival)
	__attribute__((noreturn));
void bench_ipi_request(uint64_t tsc);
void bench_ipi_reply(uint64_t tsc);
void bench_timer(uint64_t tsc);
void bench_tick(uint64_t tsc);
void bench_nmi(uint64_t tsc);
void bench_exception(uint32_t vector, const uint64_t *frame)
	__attribute__((noreturn));
uint32_t bench_apic_ids[BENCH_MAX_CPUS];
uint32_t bench_nr_cpus;
struct dtr bench_idtr;

static struct boot_info *const bi = (struct boot_info *)BOOT_INFO_GPA;
static struct idt_gate idt[256] __attribute__((aligned(16)));
static volatile uint32_t *apic;
static uint64_t one_ms, one_s;		/* TSC ticks */
static bool amd;
static uint32_t ap_index[2];		/* boot_info.cpus[] index of AP1, AP2 */
static uint32_t nr_aps;

/* Written by handlers (and APs), read by the BSP's waits. */
static volatile uint32_t ap_ready[BENCH_MAX_CPUS];
/* Each AP's exit count when it last looked, and its exits to arrival. */
static volatile uint32_t ap_exit_base[BENCH_MAX_CPUS];
static volatile uint32_t ap_exits[BENCH_MAX_CPUS];
static volatile uint32_t ipi_done, timer_done, ticks, nmis;
static volatile uint64_t ipi_tsc, timer_tsc;
static volatile uint64_t compute_sink;

/* LAPIC timer calibration: TSC ticks per timer tick << 16. */
static uint64_t tsc_per_tick_fp;
static uint32_t ticks_per_ms;

static uint64_t samples[NR_SAMPLES];

/*
 * Every timestamp: LFENCE before RDTSC so earlier instructions have
 * completed, LFENCE after so later ones do not start before the read.
 */
static inline uint64_t tsc_fenced(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* "memory": flags the handlers write are not cached across these. */
static inline void irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static void __attribute__((noreturn)) bench_fail(const char *what)
{
	printf_com1("BENCH error %s\n", what);
	guest_exit(1);
}

static void report(const char *name, uint64_t value)
{
	printf_com1("BENCH %s %lu\n", name, value);
}

static void skipped(const char *name)
{
	printf_com1("BENCH skipped %s\n", name);
}

static void delay(uint64_t ticks_to_wait)
{
	uint64_t end = rdtsc() + ticks_to_wait;

	while (rdtsc() < end)
		cpu_relax();
}

/*
 * Wait up to one second for *@v >= @want.  No PAUSE and no HLT: the
 * waits that end a measurement must see the flag as soon as it changes,
 * and PAUSE loops invite KVM's pause-loop exits.
 */
static bool wait_for(const volatile uint32_t *v, uint32_t want)
{
	uint64_t end = rdtsc() + one_s;

	while (*v < want)
		if (rdtsc() > end)
			return false;
	return true;
}

/* --- Local APIC ---------------------------------------------------- */

static uint32_t apic_read(uint32_t reg)
{
	return apic[reg / 4];
}

static void apic_write(uint32_t reg, uint32_t val)
{
	apic[reg / 4] = val;
}

static void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Software-enable this CPU's APIC so it accepts fixed interrupts. */
static void apic_enable(void)
{
	apic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

/* The previous IPI has left the ICR (delivery status idle), or 1 s passed. */
static bool icr_idle(void)
{
	uint64_t end = rdtsc() + one_s;

	while (apic_read(APIC_ICR_LOW) & ICR_BUSY)
		if (rdtsc() > end)
			return false;
	return true;
}

/* High word first: the write to the low word sends. */
static void icr_write(uint32_t dest, uint32_t low)
{
	apic_write(APIC_ICR_HIGH, dest << 24);
	apic_write(APIC_ICR_LOW, low);
}

/*
 * The BSP's send: @dest is a physical APIC ID.
 * Returns the TSC read right before the ICR writes, where IPI timings
 * start.
 */
static uint64_t send_ipi(uint32_t dest, uint32_t low)
{
	uint64_t t;

	if (!icr_idle())
		bench_fail("icr_busy");
	t = tsc_fenced();
	icr_write(dest, low);
	return t;
}

/* --- Interrupt handlers (entered through bench-ap.S's gates) -------- */

/* AP1: answer the BSP at once. */
void bench_ipi_request(uint64_t tsc)
{
	(void)tsc;
	apic_eoi();
	/* A stuck ICR is the BSP's timeout to report, not ours. */
	if (icr_idle())
		icr_write(bench_apic_ids[bi->bsp], ICR_ASSERT | ICR_FIXED |
			  VEC_IPI_REPLY);
}

void bench_ipi_reply(uint64_t tsc)
{
	ipi_tsc = tsc;
	ipi_done = 1;
	apic_eoi();
}

void bench_timer(uint64_t tsc)
{
	timer_tsc = tsc;
	timer_done = 1;
	apic_eoi();
}

void bench_tick(uint64_t tsc)
{
	(void)tsc;
	ticks++;
	apic_eoi();
}

/* lhv may let a late kick NMI through (see smp.c): count, carry on. */
void bench_nmi(uint64_t tsc)
{
	(void)tsc;
	__atomic_fetch_add(&nmis, 1, __ATOMIC_SEQ_CST);
}

void bench_exception(uint32_t vector, const uint64_t *frame)
{
	uint64_t rip = frame[(EXC_ERRCODE_MASK >> vector) & 1];

	printf_com1("bench: exception %u at rip %lx on APIC ID %u\n", vector,
		    rip, cpuid_apic_id());
	bench_fail("exception");
}

/* --- Setup --------------------------------------------------------- */

static bool boot_info_valid(void)
{
	return bi->magic == BOOT_INFO_MAGIC &&
	       bi->version == BOOT_INFO_VERSION && bi->nr_cpus &&
	       bi->nr_cpus <= BOOT_INFO_MAX_CPUS && bi->bsp < bi->nr_cpus &&
	       bi->tsc_per_ms;
}

/* AMD and Hygon have SVM: VMMCALL.  Everyone else: VMCALL. */
static bool vendor_is_amd(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	/* "AuthenticAMD" and "HygonGenuine" in EBX, EDX, ECX */
	return (b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163) ||
	       (b == 0x6f677948 && d == 0x6e65476e && c == 0x656e6975);
}

static void set_gate(uint32_t vector, uintptr_t entry)
{
	idt[vector] = idt_gate64(entry);
}

/* One IDT for every CPU: APs load bench_idtr in bench-ap.S. */
static void setup_idt(void)
{
	uint32_t v;

	for (v = 0; v < 32; v++)
		set_gate(v, bench_exc_stubs[v]);
	set_gate(VEC_NMI, (uintptr_t)bench_nmi_entry);
	set_gate(VEC_IPI_REQUEST, (uintptr_t)bench_ipi_request_entry);
	set_gate(VEC_IPI_REPLY, (uintptr_t)bench_ipi_reply_entry);
	set_gate(VEC_TIMER, (uintptr_t)bench_timer_entry);
	set_gate(VEC_TICK, (uintptr_t)bench_tick_entry);
	set_gate(VEC_SPURIOUS, (uintptr_t)bench_spurious_entry);
	bench_idtr.limit = sizeof(idt) - 1;
	bench_idtr.base = (uintptr_t)idt;
	asm volatile("lidt %0" : : "m"(bench_idtr));
}

/* The xAPIC page from IA32_APIC_BASE: enabled, not x2APIC, identity mapped. */
static void setup_apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		bench_fail("apic_disabled");
	if (base & APIC_BASE_EXTD)
		bench_fail("x2apic");
	base &= PTE_ADDR;
	if (base >> 32)
		bench_fail("apic_unmapped");
	apic = (volatile uint32_t *)(uintptr_t)base;
	apic_enable();
}

/*
 * BENCH_MMIO_GPA is already in the launcher's identity map
 * (launcher/longmode.c: 2 MiB pages over the first 4 GiB), write-back.
 * Nothing is behind it, so every access exits whatever its memory type,
 * but an OS maps device memory uncached: set PCD and PWT (PAT entry 3,
 * UC at reset) in the entry of its 2 MiB page, which is guest RAM.
 */
static void map_mmio_uncached(void)
{
	uintptr_t gpa = BENCH_MMIO_GPA;
	uint64_t cr3, *table, e;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	table = (uint64_t *)(uintptr_t)(cr3 & PTE_ADDR);
	e = table[(gpa >> 39) & 511];				/* PML4E */
	if (!(e & PTE_P))
		bench_fail("mmio_unmapped");
	table = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
	e = table[(gpa >> 30) & 511];				/* PDPTE */
	if (!(e & PTE_P) || (e & PTE_PS))
		bench_fail("mmio_unmapped");
	table = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
	if ((table[(gpa >> 21) & 511] & (PTE_P | PTE_PS)) != (PTE_P | PTE_PS))
		bench_fail("mmio_unmapped");
	table[(gpa >> 21) & 511] |= PTE_PCD | PTE_PWT;		/* PDE */
	asm volatile("invlpg (%0)" : : "r"(gpa) : "memory");
}

/* Copy the trampoline to its SIPI page with this CPU's GDT and CR3. */
static void place_trampoline(void)
{
	char *page = (char *)(uintptr_t)(BENCH_SIPI_VECTOR << 12);
	uint16_t limit = guest_gdt_end - guest_gdt - 1;
	uint32_t base = (uintptr_t)guest_gdt;
	uint64_t cr3;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	memcpy(page, bench_tramp_start, bench_tramp_end - bench_tramp_start);
	memcpy(page + (bench_tramp_gdtr - bench_tramp_start), &limit, 2);
	memcpy(page + (bench_tramp_gdtr - bench_tramp_start) + 2, &base, 4);
	memcpy(page + (bench_tramp_cr3 - bench_tramp_start), &cr3, 4);
}

/* The arrival counter in the trampoline page: each AP's first write. */
static volatile uint32_t *tramp_arrived(void)
{
	return (volatile uint32_t *)(uintptr_t)((BENCH_SIPI_VECTOR << 12) +
		(bench_tramp_arrived - bench_tramp_start));
}

/* APIC IDs for bench-ap.S, and which APs are AP1 and AP2. */
static void find_cpus(void)
{
	uint32_t i;

	bench_nr_cpus = bi->nr_cpus;
	for (i = 0; i < bi->nr_cpus; i++) {
		bench_apic_ids[i] = bi->cpus[i].apic_id;
		if (i == bi->bsp)
			continue;
		if (nr_aps < 2)
			ap_index[nr_aps] = i;
		nr_aps++;
	}
	if (cpuid_apic_id() != bench_apic_ids[bi->bsp])
		printf_com1("bench: BSP APIC ID %u, boot-info block says %u\n",
			    cpuid_apic_id(), bench_apic_ids[bi->bsp]);
}

/* --- 5: AP bring-up ------------------------------------------------- */

/*
 * An AP in 64-bit C: take interrupts and spin, ready for the IPI test.
 * @exits_at_arrival is the exit counter the trampoline read right after
 * its first instruction, that read's own exit included.
 */
void bench_ap_main(uint32_t index, uint32_t exits_at_arrival)
{
	ap_exits[index] = exits_at_arrival - ap_exit_base[index] - 1;
	apic_enable();
	/* Nothing between this read and the next INIT takes an exit. */
	ap_exit_base[index] = inl(BENCH_PORT_EXITS);
	ap_ready[index] = 1;
	/*
	 * Spin rather than halt: the IPI round trip should time the IPI
	 * path, not how long a halted CPU takes to wake up.
	 */
	irq_enable();
	for (;;)
		asm volatile("" : : : "memory");
}

/*
 * INIT to each of the @n APIC IDs at @dests, then SIPI to each; the
 * SIPIs again only if fewer than @n APs arrived 1 ms after the first
 * round.  Sets *@ticks_taken to the BSP's TSC ticks from right before the
 * first INIT to where it saw the @n-th arrival; false after a second
 * without it.  Never a shorthand: in passthrough mode the guest's ICR is
 * the real one, and "all excluding self" would reach the host's CPUs.
 */
static bool start_aps(const uint32_t *dests, uint32_t n_dests,
		      uint64_t *ticks_taken)
{
	volatile uint32_t *arrived = tramp_arrived();
	uint32_t sipi = ICR_ASSERT | ICR_STARTUP | BENCH_SIPI_VECTOR;
	uint64_t t0 = 0, t_sipi = 0, now;
	bool resent = false;
	uint32_t i, n;

	*arrived = 0;
	for (i = 0; i < n_dests; i++) {
		now = send_ipi(dests[i], ICR_ASSERT | ICR_INIT);
		if (!i)
			t0 = now;
	}
	for (i = 0; i < n_dests; i++) {
		now = send_ipi(dests[i], sipi);
		if (!i)
			t_sipi = now;
	}
	for (;;) {
		n = *arrived;
		now = tsc_fenced();	/* after the load: it saw n then */
		if (n >= n_dests || now - t0 > one_s)
			break;
		if (!resent && now - t_sipi > one_ms) {
			for (i = 0; i < n_dests; i++)
				send_ipi(dests[i], sipi);
			resent = true;
		}
	}
	/* Printed only now: COM1 output would delay seeing the arrival. */
	if (resent)
		printf_com1("bench: second SIPI sent, %u of %u arrived\n", n, n_dests);
	*ticks_taken = now - t0;
	return n >= n_dests;
}

/* "BENCH <what>_<which> <value>", e.g. ap_exits_ap1. */
static void report_ap(const char *what, const char *which, uint64_t value)
{
	printf_com1("BENCH %s_%s %lu\n", what, which, value);
}

/* The BSP's exits from @before to @after, less the IN that read @after. */
static void report_bsp_exits(const char *which, uint32_t before, uint32_t after)
{
	report_ap("ap_bsp_exits", which, after != before ? after - before - 1 : 0);
}

static void bring_up_one(const char *which, uint32_t index)
{
	uint32_t before, after;
	uint64_t t;

	ap_ready[index] = 0;
	before = inl(BENCH_PORT_EXITS);
	if (!start_aps(&bench_apic_ids[index], 1, &t))
		bench_fail(which);
	/* Before any COM1 output: each byte is two exits. */
	after = inl(BENCH_PORT_EXITS);
	report_ap("ap_bringup", which, t);
	report_bsp_exits(which, before, after);
	if (!wait_for(&ap_ready[index], 1))
		bench_fail("ap_ready");
	report_ap("ap_exits", which, ap_exits[index]);
}

static void bring_up_all(void)
{
	uint32_t i, before, after, most = 0, dests[BENCH_MAX_CPUS], n = 0;
	uint64_t t;

	for (i = 0; i < bi->nr_cpus; i++) {
		ap_ready[i] = 0;
		if (i != bi->bsp)
			dests[n++] = bench_apic_ids[i];
	}
	before = inl(BENCH_PORT_EXITS);
	if (!start_aps(dests, n, &t))
		bench_fail("ap_bringup_all");
	after = inl(BENCH_PORT_EXITS);
	report("ap_bringup_all", t);
	report_bsp_exits("all", before, after);
	for (i = 0; i < bi->nr_cpus; i++) {
		if (i == bi->bsp)
			continue;
		if (!wait_for(&ap_ready[i], 1))
			bench_fail("ap_ready");
		if (ap_exits[i] > most)
			most = ap_exits[i];
	}
	report("ap_exits_all", most);
}

static void bench_bringup(void)
{
	if (!nr_aps) {
		skipped("ap_bringup_ap1");
		skipped("ap_bringup_ap2");
		skipped("ap_bringup_all");
		return;
	}
	bring_up_one("ap1", ap_index[0]);
	if (nr_aps >= 2)
		bring_up_one("ap2", ap_index[1]);
	else
		skipped("ap_bringup_ap2");
	bring_up_all();
}

/* --- 1-4: exit costs ------------------------------------------------ */

/*
 * One op each.  Only RAX may change across the hypercall (KVM returns
 * -1000 there), so it is an in-out operand and reloaded every time.
 */
static inline __attribute__((always_inline)) void op_vmcall(void)
{
	uint64_t rax = LHV_HC_NOP;

	asm volatile("vmcall" : "+a"(rax) : : "memory");
}

static inline __attribute__((always_inline)) void op_vmmcall(void)
{
	uint64_t rax = LHV_HC_NOP;

	asm volatile("vmmcall" : "+a"(rax) : : "memory");
}

static inline __attribute__((always_inline)) void op_cpuid(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
}

static inline __attribute__((always_inline)) void op_pio(void)
{
	asm volatile("outb %%al, %0" : : "N"(PLAT_PORT_POST), "a"(0));
}

static inline __attribute__((always_inline)) void op_mmio(void)
{
	(void)*(volatile uint32_t *)(uintptr_t)BENCH_MMIO_GPA;
}

/* run_X(n): op X n times in a loop of its own, the ops inlined. */
#define DEFINE_RUN(op)						\
	static void run_##op(uint32_t n)			\
	{							\
		while (n--)					\
			op_##op();				\
	}

/*
 * What the hypervisor answers a null hypercall: lhv 0; KVM, which does
 * not know the number, -KVM_ENOSYS.  Tests check lhv's.
 */
static uint32_t hypercall_result(void)
{
	uint64_t rax = LHV_HC_NOP;

	if (amd)
		asm volatile("vmmcall" : "+a"(rax) : : "memory");
	else
		asm volatile("vmcall" : "+a"(rax) : : "memory");
	return (uint32_t)rax;
}

DEFINE_RUN(vmcall)
DEFINE_RUN(vmmcall)
DEFINE_RUN(cpuid)
DEFINE_RUN(pio)
DEFINE_RUN(mmio)

/*
 * Ticks per op: one warm-up op, then batches of BATCH until 200 ms of
 * TSC or MAX_OPS ops; the TSC is read only between batches.
 */
static void bench_op(const char *name, void (*run)(uint32_t n))
{
	uint64_t budget = OP_BUDGET_MS * one_ms, start, now;
	uint32_t ops = 0;

	run(1);
	start = tsc_fenced();
	do {
		run(BATCH);
		ops += BATCH;
		now = tsc_fenced();
	} while (now - start < budget && ops < MAX_OPS);
	printf_com1("bench: %s: %u ops in %lu ticks\n", name, ops, now - start);
	report(name, (now - start) / ops);
}

/* --- 6, 7: latencies ------------------------------------------------- */

static uint64_t median(const char *name, uint64_t *s, uint32_t n)
{
	uint32_t i, j;
	uint64_t v;

	for (i = 1; i < n; i++) {
		v = s[i];
		for (j = i; j && s[j - 1] > v; j--)
			s[j] = s[j - 1];
		s[j] = v;
	}
	printf_com1("bench: %s: min %lu, max %lu over %u samples\n", name, s[0],
		    s[n - 1], n);
	return s[n / 2];
}

/* Sample 0 is a warm-up and not kept. */
static void bench_ipi(void)
{
	uint32_t ap1 = bench_apic_ids[ap_index[0]], i;
	uint64_t t0;

	irq_enable();
	for (i = 0; i <= NR_SAMPLES; i++) {
		ipi_done = 0;
		t0 = send_ipi(ap1, ICR_ASSERT | ICR_FIXED | VEC_IPI_REQUEST);
		if (!wait_for(&ipi_done, 1))
			bench_fail("ipi_roundtrip");
		if (i)
			samples[i - 1] = ipi_tsc - t0;
		delay(SETTLE_US * one_ms / 1000);
	}
	irq_disable();
	report("ipi_roundtrip", median("ipi_roundtrip", samples, NR_SAMPLES));
}

/*
 * The timer's current count and the TSC of the same moment: halfway
 * between TSC reads around the register read, which may itself exit.
 */
static void timer_now(uint64_t *tsc, uint32_t *count)
{
	uint64_t before = tsc_fenced();

	*count = apic_read(APIC_TIMER_CUR);
	*tsc = before + (tsc_fenced() - before) / 2;
}

/* TSC ticks per timer tick (<< 16) over ~10 ms of a masked one-shot. */
static void calibrate_timer(void)
{
	uint64_t t0, t1;
	uint32_t c0, c1;

	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TIMER_DIV, TIMER_DIV_1);
	apic_write(APIC_TIMER_INIT, 0xffffffff);
	timer_now(&t0, &c0);
	delay(CALIBRATE_MS * one_ms);
	timer_now(&t1, &c1);
	apic_write(APIC_TIMER_INIT, 0);
	if (c1 >= c0)
		bench_fail("timer_calibration");
	tsc_per_tick_fp = ((t1 - t0) << 16) / (c0 - c1);
	ticks_per_ms = tsc_per_tick_fp ?
		       (bi->tsc_per_ms << 16) / tsc_per_tick_fp : 0;
	if (!ticks_per_ms)
		bench_fail("timer_calibration");
	printf_com1("bench: LAPIC timer: %lu/65536 TSC ticks per tick, %u ticks per ms\n",
		    tsc_per_tick_fp, ticks_per_ms);
}

/*
 * Each sample arms the one-shot timer for ~100 us, reads where it
 * stands right after the write and so predicts the expiry on the TSC;
 * the value is how much later the handler ran.  Sample 0 is a warm-up.
 */
static void bench_timer_latency(void)
{
	uint32_t count, i, early = 0;
	uint32_t initial = ticks_per_ms * ONE_SHOT_US / 1000 ?: 1;
	uint64_t t, expiry, fired;

	apic_write(APIC_TIMER_DIV, TIMER_DIV_1);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);		/* one-shot */
	irq_enable();
	for (i = 0; i <= NR_SAMPLES; i++) {
		timer_done = 0;
		apic_write(APIC_TIMER_INIT, initial);
		timer_now(&t, &count);
		expiry = t + (((uint64_t)count * tsc_per_tick_fp) >> 16);
		if (!wait_for(&timer_done, 1))
			bench_fail("timer_latency");
		fired = timer_tsc;
		if (i) {
			early += fired < expiry;
			samples[i - 1] = fired < expiry ? 0 : fired - expiry;
		}
		delay(SETTLE_US * one_ms / 1000);
	}
	irq_disable();
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TIMER_INIT, 0);
	printf_com1("bench: timer_latency: %u of %u samples early (counted as 0)\n",
		    early, NR_SAMPLES);
	report("timer_latency", median("timer_latency", samples, NR_SAMPLES));
}

/*
 * Register-only work until @ticks_to_run of TSC passed: xorshift64, its
 * result stored once per 4096 rounds so the compiler keeps the loop.
 */
static void compute(uint64_t ticks_to_run)
{
	uint64_t end = tsc_fenced() + ticks_to_run, x = 0x9e3779b97f4a7c15ull;
	uint32_t i;

	do {
		for (i = 0; i < 4096; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		compute_sink = x;
	} while (tsc_fenced() < end);
}

/*
 * A 1 kHz periodic timer over a second of compute: the exits it costs
 * (the exit counter's reads bracket the compute; one of them is itself
 * an exit) and the ticks that arrived.  Interrupts are off while the
 * timer is programmed and the counters read, so neither counts that.
 */
static void bench_timer_exits(void)
{
	uint32_t before, after, n;

	irq_disable();
	apic_write(APIC_TIMER_DIV, TIMER_DIV_1);
	apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VEC_TICK);
	apic_write(APIC_TIMER_INIT, ticks_per_ms);
	before = inl(BENCH_PORT_EXITS);
	ticks = 0;
	irq_enable();
	compute(COMPUTE_MS * one_ms);
	irq_disable();
	after = inl(BENCH_PORT_EXITS);
	n = ticks;
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TICK);
	apic_write(APIC_TIMER_INIT, 0);
	/* after == before: the launcher counted no exit, not even the IN. */
	report("timer_exits", after != before ? after - before - 1 : 0);
	report("timer_ticks", n);
}

uint32_t guest_main(uint64_t ram_size)
{
	(void)ram_size;
	amd = vendor_is_amd();
	report("vendor", amd);
	if (!boot_info_valid())
		bench_fail("bootinfo");
	report("cpus", bi->nr_cpus);
	one_ms = bi->tsc_per_ms;
	one_s = 1000 * one_ms;

	find_cpus();
	setup_idt();
	setup_apic();
	map_mmio_uncached();
	place_trampoline();

	bench_bringup();
	report("hypercall_eax", hypercall_result());
	bench_op("hypercall", amd ? run_vmmcall : run_vmcall);
	bench_op("cpuid", run_cpuid);
	bench_op("pio", run_pio);
	bench_op("mmio", run_mmio);
	if (nr_aps)
		bench_ipi();
	else
		skipped("ipi_roundtrip");
	calibrate_timer();
	bench_timer_latency();
	bench_timer_exits();

	if (nmis)
		printf_com1("bench: %u NMIs came in (ignored)\n", nmis);
	report("done", 1);
	return 0;
}
