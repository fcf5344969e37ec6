// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the emulator's protocol (module/emulate.c): MMIO and port
 * requests, replay after completion, read-modify-write, rep string
 * stepping, the ALU forms' corner cases, fetch across pages and the error
 * records.
 */
#include "emul_fixture.h"
#include "../../module/decode.h"
#include "unit.h"

#define CODE	0x10000ULL

static struct lhv_regs regs;
static struct lhv_sregs sregs;
static struct reqlog rlog;
static struct lhv_run last;
static struct lhv_emul em0;

static void start(enum mode m, const void *code, unsigned int len)
{
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 2;
	regs.rip = CODE;
	setup_mode(m, &sregs);
	put_code(CODE, code, len);
}

static void test_mov(void)
{
	static const u8 store[] = { 0x89, 0x03 };		/* mov %eax,(%rbx) */
	static const u8 load[] = { 0x48, 0x8b, 0x0b };		/* mov (%rbx),%rcx */
	static const u8 load32[] = { 0x8b, 0x0b };		/* mov (%rbx),%ecx */
	u64 ans[MAX_REQS] = { 0x1122334455667788ULL };

	start(MODE_LONG64, store, sizeof(store));
	regs.rax = 0xdeadbeefcafef00dULL;
	regs.rbx = MMIO_BASE + 0x10;
	CHECK(run_mmio(&regs, &sregs, NULL, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && is_mmio(&rlog.req[0], MMIO_BASE + 0x10, 4, LHV_DIR_WRITE) &&
	      rlog.req[0].mmio.data == 0xcafef00d && rlog.req[0].rip == CODE &&
	      regs.rip == CODE + 2,
	      "mov store: one 4-byte MMIO write of EAX, RIP advanced");

	start(MODE_LONG64, load, sizeof(load));
	regs.rbx = MMIO_BASE + 0x20;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && is_mmio(&rlog.req[0], MMIO_BASE + 0x20, 8, LHV_DIR_READ) &&
	      regs.rcx == ans[0] && regs.rip == CODE + 3,
	      "mov load: one 8-byte MMIO read into RCX");

	start(MODE_LONG64, load32, sizeof(load32));
	regs.rbx = MMIO_BASE + 0x20;
	regs.rcx = ~0ULL;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      regs.rcx == 0x55667788,
	      "a 32-bit load zero-extends into the 64-bit register");
}

