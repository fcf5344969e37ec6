// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the emulator's protocol (module/emulate.c): MMIO and port
 * requests, replay after completion, read-modify-write, rep string
 * stepping, fetch across pages and the error records.
 */
#include "emul_fixture.h"
#include "unit.h"

#define CODE	0x10000ULL

static struct lhv_regs regs;
static struct lhv_sregs sregs;
static struct reqlog rlog;
static struct lhv_run last;

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
	test_length();
	return unit_done();
}
