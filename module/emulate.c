// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction emulator (protocol in emulate.h, user documentation in
 * Documentation/emulator.rst).  Pure logic, built into lhv.ko and into
 * tests/unit.
 *
 * Replay.  One call carries out the whole instruction from its first byte:
 * translate, fetch, decode, then each access in program order.  An access
 * to RAM is done at once; an access userspace must do (MMIO, port I/O)
 * is taken from em->data[] if an earlier call sequence already completed
 * it, and otherwise becomes the request this call returns.  Nothing is
 * written to registers and no RAM write happens before the last access
 * that may need userspace, so an interrupted attempt leaves no trace and
 * the next call can start over: every form decoded reads before it
 * writes, and writes registers last.
 */
#include "alu.h"
#include "decode.h"
#include "emulate.h"
#include "gwalk.h"

#define RFLAGS_DF	BIT_ULL(10)
#define RFLAGS_VM	BIT_ULL(17)

#define PAGE_4K		4096ULL

/* Everything one emulation call works on. */
struct emu {
	struct lhv_emul *em;
	struct lhv_regs *regs;
	const struct lhv_sregs *sregs;
	const struct lhv_guest_mem *mem;
	struct lhv_run *exit;
	u64 gpa;			/* the faulting access, for error records */
	struct lhv_insn insn;
	u8 bytes[16];
	unsigned int nbytes;
};

static u64 sign_extend(u64 v, unsigned int size)
{
	u64 sign = 1ULL << (8 * size - 1);

	v &= lhv_size_mask(size);
	return size >= 8 ? v : (v ^ sign) - sign;
}

/* Start an exit record: the union zeroed, so no padding leaks. */
static void emu_record(struct emu *e, u32 reason)
{
	memset(e->exit->pad, 0, sizeof(e->exit->pad));
	e->exit->exit_reason = reason;
	e->exit->rip = e->regs->rip;
}

static enum lhv_emul_result emu_error(struct emu *e, u32 suberror)
{
	emu_record(e, LHV_EXIT_INTERNAL_ERROR);
	e->exit->internal.suberror = suberror;
	e->exit->internal.gpa = e->gpa;
	e->exit->internal.insn_len = e->nbytes;
	memcpy(e->exit->internal.insn, e->bytes, e->nbytes);
	return LHV_EMUL_ERROR;
}

/* General register @n (0-15, encoding order) in struct lhv_regs. */
static u64 *emu_gpr(struct emu *e, unsigned int n)
{
	static const u8 offs[16] = {
		offsetof(struct lhv_regs, rax), offsetof(struct lhv_regs, rcx),
		offsetof(struct lhv_regs, rdx), offsetof(struct lhv_regs, rbx),
		offsetof(struct lhv_regs, rsp), offsetof(struct lhv_regs, rbp),
		offsetof(struct lhv_regs, rsi), offsetof(struct lhv_regs, rdi),
		offsetof(struct lhv_regs, r8), offsetof(struct lhv_regs, r9),
		offsetof(struct lhv_regs, r10), offsetof(struct lhv_regs, r11),
		offsetof(struct lhv_regs, r12), offsetof(struct lhv_regs, r13),
		offsetof(struct lhv_regs, r14), offsetof(struct lhv_regs, r15),
	};

	return (u64 *)((u8 *)e->regs + offs[n & 15]);
}

static u64 emu_reg_read(struct emu *e, unsigned int reg, unsigned int size)
{
	if (reg >= LHV_REG_AH)
		return (*emu_gpr(e, reg - LHV_REG_AH) >> 8) & 0xff;
	return *emu_gpr(e, reg) & lhv_size_mask(size);
}

/*
 * Writes of 8 and 16 bits merge into the register; 32-bit writes
 * zero-extend to 64 bits (SDM Vol. 1, 3.4.1.1).
 */
