// SPDX-License-Identifier: GPL-2.0
/*
 * mmio: every instruction form lhv's MMIO decoder handles, against the
 * register file that selftests/lhv/test_run.c emulates at MMIO_BASE
 * (guests/mmio.h has the contract): moves, group 1 with adc and sbb,
 * shifts and rotates, shld/shrd, not/neg/inc/dec, bit tests (offsets
 * beyond the operand too), xchg/cmpxchg/xadd, string moves and compares,
 * lock, the AH-BH registers, the bug report's adc with REX.B, SIB and
 * disp32 and the conformance guest's shld $4,%edx,(%rdi).
 *
 * Most cases run one instruction twice: first on a cell of guest RAM,
 * where the CPU itself computes the answer, then on the same value in the
 * MMIO window, where lhv emulates it.  Memory, register and flags must
 * end the same; the test checks that each value written to the window is
 * the one the RAM run produced (announced beforehand).  The result is the
 * number of failed checks.
 */
#include "guest.h"
#include "mmio.h"

#define MMIO(off)	(MMIO_BASE + (off))
/* Flags before each case: every arithmetic flag set, so that a form that
 * must leave them alone is caught when it does not. */
#define FLAGS_IN	0x8d7
/* ... or all clear, for what reads CF (adc, sbb, rcl, rcr). */
#define FLAGS_IN0	0x002
#define F_ARITH		0x8d5	/* OF SF ZF AF PF CF */
#define F_LOGIC		0x8c5	/* AF is undefined after logic ops */
#define F_CF		0x001	/* bt defines CF alone */
#define F_BT		0x041	/* ... and keeps ZF */
#define F_SHIFT1	0x8c5	/* shl, shr, sar by 1: AF undefined */
#define F_SHIFT		0x0c5	/* by more: OF undefined too */
#define F_ROT		0x0d5	/* rotates by more than 1: OF undefined */

static volatile uint64_t ram_cell;
static uint32_t failures, cases;

static void expect(uint64_t value, uint32_t count)
{
	outl(MMIO_PORT_EXPECT_LO, (uint32_t)value);
	outl(MMIO_PORT_EXPECT_HI, (uint32_t)(value >> 32));
	outl(MMIO_PORT_EXPECT_COUNT, count);
}

static uint64_t size_mask(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* A plain store of @size bytes into the window (itself a checked write). */
static void mmio_set(unsigned long off, uint64_t v, unsigned int size)
{
	expect(v & size_mask(size), 1);
	switch (size) {
	case 1:
		*(volatile uint8_t *)MMIO(off) = v;
		break;
	case 2:
		*(volatile uint16_t *)MMIO(off) = v;
		break;
	case 4:
		*(volatile uint32_t *)MMIO(off) = v;
		break;
	default:
		*(volatile uint64_t *)MMIO(off) = v;
		break;
	}
}

static void check(const char *name, const char *what, uint64_t got,
		  uint64_t want)
{
	if (got == want)
		return;
	printf_com1("mmio: FAIL %s: %s %lx, want %lx\n", name, what, got, want);
	failures++;
}

static void case_done(const char *name, uint32_t before)
{
	cases++;
	printf_com1("mmio: %s %s\n", failures == before ? "ok" : "FAILED", name);
}

/*
 * Run @insn, whose operands are %[m] (memory of type TM) and %[r] (a
 * register of type TR, constraint @rc), on RAM and then on the window at
 * @off, both starting from memory @mem, register @reg and flags @fin.
 * @w: the writes the instruction makes to memory.
 */
#define CASEX(TM, TR, insn, off, mem, reg, w, fmask, rc, fin) do {	\
	volatile TM *ram_ = (volatile TM *)&ram_cell;			\
	volatile TM *io_ = (volatile TM *)MMIO(off);			\
	TR r_io_ = (TR)(reg), r_ram_ = (TR)(reg);			\
	uint64_t f_io_, f_ram_, m_ram_;					\
	uint32_t before_ = failures;					\
									\
	*ram_ = (TM)(mem);						\
	asm volatile("pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[f]" \
		     : [m] "+m"(*ram_), [r] rc(r_ram_), [f] "=r"(f_ram_) \
		     : [fi] "i"(fin) : "cc");				\
	m_ram_ = *ram_;							\
	mmio_set(off, (TM)(mem), sizeof(TM));				\
	if (w)								\
		expect(m_ram_, w);					\
	asm volatile("pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[f]" \
		     : [m] "+m"(*io_), [r] rc(r_io_), [f] "=r"(f_io_)	\
		     : [fi] "i"(fin) : "cc");				\
	check(insn, "memory", *io_, m_ram_);				\
	check(insn, "register", (uint64_t)r_io_, (uint64_t)r_ram_);	\
	check(insn, "flags", f_io_ & (fmask), f_ram_ & (fmask));	\
	case_done(insn, before_);					\
} while (0)

#define CASE(TM, TR, insn, off, mem, reg, w, fmask) \
	CASEX(TM, TR, insn, off, mem, reg, w, fmask, "+r", FLAGS_IN)

/* Same-size register and memory operands, e.g. "add %[r], %[m]". */
#define CASE1(T, insn, mem, reg, w, fmask) \
	CASE(T, T, insn, 8 * sizeof(T), mem, reg, w, fmask)

