/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake guest for the emulator's unit tests: RAM from gpa 0 with a VGA
 * hole at A0000-BFFFF, an MMIO window above it, page tables built in that
 * RAM for every paging mode, and helpers to run one instruction through
 * the replay protocol the way lhv's core does.  Also the reference the
 * emulator's arithmetic is held to: the host CPU (host_alu()), and which
 * of its flags the SDM defines (alu_defined_flags()).
 */
#ifndef _LHV_EMUL_FIXTURE_H
#define _LHV_EMUL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include "../../module/alu.h"
#include "../../module/emulate.h"
#include "../../module/gwalk.h"

#define RAM_SIZE	(8ULL << 20)
#define VGA_START	0xa0000ULL
#define VGA_END		0xc0000ULL
#define MMIO_BASE	0xd0000000ULL
#define MMIO_SIZE	0x100000ULL

static unsigned char ram[RAM_SIZE];

/* Is [@gpa, @gpa + @len) RAM?  Lengths outside the contract abort. */
static int fake_ram(u64 gpa, unsigned int len)
{
	if (len < 1 || len > 16) {
		fprintf(stderr, "bad access length %u\n", len);
		abort();
	}
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return 0;
	/* Anything touching the VGA hole is MMIO. */
	return gpa + len <= VGA_START || gpa >= VGA_END;
}

static int fake_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	(void)ctx;
	if (!fake_ram(gpa, len))
		return -ENOENT;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int fake_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	(void)ctx;
	if (!fake_ram(gpa, len))
		return -ENOENT;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static const struct lhv_guest_mem fake_mem = {
	.read = fake_read, .write = fake_write,
};

static inline void put64(u64 gpa, u64 v)
{
	memcpy(ram + gpa, &v, 8);
}

static inline void put32(u64 gpa, u32 v)
{
	memcpy(ram + gpa, &v, 4);
}

/* Segment registers and control registers for each mode. */
enum mode {
	MODE_REAL,
	MODE_PROT32,		/* flat, no paging */
	MODE_PROT16,		/* 16-bit protected mode, no paging */
	MODE_PAGED32,		/* two-level paging */
	MODE_PAE,
	MODE_LONG64,
	MODE_COMPAT32,		/* long mode, 32-bit code segment */
};

#define PT_P	1ULL
#define PT_W	2ULL
#define PT_PS	0x80ULL

/*
 * Page tables at 0x100000-0x10ffff: each mode identity-maps RAM and
 * the MMIO window (4 GiB in the 64-bit modes).
 */
#define PT_BASE	0x100000ULL

static void build_tables(enum mode m)
{
	u64 i;

	memset(ram + PT_BASE, 0, 0x10000);
	switch (m) {
	case MODE_PAGED32:
		/* 4 MiB PSE pages for everything. */
		for (i = 0; i < 1024; i++)
			put32(PT_BASE + i * 4, (u32)(i << 22) | PT_P | PT_W | PT_PS);
		break;
	case MODE_PAE:
		/* PDPT at PT_BASE, four page directories of 2 MiB pages. */
		for (i = 0; i < 4; i++)
			put64(PT_BASE + i * 8, (PT_BASE + 0x1000 * (i + 1)) | PT_P);
		for (i = 0; i < 2048; i++)
			put64(PT_BASE + 0x1000 + i * 8, (i << 21) | PT_P | PT_W | PT_PS);
		break;
	case MODE_LONG64:
	case MODE_COMPAT32:
		/* PML4 -> PDPT of 1 GiB pages. */
		put64(PT_BASE, (PT_BASE + 0x1000) | PT_P | PT_W);
		for (i = 0; i < 4; i++)
			put64(PT_BASE + 0x1000 + i * 8, (i << 30) | PT_P | PT_W | PT_PS);
		break;
	default:
		break;
	}
}

static void set_seg(struct lhv_segment *s, u64 base, int db, int l)
{
	memset(s, 0, sizeof(*s));
	s->base = base;
	s->limit = 0xffffffff;
	s->present = 1;
	s->s = 1;
	s->type = 3;
	s->db = db;
	s->l = l;
}

