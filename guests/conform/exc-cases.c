// SPDX-License-Identifier: GPL-2.0
/*
 * conf-exc's table: every exception a program can raise itself, each by
 * one instruction (SDM 3A 6.15, "Exception and Interrupt Reference").
 * A case function runs at CPL 0 or 3, raises its exception once, and
 * returns the RIP the handler's frame must show: the instruction's for a
 * fault, the next one's for a trap.
 */
#include "exc.h"

#define NONCANON	"0x8000000000000000"
#define PF_BASE		0x200000ul	/* the 2 MiB that pf_pages_init() splits */
#define PF_NP		(PF_BASE + 0x1000)
#define PF_RO		(PF_BASE + 0x2000)
#define PF_SUP		(PF_BASE + 0x3000)
#define PF_NX		(PF_BASE + 0x4000)
#define PF_RSVD		(PF_BASE + 0x5000)
#define PTE_P		0x1ul
#define PTE_W		0x2ul
#define PTE_U		0x4ul
#define PTE_NX		(1ul << 63)
#define PFEC_P		0x1
#define PFEC_W		0x2
#define PFEC_U		0x4
#define PFEC_RSVD	0x8
#define PFEC_I		0x10
#define DR6_B0		0x1ul
#define DR6_BS		(1ul << 14)
#define DR7_L0		0x1ul
#define DR7_W0_4	(0x1ul << 16 | 0x3ul << 18)	/* write, 4 bytes */
#define DR7_RESET	0x400ul
#define MMIO_HOLE	"0xd0000000"
#define SET_TF		"pushf\n\torq $0x100, (%%rsp)\n\tpopf"
#define SET_AC		"pushf\n\torq $0x40000, (%%rsp)\n\tpopf"
#define BAD_MSR		0xdeadbeef

volatile struct expect expect;
static uint64_t pf_pt[512] __attribute__((aligned(4096)));
static uint32_t bp_data;
static bool pf_rsvd_ok;

