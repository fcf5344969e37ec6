// SPDX-License-Identifier: GPL-2.0
/*
 * x86 instruction decoder (see decode.h for what it knows).  Pure logic:
 * built into lhv.ko and into tests/unit.
 *
 * The guest chooses the bytes, so every read goes through dc_byte(),
 * which stops at the 15-byte architectural limit and at the end of what
 * was fetched; nothing here indexes an array with a guest-chosen value
 * that is not masked to the array's size first.
 */
#include "decode.h"

struct dcursor {
	const u8 *buf;
	unsigned int avail;
	unsigned int pos;
	enum lhv_decode_result err;	/* first failure, LHV_DECODE_OK if none */
};

static u8 dc_byte(struct dcursor *c)
{
	if (c->err != LHV_DECODE_OK)
		return 0;
	/* SDM Vol. 2, 2.3.11: longer instructions raise #GP. */
	if (c->pos >= LHV_INSN_MAX) {
		c->err = LHV_DECODE_BAD;
		return 0;
	}
	if (c->pos >= c->avail) {
		c->err = LHV_DECODE_SHORT;
		return 0;
	}
	return c->buf[c->pos++];
}

/* @n (1, 2, 4 or 8) little-endian bytes, sign-extended to 64 bits. */
static u64 dc_signed(struct dcursor *c, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)dc_byte(c) << (8 * i);
	if (n < 8 && (v & BIT_ULL(8 * n - 1)))
		v |= ~0ULL << (8 * n);
	return v;
}

static u64 dc_unsigned(struct dcursor *c, unsigned int n)
{
	u64 v = dc_signed(c, n);

	return n < 8 ? v & ((1ULL << (8 * n)) - 1) : v;
}

#define REX_B	0x1
#define REX_X	0x2
#define REX_R	0x4
#define REX_W	0x8

/*
 * General register @n (0-7, before REX extension) as an operand of the
 * instruction's size: without any REX prefix, byte registers 4-7 are AH,
 * CH, DH and BH (SDM Vol. 2, 3.1.1.1, table 3-1); with one they are SPL,
 * BPL, SIL and DIL.
 */
static u8 dc_gpr(const struct lhv_insn *insn, unsigned int n, u8 rex_bit,
		 unsigned int size)
{
	if (size == 1 && !insn->rex && n >= 4)
		return LHV_REG_AH + n - 4;
	return n | ((insn->rex & rex_bit) ? 8 : 0);
}

/* 16-bit ModRM memory forms (SDM Vol. 2, table 2-1), by r/m. */
static const u8 modrm16_base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
static const u8 modrm16_index[8] = {
	6, 7, 6, 7, LHV_REG_NONE, LHV_REG_NONE, LHV_REG_NONE, LHV_REG_NONE
};

static void dc_modrm16(struct dcursor *c, struct lhv_insn *insn,
		       unsigned int mod, unsigned int rm)
{
	if (mod == 0 && rm == 6) {
		insn->disp = dc_signed(c, 2);
		return;
	}
	insn->base = modrm16_base[rm];
	insn->index = modrm16_index[rm];
	if (mod == 1)
		insn->disp = dc_signed(c, 1);
	else if (mod == 2)
		insn->disp = dc_signed(c, 2);
	/* BP-based forms default to SS (SDM Vol. 1, 3.7.5). */
	if (insn->base == 5 && !insn->seg_override)
		insn->seg = LHV_SEG_SS;
}