static void test_replay(void)
{
	static const u8 add[] = { 0x01, 0x03 };		/* add %eax,(%rbx) */
	static const u8 cmp[] = { 0x39, 0x03 };		/* cmp %eax,(%rbx) */
	struct lhv_emul em;
	enum lhv_emul_result r;
	u64 ans[MAX_REQS] = { 5 };

	start(MODE_LONG64, add, sizeof(add));
	regs.rax = 7;
	regs.rbx = MMIO_BASE;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[0], MMIO_BASE, 4, LHV_DIR_READ) &&
	      is_mmio(&rlog.req[1], MMIO_BASE, 4, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 12 && regs.rip == CODE + 2,
	      "add to MMIO: a read, then a write of the sum");

	start(MODE_LONG64, cmp, sizeof(cmp));
	regs.rax = 7;
	regs.rbx = MMIO_BASE;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && (regs.rflags & 0x8d5) == 0x91,
	      "cmp with MMIO: a read only; 5 - 7 sets CF, AF, SF");

	/* Re-entering without completing re-delivers the same request. */
	start(MODE_LONG64, add, sizeof(add));
	regs.rax = 7;
	regs.rbx = MMIO_BASE;
	lhv_emul_reset(&em);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	CHECK(r == LHV_EMUL_USER && is_mmio(&last, MMIO_BASE, 4, LHV_DIR_READ),
	      "RMW: first call asks for the read");
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	CHECK(r == LHV_EMUL_USER && is_mmio(&last, MMIO_BASE, 4, LHV_DIR_READ) &&
	      regs.rip == CODE,
	      "RMW: calling again without completing asks for the same read");
	lhv_emul_complete(&em, 0x10);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	CHECK(r == LHV_EMUL_USER && is_mmio(&last, MMIO_BASE, 4, LHV_DIR_WRITE) &&
	      last.mmio.data == 0x17 && regs.rip == CODE && (regs.rflags & 0x8d5) == 0,
	      "RMW: after the read completes, the write; registers untouched");
	lhv_emul_complete(&em, 0);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	CHECK(r == LHV_EMUL_DONE && regs.rip == CODE + 2 && (regs.rflags & 0x8d5) == 0x4,
	      "RMW: after the write completes, DONE with RIP and flags");

	/*
	 * The replay runs the instruction that exited, not what the code
	 * bytes say after userspace rewrote them in the round trip.
	 */
	start(MODE_LONG64, add, sizeof(add));
	regs.rax = 7;
	regs.rbx = MMIO_BASE;
	lhv_emul_reset(&em);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	put_code(CODE, cmp, sizeof(cmp));
	lhv_emul_complete(&em, 0x10);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	CHECK(r == LHV_EMUL_USER && is_mmio(&last, MMIO_BASE, 4, LHV_DIR_WRITE) &&
	      last.mmio.data == 0x17,
	      "replay: the bytes fetched at the exit, though RAM changed since");
	lhv_emul_reset(&em);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	lhv_emul_complete(&em, 0x10);
	r = lhv_emulate_mmio(&em, &regs, &sregs, &fake_mem, MMIO_BASE, true, &last);
	CHECK(r == LHV_EMUL_DONE && regs.rip == CODE + 2,
	      "replay: a new instruction (reset) fetches again: now cmp, a read only");
}