static unsigned int cpl(void)
{
	uint16_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

static int64_t pfec_u(void)
{
	return cpl() == 3 ? PFEC_U : 0;
}

/*
 * The 2 MiB page at PF_BASE as 4 KiB pages, each making one kind of
 * #PF.  A reserved bit exists only below bit 52 and above MAXPHYADDR.
 */
void pf_pages_init(void)
{
	uint32_t a, b, c, d, maxphy;
	unsigned int i;

	for (i = 0; i < 512; i++)
		pf_pt[i] = (PF_BASE + i * 4096) | PTE_P | PTE_W | PTE_U;
	pf_pt[1] = 0;
	pf_pt[2] &= ~PTE_W;
	pf_pt[3] &= ~PTE_U;
	pf_pt[4] |= PTE_NX;
	cpuid(0x80000008, 0, &a, &b, &c, &d);
	maxphy = a & 0xff;
	pf_rsvd_ok = maxphy && maxphy < 52;
	if (pf_rsvd_ok)
		pf_pt[5] |= 1ul << 51;
	pd[1] = (uintptr_t)pf_pt | PTE_P | PTE_W | PTE_U;
	write_cr3(read_cr3());
}

/* #DE */
static uint64_t c_de_div(void)
{
	uint64_t at, a = 1, d = 0;

	asm volatile("xor %%ecx, %%ecx\n\t" TRY("div %%ecx")
		     : [at] "=&r"(at), "+a"(a), "+d"(d) : : "rcx", "r11", "memory");
	return at;
}

static uint64_t c_de_idiv(void)
{
	uint64_t at, a = 1ul << 63, d = ~0ul;

	asm volatile("mov $-1, %%rcx\n\t" TRY("idiv %%rcx")
		     : [at] "=&r"(at), "+a"(a), "+d"(d) : : "rcx", "r11", "memory");
	return at;
}

/* #DB: single steps, over plain and over intercepted instructions. */
static uint64_t c_db_step(void)
{
	uint64_t at;

	expect.dr6 = DR6_BS;
	asm volatile(TRY_TRAP_PRE(SET_TF, "nop") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

static uint64_t c_db_step_cpuid(void)
{
	uint64_t at;

	expect.dr6 = DR6_BS;
	asm volatile(TRY_TRAP_PRE(SET_TF, "cpuid")
		     : [at] "=&r"(at) : "a"(0), "c"(0) : "rbx", "rdx", "r11", "memory");
	return at;
}

static uint64_t c_db_step_out(void)
{
	uint64_t at;

	expect.dr6 = DR6_BS;
	asm volatile(TRY_TRAP_PRE(SET_TF, "outb %%al, $0x80")
		     : [at] "=&r"(at) : "a"(0) : "r11", "memory");
	return at;
}

static uint64_t c_db_step_in(void)
{
	uint64_t at;

	expect.dr6 = DR6_BS;
	asm volatile(TRY_TRAP_PRE(SET_TF, "inl $0xf6, %%eax")
		     : [at] "=&r"(at) : : "rax", "r11", "memory");
	return at;
}

static uint64_t c_db_step_rdmsr(void)
{
	uint64_t at;

	expect.dr6 = DR6_BS;
	asm volatile(TRY_TRAP_PRE(SET_TF, "rdmsr")
		     : [at] "=&r"(at) : "c"(MSR_EFER) : "rax", "rdx", "r11", "memory");
	return at;
}

static uint64_t c_db_step_mmio(void)
{
	uint64_t at;

	expect.dr6 = DR6_BS;
	asm volatile("mov $" MMIO_HOLE ", %%ecx\n\t"
		     TRY_TRAP_PRE(SET_TF, "mov (%%rcx), %%eax")
		     : [at] "=&r"(at) : : "rax", "rcx", "r11", "memory");
	return at;
}

/* A breakpoint on the instruction at bp_exec_target (DR0, execute). */
static bool s_db_exec(void)
{
	extern const char bp_exec_target[];

	write_dr0((uintptr_t)bp_exec_target);
	write_dr7(DR7_RESET | DR7_L0);
	return true;
}

static bool s_db_write(void)
{
	write_dr0((uintptr_t)&bp_data);
	write_dr7(DR7_RESET | DR7_L0 | DR7_W0_4);
	return true;
}

static void t_db(void)
{
	write_dr7(DR7_RESET);
	write_dr0(0);
}

static __attribute__((noinline, noclone)) uint64_t c_db_exec(void)
{
	uint64_t at;

	expect.dr6 = DR6_B0;
	asm volatile(TRY_PRE(".globl bp_exec_target", "bp_exec_target: nop")
		     : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

static uint64_t c_db_write(void)
{
	uint64_t at;

	expect.dr6 = DR6_B0;
	asm volatile(TRY_TRAP("movl $1, %[v]")
		     : [at] "=&r"(at), [v] "=m"(bp_data) : : "r11", "memory");
	return at;
}

static uint64_t c_db_icebp(void)
{
	uint64_t at;

	asm volatile(TRY_TRAP(".byte 0xf1") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

/* #BP, #OF and INT n: traps, the frame points after the instruction. */
static uint64_t c_bp_int3(void)
{
	uint64_t at;

	asm volatile(TRY_TRAP("int3") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

#define INT_CASE(n) \
static uint64_t c_int_##n(void) \
{ \
	uint64_t at; \
\
	asm volatile(TRY_TRAP("int $" #n) : [at] "=&r"(at) : : "r11", "memory"); \
	return at; \
}
INT_CASE(2)
INT_CASE(3)
INT_CASE(4)
INT_CASE(0x20)
INT_CASE(0x40)
INT_CASE(0xff)

/* Through a DPL-0 gate from CPL 3: #GP(vector << 3 | IDT). */
#define INT_GP_CASE(n) \
static uint64_t c_int_gp_##n(void) \
{ \
	uint64_t at; \
\
	expect.error = (n) << 3 | 2; \
	asm volatile(TRY("int $" #n) : [at] "=&r"(at) : : "r11", "memory"); \
	return at; \
}
INT_GP_CASE(2)
INT_GP_CASE(0x40)

static uint64_t c_into_64(void)
{
	uint64_t at;

	asm volatile(TRY(".byte 0xce") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

/* INTO and BOUND, and a #UD, in compatibility mode. */
static uint64_t c_of_into(void)
{
	trap_fixup_rip = (uintptr_t)c32_into_next;
	compat_call((uintptr_t)c32_into);
	return (uintptr_t)c32_into_next;
}

static uint64_t c_br_bound(void)
{
	trap_fixup_rip = (uintptr_t)c32_bound_next;
	compat_call((uintptr_t)c32_bound);
	return (uintptr_t)c32_bound_at;
}

static uint64_t c_ud_compat(void)
{
	trap_fixup_rip = (uintptr_t)c32_ud2_next;
	compat_call((uintptr_t)c32_ud2);
	return (uintptr_t)c32_ud2_at;
}

/* #UD */
static uint64_t c_ud_ud2(void)
{
	uint64_t at;

	asm volatile(TRY("ud2") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

static uint64_t c_ud_lock(void)
{
	uint64_t at;

	asm volatile(TRY(".byte 0xf0, 0x90") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

/* #NM and #UD by CR0.TS and CR0.EM. */
static bool s_ts(void)
{
	write_cr0(read_cr0() | CR0_TS);
	return true;
}

static bool s_em(void)
{
	write_cr0(read_cr0() | CR0_EM);
	return true;
}

static void t_ts_em(void)
{
	write_cr0(read_cr0() & ~(CR0_TS | CR0_EM));
}

static uint64_t c_x87(void)
{
	uint64_t at;

	asm volatile(TRY("fnop") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

static uint64_t c_sse(void)
{
	uint64_t at;

	asm volatile(TRY("movaps %%xmm0, %%xmm1") : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

/* #NP: a data segment that is not present; a gate that is not. */
static uint64_t c_np_ds(void)
{
	uint64_t at;

	expect.error = NP3_SEL;
	asm volatile(TRY("mov %%eax, %%ds")
		     : [at] "=&r"(at) : "a"(NP3_SEL) : "r11", "memory");
	return at;
}

static uint64_t c_np_gate(void)
{
	uint64_t at;

	expect.error = VEC_NP_GATE << 3 | 2;
	asm volatile(TRY("int %[v]")
		     : [at] "=&r"(at) : [v] "i"(VEC_NP_GATE) : "r11", "memory");
	return at;
}

/* #SS: non-canonical stack references, a stack segment not present. */
static uint64_t c_ss_rbp(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile(TRY_PRE("push %%rbp\n\tmovabs $" NONCANON ", %%rbp",
			     "mov (%%rbp), %%rax")
		     "pop %%rbp"
		     : [at] "=&r"(at) : : "rax", "r11", "memory");
	return at;
}

static uint64_t c_ss_push(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile(TRY_PRE("mov %%rsp, trap_fixup_rsp(%%rip)\n\t"
			     "movabs $0x8000000000000010, %%rsp",
			     "push %%rax")
		     : [at] "=&r"(at) : : "r11", "memory");
	return at;
}

/*
 * A CPU that raised #GP instead would push its frame at the bad RSP and
 * double-fault: #GP gets IST1 too, so the case can report it.
 */
static bool s_ist13(void)
{
	idt_set_ist(13, 1);
	return true;
}

static void t_ist13(void)
{
	idt_set_ist(13, 0);
}

static uint64_t c_ss_np(void)
{
	uint32_t sel = cpl() == 3 ? NP3_SEL | 3 : NP0_SEL;
	uint64_t at;

	expect.error = sel & ~3;
	asm volatile(TRY("mov %%eax, %%ss")
		     : [at] "=&r"(at) : "a"(sel) : "r11", "memory");
	return at;
}

/* #GP with error code 0 */
static uint64_t c_gp_noncanon(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile("movabs $" NONCANON ", %%rcx\n\t" TRY("mov (%%rcx), %%rax")
		     : [at] "=&r"(at) : : "rax", "rcx", "r11", "memory");
	return at;
}

static uint64_t gp_wrmsr(uint32_t msr, uint64_t v)
{
	uint64_t at;

	expect.error = 0;
	asm volatile(TRY("wrmsr")
		     : [at] "=&r"(at)
		     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "r11", "memory");
	return at;
}

static uint64_t c_gp_wrmsr_bad(void)
{
	return gp_wrmsr(BAD_MSR, 0);
}

static uint64_t c_gp_fs_base(void)
{
	return gp_wrmsr(0xc0000100, 1ul << 63);
}

static uint64_t c_gp_gs_base(void)
{
	return gp_wrmsr(0xc0000101, 1ul << 63);
}

static uint64_t c_gp_kgs_base(void)
{
	return gp_wrmsr(0xc0000102, 1ul << 63);
}

static uint64_t c_gp_efer_rsvd(void)
{
	return gp_wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1ul << 2);
}

static uint64_t c_gp_rdmsr(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile(TRY("rdmsr")
		     : [at] "=&r"(at) : "c"(BAD_MSR) : "rax", "rdx", "r11", "memory");
	return at;
}

/*
 * Reserved control-register bits.  CR4 bit 15 is reserved on Intel and
 * AMD; CR0's reserved bits 31:0 are ignored, so CR0 gets NW without CD
 * and a bit of 63:32.
 */
/* A CPU that took the value must not keep it. */
static void t_cr(void)
{
	write_cr0(read_cr0() & ~(1ul << 29));
	write_cr4(read_cr4() & ~(1ul << 15));
}

static uint64_t c_gp_cr4_rsvd(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile("mov %%cr4, %%rax\n\tbts $15, %%rax\n\t" TRY("mov %%rax, %%cr4")
		     : [at] "=&r"(at) : : "rax", "r11", "memory");
	return at;
}

static uint64_t c_gp_cr0_nw(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile("mov %%cr0, %%rax\n\tbtr $30, %%rax\n\tbts $29, %%rax\n\t"
		     TRY("mov %%rax, %%cr0")
		     : [at] "=&r"(at) : : "rax", "r11", "memory");
	return at;
}

static uint64_t c_gp_cr0_high(void)
{
	uint64_t at;

	expect.error = 0;
	asm volatile("mov %%cr0, %%rax\n\tbts $32, %%rax\n\t" TRY("mov %%rax, %%cr0")
		     : [at] "=&r"(at) : : "rax", "r11", "memory");
	return at;
}

/* Privileged instructions at CPL 3. */
#define PRIV_CASE(name, insn, ...) \
static uint64_t c_gp_##name(void) \
{ \
	uint64_t at; \
\
	expect.error = 0; \
	asm volatile(TRY(insn) : [at] "=&r"(at) : __VA_ARGS__); \
	return at; \
}
PRIV_CASE(hlt, "hlt", : "r11", "memory")
PRIV_CASE(cli, "cli", : "r11", "memory")
PRIV_CASE(out, "outb %%al, $0x80", "a"(0) : "r11", "memory")
PRIV_CASE(in, "inb $0x80, %%al", : "rax", "r11", "memory")
PRIV_CASE(rdmsr3, "rdmsr", "c"(MSR_EFER) : "rax", "rdx", "r11", "memory")
PRIV_CASE(movcr, "mov %%cr0, %%rax", : "rax", "r11", "memory")
PRIV_CASE(clts, "clts", : "r11", "memory")
PRIV_CASE(ss_null, "mov %%eax, %%ss", "a"(0) : "r11", "memory")

/* #GP(selector) */
static uint64_t c_gp_ljmp(void)
{
	static struct {
		uint32_t off;
		uint16_t sel;
	} __attribute__((packed)) far = { 0, 0xfff8 };
	uint64_t at;

	expect.error = 0xfff8;
	asm volatile(TRY("ljmpl *(%%rax)") : [at] "=&r"(at) : "a"(&far) : "r11", "memory");
	return at;
}

static uint64_t c_gp_ds_tss(void)
{
	uint64_t at;

	expect.error = TSS_SEL;
	asm volatile(TRY("mov %%eax, %%ds") : [at] "=&r"(at) : "a"(TSS_SEL) : "r11", "memory");
	return at;
}

/* #PF: CR2 and the error code. */
static uint64_t pf_access(uint64_t addr, bool write, int64_t err)
{
	uint64_t at;

	expect.error = err | pfec_u();
	expect.cr2 = addr;
	if (write)
		asm volatile(TRY("movl $1, (%%rcx)")
			     : [at] "=&r"(at) : "c"(addr) : "r11", "memory");
	else
		asm volatile(TRY("movl (%%rcx), %%eax")
			     : [at] "=&r"(at) : "c"(addr) : "rax", "r11", "memory");
	return at;
}

static uint64_t c_pf_np_read(void)
{
	return pf_access(PF_NP + 0x10, false, 0);
}

static uint64_t c_pf_np_write(void)
{
	return pf_access(PF_NP + 0x20, true, PFEC_W);
}

static uint64_t c_pf_ro_write(void)
{
	return pf_access(PF_RO + 0x30, true, PFEC_P | PFEC_W);
}

static uint64_t c_pf_sup_read(void)
{
	return pf_access(PF_SUP + 0x40, false, PFEC_P);
}

static bool s_pf_rsvd(void)
{
	return pf_rsvd_ok;
}

static uint64_t c_pf_rsvd_read(void)
{
	return pf_access(PF_RSVD + 0x50, false, PFEC_P | PFEC_RSVD);
}

static uint64_t c_pf_nx_fetch(void)
{
	uint64_t at;

	expect.error = PFEC_I | PFEC_P | pfec_u();
	expect.cr2 = PF_NX;
	asm volatile(TRY_PRE("mov %%rcx, %[at]", "jmp *%%rcx")
		     : [at] "=&r"(at) : "c"(PF_NX) : "r11", "memory");
	return at;
}

/* #MF: an unmasked x87 zero divide, reported at the next FWAIT. */
static uint64_t c_mf(void)
{
	uint16_t cw = 0x37b;		/* the default 0x37f with ZM clear */
	uint64_t at;

	asm volatile("fninit\n\tfldcw %[cw]\n\tfldz\n\tfld1\n\tfdiv %%st(1), %%st\n\t"
		     TRY("fwait") "fnclex\n\tfninit"
		     : [at] "=&r"(at) : [cw] "m"(cw) : "r11", "memory");
	return at;
}

/* #XM: an unmasked SSE invalid operation (0 / 0). */
static uint64_t c_xm(void)
{
	uint32_t csr = 0x1d00, def = 0x1f80;	/* IM, ZM clear */
	uint64_t at;

	asm volatile("xorps %%xmm0, %%xmm0\n\txorps %%xmm1, %%xmm1\n\tldmxcsr %[csr]\n\t"
		     TRY("divss %%xmm1, %%xmm0") "ldmxcsr %[def]"
		     : [at] "=&r"(at) : [csr] "m"(csr), [def] "m"(def) : "r11", "memory");
	return at;
}

/* #AC: CR0.AM, EFLAGS.AC, a misaligned access at CPL 3. */
static bool s_am(void)
{
	write_cr0(read_cr0() | CR0_AM);
	return true;
}

static void t_am(void)
{
	write_cr0(read_cr0() & ~CR0_AM);
}

static uint64_t c_ac(void)
{
	static uint64_t cell[2];
	uint64_t at;

	expect.error = 0;
	asm volatile(TRY_PRE(SET_AC, "movl (%%rcx), %%eax")
		     : [at] "=&r"(at) : "c"((char *)cell + 1) : "rax", "r11", "memory");
	return at;
}

const struct exc_case exc_cases[] = {
	CASE("de-div", 0, M_BOTH, c_de_div),
	CASE("de-idiv-overflow", 0, M_BOTH, c_de_idiv),
	CASE("db-single-step", 1, M_BOTH, c_db_step),
	CASE("db-step-cpuid", 1, M_BOTH, c_db_step_cpuid),
	CASE("db-step-out", 1, M_CPL0, c_db_step_out),
	CASE("db-step-in", 1, M_CPL0, c_db_step_in),
	CASE("db-step-rdmsr-efer", 1, M_CPL0, c_db_step_rdmsr),
	CASE("db-step-mmio-read", 1, M_BOTH, c_db_step_mmio),
	CASE_S("db-dr0-exec", 1, M_BOTH, c_db_exec, s_db_exec, t_db),
	CASE_S("db-dr0-write", 1, M_BOTH, c_db_write, s_db_write, t_db),
	CASE("db-icebp", 1, M_BOTH, c_db_icebp),
	CASE("int-2", 2, M_CPL0, c_int_2),
	CASE("bp-int3", 3, M_BOTH, c_bp_int3),
	CASE("bp-int-3", 3, M_BOTH, c_int_3),
	CASE("of-int-4", 4, M_BOTH, c_int_4),
	CASE("of-into-compat", 4, M_CPL0, c_of_into),
	CASE("br-bound-compat", 5, M_CPL0, c_br_bound),
	CASE("ud-ud2", 6, M_BOTH, c_ud_ud2),
	CASE("ud-lock-nop", 6, M_BOTH, c_ud_lock),
	CASE("ud-into-64", 6, M_BOTH, c_into_64),
	CASE("ud-compat", 6, M_CPL0, c_ud_compat),
	CASE_S("ud-em-sse", 6, M_BOTH, c_sse, s_em, t_ts_em),
	CASE_S("nm-ts-x87", 7, M_BOTH, c_x87, s_ts, t_ts_em),
	CASE_S("nm-ts-sse", 7, M_BOTH, c_sse, s_ts, t_ts_em),
	CASE_S("nm-em-x87", 7, M_BOTH, c_x87, s_em, t_ts_em),
	CASE("np-ds", 11, M_BOTH, c_np_ds),
	CASE("np-gate", 11, M_BOTH, c_np_gate),
	CASE("ss-rbp-noncanonical", 12, M_BOTH, c_ss_rbp),
	CASE_S("ss-push-noncanonical", 12, M_CPL0_IST | M_CPL3, c_ss_push, s_ist13, t_ist13),
	CASE("ss-not-present", 12, M_BOTH, c_ss_np),
	CASE("gp-noncanonical", 13, M_BOTH, c_gp_noncanon),
	CASE("gp-ljmp-bad-selector", 13, M_BOTH, c_gp_ljmp),
	CASE("gp-ds-tss-selector", 13, M_BOTH, c_gp_ds_tss),
	CASE("gp-wrmsr-unknown", 13, M_CPL0, c_gp_wrmsr_bad),
	CASE("gp-rdmsr-unknown", 13, M_CPL0, c_gp_rdmsr),
	CASE("gp-fs-base-noncanonical", 13, M_CPL0, c_gp_fs_base),
	CASE("gp-gs-base-noncanonical", 13, M_CPL0, c_gp_gs_base),
	CASE("gp-kernel-gs-base-noncanonical", 13, M_CPL0, c_gp_kgs_base),
	CASE("gp-efer-reserved", 13, M_CPL0, c_gp_efer_rsvd),
	CASE("gp-int-2-dpl0", 13, M_CPL3, c_int_gp_2),
	CASE("gp-int-0x40-dpl0", 13, M_CPL3, c_int_gp_0x40),
	CASE("gp-hlt", 13, M_CPL3, c_gp_hlt),
	CASE("gp-cli", 13, M_CPL3, c_gp_cli),
	CASE("gp-out", 13, M_CPL3, c_gp_out),
	CASE("gp-in", 13, M_CPL3, c_gp_in),
	CASE("gp-rdmsr", 13, M_CPL3, c_gp_rdmsr3),
	CASE("gp-mov-cr0", 13, M_CPL3, c_gp_movcr),
	CASE("gp-clts", 13, M_CPL3, c_gp_clts),
	CASE("gp-ss-null", 13, M_CPL3, c_gp_ss_null),
	CASE("pf-not-present-read", 14, M_BOTH, c_pf_np_read),
	CASE("pf-not-present-write", 14, M_BOTH, c_pf_np_write),
	CASE("pf-read-only-write", 14, M_BOTH, c_pf_ro_write),
	CASE("pf-supervisor-read", 14, M_CPL3, c_pf_sup_read),
	CASE("pf-nx-fetch", 14, M_BOTH, c_pf_nx_fetch),
	CASE_S("pf-reserved-bit", 14, M_BOTH, c_pf_rsvd_read, s_pf_rsvd, NULL),
	CASE("mf-fwait", 16, M_BOTH, c_mf),
	CASE_S("ac-misaligned", 17, M_CPL3, c_ac, s_am, t_am),
	CASE("xm-divss", 19, M_BOTH, c_xm),
	CASE("int-0x20", 0x20, M_CPL0, c_int_0x20),
	CASE("int-0x40", 0x40, M_CPL0, c_int_0x40),
	CASE("int-0xff", 0xff, M_CPL0, c_int_0xff),
	CASE_S("gp-cr0-nw-without-cd", 13, M_CPL0 | M_LAST, c_gp_cr0_nw, NULL, t_cr),
	CASE("gp-cr0-high-bit", 13, M_CPL0 | M_LAST, c_gp_cr0_high),
	CASE_S("gp-cr4-reserved", 13, M_CPL0 | M_LAST, c_gp_cr4_rsvd, NULL, t_cr),
};

const unsigned int nr_exc_cases = sizeof(exc_cases) / sizeof(exc_cases[0]);
