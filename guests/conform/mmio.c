// SPDX-License-Identifier: GPL-2.0
/*
 * conf-mmio: instructions with a memory operand in a page outside RAM,
 * which the hypervisor must emulate.  lhv-run has no device there: reads
 * return all-ones, writes vanish (launcher/machine.c).  So each case runs
 * the same instruction twice, on a RAM cell holding all-ones (the CPU's
 * answer) and on the MMIO page, and compares what a vanished write cannot
 * change: the register results, the pointer and count registers of
 * string instructions, RAM written from MMIO, and the arithmetic flags
 * the SDM defines for the instruction (flags it leaves undefined are
 * masked).  An exception (the emulator refusing the form) is reported
 * and the run goes on.
 */
#include "conform.h"
#include "platform.h"

#define MMIO		((uintptr_t)PLAT_MMIO_HOLE_GPA + 0x100)
#define R_IN		0x123456789abcdef0ul
#define F0		0x2ul			/* flags in: all clear */
#define F_CF		0x3ul			/* CF set, for ADC, SBB, RCL, RCR */
#define A		RFLAGS_ARITH
#define LOGIC		(RFLAGS_ARITH & ~RFLAGS_AF)
#define BT		(RFLAGS_CF | RFLAGS_ZF)
#define SH1		(RFLAGS_ARITH & ~RFLAGS_AF)
#define SHN		(RFLAGS_CF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_PF)
#define ROTN		(RFLAGS_ARITH & ~RFLAGS_OF)
#define PAT		0x5a5a5a5a5a5a5a5aul

const char conform_name[] = "conf-mmio";

/* What one run of a case leaves: compared between RAM and MMIO. */
struct result {
	uint64_t r, f, x, y;
	uint32_t traps;
	uint64_t vector;
};

struct mmio_case {
	const char *name;
	void (*fn)(uintptr_t p, struct result *o);
	uint64_t mask;			/* flags the SDM defines */
};

static uint64_t ram[16] __attribute__((aligned(64)));
static uint64_t buf[8] __attribute__((aligned(64)));

/* A register operand %[r] (input R), flags F in, one instruction. */
#define RM(fn, insn, R, F) \
static void fn(uintptr_t p, struct result *o) \
{ \
	uint64_t r = (R), f = (F), at; \
\
	asm volatile("push %[f]\n\tpopf\n\t" TRY(insn) "pushf\n\tpop %[f]" \
		     : [r] "+r"(r), [f] "+r"(f), [at] "=&r"(at) \
		     : [p] "r"(p) : "r11", "memory", "cc"); \
	o->r = r; \
	o->f = f; \
}

/* ... with RAX and RCX too (CMPXCHG, shifts by CL). */
#define RMAC(fn, insn, R, RAX, RCX, F) \
static void fn(uintptr_t p, struct result *o) \
{ \
	uint64_t r = (R), a = (RAX), c = (RCX), f = (F), at; \
\
	asm volatile("push %[f]\n\tpopf\n\t" TRY(insn) "pushf\n\tpop %[f]" \
		     : [r] "+r"(r), [f] "+r"(f), [at] "=&r"(at), "+a"(a), "+c"(c) \
		     : [p] "r"(p) : "r11", "memory", "cc"); \
	o->r = r; \
	o->x = a; \
	o->f = f; \
}

/* Loads */
RM(mov8, "movb (%[p]), %b[r]", R_IN, F0)
RM(mov16, "movw (%[p]), %w[r]", R_IN, F0)
RM(mov32, "movl (%[p]), %k[r]", R_IN, F0)
RM(mov64, "movq (%[p]), %[r]", R_IN, F0)
RM(movzx8, "movzbl (%[p]), %k[r]", R_IN, F0)
RM(movzx16, "movzwq (%[p]), %[r]", R_IN, F0)
RM(movsx8, "movsbq (%[p]), %[r]", R_IN, F0)
RM(movsx16, "movswl (%[p]), %k[r]", R_IN, F0)
RM(movsxd, "movslq (%[p]), %[r]", R_IN, F0)
RM(movst32, "movl %k[r], (%[p])", R_IN, F0)
RM(movst8i, "movb $0x12, (%[p])", R_IN, F0)
RM(movst64i, "movq $-2, (%[p])", R_IN, F0)

