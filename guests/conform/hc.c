// SPDX-License-Identifier: GPL-2.0
/*
 * conf-hc: hypercalls (Documentation/ioctl.rst, "Hypercalls"): VMCALL on
 * Intel, VMMCALL on AMD, the number in RAX, the result in RAX.  A number
 * nobody knows returns -1000 (KVM's -KVM_ENOSYS) and the guest goes on:
 * no exception, the argument registers kept, RIP past the instruction,
 * also from compatibility mode (EAX only) and single-stepped (#DB after
 * it).  Where lhv documents a choice of its own (LHV_HC_NOP, hypercalls
 * from CPL 3), the expected value depends on whose hypervisor runs us.
 */
#include <lhv/hypercall.h>

#include "conform.h"

#define HC_UNKNOWN	0xdeadul
#define KVM_EPERM_RET	(-1l)		/* KVM: a hypercall from CPL > 0 */
#define DR6_BS		(1ul << 14)
#define REPEATS		1000

const char conform_name[] = "conf-hc";

/* The registers a hypercall must leave alone, and what it returned. */
struct hc_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, r8;
};

static void hypercall(struct hc_regs *r)
{
	if (cpu_intel)
		asm volatile("vmcall"
			     : "+a"(r->rax), "+b"(r->rbx), "+c"(r->rcx), "+d"(r->rdx),
			       "+S"(r->rsi), "+D"(r->rdi) : : "memory");
	else
		asm volatile("vmmcall"
			     : "+a"(r->rax), "+b"(r->rbx), "+c"(r->rcx), "+d"(r->rdx),
			       "+S"(r->rsi), "+D"(r->rdi) : : "memory");
}

static uint64_t call_nr(uint64_t nr)
{
	struct hc_regs r = { .rax = nr };

	hypercall(&r);
	return r.rax;
}

static void check_one(const char *name, uint64_t nr, uint64_t want)
{
	struct hc_regs r = {
		.rax = nr, .rbx = 0x1111, .rcx = 0x2222, .rdx = 0x3333,
		.rsi = 0x4444, .rdi = 0x5555,
	};

	trace(name);
	if (skip_listed(name))
		return;
	trap_reset();
	hypercall(&r);
	report(trap_count == 0 && r.rax == want && r.rbx == 0x1111 &&
	       r.rcx == 0x2222 && r.rdx == 0x3333 && r.rsi == 0x4444 &&
	       r.rdi == 0x5555, name,
	       "%u exceptions (last vector %lu), RAX %lx (expected %lx), RBX %lx RCX %lx RDX %lx RSI %lx RDI %lx",
	       trap_count, trap_last.vector, r.rax, want, r.rbx, r.rcx, r.rdx,
	       r.rsi, r.rdi);
}

static volatile uint64_t user_result;

static uint64_t u_hypercall(void)
{
	user_result = call_nr(HC_UNKNOWN);
	return 0;
}

/* 32-bit code for compatibility mode: the number in EAX, EAX back. */
asm(".pushsection .text\n"
	".code32\n"
	"c32_vmcall:\n\tmov $0xdead, %eax\n\tvmcall\n\tret\n"
	"c32_vmmcall:\n\tmov $0xdead, %eax\n\tvmmcall\n\tret\n"
	".code64\n"
	".popsection");
extern const char c32_vmcall[], c32_vmmcall[];

static void hc_single_step(void)
{
	const char *name = "hypercall single-stepped: #DB after it, DR6.BS";
	uint64_t at, rax = HC_UNKNOWN;

	trace(name);
	if (skip_listed(name))
		return;
	trap_reset();
	if (cpu_intel)
		asm volatile(TRY_TRAP_PRE("pushf\n\torq $0x100, (%%rsp)\n\tpopf", "vmcall")
			     : [at] "=&r"(at), "+a"(rax) : : "r11", "memory");
	else
		asm volatile(TRY_TRAP_PRE("pushf\n\torq $0x100, (%%rsp)\n\tpopf", "vmmcall")
			     : [at] "=&r"(at), "+a"(rax) : : "r11", "memory");
	report(trap_count == 1 && trap_last.vector == 1 && trap_last.rip == at &&
	       (trap_last.dr6 & DR6_BS) && rax == (uint64_t)LHV_HC_ENOSYS, name,
	       "%u exceptions, the last vector %lu at RIP %lx DR6 %lx (expected #DB at %lx, BS); RAX %lx",
	       trap_count, trap_last.vector, trap_last.rip, trap_last.dr6, at, rax);
}

void conform_main(void)
{
	uint64_t want;
	uint32_t eax;
	unsigned int i, bad;
	const char *name;

	if (hypervisor == HV_UNKNOWN) {
		report_skip("hypercalls", "no known hypervisor (CPUID 0x40000000)");
		return;
	}
	note("%s", cpu_intel ? "VMCALL (Intel)" : "VMMCALL (AMD)");
	check_one("unknown number 0xdead: RAX -1000, arguments kept", HC_UNKNOWN,
		  LHV_HC_ENOSYS);
	check_one("unknown number 0xffffffff: RAX -1000", 0xffffffffu, LHV_HC_ENOSYS);
	check_one("unknown number with RAX[63:32] set: RAX -1000",
		  0x100000000ul | HC_UNKNOWN, LHV_HC_ENOSYS);
	/* LHV_HC_NOP is lhv's own; KVM knows no such number. */
	want = hypervisor == HV_LHV ? LHV_HC_RESULT(LHV_HC_NOP) : (uint64_t)LHV_HC_ENOSYS;
	check_one(hypervisor == HV_LHV ? "LHV_HC_NOP: RAX 0 (lhv)" :
		  "LHV_HC_NOP: RAX -1000 (KVM does not know it)", LHV_HC_NOP, want);

	name = "1000 unknown hypercalls in a row, each -1000";
	trace(name);
	trap_reset();
	for (i = 0, bad = 0; i < REPEATS; i++)
		if (call_nr(HC_UNKNOWN + i) != (uint64_t)LHV_HC_ENOSYS)
			bad++;
	report(!bad && !trap_count, name, "%u wrong results, %u exceptions", bad,
	       trap_count);

	name = "from compatibility mode: EAX -1000";
	trace(name);
	trap_reset();
	eax = compat_call((uintptr_t)(cpu_intel ? c32_vmcall : c32_vmmcall));
	report(!trap_count && eax == (uint32_t)LHV_HC_ENOSYS, name,
	       "EAX %x, %u exceptions (last vector %lu)", eax, trap_count,
	       trap_last.vector);

	/*
	 * KVM refuses hypercalls from CPL > 0 with -KVM_EPERM; lhv answers
	 * them from any CPL (Documentation/ioctl.rst).
	 */
	name = hypervisor == HV_LHV ? "from CPL 3: RAX -1000 (lhv answers any CPL)" :
	       "from CPL 3: RAX -1 (KVM: -KVM_EPERM)";
	want = hypervisor == HV_LHV ? (uint64_t)LHV_HC_ENOSYS : (uint64_t)KVM_EPERM_RET;
	trace(name);
	trap_reset();
	user_result = 0;
	(void)user_call(u_hypercall, 0x2);
	report(!trap_count && user_result == want, name,
	       "RAX %lx, expected %lx; %u exceptions (last vector %lu)", user_result,
	       want, trap_count, trap_last.vector);

	hc_single_step();
}