static void test_io(void)
{
	static const u8 out[] = { 0xe6, 0x80 };		/* out %al,$0x80 */
	static const u8 in[] = { 0xed };		/* in (%dx),%eax */
	static const u8 in16[] = { 0x66, 0xed };	/* in (%dx),%ax */
	u64 ans[MAX_REQS] = { 0x12345678 };

	start(MODE_LONG64, out, sizeof(out));
	regs.rax = 0x1234;
	CHECK(run_insn(&regs, &sregs, NULL, &rlog, true, 0x80, 1, false, false,
		       false, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && is_pio(&rlog.req[0], 0x80, 1, LHV_DIR_WRITE) &&
	      rlog.req[0].pio.data == 0x34 && regs.rip == CODE + 2,
	      "out %al,$0x80: one PIO write of AL");

	start(MODE_LONG64, in, sizeof(in));
	regs.rax = ~0ULL;
	regs.rdx = 0xcfc;
	CHECK(run_insn(&regs, &sregs, ans, &rlog, true, 0xcfc, 4, true, false,
		       false, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && is_pio(&rlog.req[0], 0xcfc, 4, LHV_DIR_READ) &&
	      regs.rax == 0x12345678 && regs.rip == CODE + 1,
	      "in (%dx),%eax: zero-extends into RAX");

	start(MODE_LONG64, in16, sizeof(in16));
	regs.rax = ~0ULL;
	regs.rdx = 0xcfc;
	CHECK(run_insn(&regs, &sregs, ans, &rlog, true, 0xcfc, 2, true, false,
		       false, &last) == LHV_EMUL_DONE &&
	      regs.rax == 0xffffffffffff5678ULL,
	      "in (%dx),%ax: merges into RAX");

	start(MODE_LONG64, in16, sizeof(in16));
	regs.rdx = 0xcf8;
	CHECK(run_insn(&regs, &sregs, ans, &rlog, true, 0xcfc, 2, true, false,
		       false, &last) == LHV_EMUL_ERROR &&
	      last.exit_reason == LHV_EXIT_INTERNAL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_EMULATE,
	      "a port the instruction does not use is refused");
}

/*
 * 64-bit mode with linear 0x400000 -> 0x500000 and 0x401000 -> 0x600000
 * (4 KiB pages, not contiguous), for accesses across a page.
 */
#define SPLIT_LA	0x400000ULL
#define SPLIT_PT	0x300000ULL

static void split_pages(u64 second)
{
	put64(PT_BASE + 0x1000, (SPLIT_PT) | PT_P | PT_W);
	memset(ram + SPLIT_PT, 0, 0x2000);
	put64(SPLIT_PT, 0 | PT_P | PT_W | PT_PS);	/* 0-2 MiB as before */
	put64(SPLIT_PT + 2 * 8, (SPLIT_PT + 0x1000) | PT_P | PT_W);
	put64(SPLIT_PT + 0x1000, 0x500000 | PT_P | PT_W);
	put64(SPLIT_PT + 0x1000 + 8, second);
}

static void test_fetch(void)
{
	static const u8 ud2[] = { 0x0f, 0x0b };
	static const u8 load[] = { 0x48, 0x8b, 0x0b };	/* mov (%rbx),%rcx */
	u8 flood[17];
	u64 ans[MAX_REQS] = { 0x1234 };

	start(MODE_LONG64, ud2, sizeof(ud2));
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_ERROR &&
	      last.exit_reason == LHV_EXIT_INTERNAL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_DECODE &&
	      last.internal.insn_len == 15 && last.internal.insn[0] == 0x0f &&
	      last.internal.insn[1] == 0x0b && last.rip == CODE && regs.rip == CODE,
	      "ud2: a decode error with the 15 bytes fetched");
	CHECK(lhv_insn_length(&regs, &sregs, &fake_mem, &last) == 0 &&
	      last.internal.suberror == LHV_INTERNAL_DECODE,
	      "ud2: no length, a decode error");

	memset(flood, 0x66, sizeof(flood));
	flood[15] = 0x89;
	flood[16] = 0x03;
	start(MODE_LONG64, flood, sizeof(flood));
	regs.rbx = MMIO_BASE;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_DECODE && rlog.n == 0,
	      "more than 15 bytes of prefixes: a decode error, no access");

	start(MODE_LONG64, load, 0);
	split_pages(0x600000 | PT_P | PT_W);
	put_code(0x500ffe, load, 2);
	put_code(0x600000, load + 2, 1);
	regs.rip = SPLIT_LA + 0xffe;
	regs.rbx = MMIO_BASE + 8;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && is_mmio(&rlog.req[0], MMIO_BASE + 8, 8, LHV_DIR_READ) &&
	      regs.rcx == 0x1234 && regs.rip == SPLIT_LA + 0x1001,
	      "fetch across a page boundary into a page mapped elsewhere");

	regs.rip = SPLIT_LA + 0xffe;
	split_pages(0);
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_WALK &&
	      last.internal.insn_len == 2 && last.internal.insn[1] == 0x8b,
	      "second page not mapped: a walk error with the 2 bytes fetched");
	regs.rip = SPLIT_LA + 0x1000;
	split_pages(MMIO_BASE | PT_P);
	CHECK(lhv_insn_length(&regs, &sregs, &fake_mem, &last) == 0 &&
	      last.exit_reason == LHV_EXIT_INTERNAL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_FETCH &&
	      last.internal.gpa == MMIO_BASE && last.internal.insn_len == 0,
	      "code in MMIO: a fetch error naming its gpa");
}