/* ... starting from flags @fin. */
#define CASE1F(T, insn, mem, reg, w, fmask, fin) \
	CASEX(T, T, insn, 8 * sizeof(T), mem, reg, w, fmask, "+r", fin)

static void test_mov(void)
{
	CASE1(uint8_t, "mov %[r], %[m]", 0x11, 0xa5, 1, F_ARITH);
	CASE1(uint16_t, "mov %[r], %[m]", 0x11, 0xa55a, 1, F_ARITH);
	CASE1(uint32_t, "mov %[r], %[m]", 0x11, 0xdeadbeef, 1, F_ARITH);
	CASE1(uint64_t, "mov %[r], %[m]", 0x11, 0x0123456789abcdefULL, 1, F_ARITH);
	CASE1(uint8_t, "mov %[m], %[r]", 0x9c, 0, 0, F_ARITH);
	CASE1(uint16_t, "mov %[m], %[r]", 0x9c8b, 0, 0, F_ARITH);
	CASE1(uint32_t, "mov %[m], %[r]", 0x9c8b7a69, 0, 0, F_ARITH);
	CASE1(uint64_t, "mov %[m], %[r]", 0xfedcba9876543210ULL, 0, 0, F_ARITH);
	CASE1(uint8_t, "movb $0x5a, %[m]", 0, 0, 1, F_ARITH);
	CASE1(uint16_t, "movw $0x1234, %[m]", 0, 0, 1, F_ARITH);
	CASE1(uint32_t, "movl $0x89abcdef, %[m]", 0, 0, 1, F_ARITH);
	/* imm32 sign-extended to 64 bits */
	CASE1(uint64_t, "movq $-2, %[m]", 0, 0, 1, F_ARITH);
}

static void test_extend(void)
{
	CASE(uint8_t, uint16_t, "movzbw %[m], %[r]", 0x20, 0xf3, 0xffff, 0, F_ARITH);
	CASE(uint8_t, uint32_t, "movzbl %[m], %[r]", 0x20, 0xf3, ~0u, 0, F_ARITH);
	CASE(uint16_t, uint64_t, "movzwq %[m], %[r]", 0x20, 0x8001, ~0ULL, 0, F_ARITH);
	CASE(uint8_t, uint64_t, "movsbq %[m], %[r]", 0x28, 0x80, 0, 0, F_ARITH);
	CASE(uint8_t, uint16_t, "movsbw %[m], %[r]", 0x28, 0x7f, 0, 0, F_ARITH);
	CASE(uint16_t, uint32_t, "movswl %[m], %[r]", 0x28, 0x8000, 0, 0, F_ARITH);
	CASE(uint32_t, uint64_t, "movslq %[m], %[r]", 0x30, 0x80000001, 0, 0, F_ARITH);
	CASE(uint32_t, uint64_t, "movslq %[m], %[r]", 0x30, 0x7fffffff, ~0ULL, 0, F_ARITH);
}

static void test_alu(void)
{
	/* register into memory: a read, then a write */
	CASE1(uint8_t, "add %[r], %[m]", 0x7f, 0x01, 1, F_ARITH);
	CASE1(uint16_t, "sub %[r], %[m]", 0x0001, 0x0002, 1, F_ARITH);
	CASE1(uint32_t, "and %[r], %[m]", 0xf0f0f0f0, 0x0ff00ff0, 1, F_LOGIC);
	CASE1(uint64_t, "or %[r], %[m]", 0x8000000000000000ULL, 1, 1, F_LOGIC);
	CASE1(uint32_t, "xor %[r], %[m]", 0x55aa55aa, 0x55aa55aa, 1, F_LOGIC);
	CASE1(uint64_t, "add %[r], %[m]", ~0ULL, 1, 1, F_ARITH);
	/* immediate into memory */
	CASE1(uint8_t, "orb $0x81, %[m]", 0x10, 0, 1, F_LOGIC);
	CASE1(uint16_t, "andw $0x0ff0, %[m]", 0xabcd, 0, 1, F_LOGIC);
	CASE1(uint32_t, "addl $-3, %[m]", 2, 0, 1, F_ARITH);
	CASE1(uint64_t, "subq $0x7fffffff, %[m]", 0x100000000ULL, 0, 1, F_ARITH);
	CASE1(uint64_t, "xorq $-1, %[m]", 0x00ff00ff00ff00ffULL, 0, 1, F_LOGIC);
	/* memory into register: a read only */
	CASE1(uint32_t, "add %[m], %[r]", 0x80000000, 0x80000000, 0, F_ARITH);
	CASE1(uint64_t, "sub %[m], %[r]", 5, 3, 0, F_ARITH);
	CASE1(uint16_t, "and %[m], %[r]", 0xff00, 0x0ff0, 0, F_LOGIC);
	CASE1(uint8_t, "or %[m], %[r]", 0x00, 0x00, 0, F_LOGIC);
	CASE1(uint64_t, "xor %[m], %[r]", 0x1234, 0x1234, 0, F_LOGIC);
	/* compare and test: flags only, no write */
	CASE1(uint32_t, "cmp %[r], %[m]", 5, 7, 0, F_ARITH);
	CASE1(uint64_t, "cmp %[m], %[r]", 7, 7, 0, F_ARITH);
	CASE1(uint8_t, "cmpb $0x80, %[m]", 0x7f, 0, 0, F_ARITH);
	CASE1(uint64_t, "cmpq $-1, %[m]", ~0ULL, 0, 0, F_ARITH);
	CASE1(uint16_t, "test %[r], %[m]", 0x8000, 0x8001, 0, F_LOGIC);
	CASE1(uint32_t, "testl $0x80000000, %[m]", 0x7fffffff, 0, 0, F_LOGIC);
}

