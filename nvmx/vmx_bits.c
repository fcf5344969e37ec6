// SPDX-License-Identifier: GPL-2.0
/*
 * VMX backend: pure helpers (see vmx_bits.h).  Built into lhv.ko and into
 * tests/unit.
 */
#include "vmx_bits.h"

int vmx_adjust_controls(u64 cap, u32 need, u32 want, u32 forbid, u32 *out)
{
	u32 must = (u32)cap, may = (u32)(cap >> 32);
	u32 ctl = ((need | want) & may) | must;

	if ((need & ~ctl) || (forbid & ctl)) {
		*out = (need & ~ctl) | (forbid & ctl);
		return -EOPNOTSUPP;
	}
	*out = ctl;
	return 0;
}

void vmx_cr_fixed(u64 fixed0, u64 fixed1, u64 free, u64 *mask, u64 *set)
{
	/* Must-be-1 bits, and bits that may not be 1 (fixed1 is 0 there). */
	*mask = (fixed0 | ~fixed1) & ~free;
	*set = fixed0 & ~free;
}

u32 vmx_segment_to_ar(const struct lhv_segment *seg)
{
	if (seg->unusable || !seg->present)
		return VMX_AR_UNUSABLE;
	return (seg->type & 0xf) | (seg->s & 1) << 4 | (seg->dpl & 3) << 5 |
	       1u << 7 | (seg->avl & 1) << 12 | (seg->l & 1) << 13 |
	       (seg->db & 1) << 14 | (seg->g & 1) << 15;
}

void vmx_ar_to_segment(u32 ar, struct lhv_segment *seg)
{
	seg->type = ar & 0xf;
	seg->s = (ar >> 4) & 1;
	seg->dpl = (ar >> 5) & 3;
	seg->present = (ar >> 7) & 1;
	seg->avl = (ar >> 12) & 1;
	seg->l = (ar >> 13) & 1;
	seg->db = (ar >> 14) & 1;
	seg->g = (ar >> 15) & 1;
	seg->unusable = (ar >> 16) & 1;
	seg->padding = 0;
}

int vmx_decode_io_qual(u64 qual, struct vmx_io_qual *io)
{
	/* Bits 2:0 are the size - 1: 0, 1 or 3. */
	unsigned int size = (qual & 7) + 1;

	if (size != 1 && size != 2 && size != 4)
		return -EINVAL;
	io->size = size;
	io->in = qual & BIT(3);
	io->string = qual & BIT(4);
	io->rep = qual & BIT(5);
	io->port = (qual >> 16) & 0xffff;
	return 0;
}

void vmx_decode_cr_qual(u64 qual, struct vmx_cr_qual *cr)
{
	cr->cr = qual & 0xf;
	cr->type = (qual >> 4) & 3;
	cr->gpr = (qual >> 8) & 0xf;
	cr->lmsw_data = (qual >> 16) & 0xffff;
}

size_t vmx_gpr_offset(unsigned int gpr)
{
	static const size_t legacy[8] = {
		offsetof(struct lhv_regs, rax), offsetof(struct lhv_regs, rcx),
		offsetof(struct lhv_regs, rdx), offsetof(struct lhv_regs, rbx),
		offsetof(struct lhv_regs, rsp), offsetof(struct lhv_regs, rbp),
		offsetof(struct lhv_regs, rsi), offsetof(struct lhv_regs, rdi),
	};

	gpr &= 15;
	if (gpr < 8)
		return legacy[gpr];
	/* r8..r15 follow each other in struct lhv_regs. */
	return offsetof(struct lhv_regs, r8) + (gpr - 8) * sizeof(u64);
}

bool vmx_exception_has_error(u8 vector, bool protected_mode)
{
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC (#CP is not given to guests). */
	const u32 with_error = BIT(8) | BIT(10) | BIT(11) | BIT(12) | BIT(13) |
			       BIT(14) | BIT(17);

	return protected_mode && vector < 32 && (with_error & BIT(vector));
}