static void test_data_pages(void)
{
	static const u8 store[] = { 0x89, 0x03 };	/* mov %eax,(%rbx) */

	start(MODE_LONG64, store, sizeof(store));
	split_pages(0x600000 | PT_P | PT_W);
	regs.rax = 0x44332211;
	regs.rbx = SPLIT_LA + 0xffe;
	CHECK(run_mmio(&regs, &sregs, NULL, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 0 && ram[0x500ffe] == 0x11 && ram[0x500fff] == 0x22 &&
	      ram[0x600000] == 0x33 && ram[0x600001] == 0x44,
	      "a store across pages mapped apart is split in RAM");

	start(MODE_LONG64, store, sizeof(store));
	split_pages(MMIO_BASE | PT_P | PT_W);
	regs.rbx = SPLIT_LA + 0xffe;
	CHECK(run_mmio(&regs, &sregs, NULL, &rlog, &last) == LHV_EMUL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_EMULATE && rlog.n == 0,
	      "a store split between RAM and MMIO is refused");

	start(MODE_LONG64, store, sizeof(store));
	split_pages(0);
	regs.rbx = SPLIT_LA + 0x1000;
	CHECK(lhv_emulate_mmio(&em0, &regs, &sregs, &fake_mem, MMIO_BASE, true,
			       &last) == LHV_EMUL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_WALK &&
	      last.internal.gpa == MMIO_BASE && last.internal.insn_len == 15 &&
	      last.internal.insn[0] == 0x89,
	      "an operand the guest's tables do not map: a walk error");
}

static void test_strings(void)
{
	static const u8 rep_outsb[] = { 0xf3, 0x6e };
	static const u8 rep_insw[] = { 0x66, 0xf3, 0x6d };
	static const u8 movsl[] = { 0xa5 };
	static const u8 rep_stosq[] = { 0xf3, 0x48, 0xab };
	u64 ans[MAX_REQS] = { 0xbeef, 0x1111 };
	unsigned int i;
	bool ok = true;

	start(MODE_LONG64, rep_outsb, sizeof(rep_outsb));
	memcpy(ram + 0x200000, "abc", 3);
	regs.rsi = 0x200000;
	regs.rcx = 3;
	regs.rdx = 0x3f8;
	for (i = 0; i < 3; i++) {
		ok &= run_insn(&regs, &sregs, NULL, &rlog, true, 0x3f8, 1, false,
			       true, true, &last) == LHV_EMUL_DONE;
		ok &= rlog.n == 1 && is_pio(&rlog.req[0], 0x3f8, 1, LHV_DIR_WRITE) &&
		      rlog.req[0].pio.data == (u8)"abc"[i] && regs.rcx == 2 - i &&
		      regs.rsi == 0x200001 + i &&
		      regs.rip == (i == 2 ? CODE + 2 : CODE);
	}
	CHECK(ok, "rep outsb: one PIO write per element, RIP advances after the last");

	start(MODE_LONG64, rep_insw, sizeof(rep_insw));
	regs.rdi = 0x200010;
	regs.rcx = 2;
	regs.rdx = 0x1f0;
	regs.rflags |= 0x400;			/* DF: downwards */
	ok = run_insn(&regs, &sregs, ans, &rlog, true, 0x1f0, 2, true, true,
		      true, &last) == LHV_EMUL_DONE &&
	     rlog.n == 1 && is_pio(&rlog.req[0], 0x1f0, 2, LHV_DIR_READ) &&
	     ram[0x200010] == 0xef && ram[0x200011] == 0xbe &&
	     regs.rdi == 0x20000e && regs.rcx == 1 && regs.rip == CODE;
	CHECK(ok, "rep insw, DF set: into RAM, RDI down by 2, RIP kept");
	regs.rcx = 0;
	CHECK(run_insn(&regs, &sregs, ans, &rlog, true, 0x1f0, 2, true, true,
		       true, &last) == LHV_EMUL_DONE &&
	      rlog.n == 0 && regs.rip == CODE + 3 && regs.rdi == 0x20000e,
	      "rep insw with RCX 0: no access, RIP advances");

	start(MODE_LONG64, movsl, sizeof(movsl));
	regs.rsi = MMIO_BASE + 0x100;
	regs.rdi = MMIO_BASE + 0x200;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[0], MMIO_BASE + 0x100, 4, LHV_DIR_READ) &&
	      is_mmio(&rlog.req[1], MMIO_BASE + 0x200, 4, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 0xbeef && regs.rsi == MMIO_BASE + 0x104 &&
	      regs.rdi == MMIO_BASE + 0x204 && regs.rip == CODE + 1,
	      "movsl MMIO to MMIO: a read, then a write of what was read");

	start(MODE_LONG64, rep_stosq, sizeof(rep_stosq));
	regs.rdi = MMIO_BASE;
	regs.rcx = 0x100000001ULL;
	regs.rax = 0x0102030405060708ULL;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 1 && rlog.req[0].mmio.data == regs.rax &&
	      regs.rcx == 0x100000000ULL && regs.rip == CODE,
	      "rep stosq: RCX counts in 64 bits");
}