static void test_bt_xchg(void)
{
	CASE1(uint32_t, "bt %[r], %[m]", 0x20, 5, 0, F_CF);
	CASE1(uint64_t, "bt %[r], %[m]", 0x20, 4, 0, F_CF);
	CASE1(uint16_t, "bt %[r], %[m]", 0x8000, 15, 0, F_CF);
	CASE1(uint64_t, "btq $63, %[m]", 0x8000000000000000ULL, 0, 0, F_CF);
	CASE1(uint32_t, "btl $3, %[m]", 0xfffffff7, 0, 0, F_CF);
	CASE1(uint8_t, "xchg %[r], %[m]", 0x12, 0x34, 1, F_ARITH);
	CASE1(uint16_t, "xchg %[r], %[m]", 0x1234, 0x5678, 1, F_ARITH);
	CASE1(uint32_t, "xchg %[r], %[m]", 0x12345678, 0x9abcdef0, 1, F_ARITH);
	CASE1(uint64_t, "xchg %[r], %[m]", 1, ~1ULL, 1, F_ARITH);
}

/* adc and sbb, with CF set and clear; AH-BH as operands. */
static void test_carry(void)
{
	CASE1(uint32_t, "adc %[r], %[m]", 0xfffffffe, 1, 1, F_ARITH);
	CASE1F(uint32_t, "adc %[r], %[m]", 0xfffffffe, 1, 1, F_ARITH, FLAGS_IN0);
	CASE1(uint8_t, "adcb $0x7f, %[m]", 0, 0, 1, F_ARITH);
	CASE1(uint64_t, "adc %[m], %[r]", ~0ULL, 0, 0, F_ARITH);
	CASE1(uint16_t, "sbb %[r], %[m]", 0x8000, 0x7fff, 1, F_ARITH);
	CASE1F(uint16_t, "sbb %[r], %[m]", 0x8000, 0x7fff, 1, F_ARITH, FLAGS_IN0);
	CASE1(uint64_t, "sbbq $-1, %[m]", 0, 0, 1, F_ARITH);
	CASE1F(uint8_t, "sbb %[m], %[r]", 1, 1, 0, F_ARITH, FLAGS_IN0);
	CASE1(uint32_t, "lock adcl $0x10, %[m]", 0x7fffffef, 0, 1, F_ARITH);
	/* The high byte registers need the a, b, c or d register: Q. */
	CASEX(uint8_t, uint64_t, "add %h[r], %[m]", 0x08, 0x7f, 0x8100, 1,
	      F_ARITH, "+Q", FLAGS_IN);
	CASEX(uint8_t, uint64_t, "sub %[m], %h[r]", 0x08, 0x90, 0x1234, 0,
	      F_ARITH, "+Q", FLAGS_IN);
	CASEX(uint8_t, uint64_t, "xor %[m], %h[r]", 0x08, 0xff, 0xa5a5, 0,
	      F_LOGIC, "+Q", FLAGS_IN);
	CASEX(uint8_t, uint64_t, "mov %[m], %h[r]", 0x08, 0x5c, ~0ULL, 0,
	      F_ARITH, "+Q", FLAGS_IN);
	CASEX(uint8_t, uint64_t, "or %h[r], %[m]", 0x08, 0x01, 0x8000, 1,
	      F_LOGIC, "+Q", FLAGS_IN);
}

/* Shifts and rotates by 1, by CL and by imm8. */
static void test_shift(void)
{
	CASE1(uint8_t, "shlb %[m]", 0xc1, 0, 1, F_SHIFT1);
	CASE1(uint16_t, "shrw %[m]", 0x8001, 0, 1, F_SHIFT1);
	CASE1(uint32_t, "sarl %[m]", 0x80000001, 0, 1, F_SHIFT1);
	CASE1(uint64_t, "rolq %[m]", 0x8000000000000000ULL, 0, 1, F_ARITH);
	CASE1F(uint8_t, "rcrb %[m]", 0x01, 0, 1, F_ARITH, FLAGS_IN0);
	CASE1(uint32_t, "shll $4, %[m]", 0x1234abcd, 0, 1, F_SHIFT);
	CASE1(uint64_t, "shrq $63, %[m]", 0x8000000000000000ULL, 0, 1, F_SHIFT);
	CASE1(uint16_t, "sarw $9, %[m]", 0x8100, 0, 1, F_SHIFT);
	CASE1(uint8_t, "rolb $8, %[m]", 0x81, 0, 1, F_ROT);
	CASE1(uint32_t, "rorl $31, %[m]", 0x80000001, 0, 1, F_ROT);
	CASE1(uint8_t, "rclb $9, %[m]", 0x81, 0, 1, F_ROT);
	CASE1F(uint16_t, "rcrw $5, %[m]", 0x0021, 0, 1, F_ROT, FLAGS_IN0);
	CASE1(uint64_t, "rclq $33, %[m]", 0x0123456789abcdefULL, 0, 1, F_ROT);
	/* A count of 0: nothing changes, flags included. */
	CASE1(uint32_t, "shll $0, %[m]", 0x80000000, 0, 1, F_ARITH);
	CASEX(uint32_t, uint8_t, "shll %[r], %[m]", 0x20, 0x40000001, 2, 1,
	      F_SHIFT, "+c", FLAGS_IN);
	CASEX(uint64_t, uint8_t, "sarq %[r], %[m]", 0x40, 0x8000000000000000ULL,
	      0x7f, 1, F_SHIFT, "+c", FLAGS_IN);
	CASEX(uint16_t, uint8_t, "rolw %[r], %[m]", 0x10, 0x8001, 1, 1,
	      F_ARITH, "+c", FLAGS_IN);
	CASEX(uint8_t, uint8_t, "shrb %[r], %[m]", 0x08, 0xff, 0x20, 1,
	      F_ARITH, "+c", FLAGS_IN);
}