/* ALU, register destination */
RM(add_rm8, "addb (%[p]), %b[r]", R_IN, F0)
RM(add_rm16, "addw (%[p]), %w[r]", R_IN, F0)
RM(add_rm32, "addl (%[p]), %k[r]", R_IN, F0)
RM(add_rm64, "addq (%[p]), %[r]", R_IN, F0)
RM(adc_rm32, "adcl (%[p]), %k[r]", R_IN, F_CF)
RM(sub_rm32, "subl (%[p]), %k[r]", R_IN, F0)
RM(sbb_rm32, "sbbl (%[p]), %k[r]", R_IN, F_CF)
RM(sbb_rm64, "sbbq (%[p]), %[r]", R_IN, F_CF)
RM(and_rm32, "andl (%[p]), %k[r]", R_IN, F0)
RM(and_rm64, "andq (%[p]), %[r]", R_IN, F0)
RM(or_rm32, "orl (%[p]), %k[r]", R_IN, F0)
RM(xor_rm32, "xorl (%[p]), %k[r]", R_IN, F0)
RM(xor_rm8, "xorb (%[p]), %b[r]", R_IN, F0)

/* ALU, memory destination: only the flags survive */
RM(add_mr32, "addl %k[r], (%[p])", R_IN, F0)
RM(add_mr8, "addb %b[r], (%[p])", R_IN, F0)
RM(adc_mr32, "adcl %k[r], (%[p])", R_IN, F_CF)
RM(sub_mr32, "subl %k[r], (%[p])", R_IN, F0)
RM(sbb_mr32, "sbbl %k[r], (%[p])", R_IN, F_CF)
RM(and_mr32, "andl %k[r], (%[p])", R_IN, F0)
RM(or_mr64, "orq %[r], (%[p])", R_IN, F0)
RM(xor_mr16, "xorw %w[r], (%[p])", R_IN, F0)
RM(add_mi8, "addb $1, (%[p])", R_IN, F0)
RM(add_mi16, "addw $0x1234, (%[p])", R_IN, F0)
RM(add_mi32, "addl $0x11, (%[p])", R_IN, F0)
RM(add_mi64, "addq $1, (%[p])", R_IN, F0)
RM(adc_mi32, "adcl $0, (%[p])", R_IN, F_CF)
RM(sub_mi32, "subl $0x7fffffff, (%[p])", R_IN, F0)
RM(sbb_mi8, "sbbb $0x7f, (%[p])", R_IN, F_CF)
RM(and_mi32, "andl $0x0f0f0f0f, (%[p])", R_IN, F0)
RM(or_mi8, "orb $0x10, (%[p])", R_IN, F0)
RM(xor_mi32, "xorl $-1, (%[p])", R_IN, F0)
RM(lock_add32, "lock addl %k[r], (%[p])", R_IN, F0)
RM(lock_or8, "lock orb $1, (%[p])", R_IN, F0)

/* CMP and TEST */
RM(cmp_rm32, "cmpl (%[p]), %k[r]", R_IN, F0)
RM(cmp_mr32, "cmpl %k[r], (%[p])", R_IN, F0)
RM(cmp_mi8, "cmpb $0xff, (%[p])", R_IN, F0)
RM(cmp_mi32, "cmpl $5, (%[p])", R_IN, F0)
RM(cmp_mi64, "cmpq $-1, (%[p])", R_IN, F0)
RM(test_mr32, "testl %k[r], (%[p])", R_IN, F0)
RM(test_mi32, "testl $0x80000000, (%[p])", R_IN, F0)
RM(test_mi8, "testb $0, (%[p])", R_IN, F0)

/* One-operand read-modify-write */
RM(inc32, "incl (%[p])", R_IN, F0)
RM(inc8, "incb (%[p])", R_IN, F_CF)
RM(dec32, "decl (%[p])", R_IN, F_CF)
RM(dec64, "decq (%[p])", R_IN, F0)
RM(neg32, "negl (%[p])", R_IN, F0)
RM(neg16, "negw (%[p])", R_IN, F0)
RM(not32, "notl (%[p])", R_IN, F0)
RM(not8, "notb (%[p])", R_IN, F_CF)

/* Exchanges */
RM(xchg32, "xchgl %k[r], (%[p])", R_IN, F0)
RM(xchg8, "xchgb %b[r], (%[p])", R_IN, F0)
RM(xchg64, "xchgq %[r], (%[p])", R_IN, F0)
RM(xadd32, "xaddl %k[r], (%[p])", R_IN, F0)
RM(lock_xadd64, "lock xaddq %[r], (%[p])", R_IN, F0)
RMAC(cmpxchg_miss, "cmpxchgl %k[r], (%[p])", R_IN, 0, 0, F0)
RMAC(cmpxchg_hit, "cmpxchgl %k[r], (%[p])", R_IN, 0xffffffffu, 0, F0)
RMAC(lock_cmpxchg64, "lock cmpxchgq %[r], (%[p])", R_IN, ~0ul, 0, F0)
RMAC(cmpxchg8, "cmpxchgb %b[r], (%[p])", R_IN, 0x12, 0, F0)

