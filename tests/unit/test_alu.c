// SPDX-License-Identifier: GPL-2.0
/*
 * The emulator's arithmetic against the host CPU.
 *
 *  1. lhv_alu() (module/alu.c) and host_alu() (emul_fixture.h, the real
 *     instruction) on the same operands and input flags: every operation,
 *     every size, edge operands and counts, then random ones; the same
 *     for shld and shrd, lhv_alu_shd() and host_alu_shd().
 *  2. The full path: each instruction form below is assembled into this
 *     program, run by the host CPU on a buffer, and its bytes are run by
 *     lhv_emulate_mmio() on an MMIO window that mirrors the buffer.
 *     Registers, flags, memory and RIP must end the same.
 *
 * Results and defined flags must match exactly.  Flags the SDM leaves
 * undefined (alu_defined_flags() in emul_fixture.h lists them) are not
 * compared, nor the undefined results of 16-bit shld and shrd by more
 * than 16 (alu_result_defined()); how often they matched the host all
 * the same is printed.
 */
#include "emul_fixture.h"
#include "../../module/decode.h"
#include "unit.h"

static u64 rng = 0x2545f4914f6cdd1dULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool is_bittest(unsigned int op)
{
	return op >= LHV_ALU_BT && op <= LHV_ALU_BTC;
}

static const char *const alu_names[LHV_ALU_NR] = {
	"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp",
	"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar",
	"bt", "bts", "btr", "btc", "test", "not", "neg", "inc", "dec",
	"shld", "shrd",
};

/* ---- 1. lhv_alu() against the host CPU ---- */

static unsigned long total_cases, undef_cases, undef_matched;

/* Operand edges: 0, 1, the sign boundary, all-ones and AF's carry. */
static u64 edge_value(unsigned int i, unsigned int size)
{
	u64 m = lhv_size_mask(size), sign = 1ULL << (8 * size - 1);
	const u64 v[] = { 0, 1, 2, sign - 1, sign, sign + 1, m, m - 1, 0x0f,
			  0x10 };

	return v[i % ARRAY_SIZE(v)] & m;
}

#define NR_EDGES	10

/* Counts: 0, 1, width - 1, width, 31, 63, and past the masks. */
static u64 edge_count(unsigned int i, unsigned int size)
{
	unsigned int bits = 8 * size;
	const u64 v[] = { 0, 1, 2, bits - 1, bits, bits + 1, 9, 17, 31, 32,
			  63, 64, 255 };

	return v[i % ARRAY_SIZE(v)];
}

#define NR_COUNTS	13

/*
 * One case; false (and a line saying why) if the results differ.  @cnt
 * is the count of shld and shrd (lhv_alu_shd()); the others ignore it.
 */
static bool alu_case(unsigned int op, unsigned int size, u64 dst, u64 src,
		     u64 cnt, u64 fin)
{
	bool shd = lhv_alu_is_shd(op), rdef;
	u64 fl = fin, fh = fin, m = lhv_size_mask(size), def, rl, rh;

	if (shd) {
		rl = lhv_alu_shd(op, dst, src, cnt, size, &fl);
		rh = host_alu_shd(op, dst, src, cnt, size, &fh);
	} else {
		rl = lhv_alu(op, dst, src, size, &fl);
		rh = host_alu(op, dst, src, size, &fh);
	}
	total_cases++;
	def = alu_defined_flags(op, size, shd ? cnt : src);
	rdef = alu_result_defined(op, size, shd ? cnt : src);
	if (def != LHV_FL_ARITH || !rdef) {
		undef_cases++;
		undef_matched += fl == fh && (rl & m) == (rh & m);
	}
	if ((!rdef || (rl & m) == (rh & m)) && !((fl ^ fh) & def) && !(rl & ~m))
		return true;
	printf("#   %s%u dst %llx src %llx count %llx flags %llx: result %llx flags %llx, host %llx flags %llx\n",
	       alu_names[op], size, (unsigned long long)dst,
	       (unsigned long long)src, (unsigned long long)cnt,
	       (unsigned long long)fin,
	       (unsigned long long)rl, (unsigned long long)fl,
	       (unsigned long long)rh, (unsigned long long)fh);
	return false;
}