/*
 * The forms added for every ALU instruction on memory: the bug report's
 * adc, what is refused, cmpxchg both ways, shifts by 0, bit offsets
 * below the operand, and repe cmps / repne scas element by element.
 * shld and shrd: test_shd().
 */
static void test_alu_forms(void)
{
	/* adc %ebx,0x12345678(%r12): "unsupported instruction" before */
	static const u8 adc[] = { 0x41, 0x11, 0x9c, 0x24, 0x78, 0x56, 0x34, 0x12 };
	static const u8 lock_cmpxchg[] = { 0xf0, 0x0f, 0xb1, 0x0b };
	static const u8 shl0[] = { 0xc1, 0x23, 0x00 };		/* shll $0,(%rbx) */
	static const u8 btr[] = { 0x48, 0x0f, 0xb3, 0x03 };	/* btr %rax,(%rbx) */
	static const u8 repe_cmpsb[] = { 0xf3, 0xa6 };
	static const u8 repne_scasw[] = { 0x66, 0xf2, 0xaf };
	static const u8 test_alias[] = { 0xf6, 0x0b, 0x12 };	/* f6 /1 */
	static const struct {
		u8 bytes[4];
		const char *name;
	} refused[] = {
		{ { 0xf7, 0x23 }, "mull (%rbx)" },
		{ { 0xf7, 0x33 }, "divl (%rbx)" },
		{ { 0xf6, 0x3b }, "idivb (%rbx)" },
		{ { 0xff, 0x13 }, "call *(%rbx)" },
		{ { 0xff, 0x33 }, "push (%rbx)" },
		{ { 0xfe, 0x13 }, "fe /2" },
		{ { 0x0f, 0xba, 0x03, 0x05 }, "0f ba /0 (/4-/7 are the bit tests)" },
		{ { 0x82, 0x03, 0x05 }, "82 in 64-bit mode" },
		{ { 0xc6, 0x0b, 0x05 }, "c6 /1" },
	};
	u64 ans[MAX_REQS] = { 0xfffffffe, 0 };
	struct lhv_insn in;
	unsigned int i;
	bool ok;
	char name[80];

	CHECK(lhv_decode(test_alias, sizeof(test_alias), 8, &in) == LHV_DECODE_OK &&
	      in.op == LHV_OP_ALU && in.alu == LHV_ALU_TEST && in.has_imm &&
	      in.imm == 0x12 && in.size == 1 && in.len == 3,
	      "f6 /1, test's undocumented alias, runs as test, as on CPUs");
	CHECK(lhv_decode(adc, sizeof(adc), 8, &in) == LHV_DECODE_OK &&
	      in.len == 8 && in.op == LHV_OP_ALU && in.alu == LHV_ALU_ADC &&
	      in.size == 4 && in.mem_dst && in.reg == 3 && in.base == 12 &&
	      in.index == LHV_REG_NONE && in.disp == 0x12345678 &&
	      in.seg == LHV_SEG_DS,
	      "41 11 9c 24 78 56 34 12: adc %ebx,0x12345678(%r12), DS-based");
	start(MODE_LONG64, adc, sizeof(adc));
	regs.r12 = MMIO_BASE + 0x40 - 0x12345678;
	regs.rbx = 0xffffffff00000001ULL;
	regs.rflags = 2 | 1;			/* CF */
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[0], MMIO_BASE + 0x40, 4, LHV_DIR_READ) &&
	      is_mmio(&rlog.req[1], MMIO_BASE + 0x40, 4, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 0 && regs.rip == CODE + 8 &&
	      (regs.rflags & 0x8d5) == 0x55,
	      "adc to MMIO: fffffffe + 1 + CF is 0 with CF, ZF, AF, PF");

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		start(MODE_LONG64, refused[i].bytes, sizeof(refused[i].bytes));
		regs.rbx = MMIO_BASE;
		snprintf(name, sizeof(name), "refused, no access: %s", refused[i].name);
		CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_ERROR &&
		      last.internal.suberror == LHV_INTERNAL_DECODE && rlog.n == 0 &&
		      regs.rip == CODE, name);
	}

	start(MODE_LONG64, lock_cmpxchg, sizeof(lock_cmpxchg));
	regs.rbx = MMIO_BASE;
	regs.rax = 0xaaaaaaaa00000005ULL;
	regs.rcx = 0x77;
	ans[0] = 5;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[1], MMIO_BASE, 4, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 0x77 && regs.rax == 0xaaaaaaaa00000005ULL &&
	      (regs.rflags & 0x40),
	      "lock cmpxchg, equal: writes ECX, ZF, RAX untouched (bits 63:32 too)");
	start(MODE_LONG64, lock_cmpxchg, sizeof(lock_cmpxchg));
	regs.rbx = MMIO_BASE;
	regs.rax = 0xaaaaaaaa00000006ULL;
	regs.rflags = 2 | 0x40;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[1], MMIO_BASE, 4, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 5 && regs.rax == 5 && !(regs.rflags & 0x40),
	      "lock cmpxchg, not equal: writes the value back, loads EAX (zero-extended)");

	start(MODE_LONG64, shl0, sizeof(shl0));
	regs.rbx = MMIO_BASE;
	regs.rflags = 2 | 0x8d5;
	ans[0] = 0x80000000;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && rlog.req[1].mmio.data == 0x80000000 &&
	      regs.rflags == (2 | 0x8d5) && regs.rip == CODE + 3,
	      "shll $0 on MMIO: the value written back, flags untouched");

	start(MODE_LONG64, btr, sizeof(btr));
	regs.rbx = MMIO_BASE + 0x100;
	regs.rax = -65;				/* bit 63 of the qword below */
	ans[0] = 0x8000000000000001ULL;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[0], MMIO_BASE + 0xf0, 8, LHV_DIR_READ) &&
	      rlog.req[1].mmio.data == 1 && (regs.rflags & 1),
	      "btr with offset -65: the qword 16 bytes below, its bit 63");

	start(MODE_LONG64, repe_cmpsb, sizeof(repe_cmpsb));
	memcpy(ram + 0x200000, "abc", 3);
	regs.rsi = 0x200000;
	regs.rdi = MMIO_BASE;
	regs.rcx = 3;
	ok = true;
	for (i = 0; i < 2; i++) {
		ans[0] = i ? 'x' : 'a';
		ok &= run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
		      rlog.n == 1 && is_mmio(&rlog.req[0], MMIO_BASE + i, 1, LHV_DIR_READ) &&
		      regs.rcx == 2 - i && regs.rsi == 0x200001 + i &&
		      regs.rip == (i ? CODE + 2 : CODE) && !!(regs.rflags & 0x40) == !i;
	}
	CHECK(ok, "repe cmpsb: one MMIO read per element, stops at a mismatch");

	start(MODE_LONG64, repne_scasw, sizeof(repne_scasw));
	regs.rdi = MMIO_BASE;
	regs.rcx = 5;
	regs.rax = 0x1234;
	ok = true;
	for (i = 0; i < 2; i++) {
		ans[0] = i ? 0x1234 : 0x4321;
		ok &= run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
		      rlog.n == 1 && is_mmio(&rlog.req[0], MMIO_BASE + 2 * i, 2, LHV_DIR_READ) &&
		      regs.rcx == 4 - i && regs.rip == (i ? CODE + 3 : CODE);
	}
	CHECK(ok, "repne scasw: stops at the match, RCX counts the elements");
}