/*
 * shld and shrd: @insn shifts (%[p]), holding @mem, by an immediate or by
 * %[c] (CL, @cnt), with bits of %[r] (@reg).  The operand is addressed
 * through a register: QEMU's TCG (7.2) takes a RIP-relative address of
 * shld or shrd with an imm8 one byte short, so the RAM run would be
 * wrong with the operand the compiler picks for "m" (ram_cell(%rip)).
 */
#define SHD(T, insn, mem, reg, cnt, fmask) do {				\
	volatile T *ram_ = (volatile T *)&ram_cell;			\
	volatile T *io_ = (volatile T *)MMIO(0x780);			\
	uint64_t f_io_, f_ram_, m_ram_;					\
	uint32_t before_ = failures;					\
	T r_ = (T)(reg);						\
	uint8_t c_ = (cnt);						\
									\
	*ram_ = (T)(mem);						\
	asm volatile("pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[f]" \
		     : [f] "=r"(f_ram_)					\
		     : [p] "r"(ram_), [r] "r"(r_), [c] "c"(c_),		\
		       [fi] "i"(FLAGS_IN) : "cc", "memory");		\
	m_ram_ = *ram_;							\
	mmio_set(0x780, (T)(mem), sizeof(T));				\
	expect(m_ram_, 1);						\
	asm volatile("pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[f]" \
		     : [f] "=r"(f_io_)					\
		     : [p] "r"(io_), [r] "r"(r_), [c] "c"(c_),		\
		       [fi] "i"(FLAGS_IN) : "cc", "memory");		\
	check(insn, "memory", *io_, m_ram_);				\
	check(insn, "flags", f_io_ & (fmask), f_ram_ & (fmask));	\
	case_done(insn, before_);					\
} while (0)

/*
 * The conformance guest's encoding, 0f a4 17 04: shld $4,%edx,(%rdi),
 * which stopped the VM with "unsupported instruction" before.
 */
static void shld_report(void)
{
	const char *name = "0f a4 17 04: shld $4,%edx,(%rdi)";
	uint64_t f_ram, f_io;
	uint32_t before = failures, v_ram;

	ram_cell = 0x12345678;
	asm volatile("pushq %[fi]\n\tpopfq\n\t.byte 0x0f, 0xa4, 0x17, 0x04\n\t"
		     "pushfq\n\tpopq %[f]"
		     : [f] "=r"(f_ram) : "D"(&ram_cell), "d"(0x89abcdef),
		       [fi] "i"(FLAGS_IN) : "cc", "memory");
	v_ram = (uint32_t)ram_cell;
	mmio_set(0x7c0, 0x12345678, 4);
	expect(v_ram, 1);
	asm volatile("pushq %[fi]\n\tpopfq\n\t.byte 0x0f, 0xa4, 0x17, 0x04\n\t"
		     "pushfq\n\tpopq %[f]"
		     : [f] "=r"(f_io) : "D"(MMIO(0x7c0)), "d"(0x89abcdef),
		       [fi] "i"(FLAGS_IN) : "cc", "memory");
	check(name, "memory", *(volatile uint32_t *)MMIO(0x7c0), v_ram);
	check(name, "flags", f_io & F_SHIFT, f_ram & F_SHIFT);
	case_done(name, before);
}