static void test_alu_layer(void)
{
	unsigned int op, size, i, j, bad, n, nsrc;
	char name[80];

	for (op = 0; op < LHV_ALU_NR; op++) {
		if (op == 14 || lhv_alu_is_shd(op))	/* sal is shl */
			continue;
		for (size = 1; size <= 8; size *= 2) {
			if (is_bittest(op) && size == 1)
				continue;	/* no 8-bit form */
			bad = 0;
			n = total_cases;
			nsrc = lhv_alu_is_shift(op) ? NR_COUNTS : NR_EDGES;
			for (i = 0; i < NR_EDGES; i++) {
				for (j = 0; j < nsrc; j++) {
					u64 s = lhv_alu_is_shift(op) ? edge_count(j, size) :
						edge_value(j, size);

					bad += !alu_case(op, size, edge_value(i, size), s,
							 0, 2);
					bad += !alu_case(op, size, edge_value(i, size), s,
							 0, 2 | LHV_FL_ARITH);
				}
			}
			for (i = 0; i < 4000; i++) {
				u64 s = lhv_alu_is_shift(op) ? rnd() & 0xff : rnd();
				u64 d = rnd() >> (rnd() & 63);

				bad += !alu_case(op, size, d, s, 0,
						 2 | (rnd() & LHV_FL_ARITH));
			}
			snprintf(name, sizeof(name), "%s, %u bytes: %lu cases like the host",
				 alu_names[op], size, total_cases - n);
			CHECK(!bad, name);
		}
	}
}

/*
 * shld and shrd (lhv_alu_shd()): every pair of edge operands with every
 * edge count, flags all clear and all set, then random operands, counts
 * and flags.
 */
static void test_shd_layer(void)
{
	unsigned int op, size, i, j, k, bad, n;
	char name[80];

	for (op = LHV_ALU_SHLD; op <= LHV_ALU_SHRD; op++) {
		for (size = 2; size <= 8; size *= 2) {
			bad = 0;
			n = total_cases;
			for (i = 0; i < NR_EDGES; i++) {
				for (j = 0; j < NR_EDGES; j++) {
					u64 d = edge_value(i, size), s = edge_value(j, size);

					for (k = 0; k < NR_COUNTS; k++) {
						u64 c = edge_count(k, size);

						bad += !alu_case(op, size, d, s, c, 2);
						bad += !alu_case(op, size, d, s, c,
								 2 | LHV_FL_ARITH);
					}
				}
			}
			for (i = 0; i < 4000; i++) {
				u64 d = rnd() >> (rnd() & 63), s = rnd();

				bad += !alu_case(op, size, d, s, rnd() & 0xff,
						 2 | (rnd() & LHV_FL_ARITH));
			}
			snprintf(name, sizeof(name), "%s, %u bytes: %lu cases like the host",
				 alu_names[op], size, total_cases - n);
			CHECK(!bad, name);
		}
	}
}

/* ---- 2. the full path: decode and emulate against the host ---- */

/* Form kinds. */
#define K_CL		0x01	/* the count is CL */
#define K_BTREG		0x02	/* a register bit offset, in DX */
#define K_STR		0x04	/* a string instruction: RSI, RDI */
#define K_REP		0x08	/* ... with rep: RCX counts */
#define K_CMPXCHG	0x10	/* RAX may match memory */
#define K_R12		0x20	/* the operand is 0x12345678(%r12) */
#define K_NOALU		0x40	/* no lhv_alu operation: all flags kept */
#define K_RDI		0x80	/* the operand is (%rdi) */

struct form {
	const char *name;
	const u8 *start, *end;
	unsigned int size, op, kind, cnt;	/* cnt: an immediate count */
};

/*
 * The forms, as X(id, size, op, kind, imm count, AT&T text): group 1 in
 * every direction and immediate size, AH-DH and REX byte registers;
 * group 2 by 1, by CL and by imm8; shld and shrd by imm8 and by CL;
 * groups 3-5; bit tests; xchg, cmpxchg, xadd; the moves; the string
 * instructions; lock and the forms of the bug reports.  The operand is
 * (%rbx) unless K_R12, K_RDI or K_STR.
 */