/* Bit tests */
RM(bt_r, "btl %k[r], (%[p])", 5, F0)
RM(bt_r_far, "btl %k[r], (%[p])", 37, F0)
RM(bt_i, "btl $7, (%[p])", R_IN, F0)
RM(bts_r, "btsl %k[r], (%[p])", 3, F0)
RM(bts_i, "btsq $63, (%[p])", R_IN, F0)
RM(btr_r, "btrl %k[r], (%[p])", 9, F0)
RM(btr_i, "btrw $2, (%[p])", R_IN, F0)
RM(btc_r, "btcl %k[r], (%[p])", 31, F0)
RM(btc_i, "btcl $0, (%[p])", R_IN, F0)

/* Shifts and rotates */
RM(shl1, "shll (%[p])", R_IN, F0)
RM(shl4, "shll $4, (%[p])", R_IN, F0)
RMAC(shl_cl, "shll %%cl, (%[p])", R_IN, 0, 3, F0)
RM(shr1, "shrl (%[p])", R_IN, F0)
RM(shr8b, "shrb $3, (%[p])", R_IN, F0)
RM(sar1, "sarl (%[p])", R_IN, F0)
RM(sar_q, "sarq $40, (%[p])", R_IN, F0)
RM(rol1, "roll (%[p])", R_IN, F0)
RM(rol4, "roll $4, (%[p])", R_IN, F0)
RM(ror1, "rorw (%[p])", R_IN, F0)
RMAC(ror_cl, "rorl %%cl, (%[p])", R_IN, 0, 5, F0)
RM(rcl1, "rcll (%[p])", R_IN, F0)
RM(rcl1_cf, "rcll (%[p])", R_IN, F_CF)
RM(rcr1, "rcrl (%[p])", R_IN, F0)
RM(rcr3, "rcrb $3, (%[p])", R_IN, F_CF)
RM(shld4, "shldl $4, %k[r], (%[p])", R_IN, F0)
RM(shrd4, "shrdl $4, %k[r], (%[p])", R_IN, F0)

/*
 * String instructions: @p is the MMIO side (or the RAM cell), buf + ROFF
 * the RAM side: copies from MMIO land on its pattern half (ROFF 32).  DF from @F, and
 * with it the pointers start 24 bytes up.  r and x get how far RSI and
 * RDI moved, y RCX and EAX.
 */
#define STR(fn, insn, SRC_MMIO, DST_MMIO, ROFF, COUNT, RAX, F) \
static void fn(uintptr_t p, struct result *o) \
{ \
	uintptr_t s0 = (SRC_MMIO) ? p : (uintptr_t)buf; \
	uintptr_t d0 = (DST_MMIO) ? p + 32 : (uintptr_t)buf + (ROFF); \
	uint64_t s = s0, d = d0, c = (COUNT), a = (RAX), f = (F), at; \
\
	if (f & RFLAGS_DF) { \
		s += 24; \
		d += 24; \
		s0 = s; \
		d0 = d; \
	} \
	asm volatile("push %[f]\n\tpopf\n\t" TRY(insn) "pushf\n\tpop %[f]\n\tcld" \
		     : "+S"(s), "+D"(d), "+c"(c), "+a"(a), [f] "+r"(f), [at] "=&r"(at) \
		     : : "r11", "memory", "cc"); \
	o->r = s - s0; \
	o->x = d - d0; \
	o->y = c << 32 | (uint32_t)a; \
	o->f = f; \
}

#define F_DF		(F0 | RFLAGS_DF)
STR(lods8, "lodsb", 1, 0, 0, 0, R_IN, F0)
STR(lods32, "lodsl", 1, 0, 0, 0, R_IN, F0)
STR(lods64_df, "lodsq", 1, 0, 0, 0, R_IN, F_DF)
STR(movs32_in, "movsl", 1, 0, 32, 0, 0, F0)
STR(movs64_in_df, "movsq", 1, 0, 32, 0, 0, F_DF)
STR(rep_movsb_in, "rep movsb", 1, 0, 32, 16, 0, F0)
STR(movs32_out, "movsl", 0, 1, 0, 0, 0, F0)
STR(rep_movsq_out, "rep movsq", 0, 1, 0, 3, 0, F0)
STR(rep_movsl_mm, "rep movsl", 1, 1, 0, 4, 0, F0)
STR(stos32, "stosl", 0, 1, 0, 0, PAT, F0)
STR(rep_stosb, "rep stosb", 0, 1, 0, 7, PAT, F0)
STR(rep_stosq_df, "rep stosq", 0, 1, 0, 3, PAT, F_DF)
STR(cmps32_eq, "cmpsl", 1, 0, 0, 0, 0, F0)
STR(repe_cmpsb, "repe cmpsb", 1, 0, 0, 8, 0, F0)
STR(repe_cmpsb_ne, "repe cmpsb", 1, 0, 0, 16, 0, F0)
STR(cmps32_rev, "cmpsl", 0, 1, 0, 0, 0, F0)
STR(scas32, "scasl", 0, 1, 0, 0, 0x12345678, F0)
STR(repne_scasb, "repne scasb", 0, 1, 0, 5, 0x12, F0)

