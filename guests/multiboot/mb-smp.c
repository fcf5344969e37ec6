// SPDX-License-Identifier: GPL-2.0
/*
 * mb-smp: a multiboot (v1) test kernel for lhv-run's multiboot loader and
 * SMP platform, which runs unchanged under QEMU (-kernel).  The BSP checks
 * what the loader handed over, reads the CPU count from fw_cfg, starts
 * every AP by broadcast INIT-SIPI-SIPI, waits for all of them to report
 * in, then sends each a fixed-vector IPI whose handler leaves a token
 * only that AP computes.  The result goes to the debug-exit port: 0, or
 * one of the codes listed in mb-smp.h.
 *
 * Command line: mb-smp.expect=N fails the run unless fw_cfg reports N CPUs.
 */
#include "mb-smp.h"
#include "io.h"
#include "platform.h"

#define MB_LOADER_MAGIC		0x2badb002
#define MBI_MEM			(1u << 0)
#define MBI_CMDLINE		(1u << 2)
#define MBI_MMAP		(1u << 6)
#define E820_RAM		1

#define AP_ONLINE_MS		3000	/* APs report in within this */
#define IPI_MS			1000	/* every AP has run the function */
#define INIT_DELAY_US		10000	/* MP spec B.4 / SDM 3A 8.4.4.1 */
#define SIPI_DELAY_US		200

#define EXPECT_OPT		"mb-smp.expect="
#define GATE_INTR32		0x8e	/* present, DPL 0, 32-bit interrupt gate */

/* The function each AP runs: a token only its own APIC ID gives. */
#define TOKEN(id)		(0x4d530000u | ((id) << 8) | (~(id) & 0xff))

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;	/* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_mmap {
	uint32_t size;			/* of the rest of the entry */
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

/* What entry.S's stubs leave on the stack: pusha, vector, error, iret. */
struct int_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
};

struct ap {
	uint32_t apic_id;
	uint32_t up;			/* apic_id is valid */
};

/* entry.S, trampoline.S */
extern const char isr_stubs[], tramp_start[], tramp_end[];
extern uint32_t ap_slots_taken;
void bsp_main(uint32_t magic, const struct mb_info *mbi, uint32_t bss_dirty);
void ap_main(uint32_t slot);
void mb_interrupt(struct int_frame *f);

static struct idt_gate idt[256];
static struct {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed)) idtr;

static struct ap aps[MB_MAX_APS];
static uint32_t aps_online;
static uint32_t tokens[256];		/* by APIC ID */
static uint32_t ipi_runs;

void mb_exit(uint32_t code)
{
	/* isa-debug-exit ends the VM here; anywhere else, just stop. */
	outl(code, PLAT_PORT_DEBUG_EXIT);
	for (;;)
		asm volatile("cli; hlt");
}

void mb_fail(uint32_t code, const char *fmt, ...)
{
	va_list ap;

	mb_printf("mb-smp: FAIL (code %u): ", code);
	va_start(ap, fmt);
	mb_vprintf(fmt, ap);
	va_end(ap);
	mb_printf("\n");
	mb_exit(code);
}

void mb_interrupt(struct int_frame *f)
{
	uint32_t id;

	if (f->vector == IPI_VECTOR) {
		id = lapic_id();
		__atomic_store_n(&tokens[id], TOKEN(id), __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&ipi_runs, 1, __ATOMIC_SEQ_CST);
		lapic_eoi();
		return;
	}
	if (f->vector == SPURIOUS_VECTOR)	/* no EOI for these */
		return;
	if (f->vector < 32)
		mb_fail(MB_E_EXCEPTION, "exception %u, error code 0x%x, EIP 0x%x, APIC ID %u",
			f->vector, f->error, f->eip, lapic_id());
	mb_fail(MB_E_VECTOR, "unexpected interrupt vector 0x%x, EIP 0x%x, APIC ID %u",
		f->vector, f->eip, lapic_id());
}

static void setup_idt(void)
{
	uint32_t i, h;

	for (i = 0; i < 256; i++) {
		h = (uint32_t)isr_stubs + i * ISR_STUB_SIZE;
		idt[i] = (struct idt_gate){ .off_lo = h, .sel = CODE_SEL,
					    .type = GATE_INTR32, .off_hi = h >> 16 };
	}
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint32_t)idt;
	asm volatile("lidt %0" : : "m"(idtr));
}

/* The value of mb-smp.expect=, 0 if absent (a CPU count is never 0). */
static uint32_t parse_expect(const char *cmd)
{
	const char *p = cmd;
	uint32_t n = 0;

	while (*p) {
		if ((p == cmd || p[-1] == ' ') &&
		    !memcmp(p, EXPECT_OPT, sizeof(EXPECT_OPT) - 1))
			break;
		p++;
	}
	if (!*p)
		return 0;
	p += sizeof(EXPECT_OPT) - 1;
	if (*p < '0' || *p > '9')
		mb_fail(MB_E_CMDLINE, "%s needs a number", EXPECT_OPT);
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > 0xffff)
			mb_fail(MB_E_CMDLINE, "%s value too large", EXPECT_OPT);
	}
	if (*p && *p != ' ')
		mb_fail(MB_E_CMDLINE, "%s: junk after the number", EXPECT_OPT);
	if (!n)
		mb_fail(MB_E_CMDLINE, "%s0 makes no sense", EXPECT_OPT);
	return n;
}