#define G1(X, o, O)							\
	X(o##_b_rm, 1, LHV_ALU_##O, 0, 0, #o "b %dl, (%rbx)")		\
	X(o##_bh_rm, 1, LHV_ALU_##O, 0, 0, #o "b %dh, (%rbx)")		\
	X(o##_bsil_rm, 1, LHV_ALU_##O, 0, 0, #o "b %sil, (%rbx)")	\
	X(o##_w_rm, 2, LHV_ALU_##O, 0, 0, #o "w %dx, (%rbx)")		\
	X(o##_l_rm, 4, LHV_ALU_##O, 0, 0, #o "l %edx, (%rbx)")		\
	X(o##_q_rm, 8, LHV_ALU_##O, 0, 0, #o "q %rdx, (%rbx)")		\
	X(o##_b_mr, 1, LHV_ALU_##O, 0, 0, #o "b (%rbx), %dl")		\
	X(o##_bh_mr, 1, LHV_ALU_##O, 0, 0, #o "b (%rbx), %dh")		\
	X(o##_w_mr, 2, LHV_ALU_##O, 0, 0, #o "w (%rbx), %dx")		\
	X(o##_l_mr, 4, LHV_ALU_##O, 0, 0, #o "l (%rbx), %edx")		\
	X(o##_q_mr, 8, LHV_ALU_##O, 0, 0, #o "q (%rbx), %rdx")		\
	X(o##_b_i, 1, LHV_ALU_##O, 0, 0, #o "b $0x5a, (%rbx)")		\
	X(o##_b_i2, 1, LHV_ALU_##O, 0, 0, #o "b $0x80, (%rbx)")	\
	X(o##_w_i, 2, LHV_ALU_##O, 0, 0, #o "w $0x1234, (%rbx)")	\
	X(o##_l_i, 4, LHV_ALU_##O, 0, 0, #o "l $0x87654321, (%rbx)")	\
	X(o##_q_i, 8, LHV_ALU_##O, 0, 0, #o "q $-0x12345678, (%rbx)")	\
	X(o##_w_i8, 2, LHV_ALU_##O, 0, 0, #o "w $-3, (%rbx)")		\
	X(o##_l_i8, 4, LHV_ALU_##O, 0, 0, #o "l $0x7f, (%rbx)")	\
	X(o##_q_i8, 8, LHV_ALU_##O, 0, 0, #o "q $-0x80, (%rbx)")

#define G2(X, o, O, n)							\
	X(o##_b_1, 1, LHV_ALU_##O, 0, 1, #o "b (%rbx)")		\
	X(o##_w_1, 2, LHV_ALU_##O, 0, 1, #o "w (%rbx)")		\
	X(o##_l_1, 4, LHV_ALU_##O, 0, 1, #o "l (%rbx)")		\
	X(o##_q_1, 8, LHV_ALU_##O, 0, 1, #o "q (%rbx)")		\
	X(o##_b_cl, 1, LHV_ALU_##O, K_CL, 0, #o "b %cl, (%rbx)")	\
	X(o##_w_cl, 2, LHV_ALU_##O, K_CL, 0, #o "w %cl, (%rbx)")	\
	X(o##_l_cl, 4, LHV_ALU_##O, K_CL, 0, #o "l %cl, (%rbx)")	\
	X(o##_q_cl, 8, LHV_ALU_##O, K_CL, 0, #o "q %cl, (%rbx)")	\
	X(o##_b_i, 1, LHV_ALU_##O, 0, 3, #o "b $3, (%rbx)")		\
	X(o##_b_i9, 1, LHV_ALU_##O, 0, 9, #o "b $9, (%rbx)")		\
	X(o##_w_i, 2, LHV_ALU_##O, 0, 17, #o "w $17, (%rbx)")		\
	X(o##_l_i, 4, LHV_ALU_##O, 0, 31, #o "l $31, (%rbx)")		\
	X(o##_l_i0, 4, LHV_ALU_##O, 0, 0, #o "l $0, (%rbx)")		\
	X(o##_q_i, 8, LHV_ALU_##O, 0, 63, #o "q $63, (%rbx)")		\
	X(o##_q_i2, 8, LHV_ALU_##O, 0, n, #o "q $" #n ", (%rbx)")

#define UNARY(X, o, O)							\
	X(o##_b, 1, LHV_ALU_##O, 0, 0, #o "b (%rbx)")			\
	X(o##_w, 2, LHV_ALU_##O, 0, 0, #o "w (%rbx)")			\
	X(o##_l, 4, LHV_ALU_##O, 0, 0, #o "l (%rbx)")			\
	X(o##_q, 8, LHV_ALU_##O, 0, 0, #o "q (%rbx)")

#define BITS(X, o, O)							\
	X(o##_w_r, 2, LHV_ALU_##O, K_BTREG, 0, #o "w %dx, (%rbx)")	\
	X(o##_l_r, 4, LHV_ALU_##O, K_BTREG, 0, #o "l %edx, (%rbx)")	\
	X(o##_q_r, 8, LHV_ALU_##O, K_BTREG, 0, #o "q %rdx, (%rbx)")	\
	X(o##_w_i, 2, LHV_ALU_##O, 0, 13, #o "w $13, (%rbx)")		\
	X(o##_l_i, 4, LHV_ALU_##O, 0, 37, #o "l $37, (%rbx)")		\
	X(o##_q_i, 8, LHV_ALU_##O, 0, 61, #o "q $61, (%rbx)")

/*
 * shld, shrd: counts 1, 4, 16 (all of a word shifted out), 20 (undefined
 * for a word), 31, 0, 63 and 65 (masked to 1), and CL.
 */
#define SHD(X, o, O)							\
	X(o##_w_i, 2, LHV_ALU_##O, 0, 4, #o "w $4, %dx, (%rbx)")	\
	X(o##_w_i16, 2, LHV_ALU_##O, 0, 16, #o "w $16, %dx, (%rbx)")	\
	X(o##_w_i20, 2, LHV_ALU_##O, 0, 20, #o "w $20, %dx, (%rbx)")	\
	X(o##_w_cl, 2, LHV_ALU_##O, K_CL, 0, #o "w %cl, %dx, (%rbx)")	\
	X(o##_l_i, 4, LHV_ALU_##O, 0, 1, #o "l $1, %edx, (%rbx)")	\
	X(o##_l_i31, 4, LHV_ALU_##O, 0, 31, #o "l $31, %edx, (%rbx)")	\
	X(o##_l_i0, 4, LHV_ALU_##O, 0, 0, #o "l $0, %edx, (%rbx)")	\
	X(o##_l_cl, 4, LHV_ALU_##O, K_CL, 0, #o "l %cl, %edx, (%rbx)")	\
	X(o##_q_i, 8, LHV_ALU_##O, 0, 63, #o "q $63, %rdx, (%rbx)")	\
	X(o##_q_i65, 8, LHV_ALU_##O, 0, 65, #o "q $65, %rdx, (%rbx)")	\
	X(o##_q_cl, 8, LHV_ALU_##O, K_CL, 0, #o "q %cl, %rdx, (%rbx)")

/* An operation with a register source, in every size. */
#define RM4(X, o, op, k)						\
	X(o##_b, 1, op, k, 0, #o "b %dl, (%rbx)")			\
	X(o##_bh, 1, op, k, 0, #o "b %dh, (%rbx)")			\
	X(o##_w, 2, op, k, 0, #o "w %dx, (%rbx)")			\
	X(o##_l, 4, op, k, 0, #o "l %edx, (%rbx)")			\
	X(o##_q, 8, op, k, 0, #o "q %rdx, (%rbx)")

#define STR(X, id, o, k)						\
	X(id##b, 1, 0, K_NOALU | K_STR | k, 0, o "b")			\
	X(id##w, 2, 0, K_NOALU | K_STR | k, 0, o "w")			\
	X(id##l, 4, 0, K_NOALU | K_STR | k, 0, o "l")			\
	X(id##q, 8, 0, K_NOALU | K_STR | k, 0, o "q")

#define NOALU	K_NOALU
#define FORMS(X)							\
	G1(X, add, ADD) G1(X, or, OR) G1(X, adc, ADC) G1(X, sbb, SBB)	\
	G1(X, and, AND) G1(X, sub, SUB) G1(X, xor, XOR) G1(X, cmp, CMP)	\
	G2(X, rol, ROL, 8) G2(X, ror, ROR, 65) G2(X, rcl, RCL, 32)	\
	G2(X, rcr, RCR, 40) G2(X, shl, SHL, 64) G2(X, shr, SHR, 33)	\
	G2(X, sar, SAR, 62)						\
	X(sal6_b_1, 1, LHV_ALU_SHL, 0, 1, ".byte 0xd0, 0x33")		\
	X(sal6_q_cl, 8, LHV_ALU_SHL, K_CL, 0, ".byte 0x48, 0xd3, 0x33")	\
	SHD(X, shld, SHLD) SHD(X, shrd, SHRD)				\
	UNARY(X, not, NOT) UNARY(X, neg, NEG) UNARY(X, inc, INC)	\
	UNARY(X, dec, DEC)						\
	X(test_b_i, 1, LHV_ALU_TEST, 0, 0, "testb $0x81, (%rbx)")	\
	X(test_w_i, 2, LHV_ALU_TEST, 0, 0, "testw $0x8001, (%rbx)")	\
	X(test_l_i, 4, LHV_ALU_TEST, 0, 0, "testl $0x80000001, (%rbx)") \
	X(test_q_i, 8, LHV_ALU_TEST, 0, 0, "testq $-2, (%rbx)")	\
	RM4(X, test, LHV_ALU_TEST, 0)					\
	BITS(X, bt, BT) BITS(X, bts, BTS) BITS(X, btr, BTR)		\
	BITS(X, btc, BTC)						\
	RM4(X, xchg, 0, NOALU) RM4(X, xadd, 0, NOALU)			\
	RM4(X, cmpxchg, 0, NOALU | K_CMPXCHG)				\
	RM4(X, mov, 0, NOALU)						\
	X(mov_b_mr, 1, 0, NOALU, 0, "movb (%rbx), %dl")		\
	X(mov_bh_mr, 1, 0, NOALU, 0, "movb (%rbx), %dh")		\
	X(mov_w_mr, 2, 0, NOALU, 0, "movw (%rbx), %dx")		\
	X(mov_l_mr, 4, 0, NOALU, 0, "movl (%rbx), %edx")		\
	X(mov_q_mr, 8, 0, NOALU, 0, "movq (%rbx), %rdx")		\
	X(mov_b_i, 1, 0, NOALU, 0, "movb $0x99, (%rbx)")		\
	X(mov_q_i, 8, 0, NOALU, 0, "movq $-0x2, (%rbx)")		\
	X(movzbw, 2, 0, NOALU, 0, "movzbw (%rbx), %dx")		\
	X(movzbl, 4, 0, NOALU, 0, "movzbl (%rbx), %edx")		\
	X(movzwl, 4, 0, NOALU, 0, "movzwl (%rbx), %edx")		\
	X(movzwq, 8, 0, NOALU, 0, "movzwq (%rbx), %rdx")		\
	X(movsbw, 2, 0, NOALU, 0, "movsbw (%rbx), %dx")		\
	X(movsbl, 4, 0, NOALU, 0, "movsbl (%rbx), %edx")		\
	X(movswl, 4, 0, NOALU, 0, "movswl (%rbx), %edx")		\
	X(movsbq, 8, 0, NOALU, 0, "movsbq (%rbx), %rdx")		\
	X(movslq, 8, 0, NOALU, 0, "movslq (%rbx), %rdx")		\
	X(movzbl_si, 4, 0, NOALU, 0, "movzbl (%rbx), %esi")		\
	STR(X, movs, "movs", 0) STR(X, stos, "stos", 0)		\
	STR(X, lods, "lods", 0) STR(X, cmps, "cmps", 0)		\
	STR(X, scas, "scas", 0)						\
	STR(X, rep_movs, "rep movs", K_REP)				\
	STR(X, rep_stos, "rep stos", K_REP)				\
	STR(X, rep_lods, "rep lods", K_REP)				\
	STR(X, repe_cmps, "repe cmps", K_REP)				\
	STR(X, repne_cmps, "repne cmps", K_REP)			\
	STR(X, repe_scas, "repe scas", K_REP)				\
	STR(X, repne_scas, "repne scas", K_REP)			\
	X(lock_add, 4, LHV_ALU_ADD, 0, 0, "lock addl %edx, (%rbx)")	\
	X(lock_adc, 8, LHV_ALU_ADC, 0, 0, "lock adcq $-1, (%rbx)")	\
	X(lock_bts, 4, LHV_ALU_BTS, K_BTREG, 0, "lock btsl %edx, (%rbx)") \
	X(lock_cmpxchg, 8, 0, NOALU | K_CMPXCHG, 0,			\
	  "lock cmpxchgq %rdx, (%rbx)")					\
	X(lock_xadd, 2, 0, NOALU, 0, "lock xaddw %dx, (%rbx)")		\
	X(lock_negb, 1, LHV_ALU_NEG, 0, 0, "lock negb (%rbx)")		\
	X(report_adc, 4, LHV_ALU_ADC, K_R12, 0,				\
	  "adcl %ebx, 0x12345678(%r12)")				\
	X(report_or, 4, LHV_ALU_OR, K_R12, 0,				\
	  "orl 0x12345678(%r12), %ebx")					\
	X(report_shld, 4, LHV_ALU_SHLD, K_RDI, 4, "shld $4, %edx, (%rdi)")

/* Each form, then ret, in the text; its bytes are the emulator's too. */
#define X_ASM(id, size, op, kind, cnt, text)				\
	"form_" #id ":\n\t" text "\n" "form_" #id "_end:\n\tret\n"
asm(".pushsection .text\n" FORMS(X_ASM) ".popsection\n");

#define X_DECL(id, size, op, kind, cnt, text)				\
	extern const u8 form_##id[], form_##id##_end[];
FORMS(X_DECL)

#define X_TAB(id, size, op, kind, cnt, text)				\
	{ text, form_##id, form_##id##_end, size, op, kind, cnt },
static const struct form forms[] = { FORMS(X_TAB) };

/* The registers the forms use, as host_run() loads and stores them. */
struct hregs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, r12, rflags;
};

/*
 * Run the form at @fn (its instruction, then ret) with *@h, below the red
 * zone; DF is cleared again before C code runs.
 */
static void host_run(const u8 *fn, struct hregs *h)
{
	asm volatile("lea -128(%%rsp), %%rsp\n\t"
		     "mov 0(%[h]), %%rax\n\t"
		     "mov 8(%[h]), %%rbx\n\t"
		     "mov 16(%[h]), %%rcx\n\t"
		     "mov 24(%[h]), %%rdx\n\t"
		     "mov 32(%[h]), %%rsi\n\t"
		     "mov 40(%[h]), %%rdi\n\t"
		     "mov 48(%[h]), %%r12\n\t"
		     "push 56(%[h])\n\t"
		     "popf\n\t"
		     "call *%[fn]\n\t"
		     "pushf\n\t"
		     "pop 56(%[h])\n\t"
		     "cld\n\t"
		     "mov %%rax, 0(%[h])\n\t"
		     "mov %%rbx, 8(%[h])\n\t"
		     "mov %%rcx, 16(%[h])\n\t"
		     "mov %%rdx, 24(%[h])\n\t"
		     "mov %%rsi, 32(%[h])\n\t"
		     "mov %%rdi, 40(%[h])\n\t"
		     "mov %%r12, 48(%[h])\n\t"
		     "lea 128(%%rsp), %%rsp"
		     : : [h] "r"(h), [fn] "r"(fn)
		     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r12", "cc",
		       "memory");
}

/*
 * The host's buffer and the guest's MMIO window that mirrors it: the
 * form's memory operand is in the middle of both.
 */
#define BUF_SIZE	512
#define WIN		(MMIO_BASE + 0x1000)
#define CODE		0x10000ULL
#define R12_DISP	0x12345678ULL

static u64 hbuf_q[BUF_SIZE / 8], mirror_q[BUF_SIZE / 8];
static u8 *const hbuf = (u8 *)hbuf_q, *const mirror = (u8 *)mirror_q;

/* Userspace of the emulator: MMIO is the mirror. */
static bool mirror_access(struct lhv_run *q, u64 *data)
{
	u64 off = q->mmio.gpa - WIN;

	if (q->exit_reason != LHV_EXIT_MMIO || q->mmio.gpa < WIN ||
	    q->mmio.size > 8 || off > BUF_SIZE - 8ULL)
		return false;
	*data = 0;
	if (q->mmio.direction == LHV_DIR_WRITE)
		memcpy(mirror + off, &q->mmio.data, q->mmio.size);
	else
		memcpy(data, mirror + off, q->mmio.size);
	return true;
}

/*
 * Emulate until RIP leaves the instruction (a rep string instruction
 * runs one element per pass, as a guest re-executing it would).
 */
static bool emulate_form(struct lhv_regs *regs, const struct lhv_sregs *s)
{
	struct lhv_emul em;
	struct lhv_run q;
	enum lhv_emul_result r;
	unsigned int pass, i;
	u64 data;

	for (pass = 0; pass < 16 && regs->rip == CODE; pass++) {
		lhv_emul_reset(&em);
		for (i = 0; i < 8; i++) {
			r = lhv_emulate_mmio(&em, regs, s, &fake_mem, WIN, false, &q);
			if (r == LHV_EMUL_DONE)
				break;
			if (r != LHV_EMUL_USER || !mirror_access(&q, &data)) {
				printf("#   emulator: result %d exit %u suberror %u\n",
				       r, q.exit_reason, q.internal.suberror);
				return false;
			}
			lhv_emul_complete(&em, data);
		}
		if (r != LHV_EMUL_DONE)
			return false;
	}
	return true;
}

static unsigned long form_cases, form_undef, form_undef_matched;

/* The registers for one run of @f: operands, pointers, counts. */
static void form_setup(const struct form *f, unsigned int iter,
		       struct hregs *h, u64 *mem_off)
{
	unsigned int bits = 8 * f->size;
	u64 m = lhv_size_mask(f->size), v = 0;
	int64_t unit;

	h->rax = rnd();
	h->rbx = rnd();
	h->rcx = rnd();
	h->rdx = rnd();
	h->rsi = rnd();
	h->rdi = rnd();
	h->r12 = 0;
	h->rflags = 2 | (rnd() & (LHV_FL_ARITH | BIT_ULL(10)));
	*mem_off = BUF_SIZE / 2 - 8 + (rnd() & 15);
	if (f->kind & K_CL)
		h->rcx = (rnd() & ~0xffULL) | (iter < NR_COUNTS ?
			 edge_count(iter, f->size) : rnd() & 0xff);
	if (f->kind & K_BTREG) {
		/* Units up to 24 away, both ways; junk above the size. */
		unit = (int64_t)(rnd() % 49) - 24;
		v = (u64)(unit * bits) + rnd() % bits;
		/* First the edges: 0, -1, the last bit, the next unit. */
		if (iter == 0)
			v = 0;
		else if (iter == 1)
			v = -1ULL;
		else if (iter == 2 || iter == 3)
			v = bits + iter - 3;
		h->rdx = (rnd() & ~m) | (v & m);
	}
	if (!(f->kind & (K_CL | K_BTREG)) && iter < NR_EDGES) {
		/* Edge operands in the register and in memory. */
		h->rdx = edge_value(iter, f->size) | (rnd() & ~m);
		v = edge_value(rnd() % NR_EDGES, f->size);
		memcpy(hbuf + *mem_off, &v, f->size);
	}
	if (f->kind & K_STR) {
		*mem_off = 0;
		h->rcx = rnd() % 5;
		h->rsi = 160 + (rnd() & 31);
		h->rdi = 320 + (rnd() & 31);
		/* Equal runs, so repe goes on for a while. */
		if (rnd() & 1)
			memcpy(hbuf + h->rdi - 40, hbuf + h->rsi - 40, 80);
		if (rnd() & 1)
			memcpy(&h->rax, hbuf + h->rdi + 8 * (rnd() % 3), 8);
	}
	if ((f->kind & K_CMPXCHG) && (rnd() & 1))
		memcpy(&h->rax, hbuf + *mem_off, 8);
}

/* The register that points at the form's operand, host and guest. */
static u64 *host_ptr(const struct form *f, struct hregs *h)
{
	return f->kind & K_R12 ? &h->r12 : f->kind & K_RDI ? &h->rdi : &h->rbx;
}

static u64 *guest_ptr(const struct form *f, struct lhv_regs *r)
{
	return f->kind & K_R12 ? &r->r12 : f->kind & K_RDI ? &r->rdi : &r->rbx;
}

/* One run of form @f on the host and through the emulator. */
static bool form_case(const struct form *f, unsigned int iter,
		      const struct lhv_sregs *s)
{
	unsigned int len = f->end - f->start, i;
	struct hregs h, h0;
	struct lhv_regs regs;
	u64 mem_off, def, hbase = (u64)hbuf, fl, src = 0;
	u64 *ptr = host_ptr(f, &h);
	bool ok = true, rdef = true;

	for (i = 0; i < BUF_SIZE / 8; i++)
		hbuf_q[i] = rnd();
	form_setup(f, iter, &h, &mem_off);
	memcpy(mirror, hbuf, BUF_SIZE);
	*ptr = mem_off - ((f->kind & K_R12) ? R12_DISP : 0);
	h0 = h;

	/* The guest: pointers into the window, RIP at the form's bytes. */
	memset(&regs, 0, sizeof(regs));
	regs.rax = h.rax;
	regs.rbx = h.rbx;
	regs.rcx = h.rcx;
	regs.rdx = h.rdx;
	regs.rsi = h.rsi;
	regs.rdi = h.rdi;
	regs.r12 = h.r12;
	*guest_ptr(f, &regs) += WIN;
	if (f->kind & K_STR) {
		regs.rsi += WIN;
		regs.rdi += WIN;
	}
	regs.rflags = h.rflags;
	regs.rip = CODE;
	put_code(CODE, f->start, len);

	*ptr += hbase;
	if (f->kind & K_STR) {
		h.rsi += hbase;
		h.rdi += hbase;
	}
	host_run(f->start, &h);
	*ptr -= hbase;
	if (f->kind & K_STR) {
		h.rsi -= hbase;
		h.rdi -= hbase;
	}

	if (!emulate_form(&regs, s))
		return false;
	*guest_ptr(f, &regs) -= WIN;
	if (f->kind & K_STR) {
		regs.rsi -= WIN;
		regs.rdi -= WIN;
	}

	form_cases++;
	def = LHV_FL_ARITH;
	if (!(f->kind & K_NOALU)) {
		src = f->kind & K_CL ? h0.rcx : f->kind & K_BTREG ? h0.rdx :
		      f->cnt;
		def = alu_defined_flags(f->op, f->size, src);
		rdef = alu_result_defined(f->op, f->size, src);
	}
	def |= BIT_ULL(10);	/* DF */
	fl = regs.rflags ^ h.rflags;
	if (def != (LHV_FL_ARITH | BIT_ULL(10)) || !rdef) {
		form_undef++;
		form_undef_matched += !(fl & (LHV_FL_ARITH | BIT_ULL(10))) &&
				      !memcmp(hbuf, mirror, BUF_SIZE);
	}
	/* An undefined result (shld, shrd) is not compared either. */
	if (!rdef)
		memcpy(mirror + mem_off, hbuf + mem_off, f->size);
	ok &= regs.rax == h.rax && regs.rbx == h.rbx && regs.rcx == h.rcx &&
	      regs.rdx == h.rdx && regs.rsi == h.rsi && regs.rdi == h.rdi &&
	      regs.r12 == h.r12 && !(fl & def) && regs.rip == CODE + len &&
	      !memcmp(hbuf, mirror, BUF_SIZE);
	if (!ok) {
		printf("#   %s (run %u): rax %llx/%llx rcx %llx/%llx rdx %llx/%llx rsi %llx/%llx rdi %llx/%llx flags %llx/%llx (from %llx) rip +%llu, memory %s\n",
		       f->name, iter,
		       (unsigned long long)regs.rax, (unsigned long long)h.rax,
		       (unsigned long long)regs.rcx, (unsigned long long)h.rcx,
		       (unsigned long long)regs.rdx, (unsigned long long)h.rdx,
		       (unsigned long long)regs.rsi, (unsigned long long)h.rsi,
		       (unsigned long long)regs.rdi, (unsigned long long)h.rdi,
		       (unsigned long long)regs.rflags, (unsigned long long)h.rflags,
		       (unsigned long long)h0.rflags,
		       (unsigned long long)(regs.rip - CODE),
		       memcmp(hbuf, mirror, BUF_SIZE) ? "differs" : "same");
	}
	return ok;
}

static void test_forms(void)
{
	struct lhv_sregs s;
	unsigned int i, iter, bad;
	struct lhv_insn in;
	char name[120];

	setup_mode(MODE_LONG64, &s);
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		const struct form *f = &forms[i];
		unsigned int len = f->end - f->start;

		snprintf(name, sizeof(name), "%s: decoded, %u bytes", f->name, len);
		CHECK(len <= LHV_INSN_MAX &&
		      lhv_decode(f->start, len, 8, &in) == LHV_DECODE_OK &&
		      in.len == len && in.size == f->size, name);
		bad = 0;
		for (iter = 0; iter < 64; iter++)
			bad += !form_case(f, iter, &s);
		snprintf(name, sizeof(name), "%s: 64 runs on MMIO like the host",
			 f->name);
		CHECK(!bad, name);
	}
}

int main(void)
{
	test_alu_layer();
	test_shd_layer();
	printf("# lhv_alu() and lhv_alu_shd() against the host: %lu cases; %lu with undefined flags or results, which matched the host in %lu\n",
	       total_cases, undef_cases, undef_matched);
	test_forms();
	printf("# %u forms decoded and emulated on MMIO against the host: %lu cases; %lu with undefined flags or results, which matched the host in %lu\n",
	       (unsigned int)ARRAY_SIZE(forms), form_cases, form_undef,
	       form_undef_matched);
	return unit_done();
}