/* 32- and 64-bit ModRM and SIB memory forms (SDM Vol. 2, tables 2-2, 2-3). */
static void dc_modrm32(struct dcursor *c, struct lhv_insn *insn,
		       unsigned int mod, unsigned int rm)
{
	unsigned int base = rm;

	if (rm == 4) {
		u8 sib = dc_byte(c);
		unsigned int index = ((sib >> 3) & 7) | ((insn->rex & REX_X) ? 8 : 0);

		insn->scale = 1 << (sib >> 6);
		/* Index 100b without REX.X means no index. */
		if (index != 4)
			insn->index = index;
		base = sib & 7;
		if (base == 5 && mod == 0) {
			insn->disp = dc_signed(c, 4);
			goto seg;
		}
	} else if (rm == 5 && mod == 0) {
		/* 64-bit mode: RIP-relative (SDM Vol. 2, 2.2.1.6). */
		insn->rip_rel = insn->code_size == 8;
		insn->disp = dc_signed(c, 4);
		return;
	}
	insn->base = base | ((insn->rex & REX_B) ? 8 : 0);
	if (mod == 1)
		insn->disp = dc_signed(c, 1);
	else if (mod == 2)
		insn->disp = dc_signed(c, 4);
seg:
	/*
	 * rSP- and rBP-based forms default to SS (SDM Vol. 1, 3.7.5); r12
	 * and r13 share their encodings but not that default.
	 */
	if ((insn->base == 4 || insn->base == 5) && !insn->seg_override)
		insn->seg = LHV_SEG_SS;
}

/*
 * ModRM (and SIB, displacement).  @reg_size and @rm_size are the sizes of
 * the reg and r/m operands, which pick the byte registers.  Returns the
 * reg field.
 */
static unsigned int dc_modrm2(struct dcursor *c, struct lhv_insn *insn,
			      unsigned int reg_size, unsigned int rm_size)
{
	u8 modrm = dc_byte(c);
	unsigned int mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;

	insn->reg = dc_gpr(insn, reg, REX_R, reg_size);
	if (mod == 3) {
		insn->rm_reg = dc_gpr(insn, rm, REX_B, rm_size);
		return reg;
	}
	insn->mem = true;
	if (insn->addr_size == 2)
		dc_modrm16(c, insn, mod, rm);
	else
		dc_modrm32(c, insn, mod, rm);
	return reg;
}

static unsigned int dc_modrm(struct dcursor *c, struct lhv_insn *insn,
			     unsigned int size)
{
	return dc_modrm2(c, insn, size, size);
}

/* An immediate of the operand size: 16 or 32 bits, sign-extended. */
static u64 dc_immz(struct dcursor *c, unsigned int size)
{
	return dc_signed(c, size == 2 ? 2 : (size == 1 ? 1 : 4));
}

/* 0F xx: two-byte opcodes. */
static bool dc_0f(struct dcursor *c, struct lhv_insn *insn, u8 op)
{
	unsigned int reg;

	switch (op) {
	case 0xa2:
		insn->op = LHV_OP_CPUID;
		return true;
	case 0x30:
		insn->op = LHV_OP_WRMSR;
		return true;
	case 0x32:
		insn->op = LHV_OP_RDMSR;
		return true;
	case 0x01:
		/* Group 7 register forms (SDM Vol. 2, table A-6). */
		switch (dc_byte(c)) {
		case 0xc1:
			insn->op = LHV_OP_VMCALL;
			return true;
		case 0xd1:
			insn->op = LHV_OP_XSETBV;
			return true;
		case 0xd9:
			insn->op = LHV_OP_VMMCALL;
			return true;
		}
		return false;
	case 0xb6: case 0xb7: case 0xbe: case 0xbf:
		insn->op = op < 0xbe ? LHV_OP_MOVZX : LHV_OP_MOVSX;
		insn->src_size = (op & 1) ? 2 : 1;
		/* A 16-bit movzx from 16 bits is a plain 16-bit move. */
		if (insn->src_size > insn->size)
			insn->src_size = insn->size;
		dc_modrm2(c, insn, insn->size, insn->src_size);
		return true;
	case 0xa3: case 0xab: case 0xb3: case 0xbb:
		/* bt, bts, btr, btc with a register bit offset */
		insn->op = LHV_OP_ALU;
		insn->alu = LHV_ALU_BT + ((op >> 3) & 3);
		insn->mem_dst = true;
		dc_modrm(c, insn, insn->size);
		return true;
	case 0xa4: case 0xa5: case 0xac: case 0xad:
		/*
		 * shld, shrd r/m, reg: the count is imm8 (A4, AC) or CL (A5,
		 * AD).  No 8-bit form: a 66 prefix makes them 16-bit.
		 */
		insn->op = LHV_OP_ALU;
		insn->alu = op < 0xac ? LHV_ALU_SHLD : LHV_ALU_SHRD;
		insn->mem_dst = true;
		dc_modrm(c, insn, insn->size);
		if (!(op & 1)) {
			insn->has_imm = true;
			insn->imm = dc_unsigned(c, 1);
		}
		return true;
	case 0xba:
		/* Group 8: /4-/7 are bt, bts, btr, btc with an imm8 offset. */
		insn->op = LHV_OP_ALU;
		insn->mem_dst = true;
		insn->has_imm = true;
		reg = dc_modrm(c, insn, insn->size);
		if (reg < 4)
			return false;
		insn->alu = LHV_ALU_BT + reg - 4;
		insn->reg = LHV_REG_NONE;
		insn->imm = dc_unsigned(c, 1);
		return true;
	case 0xb0: case 0xb1:
		insn->op = LHV_OP_CMPXCHG;
		goto rm_reg;
	case 0xc0: case 0xc1:
		insn->op = LHV_OP_XADD;
rm_reg:
		if (!(op & 1))
			insn->size = 1;
		insn->mem_dst = true;
		dc_modrm(c, insn, insn->size);
		return true;
	}
	return false;
}