#define C(n, f, m)	{ .name = (n), .fn = (f), .mask = (m) }

static const struct mmio_case cases[] = {
	C("mov load 8", mov8, A), C("mov load 16", mov16, A),
	C("mov load 32 (zero-extends)", mov32, A), C("mov load 64", mov64, A),
	C("movzx 8", movzx8, A), C("movzx 16", movzx16, A),
	C("movsx 8", movsx8, A), C("movsx 16", movsx16, A), C("movsxd", movsxd, A),
	C("mov store 32", movst32, A), C("mov store imm8", movst8i, A),
	C("mov store imm32 sign-extended to 64", movst64i, A),
	C("add r8, m8", add_rm8, A), C("add r16, m16", add_rm16, A),
	C("add r32, m32", add_rm32, A), C("add r64, m64", add_rm64, A),
	C("adc r32, m32 (CF=1)", adc_rm32, A), C("sub r32, m32", sub_rm32, A),
	C("sbb r32, m32 (CF=1)", sbb_rm32, A), C("sbb r64, m64 (CF=1)", sbb_rm64, A),
	C("and r32, m32", and_rm32, LOGIC), C("and r64, m64", and_rm64, LOGIC),
	C("or r32, m32", or_rm32, LOGIC), C("xor r32, m32", xor_rm32, LOGIC),
	C("xor r8, m8", xor_rm8, LOGIC),
	C("add m32, r32", add_mr32, A), C("add m8, r8", add_mr8, A),
	C("adc m32, r32 (CF=1)", adc_mr32, A), C("sub m32, r32", sub_mr32, A),
	C("sbb m32, r32 (CF=1)", sbb_mr32, A), C("and m32, r32", and_mr32, LOGIC),
	C("or m64, r64", or_mr64, LOGIC), C("xor m16, r16", xor_mr16, LOGIC),
	C("add m8, imm8", add_mi8, A), C("add m16, imm16", add_mi16, A),
	C("add m32, imm8", add_mi32, A), C("add m64, imm8", add_mi64, A),
	C("adc m32, imm8 (CF=1)", adc_mi32, A), C("sub m32, imm32", sub_mi32, A),
	C("sbb m8, imm8 (CF=1)", sbb_mi8, A), C("and m32, imm32", and_mi32, LOGIC),
	C("or m8, imm8", or_mi8, LOGIC), C("xor m32, imm8", xor_mi32, LOGIC),
	C("lock add m32, r32", lock_add32, A), C("lock or m8, imm8", lock_or8, LOGIC),
	C("cmp r32, m32", cmp_rm32, A), C("cmp m32, r32", cmp_mr32, A),
	C("cmp m8, imm8 (equal)", cmp_mi8, A), C("cmp m32, imm8", cmp_mi32, A),
	C("cmp m64, imm8 (equal)", cmp_mi64, A),
	C("test m32, r32", test_mr32, LOGIC), C("test m32, imm32", test_mi32, LOGIC),
	C("test m8, 0", test_mi8, LOGIC),
	C("inc m32", inc32, A), C("inc m8 (CF=1 kept)", inc8, A),
	C("dec m32 (CF=1 kept)", dec32, A), C("dec m64", dec64, A),
	C("neg m32", neg32, A), C("neg m16", neg16, A),
	C("not m32", not32, A), C("not m8", not8, A),
	C("xchg m32, r32", xchg32, A), C("xchg m8, r8", xchg8, A),
	C("xchg m64, r64", xchg64, A), C("xadd m32, r32", xadd32, A),
	C("lock xadd m64, r64", lock_xadd64, A),
	C("cmpxchg m32, r32 (mismatch: EAX loaded)", cmpxchg_miss, A),
	C("cmpxchg m32, r32 (match)", cmpxchg_hit, A),
	C("lock cmpxchg m64, r64 (match)", lock_cmpxchg64, A),
	C("cmpxchg m8, r8 (mismatch)", cmpxchg8, A),
	C("bt m32, r32", bt_r, BT), C("bt m32, r32 (bit 37: next dword)", bt_r_far, BT),
	C("bt m32, imm8", bt_i, BT), C("bts m32, r32", bts_r, BT),
	C("bts m64, imm8", bts_i, BT), C("btr m32, r32", btr_r, BT),
	C("btr m16, imm8", btr_i, BT), C("btc m32, r32", btc_r, BT),
	C("btc m32, imm8", btc_i, BT),
	C("shl m32, 1", shl1, SH1), C("shl m32, 4", shl4, SHN),
	C("shl m32, cl=3", shl_cl, SHN), C("shr m32, 1", shr1, SH1),
	C("shr m8, 3", shr8b, SHN), C("sar m32, 1", sar1, SH1),
	C("sar m64, 40", sar_q, SHN), C("rol m32, 1", rol1, A),
	C("rol m32, 4", rol4, ROTN), C("ror m16, 1", ror1, A),
	C("ror m32, cl=5", ror_cl, ROTN), C("rcl m32, 1 (CF=0)", rcl1, A),
	C("rcl m32, 1 (CF=1)", rcl1_cf, A), C("rcr m32, 1", rcr1, A),
	C("rcr m8, 3 (CF=1)", rcr3, ROTN),
	C("shld m32, r32, 4", shld4, SHN), C("shrd m32, r32, 4", shrd4, SHN),
	C("lodsb", lods8, A), C("lodsl", lods32, A), C("lodsq, DF=1", lods64_df, A),
	C("movsl from MMIO", movs32_in, A), C("movsq from MMIO, DF=1", movs64_in_df, A),
	C("rep movsb from MMIO, 16", rep_movsb_in, A),
	C("movsl to MMIO", movs32_out, A), C("rep movsq to MMIO, 3", rep_movsq_out, A),
	C("rep movsl MMIO to MMIO, 4", rep_movsl_mm, A),
	C("stosl to MMIO", stos32, A), C("rep stosb to MMIO, 7", rep_stosb, A),
	C("rep stosq to MMIO, 3, DF=1", rep_stosq_df, A),
	C("cmpsl MMIO, RAM (equal)", cmps32_eq, A),
	C("repe cmpsb MMIO, RAM, 8 equal", repe_cmpsb, A),
	C("repe cmpsb MMIO, RAM, stops at byte 9", repe_cmpsb_ne, A),
	C("cmpsl RAM, MMIO", cmps32_rev, A), C("scasl MMIO", scas32, A),
	C("repne scasb MMIO, 5", repne_scasb, A),
};