/*
 * shld and shrd: the conformance guest's shld $4,%edx,(%rdi), which
 * stopped with "unsupported instruction" before; a CL count masked to 0
 * (the operand written back, no flag changed); a word shifted by 16; the
 * register-only form, which never exits for MMIO.
 */
static void test_shd(void)
{
	static const u8 shld[] = { 0x0f, 0xa4, 0x17, 0x04 };
	static const u8 shrdw_cl[] = { 0x66, 0x0f, 0xad, 0x03 };	/* shrdw %cl,%ax,(%rbx) */
	static const u8 shld_reg[] = { 0x0f, 0xa5, 0xc2 };	/* shld %cl,%eax,%edx */
	u64 ans[MAX_REQS] = { 0x12345678 };
	struct lhv_insn in;

	CHECK(lhv_decode(shld, sizeof(shld), 8, &in) == LHV_DECODE_OK &&
	      in.len == 4 && in.op == LHV_OP_ALU && in.alu == LHV_ALU_SHLD &&
	      in.size == 4 && in.mem && in.mem_dst && in.reg == 2 &&
	      in.base == 7 && in.has_imm && in.imm == 4,
	      "0f a4 17 04: shld $4,%edx,(%rdi)");
	start(MODE_LONG64, shld, sizeof(shld));
	regs.rdi = MMIO_BASE + 0x80;
	regs.rdx = 0xffffffff89abcdefULL;
	regs.rflags = 2 | 0x800;		/* OF, cleared: no sign change */
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[0], MMIO_BASE + 0x80, 4, LHV_DIR_READ) &&
	      is_mmio(&rlog.req[1], MMIO_BASE + 0x80, 4, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 0x23456788 && regs.rip == CODE + 4 &&
	      (regs.rflags & 0xc5) == 0x05 && regs.rdx == 0xffffffff89abcdefULL,
	      "shld $4 on MMIO: 12345678:89abcdef gives 23456788, CF (bit 28), PF");

	start(MODE_LONG64, shrdw_cl, sizeof(shrdw_cl));
	regs.rbx = MMIO_BASE;
	regs.rax = 0x1234;
	regs.rcx = 0x120;			/* CL 0x20: masked to 0 */
	regs.rflags = 2 | 0x8d5;
	ans[0] = 0x8001;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && is_mmio(&rlog.req[1], MMIO_BASE, 2, LHV_DIR_WRITE) &&
	      rlog.req[1].mmio.data == 0x8001 && regs.rflags == (2 | 0x8d5) &&
	      regs.rip == CODE + 4,
	      "shrdw by CL 0x20 (masked to 0): the value written back, flags untouched");

	start(MODE_LONG64, shrdw_cl, sizeof(shrdw_cl));
	regs.rbx = MMIO_BASE;
	regs.rax = 0x1234;
	regs.rcx = 16;
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_DONE &&
	      rlog.n == 2 && rlog.req[1].mmio.data == 0x1234 &&
	      (regs.rflags & 0xc5) == 0x01,
	      "shrdw by 16: AX replaces the word, CF is its bit 15");

	start(MODE_LONG64, shld_reg, sizeof(shld_reg));
	CHECK(run_mmio(&regs, &sregs, ans, &rlog, &last) == LHV_EMUL_ERROR &&
	      last.internal.suberror == LHV_INTERNAL_EMULATE && rlog.n == 0,
	      "shld between registers: decoded, not emulated");
}

