// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the vCPU INIT state and register checks (module/vcpu_state.c). */
#include "../../module/vcpu_state.h"
#include "unit.h"

#define APIC_BASE	0xfee00800ULL	/* enabled, not the BSP */

static struct lhv_sregs long_mode(void)
{
	struct lhv_regs regs;
	struct lhv_sregs s;

	lhv_vcpu_init_state(&regs, &s, 0x806f0, APIC_BASE);
	s.cr0 = LHV_CR0_PE | LHV_CR0_PG | LHV_CR0_ET;
	s.cr4 = LHV_CR4_PAE;
	s.efer = LHV_EFER_LME | LHV_EFER_LMA;
	s.cs.l = 1;
	s.cs.db = 0;
	return s;
}

int main(void)
{
	struct lhv_regs regs;
	struct lhv_sregs s;

	lhv_vcpu_init_state(&regs, &s, 0x806f0, APIC_BASE);
	CHECK(regs.rip == 0xfff0 && regs.rflags == 2 && regs.rdx == 0x806f0 &&
	      regs.rax == 0 && regs.rsp == 0,
	      "INIT: RIP FFF0, RFLAGS 2, RDX the signature, others 0");
	CHECK(s.cs.selector == 0xf000 && s.cs.base == 0xffff0000 &&
	      s.cs.limit == 0xffff && s.cs.type == 0xb && s.cs.present,
	      "INIT: CS F000 based at FFFF0000");
	CHECK(s.cr0 == 0x60000010 && !s.cr4 && !s.efer && s.apic_base == APIC_BASE,
	      "INIT: CR0 60000010, CR4 and EFER 0, APIC base kept");
	CHECK(lhv_regs_check(&regs) == 0 && lhv_sregs_check(&s, APIC_BASE) == 0,
	      "the INIT state passes its own checks");

	regs.rflags = 0;
	CHECK(lhv_regs_check(&regs) == -EINVAL, "RFLAGS bit 1 clear is refused");
	regs.rflags = 2 | (1ULL << 22);
	CHECK(lhv_regs_check(&regs) == -EINVAL, "a reserved RFLAGS bit is refused");
	regs.rflags = 2;
	regs.reserved[1] = 1;
	CHECK(lhv_regs_check(&regs) == -EINVAL, "a reserved lhv_regs field is refused");

	s = long_mode();
	CHECK(lhv_sregs_check(&s, APIC_BASE) == 0, "64-bit long mode is accepted");
	s.efer &= ~LHV_EFER_LMA;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL,
	      "LME and PG without LMA is refused");
	s = long_mode();
	s.cr4 = 0;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "long mode without PAE is refused");
	s = long_mode();
	s.cs.db = 1;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "CS.L with CS.D is refused");
	s = long_mode();
	s.cr0 &= ~LHV_CR0_PE;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "paging without protection is refused");
	s = long_mode();
	s.cr4 |= 1ULL << 13;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "CR4.VMXE is refused");
	s = long_mode();
	s.efer |= 1ULL << 12;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "EFER.SVME is refused");
	s = long_mode();
	s.cr0 |= 1ULL << 7;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "a reserved CR0 bit is refused");
	s = long_mode();
	s.apic_base = 0xfec00800ULL;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "moving the APIC is refused");
	s = long_mode();
	s.apic_base = APIC_BASE | (1ULL << 10);
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "switching to x2APIC is refused");
	s = long_mode();
	s.ss.dpl = 4;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "a DPL of 4 is refused");
	s = long_mode();
	s.idt.padding[1] = 1;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "descriptor-table padding is refused");
	s = long_mode();
	s.reserved[4] = 1;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "a reserved lhv_sregs field is refused");
	s = long_mode();
	s.cr8 = 16;
	CHECK(lhv_sregs_check(&s, APIC_BASE) == -EINVAL, "CR8 above 15 is refused");
	return unit_done();
}