/* shld and shrd by imm8 and by CL, 16, 32 and 64 bits. */
static void test_shd(void)
{
	SHD(uint32_t, "shldl $4, %[r], (%[p])", 0x12345678, 0x9abcdef0, 0, F_SHIFT);
	SHD(uint16_t, "shldw $1, %[r], (%[p])", 0x4001, 0x8000, 0, F_SHIFT1);
	SHD(uint64_t, "shldq $63, %[r], (%[p])", 0x8000000000000001ULL,
	    0x7fffffffffffffffULL, 0, F_SHIFT);
	SHD(uint16_t, "shrdw $16, %[r], (%[p])", 0x8001, 0x1234, 0, F_SHIFT);
	SHD(uint32_t, "shrdl $1, %[r], (%[p])", 0x80000001, 1, 0, F_SHIFT1);
	SHD(uint64_t, "shrdq $12, %[r], (%[p])", 0x0123456789abcdefULL,
	    0xfedcba9876543210ULL, 0, F_SHIFT);
	/* A count of 0: the operand written back, no flag changed. */
	SHD(uint32_t, "shrdl $0, %[r], (%[p])", 0x80000000, ~0u, 0, F_ARITH);
	SHD(uint16_t, "shldw %[c], %[r], (%[p])", 0x8421, 0x1248, 16, F_SHIFT);
	SHD(uint32_t, "shldl %[c], %[r], (%[p])", 0xf0000000, 0x0000000f, 31,
	    F_SHIFT);
	SHD(uint64_t, "shrdq %[c], %[r], (%[p])", 0xaaaaaaaaaaaaaaaaULL, 1, 0x41,
	    F_SHIFT1);
	SHD(uint32_t, "shrdl %[c], %[r], (%[p])", 0x55, 0x66, 0x20, F_ARITH);
	shld_report();
}

/* not, neg, inc, dec; cmpxchg and xadd. */
static void test_unary(void)
{
	CASE1(uint8_t, "notb %[m]", 0x5a, 0, 1, F_ARITH);
	CASE1(uint64_t, "notq %[m]", 0, 0, 1, F_ARITH);
	CASE1(uint16_t, "negw %[m]", 0x8000, 0, 1, F_ARITH);
	CASE1F(uint32_t, "negl %[m]", 0, 0, 1, F_ARITH, FLAGS_IN0);
	CASE1(uint64_t, "incq %[m]", ~0ULL, 0, 1, F_ARITH);
	CASE1F(uint8_t, "incb %[m]", 0x7f, 0, 1, F_ARITH, FLAGS_IN0);
	CASE1(uint32_t, "decl %[m]", 0, 0, 1, F_ARITH);
	CASE1(uint16_t, "lock decw %[m]", 0x8000, 0, 1, F_ARITH);
	CASE1(uint32_t, "xadd %[r], %[m]", 0x7fffffff, 1, 1, F_ARITH);
	CASE1(uint8_t, "lock xadd %[r], %[m]", 0x80, 0x80, 1, F_ARITH);
	CASE1(uint64_t, "testq %[r], %[m]", 0xff00, 0x0ff0, 0, F_LOGIC);
	CASE1(uint8_t, "testb $0x80, %[m]", 0x7f, 0, 0, F_LOGIC);
}

/*
 * cmpxchg: rAX and the flags say whether it matched; the destination is
 * written either way (its own value back on a mismatch), and on a match
 * a 32-bit accumulator keeps RAX's bits 63:32.
 */
#define CMPXCHG(T, insn, mem, acc, src) do {				\
	volatile T *ram_ = (volatile T *)&ram_cell;			\
	volatile T *io_ = (volatile T *)MMIO(0x480);			\
	uint64_t a_ram_ = (acc), a_io_ = (acc), f_io_, f_ram_, m_ram_;	\
	T s_ = (T)(src);						\
	uint32_t before_ = failures;					\
									\
	*ram_ = (T)(mem);						\
	asm volatile("pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[f]" \
		     : [m] "+m"(*ram_), "+a"(a_ram_), [f] "=r"(f_ram_)	\
		     : [s] "r"(s_), [fi] "i"(FLAGS_IN) : "cc");		\
	m_ram_ = *ram_;							\
	mmio_set(0x480, (T)(mem), sizeof(T));				\
	expect(m_ram_, 1);						\
	asm volatile("pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[f]" \
		     : [m] "+m"(*io_), "+a"(a_io_), [f] "=r"(f_io_)	\
		     : [s] "r"(s_), [fi] "i"(FLAGS_IN) : "cc");		\
	check(insn, "memory", *io_, m_ram_);				\
	check(insn, "rax", a_io_, a_ram_);				\
	check(insn, "flags", f_io_ & F_ARITH, f_ram_ & F_ARITH);	\
	case_done(insn, before_);					\
} while (0)

static void test_cmpxchg(void)
{
	CMPXCHG(uint32_t, "cmpxchg %[s], %[m]", 5, 0xaaaaaaaa00000005ULL, 9);
	CMPXCHG(uint32_t, "cmpxchg %[s], %[m]", 5, 0xaaaaaaaa00000006ULL, 9);
	CMPXCHG(uint8_t, "lock cmpxchg %[s], %[m]", 0x80, 0x7f, 1);
	CMPXCHG(uint64_t, "lock cmpxchg %[s], %[m]", ~0ULL, ~0ULL, 0);
	CMPXCHG(uint16_t, "cmpxchg %[s], %[m]", 0x1234, 0xffff1234, 0x4321);
}

/*
 * A register bit offset addresses memory outside the operand: unit
 * floor(offset / width) from it, both ways.  Run on four RAM qwords,
 * then on four in the window, the operand being the third.
 */
static volatile uint64_t ram_bits[4];