static void setup_mode(enum mode m, struct lhv_sregs *s)
{
	int db = m != MODE_REAL && m != MODE_PROT16;

	memset(s, 0, sizeof(*s));
	set_seg(&s->ds, 0, db, 0);
	s->es = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	s->ss = s->ds;
	set_seg(&s->cs, 0, db, 0);
	s->cs.type = 0xb;
	s->cr0 = 0x10;
	if (m != MODE_REAL)
		s->cr0 |= LHV_GW_CR0_PE;
	switch (m) {
	case MODE_PAGED32:
		s->cr0 |= LHV_GW_CR0_PG;
		s->cr4 = LHV_GW_CR4_PSE;
		break;
	case MODE_PAE:
		s->cr0 |= LHV_GW_CR0_PG;
		s->cr4 = LHV_GW_CR4_PAE;
		break;
	case MODE_LONG64:
	case MODE_COMPAT32:
		s->cr0 |= LHV_GW_CR0_PG;
		s->cr4 = LHV_GW_CR4_PAE;
		s->efer = (1 << 8) | LHV_GW_EFER_LMA;
		if (m == MODE_LONG64) {
			s->cs.l = 1;
			s->cs.db = 0;
		}
		break;
	default:
		break;
	}
	s->cr3 = PT_BASE;
	build_tables(m);
}

/* Userspace's side of the exchange: what it was asked, what it answers. */
#define MAX_REQS	8

struct reqlog {
	unsigned int n;
	struct lhv_run req[MAX_REQS];
	u64 answer[MAX_REQS];		/* the data given to read requests */
};

/*
 * Run the instruction at RIP the way the core does: call, deliver the
 * request, complete it with @answers[i] (reads), call again, until DONE or
 * ERROR.  The last exit record is in *@last.
 */
static inline enum lhv_emul_result run_insn(struct lhv_regs *regs,
				     const struct lhv_sregs *s,
				     const u64 *answers, struct reqlog *log,
				     bool io, u16 port, unsigned int size,
				     bool in, bool string, bool rep,
				     struct lhv_run *last)
{
	struct lhv_emul em;
	enum lhv_emul_result r;
	unsigned int i;

	memset(log, 0, sizeof(*log));
	lhv_emul_reset(&em);
	for (i = 0; i < MAX_REQS; i++) {
		memset(last, 0xa5, sizeof(*last));
		if (io)
			r = lhv_emulate_io(&em, regs, s, &fake_mem, port, size,
					   in, string, rep, last);
		else
			r = lhv_emulate_mmio(&em, regs, s, &fake_mem, 0, false,
					     last);
		if (r != LHV_EMUL_USER)
			return r;
		log->req[log->n] = *last;
		log->answer[log->n] = answers ? answers[log->n] : 0;
		lhv_emul_complete(&em, log->answer[log->n]);
		log->n++;
	}
	return LHV_EMUL_ERROR;
}

static inline enum lhv_emul_result run_mmio(struct lhv_regs *regs,
				     const struct lhv_sregs *s,
				     const u64 *answers, struct reqlog *log,
				     struct lhv_run *last)
{
	return run_insn(regs, s, answers, log, false, 0, 0, false, false,
			false, last);
}

static inline bool is_mmio(const struct lhv_run *r, u64 gpa, unsigned int size,
		    unsigned int dir)
{
	return r->exit_reason == LHV_EXIT_MMIO && r->mmio.gpa == gpa &&
	       r->mmio.size == size && r->mmio.direction == dir;
}

static inline bool is_pio(const struct lhv_run *r, u16 port, unsigned int size,
		   unsigned int dir)
{
	return r->exit_reason == LHV_EXIT_PIO && r->pio.port == port &&
	       r->pio.size == size && r->pio.direction == dir;
}

static inline void put_code(u64 gpa, const void *bytes, unsigned int len)
{
	memcpy(ram + gpa, bytes, len);
}

/*
 * The host CPU as the reference for results and flags: one instruction,
 * register to register, between popf and pushf.  The red zone below RSP
 * may hold the caller's locals, so the pushes happen 128 bytes below it.
 */
