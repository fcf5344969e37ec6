/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX backend: pure helpers that turn capability MSRs and VMCS encodings
 * into what lhv needs and back.  Built into lhv.ko and into the host unit
 * tests (tests/unit/test_vmx_bits.c).
 */
#ifndef _LHV_VMX_BITS_H
#define _LHV_VMX_BITS_H

#include <lhv/types.h>
#include <linux/lhv.h>

/*
 * A VMX control word from its capability MSR (SDM Vol. 3D, A.3-A.5):
 * bits 31:0 are the allowed-0 settings (a 1 there means the control must
 * be 1), bits 63:32 the allowed-1 settings (a 0 there means it must be 0).
 * Asks for @need | @want; the result has @want bits only where allowed.
 * Returns 0 with the word in *@out, or -EOPNOTSUPP when a @need bit cannot
 * be 1 or a @forbid bit must be 1; then *@out has the offending bits.
 */
int vmx_adjust_controls(u64 cap, u32 need, u32 want, u32 forbid, u32 *out);

/*
 * CR0/CR4 under VMX: IA32_VMX_CRn_FIXED0 has the bits that must be 1,
 * FIXED1 those that may be 1 (A.7, A.8), except for the bits in @free
 * (CR0.PE and CR0.PG with unrestricted guest).  The forced bits are owned
 * by lhv: *@mask gets them (for the guest/host mask), *@set the value
 * they are forced to.
 */
void vmx_cr_fixed(u64 fixed0, u64 fixed1, u64 free, u64 *mask, u64 *set);

/* What the guest reads: its own bits outside @mask, the shadow's inside. */
static inline u64 vmx_cr_guest_view(u64 real, u64 shadow, u64 mask)
{
	return (real & ~mask) | (shadow & mask);
}

/* What the CPU gets for a guest value: forced bits as VMX needs them. */
static inline u64 vmx_cr_real(u64 guest, u64 mask, u64 set)
{
	return (guest & ~mask) | set;
}

/*
 * Segment access rights as the VMCS has them (24.4.1, table "Format of
 * Access Rights"): type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14,
 * G 15, unusable 16.  A segment that is not present becomes unusable,
 * which is what a null selector loaded in protected mode gives.
 */
#define VMX_AR_UNUSABLE		BIT(16)
u32 vmx_segment_to_ar(const struct lhv_segment *seg);
void vmx_ar_to_segment(u32 ar, struct lhv_segment *seg);

/* An I/O instruction's exit qualification (27.2.1, "Exit Qualification for I/O Instructions"). */
struct vmx_io_qual {
	u16 port;
	u8 size;		/* 1, 2 or 4 */
	bool in, string, rep;
};

/* 0, or -EINVAL for a size encoding the SDM does not define. */
int vmx_decode_io_qual(u64 qual, struct vmx_io_qual *io);

/* A control-register access's exit qualification (27.2.1, table 27-3). */
enum vmx_cr_access_type {
	VMX_CR_MOV_TO,
	VMX_CR_MOV_FROM,
	VMX_CR_CLTS,
	VMX_CR_LMSW,
};

struct vmx_cr_qual {
	u8 cr;			/* 0, 3, 4 or 8 */
	u8 type;		/* enum vmx_cr_access_type */
	u8 gpr;			/* MOV: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, ... 15 R15 */
	u16 lmsw_data;		/* LMSW: the source operand */
};

void vmx_decode_cr_qual(u64 qual, struct vmx_cr_qual *cr);

/*
 * Offset in struct lhv_regs of the register a VMX GPR number (the order
 * of the x86 ModRM encoding) names.
 */
size_t vmx_gpr_offset(unsigned int gpr);

/*
 * Whether a hardware exception @vector delivers an error code (SDM Vol.
 * 3A, 6.15; 26.2.1.3 makes VM entry check it).  Real mode never does.
 */
bool vmx_exception_has_error(u8 vector, bool protected_mode);

#endif /* _LHV_VMX_BITS_H */