/* Check and print the info; return mb-smp.expect (0: none). */
static uint32_t check_mb_info(const struct mb_info *mbi)
{
	uint32_t off, expect = 0;
	const struct mb_mmap *e;
	bool tramp_ram = false;

	mb_printf("mb-smp: multiboot info at 0x%x, flags 0x%x\n",
		  (uint32_t)mbi, mbi->flags);
	if (!(mbi->flags & MBI_MEM))
		mb_fail(MB_E_INFO, "no mem_lower/mem_upper (info flags bit 0)");
	mb_printf("mb-smp: mem_lower %u KiB, mem_upper %u KiB\n",
		  mbi->mem_lower, mbi->mem_upper);
	if (!mbi->mem_upper)
		mb_fail(MB_E_INFO, "mem_upper is 0");
	if (!(mbi->flags & MBI_MMAP) || !mbi->mmap_length)
		mb_fail(MB_E_INFO, "no memory map (info flags bit 6)");
	/* Each entry's size field excludes itself, hence the + 4. */
	for (off = 0; off < mbi->mmap_length; off += e->size + 4) {
		e = (const struct mb_mmap *)(mbi->mmap_addr + off);
		/* A bogus size would walk off the map, or loop forever. */
		if (e->size < sizeof(*e) - 4 || e->size > mbi->mmap_length)
			mb_fail(MB_E_INFO, "mmap entry at 0x%x has size %u",
				(uint32_t)e, e->size);
		mb_printf("mb-smp: mmap 0x%llx-0x%llx type %u\n",
			  e->base, e->base + e->len - 1, e->type);
		if (e->type == E820_RAM && e->base <= TRAMPOLINE_ADDR &&
		    e->base + e->len >= TRAMPOLINE_ADDR + 0x1000)
			tramp_ram = true;
	}
	if (!tramp_ram)
		mb_fail(MB_E_INFO, "trampoline page 0x%x is not RAM in the map",
			TRAMPOLINE_ADDR);
	if (mbi->flags & MBI_CMDLINE && mbi->cmdline) {
		mb_printf("mb-smp: command line \"%s\"\n",
			  (const char *)mbi->cmdline);
		expect = parse_expect((const char *)mbi->cmdline);
	}
	return expect;
}

/* fw_cfg's CPU count, checked against @expect; prints the RAM size too. */
static uint32_t read_fw_cfg(uint32_t expect)
{
	char sig[4];
	uint16_t ncpu;
	uint64_t ram;

	fw_cfg_read(PLAT_FW_CFG_SIGNATURE, sig, sizeof(sig));
	if (memcmp(sig, "QEMU", 4))
		mb_fail(MB_E_FW_CFG, "fw_cfg signature %x %x %x %x, not \"QEMU\"",
			sig[0] & 0xff, sig[1] & 0xff, sig[2] & 0xff, sig[3] & 0xff);
	/* Both little-endian, as is this CPU. */
	fw_cfg_read(PLAT_FW_CFG_NB_CPUS, &ncpu, sizeof(ncpu));
	fw_cfg_read(PLAT_FW_CFG_RAM_SIZE, &ram, sizeof(ram));
	mb_printf("mb-smp: fw_cfg: %u CPUs, RAM 0x%llx bytes (%u MiB)\n",
		  ncpu, ram, (uint32_t)(ram >> 20));
	if (!ncpu || ncpu > MB_MAX_CPUS)
		mb_fail(MB_E_NR_CPUS, "fw_cfg CPU count %u, want 1..%u",
			ncpu, MB_MAX_CPUS);
	if (expect && ncpu != expect)
		mb_fail(MB_E_EXPECT, "fw_cfg reports %u CPUs, command line expects %u",
			ncpu, expect);
	return ncpu;
}

void ap_main(uint32_t slot)
{
	asm volatile("lidt %0" : : "m"(idtr));
	lapic_enable();
	aps[slot].apic_id = lapic_id();
	aps[slot].up = 1;
	/* Locked: the BSP reads it, and the other APs add to it too. */
	__atomic_fetch_add(&aps_online, 1, __ATOMIC_SEQ_CST);
	/* Idle until the IPI; sti's one-instruction shadow covers the hlt. */
	for (;;)
		asm volatile("sti; hlt" : : : "memory");
}

static void send(uint32_t dest, uint32_t icr_low)
{
	if (lapic_send(dest, icr_low))
		mb_fail(MB_E_ICR, "ICR still busy (APIC ID %u, ICR 0x%x)",
			dest, icr_low);
}