#define HOST_ASM(tmpl, T) do {						\
	T d_ = (T)dst, s_ = (T)src;					\
	u8 c_ = (u8)src;						\
									\
	asm volatile("lea -128(%%rsp), %%rsp\n\tpush %[f]\n\tpopf\n\t"	\
		     tmpl "\n\tpushf\n\tpop %[f]\n\tlea 128(%%rsp), %%rsp"	\
		     : [d] "+r"(d_), [f] "+r"(f)			\
		     : [s] "r"(s_), [c] "c"(c_) : "cc");		\
	res = d_;							\
} while (0)

#define HOST_SIZES(tmpl) do {						\
	switch (size) {							\
	case 1: HOST_ASM(tmpl, u8); break;				\
	case 2: HOST_ASM(tmpl, u16); break;				\
	case 4: HOST_ASM(tmpl, u32); break;				\
	default: HOST_ASM(tmpl, u64); break;				\
	}								\
} while (0)

/* The bit tests have no 8-bit form. */
#define HOST_SIZES_W(tmpl) do {						\
	switch (size) {							\
	case 2: HOST_ASM(tmpl, u16); break;				\
	case 4: HOST_ASM(tmpl, u32); break;				\
	default: HOST_ASM(tmpl, u64); break;				\
	}								\
} while (0)

/*
 * lhv_alu()'s contract, carried out by the host CPU: @op (enum lhv_alu)
 * on @dst and @src of @size bytes, the arithmetic flags of *@rflags going
 * in and coming out.  Shift counts go through CL.
 */
static inline u64 host_alu(unsigned int op, u64 dst, u64 src,
			   unsigned int size, u64 *rflags)
{
	u64 f = 2 | (*rflags & LHV_FL_ARITH), res = 0;

	switch (op) {
	case LHV_ALU_ADD: HOST_SIZES("add %[s], %[d]"); break;
	case LHV_ALU_OR: HOST_SIZES("or %[s], %[d]"); break;
	case LHV_ALU_ADC: HOST_SIZES("adc %[s], %[d]"); break;
	case LHV_ALU_SBB: HOST_SIZES("sbb %[s], %[d]"); break;
	case LHV_ALU_AND: HOST_SIZES("and %[s], %[d]"); break;
	case LHV_ALU_SUB: HOST_SIZES("sub %[s], %[d]"); break;
	case LHV_ALU_XOR: HOST_SIZES("xor %[s], %[d]"); break;
	case LHV_ALU_CMP: HOST_SIZES("cmp %[s], %[d]"); break;
	case LHV_ALU_ROL: HOST_SIZES("rol %%cl, %[d]"); break;
	case LHV_ALU_ROR: HOST_SIZES("ror %%cl, %[d]"); break;
	case LHV_ALU_RCL: HOST_SIZES("rcl %%cl, %[d]"); break;
	case LHV_ALU_RCR: HOST_SIZES("rcr %%cl, %[d]"); break;
	case LHV_ALU_SHL: HOST_SIZES("shl %%cl, %[d]"); break;
	case LHV_ALU_SHR: HOST_SIZES("shr %%cl, %[d]"); break;
	case LHV_ALU_SAR: HOST_SIZES("sar %%cl, %[d]"); break;
	case LHV_ALU_BT: HOST_SIZES_W("bt %[s], %[d]"); break;
	case LHV_ALU_BTS: HOST_SIZES_W("bts %[s], %[d]"); break;
	case LHV_ALU_BTR: HOST_SIZES_W("btr %[s], %[d]"); break;
	case LHV_ALU_BTC: HOST_SIZES_W("btc %[s], %[d]"); break;
	case LHV_ALU_TEST: HOST_SIZES("test %[s], %[d]"); break;
	case LHV_ALU_NOT: HOST_SIZES("not %[d]"); break;
	case LHV_ALU_NEG: HOST_SIZES("neg %[d]"); break;
	case LHV_ALU_INC: HOST_SIZES("inc %[d]"); break;
	case LHV_ALU_DEC: HOST_SIZES("dec %[d]"); break;
	default:
		fprintf(stderr, "host_alu: op %u\n", op);
		abort();
	}
	*rflags = (*rflags & ~LHV_FL_ARITH) | (f & LHV_FL_ARITH);
	return res;
}