static void emu_reg_write(struct emu *e, unsigned int reg, unsigned int size,
			  u64 val)
{
	u64 *r;

	if (reg >= LHV_REG_AH) {
		r = emu_gpr(e, reg - LHV_REG_AH);
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	r = emu_gpr(e, reg);
	if (size >= 4)
		*r = val & lhv_size_mask(size);
	else
		*r = (*r & ~lhv_size_mask(size)) | (val & lhv_size_mask(size));
}

static void emu_advance_rip(struct emu *e)
{
	u64 rip = e->regs->rip + e->insn.len;

	/* IP and EIP wrap within their width (SDM Vol. 1, 3.5). */
	e->regs->rip = e->insn.code_size == 8 ? rip :
		       rip & lhv_size_mask(e->insn.code_size);
}

static unsigned int emu_code_size(const struct lhv_regs *regs,
				  const struct lhv_sregs *sregs)
{
	if ((sregs->efer & LHV_GW_EFER_LMA) && sregs->cs.l)
		return 8;
	/* Real mode and virtual-8086 mode are 16-bit whatever CS.D says. */
	if (!(sregs->cr0 & LHV_GW_CR0_PE) || (regs->rflags & RFLAGS_VM))
		return 2;
	return sregs->cs.db ? 4 : 2;
}

static const struct lhv_segment *emu_seg(struct emu *e, unsigned int seg)
{
	const struct lhv_sregs *s = e->sregs;

	switch (seg) {
	case LHV_SEG_ES:
		return &s->es;
	case LHV_SEG_CS:
		return &s->cs;
	case LHV_SEG_SS:
		return &s->ss;
	case LHV_SEG_FS:
		return &s->fs;
	case LHV_SEG_GS:
		return &s->gs;
	}
	return &s->ds;
}

/*
 * Segment @seg, offset @off to linear.  Offsets wrap at the address size;
 * 64-bit mode uses only the FS and GS bases (SDM Vol. 3, 3.2.4); outside
 * it linear addresses are 32 bits.  Limits are not checked: the CPU did
 * that before the access exited.
 */
static u64 emu_linear(struct emu *e, unsigned int seg, u64 off)
{
	u64 base = emu_seg(e, seg)->base;

	off &= lhv_size_mask(e->insn.addr_size);
	if (e->insn.code_size == 8)
		return (seg == LHV_SEG_FS || seg == LHV_SEG_GS) ? base + off : off;
	return (u32)(base + off);
}

/* The ModRM/SIB/moffs operand's offset (SDM Vol. 2, 2.1.5). */
static u64 emu_ea(struct emu *e)
{
	const struct lhv_insn *in = &e->insn;
	u64 ea = in->disp;

	if (in->rip_rel)
		ea += e->regs->rip + in->len;
	if (in->base != LHV_REG_NONE)
		ea += *emu_gpr(e, in->base);
	if (in->index != LHV_REG_NONE)
		ea += *emu_gpr(e, in->index) * in->scale;
	return ea & lhv_size_mask(in->addr_size);
}

/*
 * One access userspace must do: the completed value on replay, else a new
 * request.  @port: a PIO access to port @addr, else MMIO at gpa @addr.
 */
static enum lhv_emul_result emu_user(struct emu *e, bool port, u64 addr,
				     unsigned int size, bool write, u64 *val)
{
	struct lhv_emul *em = e->em;

	if (em->nasked < em->ndone) {
		if (!write)
			*val = em->data[em->nasked] & lhv_size_mask(size);
		em->nasked++;
		return LHV_EMUL_DONE;
	}
	if (em->nasked >= LHV_EMUL_MAX_ACCESSES)
		return emu_error(e, LHV_INTERNAL_EMULATE);
	em->nasked++;
	if (port) {
		emu_record(e, LHV_EXIT_PIO);
		e->exit->pio.port = addr;
		e->exit->pio.size = size;
		e->exit->pio.direction = write ? LHV_DIR_WRITE : LHV_DIR_READ;
		e->exit->pio.data = write ? *val & lhv_size_mask(size) : 0;
	} else {
		emu_record(e, LHV_EXIT_MMIO);
		e->exit->mmio.gpa = addr;
		e->exit->mmio.size = size;
		e->exit->mmio.direction = write ? LHV_DIR_WRITE : LHV_DIR_READ;
		e->exit->mmio.data = write ? *val & lhv_size_mask(size) : 0;
	}
	return LHV_EMUL_USER;
}

static int emu_ram(struct emu *e, u64 gpa, void *buf, unsigned int len,
		   bool write)
{
	const struct lhv_guest_mem *mem = e->mem;

	return write ? mem->write(mem->ctx, gpa, buf, len) :
		       mem->read(mem->ctx, gpa, buf, len);
}

/*
 * Read or write @size bytes at @linear.  An access that crosses into a
 * page mapped elsewhere is done in two parts if both are RAM; one that
 * would be split across MMIO cannot be one request, and is refused.
 */
static enum lhv_emul_result emu_mem(struct emu *e, u64 linear,
				    unsigned int size, bool write, u64 *val)
{
	unsigned int first = size;
	u64 gpa, gpa2, v = write ? *val : 0;
	int r;

	if (e->insn.code_size != 8)
		linear = (u32)linear;
	if (lhv_gwalk(e->sregs, e->mem, linear, &gpa))
		return emu_error(e, LHV_INTERNAL_WALK);
	if ((linear & (PAGE_4K - 1)) + size > PAGE_4K) {
		first = PAGE_4K - (linear & (PAGE_4K - 1));
		if (lhv_gwalk(e->sregs, e->mem, linear + first, &gpa2))
			return emu_error(e, LHV_INTERNAL_WALK);
		if (gpa2 != gpa + first) {
			/* x86 is little-endian: the low bytes come first. */
			if (emu_ram(e, gpa, &v, first, write) ||
			    emu_ram(e, gpa2, (u8 *)&v + first, size - first, write))
				return emu_error(e, LHV_INTERNAL_EMULATE);
			goto done;
		}
	}
	r = emu_ram(e, gpa, &v, size, write);
	if (r == -ENOENT)
		return emu_user(e, false, gpa, size, write, val);
	if (r)
		return emu_error(e, LHV_INTERNAL_EMULATE);
done:
	if (!write)
		*val = v;
	return LHV_EMUL_DONE;
}

/* Fetch up to 15 bytes at CS:RIP and decode them. */
static enum lhv_emul_result emu_fetch_decode(struct emu *e)
{
	unsigned int code_size = emu_code_size(e->regs, e->sregs);
	u64 ip = e->regs->rip, linear, gpa = 0;
	unsigned int chunk;
	u32 fail = LHV_INTERNAL_FETCH;

	e->nbytes = 0;
	e->insn.code_size = code_size;
	e->insn.addr_size = code_size;
	if (e->em && e->em->nfetched && e->em->fetched_rip == ip) {
		e->nbytes = e->em->nfetched;
		memcpy(e->bytes, e->em->bytes, e->nbytes);
		goto decode;
	}
	linear = emu_linear(e, LHV_SEG_CS, ip);
	/* At most two passes: 15 bytes span at most two pages. */
	while (e->nbytes < LHV_INSN_MAX) {
		chunk = LHV_INSN_MAX - e->nbytes;
		if (chunk > PAGE_4K - (linear & (PAGE_4K - 1)))
			chunk = PAGE_4K - (linear & (PAGE_4K - 1));
		if (lhv_gwalk(e->sregs, e->mem, linear, &gpa)) {
			fail = LHV_INTERNAL_WALK;
			break;
		}
		if (e->mem->read(e->mem->ctx, gpa, e->bytes + e->nbytes, chunk)) {
			fail = LHV_INTERNAL_FETCH;
			break;
		}
		e->nbytes += chunk;
		linear += chunk;
		if (code_size != 8)
			linear = (u32)linear;
	}

decode:
	switch (lhv_decode(e->bytes, e->nbytes, code_size, &e->insn)) {
	case LHV_DECODE_OK:
		if (e->em && !e->em->nfetched) {
			e->em->fetched_rip = ip;
			e->em->nfetched = e->nbytes;
			memcpy(e->em->bytes, e->bytes, e->nbytes);
		}
		return LHV_EMUL_DONE;
	case LHV_DECODE_SHORT:
		if (fail == LHV_INTERNAL_FETCH)
			e->gpa = gpa;
		return emu_error(e, fail);
	default:
		return emu_error(e, LHV_INTERNAL_DECODE);
	}
}

#define REG_AX	0
#define REG_CX	1
#define REG_DX	2
#define REG_SI	6
#define REG_DI	7

static bool emu_is_bittest(const struct lhv_insn *in)
{
	return in->op == LHV_OP_ALU && in->alu >= LHV_ALU_BT &&
	       in->alu <= LHV_ALU_BTC;
}

/*
 * The read-modify-write forms, once the memory operand @m was read at
 * @linear: the ALU operations, xchg, cmpxchg and xadd.  @src is the
 * immediate or register source (for shld and shrd the register, their
 * count being the immediate or CL).
 */
static enum lhv_emul_result emu_rmw(struct emu *e, u64 linear, u64 m, u64 src)
{
	const struct lhv_insn *in = &e->insn;
	unsigned int size = in->size;
	u64 flags = e->regs->rflags, res = m;
	bool write = true;
	enum lhv_emul_result r;

	switch (in->op) {
	case LHV_OP_XCHG:
		res = src;
		break;
	case LHV_OP_XADD:
		res = lhv_alu(LHV_ALU_ADD, m, src, size, &flags);
		break;
	case LHV_OP_CMPXCHG:
		/*
		 * The flags of cmp accumulator, destination.  The CPU writes
		 * the destination whatever the outcome, its own value back on
		 * a mismatch (SDM Vol. 2, CMPXCHG), and so does lhv.
		 */
		lhv_alu(LHV_ALU_CMP, emu_reg_read(e, REG_AX, size), m, size,
			&flags);
		if (flags & LHV_FL_ZF)
			res = src;
		break;
	default:	/* LHV_OP_ALU */
		if (!in->mem_dst) {
			/* reg op= memory: memory is only read */
			res = lhv_alu(in->alu, emu_reg_read(e, in->reg, size), m,
				      size, &flags);
			write = false;
		} else if (lhv_alu_is_shd(in->alu)) {
			/* shld, shrd: @src is reg, the count imm8 or CL. */
			res = lhv_alu_shd(in->alu, m, src, in->has_imm ? in->imm :
					  emu_reg_read(e, REG_CX, 1), size, &flags);
		} else {
			res = lhv_alu(in->alu, m, src, size, &flags);
			write = lhv_alu_writes(in->alu);
		}
		break;
	}
	if (write && in->mem_dst) {
		r = emu_mem(e, linear, size, true, &res);
		if (r != LHV_EMUL_DONE)
			return r;
	}

	/* Registers last: the accesses above may stop for userspace. */
	switch (in->op) {
	case LHV_OP_XCHG:
	case LHV_OP_XADD:
		emu_reg_write(e, in->reg, size, m);
		break;
	case LHV_OP_CMPXCHG:
		/* A match leaves rAX alone, its bits 63:32 included. */
		if (!(flags & LHV_FL_ZF))
			emu_reg_write(e, REG_AX, size, m);
		break;
	case LHV_OP_ALU:
		if (!in->mem_dst && lhv_alu_writes(in->alu))
			emu_reg_write(e, in->reg, size, res);
		break;
	}
	e->regs->rflags = flags;
	return LHV_EMUL_DONE;
}

/*
 * Every form with one ModRM/moffs memory operand: the moves, the ALU
 * operations, xchg, cmpxchg, xadd.
 */
static enum lhv_emul_result emu_modrm_op(struct emu *e)
{
	const struct lhv_insn *in = &e->insn;
	unsigned int size = in->size, bits = 8 * size;
	u64 linear, ea = emu_ea(e), m = 0, src = 0;
	enum lhv_emul_result r;

	if (in->has_imm && !(in->op == LHV_OP_ALU && lhv_alu_is_shd(in->alu)))
		src = in->imm;
	else if (in->reg != LHV_REG_NONE)
		src = emu_reg_read(e, in->reg, size);
	if (emu_is_bittest(in) && !in->has_imm) {
		/*
		 * A register bit offset is signed and may reach outside the
		 * operand: it selects the operand-sized unit at ea +
		 * (offset >> log2(bits)) * size (SDM Vol. 2, BT).
		 */
		u64 off = sign_extend(src, size);
		unsigned int sh = bits == 16 ? 4 : bits == 32 ? 5 : 6;
		/* An arithmetic shift right, written out for u64. */
		u64 unit = (off >> sh) | ((off >> 63) ? ~(~0ULL >> sh) : 0);

		ea = (ea + unit * size) & lhv_size_mask(in->addr_size);
	}
	linear = emu_linear(e, in->seg, ea);

	if (in->op == LHV_OP_MOV && in->mem_dst) {
		r = emu_mem(e, linear, size, true, &src);
		if (r == LHV_EMUL_DONE)
			emu_advance_rip(e);
		return r;
	}

	r = emu_mem(e, linear, in->op == LHV_OP_MOVZX || in->op == LHV_OP_MOVSX ?
			       in->src_size : size, false, &m);
	if (r != LHV_EMUL_DONE)
		return r;

	switch (in->op) {
	case LHV_OP_MOV:
	case LHV_OP_MOVZX:
		emu_reg_write(e, in->reg, size, m);
		break;
	case LHV_OP_MOVSX:
		emu_reg_write(e, in->reg, size, sign_extend(m, in->src_size));
		break;
	case LHV_OP_ALU:
	case LHV_OP_XCHG:
	case LHV_OP_CMPXCHG:
	case LHV_OP_XADD:
		r = emu_rmw(e, linear, m, src);
		if (r != LHV_EMUL_DONE)
			return r;
		break;
	default:
		return emu_error(e, LHV_INTERNAL_EMULATE);
	}
	emu_advance_rip(e);
	return LHV_EMUL_DONE;
}

/* A string instruction's rSI or rDI register after one element. */
static void emu_string_step(struct emu *e, unsigned int reg)
{
	unsigned int asz = e->insn.addr_size;
	u64 step = e->insn.size, v = *emu_gpr(e, reg);

	v = (e->regs->rflags & RFLAGS_DF) ? v - step : v + step;
	emu_reg_write(e, reg, asz, v);
}

/*
 * Does a rep prefix stop the string instruction after this element, with
 * @count elements left?  cmps and scas also stop on the condition of
 * repe (ZF clear) or repne (ZF set); for the others F2 is a plain rep.
 */
static bool emu_rep_done(struct emu *e, u64 count, u64 flags)
{
	const struct lhv_insn *in = &e->insn;
	bool zf = flags & LHV_FL_ZF;

	if (!count)
		return true;
	if (in->op != LHV_OP_CMPS && in->op != LHV_OP_SCAS)
		return false;
	return in->rep == LHV_REP_REPE ? !zf : zf;
}

/*
 * One element of movs, stos, lods, cmps, scas, ins or outs (SDM Vol. 2,
 * the instructions and "REP/REPE/REPZ/REPNE/REPNZ").  With a rep prefix
 * the count is rCX of the address size; RIP advances only once the
 * repetition ends, so the guest executes the instruction again for the
 * next element.  @port: the I/O port of ins/outs.
 */
static enum lhv_emul_result emu_string_op(struct emu *e, u16 port)
{
	const struct lhv_insn *in = &e->insn;
	unsigned int size = in->size, asz = in->addr_size;
	u64 count = 0, v = 0, w = 0, flags = e->regs->rflags;
	enum lhv_emul_result r = LHV_EMUL_DONE;
	/* Sources use DS (or an override); destinations always ES. */
	u64 src = emu_linear(e, in->seg, *emu_gpr(e, REG_SI));
	u64 dst = emu_linear(e, LHV_SEG_ES, *emu_gpr(e, REG_DI));

	if (in->rep) {
		count = emu_reg_read(e, REG_CX, asz);
		if (!count) {
			emu_advance_rip(e);
			return LHV_EMUL_DONE;
		}
	}

	switch (in->op) {
	case LHV_OP_MOVS:
	case LHV_OP_LODS:
	case LHV_OP_OUTS:
	case LHV_OP_CMPS:
		r = emu_mem(e, src, size, false, &v);
		break;
	case LHV_OP_STOS:
	case LHV_OP_SCAS:
		v = emu_reg_read(e, REG_AX, size);
		break;
	case LHV_OP_INS:
		r = emu_user(e, true, port, size, false, &v);
		break;
	}
	if (r != LHV_EMUL_DONE)
		return r;

	switch (in->op) {
	case LHV_OP_MOVS:
	case LHV_OP_STOS:
	case LHV_OP_INS:
		r = emu_mem(e, dst, size, true, &v);
		break;
	case LHV_OP_OUTS:
		r = emu_user(e, true, port, size, true, &v);
		break;
	case LHV_OP_LODS:
		emu_reg_write(e, REG_AX, size, v);
		break;
	case LHV_OP_CMPS:
	case LHV_OP_SCAS:
		/* The source (or rAX) minus the destination, for its flags. */
		r = emu_mem(e, dst, size, false, &w);
		lhv_alu(LHV_ALU_CMP, v, w, size, &flags);
		break;
	}
	if (r != LHV_EMUL_DONE)
		return r;

	if (in->op == LHV_OP_MOVS || in->op == LHV_OP_LODS ||
	    in->op == LHV_OP_OUTS || in->op == LHV_OP_CMPS)
		emu_string_step(e, REG_SI);
	if (in->op != LHV_OP_LODS && in->op != LHV_OP_OUTS)
		emu_string_step(e, REG_DI);
	e->regs->rflags = flags;
	if (in->rep) {
		emu_reg_write(e, REG_CX, asz, count - 1);
		if (!emu_rep_done(e, count - 1, flags))
			return LHV_EMUL_DONE;
	}
	emu_advance_rip(e);
	return LHV_EMUL_DONE;
}

static enum lhv_emul_result emu_start(struct emu *e, struct lhv_emul *em,
				      struct lhv_regs *regs,
				      const struct lhv_sregs *sregs,
				      const struct lhv_guest_mem *mem,
				      struct lhv_run *exit, u64 gpa)
{
	memset(e, 0, sizeof(*e));
	e->em = em;
	e->regs = regs;
	e->sregs = sregs;
	e->mem = mem;
	e->exit = exit;
	e->gpa = gpa;
	if (em)
		em->nasked = 0;		/* a replay asks from the start */
	return emu_fetch_decode(e);
}

enum lhv_emul_result lhv_emulate_mmio(struct lhv_emul *em,
				      struct lhv_regs *regs,
				      const struct lhv_sregs *sregs,
				      const struct lhv_guest_mem *mem,
				      u64 gpa, bool write,
				      struct lhv_run *exit)
{
	struct emu e;
	enum lhv_emul_result r;

	/*
	 * The direction of each access follows from the decoded instruction,
	 * and every memory operand is checked against RAM, so @write is not
	 * needed: it says what the CPU saw, not what to do.
	 */
	(void)write;
	r = emu_start(&e, em, regs, sregs, mem, exit, gpa);
	if (r != LHV_EMUL_DONE)
		return r;

	switch (e.insn.op) {
	case LHV_OP_MOVS:
	case LHV_OP_STOS:
	case LHV_OP_LODS:
	case LHV_OP_CMPS:
	case LHV_OP_SCAS:
		return emu_string_op(&e, 0);
	case LHV_OP_MOV:
	case LHV_OP_MOVZX:
	case LHV_OP_MOVSX:
	case LHV_OP_ALU:
	case LHV_OP_XCHG:
	case LHV_OP_CMPXCHG:
	case LHV_OP_XADD:
		/* Register-only forms never fault on memory. */
		if (e.insn.mem)
			return emu_modrm_op(&e);
		break;
	}
	return emu_error(&e, LHV_INTERNAL_EMULATE);
}

enum lhv_emul_result lhv_emulate_io(struct lhv_emul *em,
				    struct lhv_regs *regs,
				    const struct lhv_sregs *sregs,
				    const struct lhv_guest_mem *mem,
				    u16 port, unsigned int size, bool in,
				    bool string, bool rep,
				    struct lhv_run *exit)
{
	struct emu e;
	const struct lhv_insn *insn = &e.insn;
	enum lhv_emul_result r;
	u64 v = 0;

	r = emu_start(&e, em, regs, sregs, mem, exit, 0);
	if (r != LHV_EMUL_DONE)
		return r;

	/* The decoded instruction must be the one the CPU reported. */
	if ((insn->op != LHV_OP_IN && insn->op != LHV_OP_OUT &&
	     insn->op != LHV_OP_INS && insn->op != LHV_OP_OUTS) ||
	    insn->size != size ||
	    in != (insn->op == LHV_OP_IN || insn->op == LHV_OP_INS) ||
	    string != (insn->op == LHV_OP_INS || insn->op == LHV_OP_OUTS) ||
	    (string && rep != !!insn->rep) ||
	    port != (insn->port_dx || string ? (u16)regs->rdx : insn->imm))
		return emu_error(&e, LHV_INTERNAL_EMULATE);

	if (string)
		return emu_string_op(&e, port);
	if (!in)
		v = emu_reg_read(&e, REG_AX, size);
	r = emu_user(&e, true, port, size, !in, &v);
	if (r != LHV_EMUL_DONE)
		return r;
	/* IN to EAX zero-extends into RAX like any 32-bit write. */
	if (in)
		emu_reg_write(&e, REG_AX, size, v);
	emu_advance_rip(&e);
	return LHV_EMUL_DONE;
}

unsigned int lhv_insn_length(const struct lhv_regs *regs,
			     const struct lhv_sregs *sregs,
			     const struct lhv_guest_mem *mem,
			     struct lhv_run *exit)
{
	struct emu e;

	/* Only fetched and decoded: nothing writes through regs. */
	if (emu_start(&e, NULL, (struct lhv_regs *)regs, sregs, mem, exit, 0) !=
	    LHV_EMUL_DONE)
		return 0;
	return e.insn.len;
}
