// SPDX-License-Identifier: GPL-2.0
/*
 * Results and flags of the instructions lhv emulates (see alu.h).  Pure
 * logic: built into lhv.ko and into tests/unit.
 *
 * Flags the SDM leaves undefined get what an AMD EPYC was measured to
 * produce, each by a simple rule; other CPUs may differ there, so
 * tests/unit/test_alu does not compare them (it counts how often they
 * match the host).  Documentation/emulator.rst lists them.
 */
#include "alu.h"

static u64 alu_mask(unsigned int bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* Shifts of a u64 by 0 to 64 or more: C leaves 64 and up undefined. */
static u64 shl64(u64 v, unsigned int n)
{
	return n >= 64 ? 0 : v << n;
}

static u64 shr64(u64 v, unsigned int n)
{
	return n >= 64 ? 0 : v >> n;
}

/* Arithmetic shift right by 0 to 63, written out for an unsigned type. */
static u64 sar64(u64 v, unsigned int n)
{
	return (v >> n) | ((v >> 63) ? ~(~0ULL >> n) : 0);
}

static u64 bit(u64 v, unsigned int n)
{
	return (v >> n) & 1;
}

/* PF looks at the low byte only, whatever the operand size. */
static bool parity_even(u64 v)
{
	v &= 0xff;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return !(v & 1);
}

/* SF, ZF and PF of a result of @bits bits. */
static u64 fl_szp(u64 res, unsigned int bits)
{
	u64 f = 0;

	if (!res)
		f |= LHV_FL_ZF;
	if (bit(res, bits - 1))
		f |= LHV_FL_SF;
	if (parity_even(res))
		f |= LHV_FL_PF;
	return f;
}

static u64 fl_if(bool cond, u64 flag)
{
	return cond ? flag : 0;
}

/*
 * @a + @b + @cin and its flags.  The carry out of each bit is where both
 * inputs are set, or either is and the sum bit is clear; CF is the carry
 * out of the top bit, AF the one out of bit 3 (the sum's bit 4 flipped by
 * it), OF a sign change the inputs' signs cannot explain.
 */
static u64 alu_add(u64 a, u64 b, u64 cin, unsigned int bits, u64 *f)
{
	u64 res = (a + b + cin) & alu_mask(bits);
	u64 carry = (a & b) | ((a | b) & ~res);

	*f = fl_szp(res, bits) | fl_if(bit(carry, bits - 1), LHV_FL_CF) |
	     ((a ^ b ^ res) & LHV_FL_AF) |
	     fl_if(bit((a ^ res) & (b ^ res), bits - 1), LHV_FL_OF);
	return res;
}

/* @a - @b - @bin and its flags, borrows instead of carries. */
static u64 alu_sub(u64 a, u64 b, u64 bin, unsigned int bits, u64 *f)
{
	u64 res = (a - b - bin) & alu_mask(bits);
	u64 borrow = (~a & b) | ((~a | b) & res);

	*f = fl_szp(res, bits) | fl_if(bit(borrow, bits - 1), LHV_FL_CF) |
	     ((a ^ b ^ res) & LHV_FL_AF) |
	     fl_if(bit((a ^ b) & (a ^ res), bits - 1), LHV_FL_OF);
	return res;
}

/*
 * Shifts (SDM Vol. 2, SAL/SAR/SHL/SHR).  @cnt is masked and not 0.  CF
 * is the last bit shifted out, which a count of the operand's width or
 * more takes from beyond it (0, or the sign for sar) as the SDM's
 * one-bit-at-a-time operation does.  OF is defined for a count of 1; for
 * larger counts it is what that operation's last step gives.  AF is
 * undefined: set, as AMD CPUs set it.
 */
static u64 alu_shift(unsigned int op, u64 dst, unsigned int cnt,
		     unsigned int bits, u64 *f)
{
	u64 m = alu_mask(bits), res, cf, of;
	/* dst sign-extended to 64 bits, for sar */
	u64 sdst = (dst ^ BIT_ULL(bits - 1)) - BIT_ULL(bits - 1);

	switch (op) {
	case LHV_ALU_SHL:
		res = shl64(dst, cnt) & m;
		cf = cnt <= bits ? bit(dst, bits - cnt) : 0;
		of = bit(res, bits - 1) ^ cf;
		break;
	case LHV_ALU_SHR:
		res = shr64(dst, cnt);
		cf = bit(shr64(dst, cnt - 1), 0);
		of = bit(shr64(dst, cnt - 1), bits - 1);
		break;
	default:	/* LHV_ALU_SAR */
		res = sar64(sdst, cnt) & m;
		cf = bit(sar64(sdst, cnt - 1), 0);
		of = 0;
		break;
	}
	*f = fl_szp(res, bits) | fl_if(cf, LHV_FL_CF) | fl_if(of, LHV_FL_OF) |
	     LHV_FL_AF;
	return res;
}

/*
 * Rotates (SDM Vol. 2, RCL/RCR/ROL/ROR): CF and OF only.  rol and ror
 * turn the operand by @cnt modulo its width, and set CF even when that is
 * 0; rcl and rcr turn it with CF, a width + 1 bit value, by @cnt modulo
 * 9 or 17 for 8 and 16 bits (32 and 64-bit counts are already smaller),
 * and a turn of 0 leaves CF as it was.  OF is defined for a count of 1;
 * for larger counts it is what the same formula gives.
 */
static u64 alu_rotate(unsigned int op, u64 dst, unsigned int cnt,
		      unsigned int bits, u64 *f)
{
	u64 m = alu_mask(bits), cin = *f & LHV_FL_CF, res, cf, of;
	unsigned int r;

	switch (op) {
	case LHV_ALU_ROL:
		r = cnt & (bits - 1);
		res = r ? ((dst << r) | (dst >> (bits - r))) & m : dst;
		cf = bit(res, 0);
		of = bit(res, bits - 1) ^ cf;
		break;
	case LHV_ALU_ROR:
		r = cnt & (bits - 1);
		res = r ? ((dst >> r) | (dst << (bits - r))) & m : dst;
		cf = bit(res, bits - 1);
		of = cf ^ bit(res, bits - 2);
		break;
	case LHV_ALU_RCL:
		r = bits < 32 ? cnt % (bits + 1) : cnt;
		res = dst;
		cf = cin;
		if (r) {
			res = (shl64(dst, r) | shl64(cin, r - 1) |
			       shr64(dst, bits + 1 - r)) & m;
			cf = bit(dst, bits - r);
		}
		of = bit(res, bits - 1) ^ cf;
		break;
	default:	/* LHV_ALU_RCR */
		r = bits < 32 ? cnt % (bits + 1) : cnt;
		res = dst;
		cf = cin;
		if (r) {
			res = (shr64(dst, r) | shl64(cin, bits - r) |
			       shl64(dst, bits + 1 - r)) & m;
			cf = bit(dst, r - 1);
		}
		of = bit(res, bits - 1) ^ bit(res, bits - 2);
		break;
	}
	*f = (*f & ~(LHV_FL_CF | LHV_FL_OF)) | fl_if(cf, LHV_FL_CF) |
	     fl_if(of, LHV_FL_OF);
	return res;
}

/*
 * Double-precision shifts (SDM Vol. 2, SHLD/SHRD): @dst shifted by @cnt
 * (masked and not 0), the bits that enter taken from @src.  CF is the
 * last bit shifted out of @dst; OF is defined for a count of 1 (a sign
 * change), and for larger counts is what AMD CPUs give: MSB(result) XOR
 * CF for shld, the result's two top bits XORed for shrd.  AF is
 * undefined: set, as AMD CPUs set it.
 *
 * A 16-bit operand takes counts up to 31.  16 is defined: the result is
 * @src, CF the last bit of @dst (shld's OF, undefined, is CF on AMD).
 * Above 16 result and flags are undefined; AMD CPUs turn @src by the
 * count - 16 (left for shld, right for shrd), with CF clear and shld's OF
 * clear, and so does lhv.  Intel CPUs differ there.
 */
static u64 alu_shd(unsigned int op, u64 dst, u64 src, unsigned int cnt,
		   unsigned int bits, u64 *f)
{
	u64 m = alu_mask(bits), res, cf, of;
	bool all = cnt >= bits, past = cnt > bits;

	if (past) {
		/* @dst is all shifted out: what follows turns @src. */
		dst = src;
		cnt -= bits;
	}
	if (op == LHV_ALU_SHLD) {
		res = (shl64(dst, cnt) | shr64(src, bits - cnt)) & m;
		cf = past ? 0 : bit(dst, bits - cnt);
		of = all ? cf : cf ^ bit(res, bits - 1);
	} else {
		res = (shr64(dst, cnt) | shl64(src, bits - cnt)) & m;
		cf = past ? 0 : bit(dst, cnt - 1);
		of = bit(res, bits - 1) ^ bit(res, bits - 2);
	}
	*f = fl_szp(res, bits) | fl_if(cf, LHV_FL_CF) | fl_if(of, LHV_FL_OF) |
	     LHV_FL_AF;
	return res;
}

u64 lhv_alu_shd(unsigned int op, u64 dst, u64 src, u64 count,
		unsigned int size, u64 *rflags)
{
	unsigned int bits = 8 * size, cnt = count & (bits == 64 ? 63 : 31);
	u64 m = alu_mask(bits), res, f = 0;

	dst &= m;
	/* A count of 0 changes nothing; there is no 8-bit form. */
	if (!cnt || !lhv_alu_is_shd(op) || bits < 16)
		return dst;
	res = alu_shd(op, dst, src & m, cnt, bits, &f);
	*rflags = (*rflags & ~LHV_FL_ARITH) | f;
	return res;
}

u64 lhv_alu(unsigned int op, u64 dst, u64 src, unsigned int size,
	    u64 *rflags)
{
	unsigned int bits = 8 * size, cnt;
	u64 m = alu_mask(bits), cin = *rflags & LHV_FL_CF, res, f = 0;
	/* The flags each operation writes; the rest of *rflags is kept. */
	u64 written = LHV_FL_ARITH;

	dst &= m;
	src &= m;
	switch (op) {
	case LHV_ALU_ADD:
		res = alu_add(dst, src, 0, bits, &f);
		break;
	case LHV_ALU_ADC:
		res = alu_add(dst, src, cin, bits, &f);
		break;
	case LHV_ALU_SUB:
	case LHV_ALU_CMP:
		res = alu_sub(dst, src, 0, bits, &f);
		break;
	case LHV_ALU_SBB:
		res = alu_sub(dst, src, cin, bits, &f);
		break;
	case LHV_ALU_NEG:
		res = alu_sub(0, dst, 0, bits, &f);
		break;
	case LHV_ALU_INC:
		res = alu_add(dst, 1, 0, bits, &f);
		written &= ~LHV_FL_CF;
		break;
	case LHV_ALU_DEC:
		res = alu_sub(dst, 1, 0, bits, &f);
		written &= ~LHV_FL_CF;
		break;
	case LHV_ALU_OR:
		res = dst | src;
		f = fl_szp(res, bits);
		break;
	case LHV_ALU_XOR:
		res = dst ^ src;
		f = fl_szp(res, bits);
		break;
	case LHV_ALU_AND:
	case LHV_ALU_TEST:
		/* CF and OF are cleared; AF is undefined, and cleared. */
		res = dst & src;
		f = fl_szp(res, bits);
		break;
	case LHV_ALU_NOT:
		res = ~dst & m;
		written = 0;
		break;
	case LHV_ALU_BT:
	case LHV_ALU_BTS:
	case LHV_ALU_BTR:
	case LHV_ALU_BTC:
		/*
		 * CF is the bit; ZF is defined as kept, OF, SF, AF and PF
		 * are undefined and kept as well.
		 */
		cnt = src & (bits - 1);
		f = bit(dst, cnt);
		written = LHV_FL_CF;
		res = op == LHV_ALU_BTS ? dst | BIT_ULL(cnt) :
		      op == LHV_ALU_BTR ? dst & ~BIT_ULL(cnt) :
		      op == LHV_ALU_BTC ? dst ^ BIT_ULL(cnt) : dst;
		break;
	case LHV_ALU_ROL:
	case LHV_ALU_ROR:
	case LHV_ALU_RCL:
	case LHV_ALU_RCR:
	case LHV_ALU_SHL:
	case LHV_ALU_SHR:
	case LHV_ALU_SAR:
		/* The count is masked to 5 bits, 6 for 64-bit operands. */
		cnt = src & (bits == 64 ? 63 : 31);
		if (!cnt)
			return dst;	/* flags untouched */
		f = *rflags;
		if (op >= LHV_ALU_SHL)
			res = alu_shift(op, dst, cnt, bits, &f);
		else
			res = alu_rotate(op, dst, cnt, bits, &f);
		break;
	default:
		return dst;
	}
	*rflags = (*rflags & ~written) | (f & written);
	if (op == LHV_ALU_CMP || op == LHV_ALU_TEST || op == LHV_ALU_BT)
		return dst;
	return res;
}
