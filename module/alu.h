/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of the instructions lhv emulates on memory: results and
 * RFLAGS as the CPU computes them (SDM Vol. 2, each instruction's
 * "Operation" and "Flags Affected").
 *
 * Pure: no state, no memory, no loops, so it runs anywhere the emulator
 * does and builds into the host unit tests unchanged, where
 * tests/unit/test_alu compares it with the host CPU.
 */
#ifndef _LHV_ALU_H
#define _LHV_ALU_H

#include <lhv/types.h>

#define LHV_FL_CF	BIT_ULL(0)
#define LHV_FL_PF	BIT_ULL(2)
#define LHV_FL_AF	BIT_ULL(4)
#define LHV_FL_ZF	BIT_ULL(6)
#define LHV_FL_SF	BIT_ULL(7)
#define LHV_FL_OF	BIT_ULL(11)
#define LHV_FL_ARITH	(LHV_FL_CF | LHV_FL_PF | LHV_FL_AF | LHV_FL_ZF | \
			 LHV_FL_SF | LHV_FL_OF)

/*
 * Operations.  The first two groups are numbered like the reg field of
 * opcode groups 1 and 2 (SDM Vol. 2, table A-6), so the decoder can add
 * that field to the group's first value; the bit tests follow the order
 * of group 8 (/4 bt to /7 btc).
 */
enum lhv_alu {
	LHV_ALU_ADD = 0,
	LHV_ALU_OR,
	LHV_ALU_ADC,
	LHV_ALU_SBB,
	LHV_ALU_AND,
	LHV_ALU_SUB,
	LHV_ALU_XOR,
	LHV_ALU_CMP,
	LHV_ALU_ROL = 8,
	LHV_ALU_ROR,
	LHV_ALU_RCL,
	LHV_ALU_RCR,
	LHV_ALU_SHL,
	LHV_ALU_SHR,
	LHV_ALU_SAR = 15,	/* 14, sal, is shl */
	LHV_ALU_BT = 16,
	LHV_ALU_BTS,
	LHV_ALU_BTR,
	LHV_ALU_BTC,
	LHV_ALU_TEST,
	LHV_ALU_NOT,
	LHV_ALU_NEG,
	LHV_ALU_INC,
	LHV_ALU_DEC,
	LHV_ALU_SHLD,		/* lhv_alu_shd() only */
	LHV_ALU_SHRD,
	LHV_ALU_NR
};

/*
 * @op applied to @dst and @src, both @size bytes (1, 2, 4 or 8); returns
 * the new @dst (@dst itself for cmp, test and bt).  *@rflags holds the
 * flags before, which adc, sbb, rcl and rcr read (CF) and every
 * operation keeps where it does not write them, and gets those after.
 * Shifts and rotates take the count in @src, bit tests the bit offset
 * (both masked as the CPU masks them); not, neg, inc and dec ignore it.
 * shld and shrd have a count besides @src: lhv_alu_shd(), not this.
 */
u64 lhv_alu(unsigned int op, u64 dst, u64 src, unsigned int size,
	    u64 *rflags);

/*
 * The double-precision shifts (@op LHV_ALU_SHLD or LHV_ALU_SHRD): @dst
 * of @size bytes (2, 4 or 8) shifted by @count (masked as the CPU masks
 * it), the vacated bits filled from @src; returns the new @dst and
 * updates *@rflags like lhv_alu().
 */
u64 lhv_alu_shd(unsigned int op, u64 dst, u64 src, u64 count,
		unsigned int size, u64 *rflags);

/* Does @op write its destination?  cmp, test and bt do not. */
static inline bool lhv_alu_writes(unsigned int op)
{
	return op != LHV_ALU_CMP && op != LHV_ALU_TEST && op != LHV_ALU_BT;
}

/* Shifts and rotates: @src is a count. */
static inline bool lhv_alu_is_shift(unsigned int op)
{
	return op >= LHV_ALU_ROL && op <= LHV_ALU_SAR;
}

/* shld and shrd: a count besides the source, see lhv_alu_shd(). */
static inline bool lhv_alu_is_shd(unsigned int op)
{
	return op == LHV_ALU_SHLD || op == LHV_ALU_SHRD;
}

#endif /* _LHV_ALU_H */