/*
 * INIT, 10 ms, SIPI, 200 us, SIPI: the MP spec's universal start-up
 * sequence.  INIT puts the APs in wait-for-SIPI; the second SIPI is for
 * a CPU that missed the first, and one already running ignores it.  A
 * broadcast ("all excluding self") starts every AP without knowing the
 * APIC IDs, which only the MP or ACPI tables would tell us.
 */
static void start_aps(void)
{
	memcpy((void *)TRAMPOLINE_ADDR, tramp_start, tramp_end - tramp_start);
	send(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT);
	udelay(INIT_DELAY_US);
	send(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | SIPI_VECTOR);
	udelay(SIPI_DELAY_US);
	send(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | SIPI_VECTOR);
}

static void wait_aps(uint32_t naps, uint32_t bsp_id)
{
	struct pit_deadline d;
	uint32_t i, j, up;

	pit_deadline_start(&d, AP_ONLINE_MS);
	while (__atomic_load_n(&aps_online, __ATOMIC_SEQ_CST) < naps) {
		if (!pit_deadline_passed(&d))
			continue;
		up = __atomic_load_n(&aps_online, __ATOMIC_SEQ_CST);
		mb_printf("mb-smp: %u of %u APs online after %u ms; up:",
			  up, naps, AP_ONLINE_MS);
		for (i = 0; i < MB_MAX_APS; i++)
			if (aps[i].up)
				mb_printf(" %u", aps[i].apic_id);
		mb_printf("\n");
		mb_fail(MB_E_AP_TIMEOUT, "%u CPUs missing (%u took a stack)",
			naps - up, __atomic_load_n(&ap_slots_taken, __ATOMIC_SEQ_CST));
	}
	if (__atomic_load_n(&ap_slots_taken, __ATOMIC_SEQ_CST) != naps)
		mb_fail(MB_E_AP_EXTRA, "%u APs started, fw_cfg says %u",
			ap_slots_taken, naps);
	/* Slots 0..naps-1 are exactly the APs that counted themselves. */
	for (i = 0; i < naps; i++) {
		mb_printf("mb-smp: cpu %u online\n", aps[i].apic_id);
		if (aps[i].apic_id == bsp_id)
			mb_fail(MB_E_AP_ID, "an AP has the BSP's APIC ID %u", bsp_id);
		for (j = 0; j < i; j++)
			if (aps[j].apic_id == aps[i].apic_id)
				mb_fail(MB_E_AP_ID, "two APs have APIC ID %u",
					aps[i].apic_id);
	}
}

static void ipi_aps(uint32_t naps)
{
	struct pit_deadline d;
	uint32_t i, id, t;

	for (i = 0; i < naps; i++)
		send(aps[i].apic_id, ICR_ASSERT | ICR_FIXED | IPI_VECTOR);
	pit_deadline_start(&d, IPI_MS);
	while (__atomic_load_n(&ipi_runs, __ATOMIC_SEQ_CST) < naps &&
	       !pit_deadline_passed(&d))
		cpu_relax();
	for (i = 0; i < naps; i++) {
		id = aps[i].apic_id;
		t = __atomic_load_n(&tokens[id], __ATOMIC_SEQ_CST);
		if (!t)
			mb_fail(MB_E_IPI, "cpu %u did not run the function in %u ms",
				id, IPI_MS);
		if (t != TOKEN(id))
			mb_fail(MB_E_TOKEN, "cpu %u left token 0x%x, want 0x%x",
				id, t, TOKEN(id));
		mb_printf("mb-smp: cpu %u ran the function\n", id);
	}
	/* A duplicate delivery would have had time to land by now. */
	if (__atomic_load_n(&ipi_runs, __ATOMIC_SEQ_CST) != naps)
		mb_fail(MB_E_TOKEN, "%u IPI handler runs for %u IPIs",
			ipi_runs, naps);
}

void bsp_main(uint32_t magic, const struct mb_info *mbi, uint32_t bss_dirty)
{
	uint32_t expect, ncpu, bsp_id;

	setup_idt();
	console_init();
	mb_printf("mb-smp: started, EAX 0x%x, EBX 0x%x\n", magic, (uint32_t)mbi);
	if (magic != MB_LOADER_MAGIC)
		mb_fail(MB_E_MAGIC, "EAX 0x%x, want 0x%x", magic, MB_LOADER_MAGIC);
	if (bss_dirty)
		mb_fail(MB_E_BSS, ".bss not zeroed by the loader");
	expect = check_mb_info(mbi);
	ncpu = read_fw_cfg(expect);
	lapic_enable();
	bsp_id = lapic_id();
	mb_printf("mb-smp: BSP APIC ID %u, starting %u APs\n", bsp_id, ncpu - 1);
	start_aps();
	wait_aps(ncpu - 1, bsp_id);
	ipi_aps(ncpu - 1);
	if (__atomic_load_n(&ap_slots_taken, __ATOMIC_SEQ_CST) != ncpu - 1)
		mb_fail(MB_E_AP_EXTRA, "%u APs started late, fw_cfg says %u",
			ap_slots_taken, ncpu - 1);
	mb_printf("mb-smp: %u CPUs up, IPIs ok\n", ncpu);
	mb_exit(MB_OK);
}