/* bt (@op 0), bts (1) or lock btc (2) of bit @off of *@p; the flags. */
static uint64_t bt_run(int op, int64_t off, volatile uint64_t *p)
{
	uint64_t f;

#define BT_RUN(insn) asm volatile(					\
	"pushq %[fi]\n\tpopfq\n\t" insn " %[o], (%[p])\n\t"		\
	"pushfq\n\tpopq %[f]"						\
	: [f] "=r"(f) : [o] "r"(off), [p] "r"(p), [fi] "i"(FLAGS_IN)	\
	: "cc", "memory")
	switch (op) {
	case 0:
		BT_RUN("btq");
		break;
	case 1:
		BT_RUN("btsq");
		break;
	default:
		BT_RUN("lock btcq");
		break;
	}
#undef BT_RUN
	return f;
}

static void bt_far(const char *name, int64_t off, int op)
{
	volatile uint64_t *io = (volatile uint64_t *)MMIO(0x500);
	const uint64_t init[4] = { 0x8000000000000001ULL, 0x5555555555555555ULL,
				   0x0123456789abcdefULL, 0 };
	uint32_t before = failures, i, writes = 0;
	uint64_t f_ram, f_io;

	for (i = 0; i < 4; i++) {
		ram_bits[i] = init[i];
		mmio_set(0x500 + 8 * i, init[i], 8);
	}
	f_ram = bt_run(op, off, &ram_bits[2]);
	for (i = 0; i < 4; i++) {
		if (ram_bits[i] != init[i]) {
			expect(ram_bits[i], 1);
			writes++;
		}
	}
	f_io = bt_run(op, off, &io[2]);
	for (i = 0; i < 4; i++)
		check(name, "qword", io[i], ram_bits[i]);
	check(name, "flags", f_io & F_BT, f_ram & F_BT);
	check(name, "writes", writes, op != 0);
	case_done(name, before);
}

static void test_bits(void)
{
	CASE1(uint32_t, "bts %[r], %[m]", 0x20, 5, 1, F_BT);
	CASE1(uint16_t, "btr %[r], %[m]", 0x8000, 15, 1, F_BT);
	CASE1(uint64_t, "btc %[r], %[m]", 1, 0, 1, F_BT);
	CASE1(uint64_t, "btsq $63, %[m]", 0, 0, 1, F_BT);
	CASE1(uint32_t, "lock btrl $35, %[m]", 0xfffffff8, 0, 1, F_BT);
	CASE1(uint16_t, "btcw $16, %[m]", 0x0001, 0, 1, F_BT);
	bt_far("bt, offset -65: bit 63 two qwords below", -65, 0);
	bt_far("bts, offset 70: bit 6 of the next qword", 70, 1);
	bt_far("lock btc, offset -1: bit 63 of the qword below", -1, 2);
}

/*
 * The bug report's encoding: 41 11 9c 24 78 56 34 12, adc %ebx,
 * 0x12345678(%r12) (REX.B, SIB, disp32), which stopped the VM before.
 */
static void test_report(void)
{
	uint64_t f_ram, f_io, base;
	uint32_t before = failures, v_ram;

	ram_cell = 0xfffffff0;
	base = (uint64_t)&ram_cell - 0x12345678;
	asm volatile("pushq %[fi]\n\tpopfq\n\tmovq %[p], %%r12\n\t"
		     "adcl %%ebx, 0x12345678(%%r12)\n\tpushfq\n\tpopq %[f]"
		     : [f] "=r"(f_ram) : [p] "r"(base), "b"(0x0f),
		       [fi] "i"(FLAGS_IN) : "r12", "cc", "memory");
	v_ram = (uint32_t)ram_cell;
	mmio_set(0x700, 0xfffffff0, 4);
	expect(v_ram, 1);
	base = MMIO(0x700) - 0x12345678;
	asm volatile("pushq %[fi]\n\tpopfq\n\tmovq %[p], %%r12\n\t"
		     "adcl %%ebx, 0x12345678(%%r12)\n\tpushfq\n\tpopq %[f]"
		     : [f] "=r"(f_io) : [p] "r"(base), "b"(0x0f),
		       [fi] "i"(FLAGS_IN) : "r12", "cc", "memory");
	check("adc %ebx,0x12345678(%r12)", "memory",
	      *(volatile uint32_t *)MMIO(0x700), v_ram);
	check("adc %ebx,0x12345678(%r12)", "flags", f_io & F_ARITH,
	      f_ram & F_ARITH);
	case_done("41 11 9c 24: adc %ebx,0x12345678(%r12)", before);
}

static volatile uint64_t src[4], dst[4];