/*
 * RAM as each run finds it: the cell all-ones like the MMIO page; buf
 * all-ones but byte 8 for the comparisons, a pattern from byte 32.
 */
static void reset_ram(void)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		ram[i] = ~0ul;
	for (i = 0; i < 8; i++)
		buf[i] = i < 4 ? ~0ul : PAT;
	((uint8_t *)buf)[8] = 0x12;
}

static void run(const struct mmio_case *c, uintptr_t p, struct result *o,
		uint64_t *after)
{
	unsigned int i;

	*o = (struct result){ 0 };
	reset_ram();
	trap_reset();
	c->fn(p, o);
	trap_fixup_rip = 0;
	o->traps = trap_count;
	o->vector = trap_last.vector;
	*after = 0;
	for (i = 0; i < 8; i++)
		*after = (*after << 7 | *after >> 57) ^ buf[i];
}

void conform_main(void)
{
	struct result want, got;
	uint64_t ram_after, mmio_after;
	const struct mmio_case *c;
	unsigned int i;

	(void)*(volatile uint32_t *)MMIO;
	note("MMIO page at %lx reads %x", MMIO, *(volatile uint32_t *)MMIO);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = &cases[i];
		trace(c->name);
		if (skip_listed(c->name))
			continue;
		run(c, (uintptr_t)ram, &want, &ram_after);
		run(c, MMIO, &got, &mmio_after);
		if (got.traps || want.traps) {
			report(false, c->name, "exception %lu on MMIO (%u), %u on RAM",
			       got.vector, got.traps, want.traps);
			continue;
		}
		report(got.r == want.r && got.x == want.x && got.y == want.y &&
		       (got.f & c->mask) == (want.f & c->mask) && mmio_after == ram_after,
		       c->name,
		       "MMIO: r %lx x %lx y %lx flags %lx RAM out %lx; RAM: r %lx x %lx y %lx flags %lx RAM out %lx (flags compared %lx)",
		       got.r, got.x, got.y, got.f & c->mask, mmio_after,
		       want.r, want.x, want.y, want.f & c->mask, ram_after, c->mask);
	}
}