/* shld and shrd: the source in a register, the count in CL. */
#define HOST_SHD(tmpl, T) do {						\
	T d_ = (T)dst, s_ = (T)src;					\
	u8 c_ = (u8)count;						\
									\
	asm volatile("lea -128(%%rsp), %%rsp\n\tpush %[f]\n\tpopf\n\t"	\
		     tmpl " %%cl, %[s], %[d]\n\tpushf\n\tpop %[f]\n\t"	\
		     "lea 128(%%rsp), %%rsp"				\
		     : [d] "+r"(d_), [f] "+r"(f)			\
		     : [s] "r"(s_), [c] "c"(c_) : "cc");		\
	res = d_;							\
} while (0)

#define HOST_SHD_OP(suffix, T) do {					\
	if (op == LHV_ALU_SHLD)						\
		HOST_SHD("shld" suffix, T);				\
	else								\
		HOST_SHD("shrd" suffix, T);				\
} while (0)

/* lhv_alu_shd()'s contract, carried out by the host CPU. */
static inline u64 host_alu_shd(unsigned int op, u64 dst, u64 src, u64 count,
			       unsigned int size, u64 *rflags)
{
	u64 f = 2 | (*rflags & LHV_FL_ARITH), res = 0;

	if (!lhv_alu_is_shd(op) || size < 2) {
		fprintf(stderr, "host_alu_shd: op %u size %u\n", op, size);
		abort();
	}
	switch (size) {
	case 2: HOST_SHD_OP("w", u16); break;
	case 4: HOST_SHD_OP("l", u32); break;
	default: HOST_SHD_OP("q", u64); break;
	}
	*rflags = (*rflags & ~LHV_FL_ARITH) | (f & LHV_FL_ARITH);
	return res;
}

/*
 * Is the result of @op with count (or source) @src on @size bytes
 * defined?  Not for shld and shrd of 16 bits by more than 16 (masked),
 * where the flags are undefined too.
 */
static inline bool alu_result_defined(unsigned int op, unsigned int size,
				      u64 src)
{
	return !lhv_alu_is_shd(op) || size != 2 || (src & 31) <= 16;
}

/*
 * The flags the SDM defines after @op with source (count, bit offset)
 * @src on @size bytes; the others are undefined, and tests compare them
 * only to see how often lhv_alu() agrees with the host anyway:
 *  - shl, shr, sar: AF; OF unless the count is 1; CF of shl and shr when
 *    the count is the operand's width or more (8 and 16 bits only);
 *  - rol, ror, rcl, rcr: OF unless the count is 1;
 *  - shld, shrd (@src the count): AF; OF unless the count is 1; all of
 *    them when 16-bit operands are shifted by more than 16;
 *  - bt, bts, btr, btc: OF, SF, AF, PF.
 * A masked count of 0 changes no flag: all are compared.
 */
static inline u64 alu_defined_flags(unsigned int op, unsigned int size,
				    u64 src)
{
	unsigned int bits = 8 * size, cnt = src & (bits == 64 ? 63 : 31);
	u64 m = LHV_FL_ARITH;

	if (op >= LHV_ALU_BT && op <= LHV_ALU_BTC)
		return LHV_FL_CF | LHV_FL_ZF;
	if (lhv_alu_is_shd(op) && cnt)
		return !alu_result_defined(op, size, src) ? 0 :
		       cnt > 1 ? m & ~(LHV_FL_AF | LHV_FL_OF) : m & ~LHV_FL_AF;
	if (!lhv_alu_is_shift(op) || !cnt)
		return m;
	if (cnt > 1)
		m &= ~LHV_FL_OF;
	if (op >= LHV_ALU_SHL)
		m &= ~LHV_FL_AF;
	if ((op == LHV_ALU_SHL || op == LHV_ALU_SHR) && cnt >= bits)
		m &= ~LHV_FL_CF;
	return m;
}

#endif /* _LHV_EMUL_FIXTURE_H */