static bool dc_string(struct lhv_insn *insn, u8 op)
{
	static const u8 ops[] = {
		[0x6c - 0x6c] = LHV_OP_INS,
		[0x6e - 0x6c] = LHV_OP_OUTS,
		[0xa4 - 0x6c] = LHV_OP_MOVS,
		[0xa6 - 0x6c] = LHV_OP_CMPS,
		[0xaa - 0x6c] = LHV_OP_STOS,
		[0xac - 0x6c] = LHV_OP_LODS,
		[0xae - 0x6c] = LHV_OP_SCAS,
	};
	unsigned int i = (op & ~1) - 0x6c;

	if (i >= ARRAY_SIZE(ops) || !ops[i])
		return false;
	insn->op = ops[i];
	if (!(op & 1))
		insn->size = 1;
	else if ((insn->op == LHV_OP_INS || insn->op == LHV_OP_OUTS) &&
		 insn->size == 8)
		insn->size = 4;	/* REX.W does not widen port I/O */
	return true;
}

/* Group 1 (SDM Vol. 2, table A-6): 80-83 /0-/7, r/m with an immediate. */
static bool dc_group1(struct dcursor *c, struct lhv_insn *insn, u8 op)
{
	/* 82 is 80 again, outside 64-bit mode (SDM Vol. 2, table A-2). */
	if (op == 0x82 && insn->code_size == 8)
		return false;
	insn->op = LHV_OP_ALU;
	if (op != 0x81 && op != 0x83)
		insn->size = 1;
	insn->mem_dst = true;
	insn->has_imm = true;
	insn->alu = dc_modrm(c, insn, insn->size);
	insn->reg = LHV_REG_NONE;
	insn->imm = op == 0x81 ? dc_immz(c, insn->size) : dc_signed(c, 1);
	return true;
}

/*
 * Group 2: C0/C1 (count imm8), D0/D1 (count 1), D2/D3 (count CL).  /6 is
 * not in the SDM's tables; CPUs run it as shl (sal), and so does lhv.
 */
static bool dc_group2(struct dcursor *c, struct lhv_insn *insn, u8 op)
{
	unsigned int reg;

	insn->op = LHV_OP_ALU;
	if (!(op & 1))
		insn->size = 1;
	insn->mem_dst = true;
	reg = dc_modrm(c, insn, insn->size);
	insn->alu = reg == 6 ? LHV_ALU_SHL : LHV_ALU_ROL + reg;
	if (op >= 0xd2) {
		insn->reg = 1;	/* CL */
		return true;
	}
	insn->reg = LHV_REG_NONE;
	insn->has_imm = true;
	insn->imm = op < 0xd0 ? dc_unsigned(c, 1) : 1;
	return true;
}