/*
 * The guest chooses the bytes: random instructions (biased towards the
 * prefixes and opcodes decoded) in every mode must never crash, read out
 * of bounds (ASan), loop, or claim more than 15 bytes.
 */
static void test_fuzz(void)
{
	static const u8 common[] = {
		0x66, 0x67, 0xf3, 0xf2, 0x2e, 0x64, 0x65, 0x48, 0x41, 0x0f,
		0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0x81, 0x83, 0xf6, 0xf7,
		0xa4, 0xa5, 0xab, 0x6c, 0x6f, 0xba, 0xa3, 0xb6, 0xbf, 0x63,
		0x11, 0x19, 0xc1, 0xd3, 0xd0, 0xfe, 0xff, 0xb1, 0xc1, 0xa6,
		0xaf, 0xf0, 0xab, 0xbb, 0xa4, 0xa5, 0xac, 0xad,
	};
	static const enum mode modes[] = {
		MODE_REAL, MODE_PROT32, MODE_PAGED32, MODE_PAE, MODE_LONG64,
	};
	u64 x = 88172645463325252ULL, ans[MAX_REQS] = { 0 };
	unsigned int i, j, len, bad = 0;
	u8 code[16];
	enum lhv_emul_result r;

	for (i = 0; i < 20000; i++) {
		for (j = 0; j < sizeof(code); j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			code[j] = (x & 0x300) ? common[(x >> 16) % sizeof(common)] : x >> 24;
		}
		start(modes[i % ARRAY_SIZE(modes)], code, sizeof(code));
		regs.rax = x;
		regs.rbx = (x & 1) ? MMIO_BASE + (x >> 40) : x >> 44;
		regs.rsi = MMIO_BASE;
		regs.rdi = x >> 20;
		regs.rcx = x & 7;
		regs.rdx = x >> 32;
		r = run_mmio(&regs, &sregs, ans, &rlog, &last);
		len = lhv_insn_length(&regs, &sregs, &fake_mem, &last);
		if (len > 15 || (r == LHV_EMUL_ERROR &&
				 last.exit_reason != LHV_EXIT_INTERNAL_ERROR))
			bad++;
		r = run_insn(&regs, &sregs, ans, &rlog, true, regs.rdx & 0xffff,
			     1 << (x & 3), x & 4, x & 8, x & 16, &last);
	}
	CHECK(!bad, "20000 random instructions: no crash, lengths at most 15");
}