static void test_movs(void)
{
	uint32_t before = failures;
	uint64_t si, di, cx;

	src[0] = 0x1122334455667788ULL;
	si = (uint64_t)src;
	di = MMIO(0x200);
	expect(src[0], 1);
	asm volatile("movsq" : "+S"(si), "+D"(di) : : "memory");
	check("movsq RAM to MMIO", "rsi", si, (uint64_t)src + 8);
	check("movsq RAM to MMIO", "rdi", di, MMIO(0x208));
	check("movsq RAM to MMIO", "value", *(volatile uint64_t *)MMIO(0x200), src[0]);
	case_done("movsq RAM to MMIO", before);

	before = failures;
	si = MMIO(0x200);
	di = (uint64_t)dst;
	asm volatile("movsq" : "+S"(si), "+D"(di) : : "memory");
	check("movsq MMIO to RAM", "value", dst[0], src[0]);
	check("movsq MMIO to RAM", "rsi", si, MMIO(0x208));
	case_done("movsq MMIO to RAM", before);

	before = failures;
	si = MMIO(0x200);
	di = MMIO(0x210);
	expect(0x7788, 1);
	asm volatile("movsw" : "+S"(si), "+D"(di) : : "memory");
	check("movsw MMIO to MMIO", "value", *(volatile uint16_t *)MMIO(0x210), 0x7788);
	check("movsw MMIO to MMIO", "rdi", di, MMIO(0x212));
	case_done("movsw MMIO to MMIO", before);

	before = failures;
	src[1] = 0x3c3c3c3c3c3c3c3cULL;
	si = (uint64_t)&src[1];
	di = MMIO(0x220);
	cx = 5;
	expect(0x3c, 5);
	asm volatile("rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	check("rep movsb RAM to MMIO", "rcx", cx, 0);
	check("rep movsb RAM to MMIO", "rdi", di, MMIO(0x225));
	check("rep movsb RAM to MMIO", "last byte", *(volatile uint8_t *)MMIO(0x224), 0x3c);
	case_done("rep movsb RAM to MMIO", before);

	before = failures;
	mmio_set(0x230, 0xa1a2a3a4, 4);
	mmio_set(0x234, 0xb1b2b3b4, 4);
	mmio_set(0x238, 0xc1c2c3c4, 4);
	dst[1] = dst[2] = 0;
	si = MMIO(0x230);
	di = (uint64_t)&dst[1];
	cx = 3;
	asm volatile("rep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	check("rep movsl MMIO to RAM", "rcx", cx, 0);
	check("rep movsl MMIO to RAM", "first", dst[1], 0xb1b2b3b4a1a2a3a4ULL);
	check("rep movsl MMIO to RAM", "last", (uint32_t)dst[2], 0xc1c2c3c4);
	check("rep movsl MMIO to RAM", "rsi", si, MMIO(0x23c));
	case_done("rep movsl MMIO to RAM", before);
}

static void test_stos(void)
{
	uint32_t before = failures;
	uint64_t di, cx, ax;

	di = MMIO(0x300);
	ax = 0xa5;
	expect(0xa5, 1);
	asm volatile("stosb" : "+D"(di) : "a"(ax) : "memory");
	check("stosb", "value", *(volatile uint8_t *)MMIO(0x300), 0xa5);
	check("stosb", "rdi", di, MMIO(0x301));
	case_done("stosb", before);

	before = failures;
	di = MMIO(0x310);
	cx = 4;
	ax = 0xdeadbeef;
	expect(ax, 4);
	asm volatile("rep stosl" : "+D"(di), "+c"(cx) : "a"(ax) : "memory");
	check("rep stosl", "rcx", cx, 0);
	check("rep stosl", "rdi", di, MMIO(0x320));
	check("rep stosl", "element 3", *(volatile uint32_t *)MMIO(0x31c), ax);
	case_done("rep stosl", before);

	before = failures;
	di = MMIO(0x320);
	cx = 2;
	ax = 0x0102030405060708ULL;
	expect(ax, 2);
	asm volatile("rep stosq" : "+D"(di), "+c"(cx) : "a"(ax) : "memory");
	check("rep stosq", "rcx", cx, 0);
	check("rep stosq", "element 1", *(volatile uint64_t *)MMIO(0x328), ax);
	case_done("rep stosq", before);
}

/*
 * cmps and scas against the window, with and without repe/repne: the
 * same instruction on a RAM copy gives the registers and flags.
 */
static volatile uint8_t cmp_ram[16], cmp_copy[16];

#define STR_CMP(insn, si, di, ax, cx, f) asm volatile(			\
	"pushq %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %[fo]"	\
	: "+S"(si), "+D"(di), "+a"(ax), "+c"(cx), [fo] "=r"(f)		\
	: [fi] "i"(FLAGS_IN0) : "cc", "memory")

static void str_cmp_case(const char *name, int op)
{
	uint64_t si_r = (uint64_t)cmp_ram, di_r = (uint64_t)cmp_copy;
	uint64_t si_m = (uint64_t)cmp_ram, di_m = MMIO(0x600);
	uint64_t ax_r = 0x4443, ax_m = 0x4443, cx_r = 8, cx_m = 8, f_r, f_m;
	uint32_t before = failures;

	switch (op) {
	case 0:
		STR_CMP("repe cmpsb", si_r, di_r, ax_r, cx_r, f_r);
		STR_CMP("repe cmpsb", si_m, di_m, ax_m, cx_m, f_m);
		break;
	case 1:
		STR_CMP("repne scasw", si_r, di_r, ax_r, cx_r, f_r);
		STR_CMP("repne scasw", si_m, di_m, ax_m, cx_m, f_m);
		break;
	case 2:
		STR_CMP("cmpsq", si_r, di_r, ax_r, cx_r, f_r);
		STR_CMP("cmpsq", si_m, di_m, ax_m, cx_m, f_m);
		break;
	default:
		STR_CMP("scasl", si_r, di_r, ax_r, cx_r, f_r);
		STR_CMP("scasl", si_m, di_m, ax_m, cx_m, f_m);
		break;
	}
	check(name, "rcx", cx_m, cx_r);
	check(name, "rsi", si_m - (uint64_t)cmp_ram, si_r - (uint64_t)cmp_ram);
	check(name, "rdi", di_m - MMIO(0x600), di_r - (uint64_t)cmp_copy);
	check(name, "flags", f_m & F_ARITH, f_r & F_ARITH);
	case_done(name, before);
}

static void test_str_cmp(void)
{
	static const char src_text[17] = "ABCDEFGHIJKLMNOP";
	static const char win_text[17] = "ABCDxFGHIJKLMNOP";
	uint32_t i, v;

	/* RAM holds the source; the window and its RAM copy the other. */
	for (i = 0; i < 16; i++) {
		cmp_ram[i] = src_text[i];
		cmp_copy[i] = win_text[i];
	}
	for (i = 0; i < 16; i += 4) {
		v = (uint8_t)win_text[i] | (uint8_t)win_text[i + 1] << 8 |
		    (uint8_t)win_text[i + 2] << 16 |
		    (uint32_t)(uint8_t)win_text[i + 3] << 24;
		mmio_set(0x600 + i, v, 4);
	}
	str_cmp_case("repe cmpsb, RAM with MMIO: stops at the 5th byte", 0);
	str_cmp_case("repne scasw on MMIO: stops at \"CD\"", 1);
	str_cmp_case("cmpsq, RAM with MMIO", 2);
	str_cmp_case("scasl on MMIO", 3);
}

/* FS/GS prefixes, and forced REX and operand-size prefixes. */
static void test_prefixes(void)
{
	uint32_t before = failures, v = 0x600df00d;
	uint64_t q;

	expect(v, 1);
	asm volatile("movl %[v], %%fs:0x10" : : [v] "r"(v) : "memory");
	check("movl %fs:0x10", "value", *(volatile uint32_t *)(MMIO_FS_BASE + 0x10), v);
	case_done("movl to %fs:0x10", before);

	before = failures;
	mmio_set(MMIO_GS_BASE - MMIO_BASE + 0x18, 0x1234567890abcdefULL, 8);
	asm volatile("movq %%gs:0x18, %[q]" : [q] "=r"(q));
	check("movq %gs:0x18", "value", q, 0x1234567890abcdefULL);
	expect(0x1234567890abcdf0ULL, 1);
	asm volatile("addq $1, %%gs:0x18" : : : "cc", "memory");
	check("addq $1, %gs:0x18", "value",
	      *(volatile uint64_t *)(MMIO_GS_BASE + 0x18), 0x1234567890abcdf0ULL);
	case_done("movq/addq with %gs", before);

	before = failures;
	expect(0xbeef, 1);
	{
		/*
		 * Register variables hold their value only at an asm that
		 * uses them: no function call may come between.
		 */
		register uint16_t r9 asm("r9") = 0xbeef;
		register uint64_t r10 asm("r10");

		asm volatile("movw %[x], (%[p])"
			     : : [x] "r"(r9), [p] "r"(MMIO(0x400)) : "memory");
		asm volatile("movq (%[p]), %[y]" : [y] "=r"(r10) : [p] "r"(MMIO(0x400)));
		q = r10;
	}
	check("movw %r9w / movq to %r10", "value", q, 0xbeef);
	case_done("66 REX movw %r9w, REX.W movq to %r10", before);
}

/*
 * Not MMIO, but the same question of which register bits an access
 * leaves alone: IN to AL or AX replaces only those bytes of RAX, IN to
 * EAX clears bits 63:32, as every 32-bit register write does.
 */
static void test_in(void)
{
	const uint64_t rax_in = 0x1122334455667788ULL;
	uint32_t before = failures;
	uint16_t dx = MMIO_PORT_PATTERN;
	uint64_t ax;

	ax = rax_in;
	asm volatile("inb %[p], %%al" : "+a"(ax) : [p] "N"(MMIO_PORT_PATTERN));
	check("inb imm8", "rax", ax, 0x11223344556677efULL);
	ax = rax_in;
	asm volatile("inw %%dx, %%ax" : "+a"(ax) : "d"(dx));
	check("inw dx", "rax", ax, 0x112233445566cdefULL);
	ax = rax_in;
	asm volatile("inl %[p], %%eax" : "+a"(ax) : [p] "N"(MMIO_PORT_PATTERN));
	check("inl imm8", "rax", ax, MMIO_IN_PATTERN);
	case_done("in to al, ax and eax: the rest of rax", before);
}

uint32_t guest_main(uint64_t ram_size)
{
	(void)ram_size;
	puts_com1("mmio: start\n");
	test_mov();
	test_extend();
	test_alu();
	test_bt_xchg();
	test_carry();
	test_shift();
	test_shd();
	test_unary();
	test_cmpxchg();
	test_bits();
	test_report();
	test_movs();
	test_stos();
	test_str_cmp();
	test_prefixes();
	test_in();
	printf_com1("mmio: %u cases, %u failed checks: %s\n", cases, failures,
		    failures ? "FAIL" : "PASS");
	return failures;
}