/*
 * Groups 3 (F6/F7: /0 test imm, /2 not, /3 neg; /1 is not in the SDM's
 * tables, CPUs run it as test) and 4/5 (FE/FF: /0 inc, /1 dec).  The rest
 * are mul, imul, div and idiv, and the calls, jumps and push of FF: not
 * emulated.
 */
static bool dc_group3(struct dcursor *c, struct lhv_insn *insn, u8 op)
{
	static const u8 g3[8] = {
		[0] = LHV_ALU_TEST, [1] = LHV_ALU_TEST,
		[2] = LHV_ALU_NOT, [3] = LHV_ALU_NEG,
	};
	unsigned int reg;

	insn->op = LHV_OP_ALU;
	if (!(op & 1))
		insn->size = 1;
	insn->mem_dst = true;
	reg = dc_modrm(c, insn, insn->size);
	insn->reg = LHV_REG_NONE;
	if (op >= 0xfe) {
		insn->alu = reg ? LHV_ALU_DEC : LHV_ALU_INC;
		return reg < 2;
	}
	if (reg >= 4)
		return false;
	insn->alu = g3[reg];
	if (insn->alu == LHV_ALU_TEST) {
		insn->has_imm = true;
		insn->imm = dc_immz(c, insn->size);
	}
	return true;
}

static bool dc_one_byte(struct dcursor *c, struct lhv_insn *insn, u8 op)
{
	if (op < 0x40 && (op & 7) < 6) {
		/* The group 1 operations by their first opcode byte. */
		insn->op = LHV_OP_ALU;
		insn->alu = op >> 3;
		if (!(op & 1))
			insn->size = 1;
		if ((op & 7) >= 4) {
			/* AL/eAX, imm: no memory operand; length only. */
			insn->reg = 0;
			insn->has_imm = true;
			insn->imm = dc_immz(c, insn->size);
			return true;
		}
		insn->mem_dst = !(op & 2);
		dc_modrm(c, insn, insn->size);
		return true;
	}
	if (dc_string(insn, op))
		return true;

	switch (op) {
	case 0x0f:
		return dc_0f(c, insn, dc_byte(c));
	case 0x63:
		/* movsxd exists in 64-bit mode only; elsewhere it is arpl. */
		if (insn->code_size != 8)
			return false;
		insn->op = insn->size == 8 ? LHV_OP_MOVSX : LHV_OP_MOV;
		insn->src_size = insn->size == 8 ? 4 : insn->size;
		dc_modrm2(c, insn, insn->size, insn->src_size);
		return true;
	case 0x80: case 0x81: case 0x82: case 0x83:
		return dc_group1(c, insn, op);
	case 0x84: case 0x85:
		insn->op = LHV_OP_ALU;
		insn->alu = LHV_ALU_TEST;
		insn->mem_dst = true;
		goto rm_reg;
	case 0x86: case 0x87:
		insn->op = LHV_OP_XCHG;
		insn->mem_dst = true;
		goto rm_reg;
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		insn->op = LHV_OP_MOV;
		insn->mem_dst = !(op & 2);
rm_reg:
		if (!(op & 1))
			insn->size = 1;
		dc_modrm(c, insn, insn->size);
		return true;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* mov with a moffs: an absolute offset, address-size wide. */
		insn->op = LHV_OP_MOV;
		if (!(op & 1))
			insn->size = 1;
		insn->mem = true;
		insn->mem_dst = op >= 0xa2;
		insn->reg = 0;
		insn->disp = dc_unsigned(c, insn->addr_size);
		return true;
	case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3:
		return dc_group2(c, insn, op);
	case 0xc6: case 0xc7:
		insn->op = LHV_OP_MOV;
		if (!(op & 1))
			insn->size = 1;
		insn->mem_dst = true;
		insn->has_imm = true;
		/* Only /0 is mov: /1-/7 are invalid, or xabort and xbegin. */
		if (dc_modrm(c, insn, insn->size) != 0)
			return false;
		insn->reg = LHV_REG_NONE;
		insn->imm = dc_immz(c, insn->size);
		return true;
	case 0xf6: case 0xf7: case 0xfe: case 0xff:
		return dc_group3(c, insn, op);
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		insn->imm = dc_unsigned(c, 1);
		goto io;
	case 0xec: case 0xed: case 0xee: case 0xef:
		insn->port_dx = true;
io:
		insn->op = (op & 2) ? LHV_OP_OUT : LHV_OP_IN;
		insn->reg = 0;
		if (!(op & 1))
			insn->size = 1;
		else if (insn->size == 8)
			insn->size = 4;
		return true;
	case 0xf4:
		insn->op = LHV_OP_HLT;
		return true;
	}
	return false;
}

