/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 instruction decoder for the forms lhv emulates: every instruction
 * compilers emit on memory for device access (mov, movzx, movsx, movsxd;
 * add, or, adc, sbb, and, sub, xor, cmp, test; inc, dec, neg, not; the
 * shifts and rotates shl/sal, shr, sar, rol, ror, rcl, rcr by 1, by CL
 * and by imm8; shld and shrd by imm8 and by CL; bt, bts, btr, btc;
 * xchg, cmpxchg, xadd; the string instructions movs, stos, lods, cmps
 * and scas), port I/O (in, out, ins, outs) and, for instruction
 * lengths only, the instructions that exit unconditionally (cpuid,
 * rdmsr, wrmsr, xsetbv, hlt, vmcall, vmmcall).
 * mul, imul, div, idiv and the other members of the groups above are
 * refused (LHV_DECODE_BAD), not guessed at.
 *
 * Pure: it looks only at the bytes it is given.  Everything else (register
 * values, segment bases, page tables) is the emulator's business.
 */
#ifndef _LHV_DECODE_H
#define _LHV_DECODE_H

#include <lhv/types.h>
#include "alu.h"

/* The longest legal instruction (SDM Vol. 2, 2.3.11). */
#define LHV_INSN_MAX	15

enum lhv_insn_op {
	LHV_OP_MOV = 1,		/* mov; also mov moffs */
	LHV_OP_MOVZX,		/* movzx: src_size bytes zero-extended */
	LHV_OP_MOVSX,		/* movsx, movsxd: src_size bytes sign-extended */
	LHV_OP_ALU,		/* .alu (enum lhv_alu), see "Operands" */
	LHV_OP_XCHG,
	LHV_OP_CMPXCHG,
	LHV_OP_XADD,
	LHV_OP_MOVS,
	LHV_OP_STOS,
	LHV_OP_LODS,
	LHV_OP_CMPS,
	LHV_OP_SCAS,
	LHV_OP_IN,
	LHV_OP_OUT,
	LHV_OP_INS,
	LHV_OP_OUTS,
	/* Decoded for their length only. */
	LHV_OP_CPUID,
	LHV_OP_RDMSR,
	LHV_OP_WRMSR,
	LHV_OP_XSETBV,
	LHV_OP_HLT,
	LHV_OP_VMCALL,
	LHV_OP_VMMCALL,
};

/* Segment registers in their encoding order (SDM Vol. 2, 3.1.1.3). */
enum lhv_seg {
	LHV_SEG_ES,
	LHV_SEG_CS,
	LHV_SEG_SS,
	LHV_SEG_DS,
	LHV_SEG_FS,
	LHV_SEG_GS,
};

/*
 * Register operands: 0-15 are the general registers in encoding order
 * (rAX, rCX, rDX, rBX, rSP, rBP, rSI, rDI, r8-r15); byte registers 4-7
 * without a REX prefix are AH, CH, DH, BH, numbered LHV_REG_AH + 0..3.
 */
#define LHV_REG_AH	16
#define LHV_REG_NONE	0xff

enum lhv_rep {
	LHV_REP_NONE,
	LHV_REP_REPE,		/* F3: rep, repe */
	LHV_REP_REPNE,		/* F2 */
};

struct lhv_insn {
	u8 len;			/* bytes, prefixes included */
	u8 op;			/* enum lhv_insn_op */
	u8 alu;			/* enum lhv_alu (alu.h), for LHV_OP_ALU */
	u8 size;		/* operand size in bytes: 1, 2, 4 or 8 */
	u8 src_size;		/* movzx/movsx: size of the source */
	u8 addr_size;		/* 2, 4 or 8 */
	u8 code_size;		/* the mode decoded for: 2, 4 or 8 */
	u8 seg;			/* enum lhv_seg of the memory operand */
	bool seg_override;	/* seg came from a prefix */
	u8 rep;			/* enum lhv_rep */
	u8 rex;			/* the REX prefix, 0 if none */

	/*
	 * Operands.  mem: one memory operand, described by base, index,
	 * scale and disp (rip_rel: disp is relative to the next
	 * instruction).  reg: the register operand (LHV_REG_NONE if none);
	 * rm_reg: the ModRM r/m register when mod is 3 (no memory operand).
	 * mem_dst: the r/m operand (memory or rm_reg) is the destination,
	 * or for cmp, test and bt the first operand.  has_imm: the source
	 * is imm (already sign-extended to 64 bits).
	 *
	 * LHV_OP_ALU sources: for shifts and rotates the count, which is
	 * imm (1 for the by-one forms) or reg, then rCX, of which the
	 * instruction uses CL; for bit tests the bit offset, imm8 or a
	 * register (which also moves the operand, see emulate.c); none
	 * for not, neg, inc and dec.  shld and shrd: reg is the source
	 * whose bits shift in, the count imm (has_imm) or else CL.
	 * cmpxchg and xadd: reg is the source, cmpxchg's accumulator is
	 * implied.
	 */
	bool mem;
	bool mem_dst;
	bool has_imm;
	bool rip_rel;
	u8 reg;
	u8 rm_reg;
	u8 base;		/* LHV_REG_NONE if none */
	u8 index;		/* LHV_REG_NONE if none */
	u8 scale;		/* 1, 2, 4, 8 */
	u64 disp;		/* sign-extended; moffs zero-extended */
	u64 imm;

	/* IN/OUT: port_dx, or the imm8 port in imm. */
	bool port_dx;
};

enum lhv_decode_result {
	LHV_DECODE_OK,
	LHV_DECODE_BAD,		/* not a form lhv decodes */
	LHV_DECODE_SHORT,	/* needs bytes beyond @avail */
};

/*
 * Decode the instruction in @buf[0..@avail) for a code segment of
 * @code_size bytes (2: 16-bit, 4: 32-bit, 8: 64-bit mode).
 */
enum lhv_decode_result lhv_decode(const u8 *buf, unsigned int avail,
				  unsigned int code_size,
				  struct lhv_insn *insn);

#endif /* _LHV_DECODE_H */
