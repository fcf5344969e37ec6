// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the VMX backend's pure helpers (nvmx/vmx_bits.c): control
 * words from capability MSRs, CR0/CR4 fixed bits, segment access rights,
 * exit-qualification decoding.  Values are Bochs 2.7 corei7_skylake_x's
 * where a real one helps.
 */
#include <stddef.h>
#include <string.h>

#include "../../nvmx/vmx_bits.h"
#include "unit.h"

static void test_controls(void)
{
	/* must-be-1 bits 0x16, may-be-1 bits 0x7f. */
	const unsigned long long cap = 0x0000007f00000016ULL;
	u32 out = 0;

	CHECK(vmx_adjust_controls(cap, 0x08, 0x20, 0x01, &out) == 0 &&
	      out == 0x3e, "controls: need + want + must-be-1");
	CHECK(vmx_adjust_controls(cap, 0, 0x100, 0, &out) == 0 && out == 0x16,
	      "controls: a wanted bit that may not be 1 is dropped");
	CHECK(vmx_adjust_controls(cap, 0x180, 0, 0, &out) == -EOPNOTSUPP &&
	      out == 0x180, "controls: a needed bit that may not be 1 fails");
	CHECK(vmx_adjust_controls(cap, 0, 0, 0x04, &out) == -EOPNOTSUPP &&
	      out == 0x04, "controls: a forbidden bit that must be 1 fails");
	CHECK(vmx_adjust_controls(0, 0, 0, 0, &out) == 0 && out == 0,
	      "controls: nothing allowed, nothing asked");
}

static void test_cr_fixed(void)
{
	/* Typical CR0 fixed bits: PE, NE, PG must be 1; every low bit may be. */
	u64 mask, set;
	const u64 pe = 1, ne = 1 << 5, pg = 1ULL << 31;

	vmx_cr_fixed(0x80000021ULL, 0xffffffffULL, pe | pg, &mask, &set);
	CHECK(set == ne, "cr0: unrestricted guest forces only NE");
	CHECK((mask & 0xffffffffULL) == ne && (mask >> 32) == 0xffffffffULL,
	      "cr0: mask is NE and the bits above 31");
	CHECK(vmx_cr_real(0x60000010ULL, mask, set) == 0x60000030ULL,
	      "cr0: reset value gets NE in the real register");
	CHECK(vmx_cr_guest_view(0x60000030ULL, 0x60000010ULL, mask) == 0x60000010ULL,
	      "cr0: guest sees its own NE through the shadow");
	CHECK(vmx_cr_guest_view(0x80000031ULL, 0x60000010ULL, mask) == 0x80000011ULL,
	      "cr0: guest-owned bits come from the real register");

	/* CR4: VMXE must be 1; bits 0-22 may be (Bochs-like). */
	vmx_cr_fixed(0x2000ULL, 0x7fffffULL, 0, &mask, &set);
	CHECK(set == 0x2000 && (mask & 0x2000) && (mask & (1ULL << 23)) &&
	      !(mask & 0x20), "cr4: VMXE forced and hidden, PAE the guest's");
	CHECK(vmx_cr_guest_view(vmx_cr_real(0x20, mask, set), 0x20, mask) == 0x20,
	      "cr4: round trip hides VMXE");
}