/* Legacy prefixes (SDM Vol. 2, 2.1.1); false at the first non-prefix. */
static bool dc_prefix(struct lhv_insn *insn, u8 b, bool *opsize, bool *adsize)
{
	switch (b) {
	case 0x66:
		*opsize = true;
		return true;
	case 0x67:
		*adsize = true;
		return true;
	case 0xf2:
		insn->rep = LHV_REP_REPNE;
		return true;
	case 0xf3:
		insn->rep = LHV_REP_REPE;
		return true;
	case 0xf0:
		return true;	/* lock: no effect on what is emulated */
	case 0x26: case 0x2e: case 0x36: case 0x3e:
		/* 64-bit mode ignores the ES, CS, SS and DS overrides. */
		if (insn->code_size != 8) {
			insn->seg = (b >> 3) & 3;
			insn->seg_override = true;
		}
		return true;
	case 0x64: case 0x65:
		insn->seg = b - 0x64 + LHV_SEG_FS;
		insn->seg_override = true;
		return true;
	}
	return false;
}

enum lhv_decode_result lhv_decode(const u8 *buf, unsigned int avail,
				  unsigned int code_size,
				  struct lhv_insn *insn)
{
	struct dcursor c = { .buf = buf, .avail = avail };
	bool opsize = false, adsize = false;
	u8 b;

	memset(insn, 0, sizeof(*insn));
	insn->code_size = code_size;
	insn->seg = LHV_SEG_DS;
	insn->reg = LHV_REG_NONE;
	insn->rm_reg = LHV_REG_NONE;
	insn->base = LHV_REG_NONE;
	insn->index = LHV_REG_NONE;
	insn->scale = 1;

	/* dc_byte() fails after 15 bytes, so this loop is bounded. */
	for (;;) {
		b = dc_byte(&c);
		if (c.err != LHV_DECODE_OK)
			return c.err;
		if (dc_prefix(insn, b, &opsize, &adsize)) {
			/* REX only counts right before the opcode (SDM Vol. 2, 2.2.1). */
			insn->rex = 0;
			continue;
		}
		if (code_size == 8 && (b & 0xf0) == 0x40) {
			insn->rex = b;
			continue;
		}
		break;
	}

	/* Operand and address size (SDM Vol. 1, 3.6, table 3-4). */
	if (code_size == 8) {
		insn->addr_size = adsize ? 4 : 8;
		insn->size = (insn->rex & REX_W) ? 8 : (opsize ? 2 : 4);
	} else {
		insn->addr_size = (code_size == 4) != adsize ? 4 : 2;
		insn->size = (code_size == 4) != opsize ? 4 : 2;
	}

	if (!dc_one_byte(&c, insn, b))
		return c.err != LHV_DECODE_OK ? c.err : LHV_DECODE_BAD;
	if (c.err != LHV_DECODE_OK)
		return c.err;
	insn->len = c.pos;
	return LHV_DECODE_OK;
}