static void test_length(void)
{
	static const struct {
		u8 bytes[4];
		unsigned int len;
		const char *name;
	} cases[] = {
		{ { 0x0f, 0xa2 }, 2, "cpuid" },
		{ { 0x0f, 0x32 }, 2, "rdmsr" },
		{ { 0x0f, 0x30 }, 2, "wrmsr" },
		{ { 0x0f, 0x01, 0xd1 }, 3, "xsetbv" },
		{ { 0xf4 }, 1, "hlt" },
		{ { 0x0f, 0x01, 0xc1 }, 3, "vmcall" },
		{ { 0x0f, 0x01, 0xd9 }, 3, "vmmcall" },
		{ { 0xf3, 0x6c }, 2, "rep insb" },
		{ { 0xe7, 0x70 }, 2, "out %eax,$0x70" },
	};
	unsigned int i;
	char name[64];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		start(MODE_LONG64, cases[i].bytes, sizeof(cases[i].bytes));
		snprintf(name, sizeof(name), "length of %s", cases[i].name);
		CHECK(lhv_insn_length(&regs, &sregs, &fake_mem, &last) == cases[i].len,
		      name);
	}
}

int main(void)
{
	test_mov();
	test_replay();
	test_io();
	test_fetch();
	test_data_pages();
	test_strings();
	test_alu_forms();
	test_shd();
	test_length();
	test_fuzz();
	return unit_done();
}