static void test_segments(void)
{
	struct lhv_segment cs = {
		.selector = 0xf000, .base = 0xffff0000, .limit = 0xffff,
		.type = 0xb, .s = 1, .present = 1,
	};
	struct lhv_segment code64 = {
		.type = 0xb, .s = 1, .present = 1, .dpl = 0, .l = 1, .g = 1,
		.avl = 1,
	};
	struct lhv_segment null = { .type = 3, .s = 1, .present = 0 };
	struct lhv_segment back;

	CHECK(vmx_segment_to_ar(&cs) == 0x9b, "ar: real-mode CS is 0x9b");
	CHECK(vmx_segment_to_ar(&code64) == 0xb09b, "ar: 64-bit code with AVL, G");
	CHECK(vmx_segment_to_ar(&null) == VMX_AR_UNUSABLE,
	      "ar: not present becomes unusable");
	null.present = 1;
	null.unusable = 1;
	CHECK(vmx_segment_to_ar(&null) == VMX_AR_UNUSABLE, "ar: unusable stays unusable");

	memset(&back, 0xff, sizeof(back));
	vmx_ar_to_segment(0xc0f3, &back);
	CHECK(back.type == 3 && back.s == 1 && back.dpl == 3 && back.present == 1 &&
	      back.avl == 0 && back.l == 0 && back.db == 1 && back.g == 1 &&
	      back.unusable == 0 && back.padding == 0, "ar: flat ring-3 data decoded");
	memset(&back, 0, sizeof(back));
	vmx_ar_to_segment(vmx_segment_to_ar(&code64), &back);
	CHECK(back.type == code64.type && back.l == 1 && back.g == 1 &&
	      back.avl == 1 && back.present == 1 && !back.unusable,
	      "ar: round trip keeps every attribute");
	vmx_ar_to_segment(0x1c000, &back);
	CHECK(back.unusable == 1, "ar: unusable bit decoded");
}

static void test_io_qual(void)
{
	struct vmx_io_qual io;

	/* out dx, al to 0x3f8. */
	CHECK(vmx_decode_io_qual(0x03f80000ULL, &io) == 0 && io.port == 0x3f8 &&
	      io.size == 1 && !io.in && !io.string && !io.rep,
	      "io: OUT DX, AL");
	/* rep insd from 0x1f0: size 4, in, string, rep, DX operand. */
	CHECK(vmx_decode_io_qual(0x01f00000ULL | 3 | 8 | 16 | 32, &io) == 0 &&
	      io.port == 0x1f0 && io.size == 4 && io.in && io.string && io.rep,
	      "io: REP INSD");
	/* in ax, 0x71 (immediate operand, bit 6). */
	CHECK(vmx_decode_io_qual(0x00710000ULL | 1 | 8 | 64, &io) == 0 &&
	      io.port == 0x71 && io.size == 2 && io.in && !io.string,
	      "io: IN AX, imm8");
	CHECK(vmx_decode_io_qual(2, &io) == -EINVAL, "io: size encoding 2 is invalid");
}

static void test_cr_qual(void)
{
	struct vmx_cr_qual q;

	/* mov cr4, r12 */
	vmx_decode_cr_qual(4 | (0 << 4) | (12 << 8), &q);
	CHECK(q.cr == 4 && q.type == VMX_CR_MOV_TO && q.gpr == 12,
	      "cr: MOV CR4, R12");
	/* lmsw with source 0x0011 */
	vmx_decode_cr_qual(0 | (3 << 4) | (0x11ULL << 16), &q);
	CHECK(q.cr == 0 && q.type == VMX_CR_LMSW && q.lmsw_data == 0x11,
	      "cr: LMSW");
	CHECK(vmx_gpr_offset(0) == offsetof(struct lhv_regs, rax) &&
	      vmx_gpr_offset(1) == offsetof(struct lhv_regs, rcx) &&
	      vmx_gpr_offset(3) == offsetof(struct lhv_regs, rbx) &&
	      vmx_gpr_offset(4) == offsetof(struct lhv_regs, rsp) &&
	      vmx_gpr_offset(7) == offsetof(struct lhv_regs, rdi) &&
	      vmx_gpr_offset(8) == offsetof(struct lhv_regs, r8) &&
	      vmx_gpr_offset(15) == offsetof(struct lhv_regs, r15),
	      "cr: GPR numbers map onto struct lhv_regs");
}

static void test_error_codes(void)
{
	CHECK(vmx_exception_has_error(13, true) && vmx_exception_has_error(14, true) &&
	      vmx_exception_has_error(8, true) && vmx_exception_has_error(17, true),
	      "exc: #DF #GP #PF #AC push an error code");
	CHECK(!vmx_exception_has_error(6, true) && !vmx_exception_has_error(2, true) &&
	      !vmx_exception_has_error(200, true),
	      "exc: #UD, NMI and high vectors do not");
	CHECK(!vmx_exception_has_error(13, false), "exc: never in real mode");
}

int main(void)
{
	test_controls();
	test_cr_fixed();
	test_segments();
	test_io_qual();
	test_cr_qual();
	test_error_codes();
	return unit_done();
}
