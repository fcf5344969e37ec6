// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid: what lhv shows a guest and what it hides (Documentation/design.rst):
 * no VMX (leaf 1 ECX bit 5), no SVM (leaf 0x80000001 ECX bit 2), the
 * hypervisor bit (leaf 1 ECX bit 31) and lhv's leaf 0x40000000; XSETBV
 * loads XCR0, or, on a host that runs without XSAVE, XSAVE is hidden and
 * XSETBV raises #UD; the null hypercall returns 0 and an unknown one
 * LHV_HC_ENOSYS (include/lhv/hypercall.h).  Prints
 * every value it looked at and "cpuid: PASS"/"FAIL"; the result is the
 * number of failed checks.
 */
#include <lhv/hypercall.h>

#include "desc.h"
#include "guest.h"

struct regs {
	uint32_t a, b, c, d;
};

static struct regs cpuid(uint32_t leaf)
{
	struct regs r;

	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
		     : "a"(leaf), "c"(0));
	return r;
}

static uint32_t failures;

/* Hypercall @nr: VMMCALL on AMD, VMCALL on Intel; RAX after it. */
static uint64_t hypercall(bool amd, uint64_t nr)
{
	if (amd)
		asm volatile("vmmcall" : "+a"(nr) : : "memory");
	else
		asm volatile("vmcall" : "+a"(nr) : : "memory");
	return nr;
}

#define X86_UD_VECTOR	6
#define X86_GP_VECTOR	13

/*
 * Faults the XSAVE-hidden checks expect: each handler counts and steps
 * over the faulting instruction, which is 3 bytes long in both cases
 * (mov %rax,%cr4 is 0f 22 e0; xsetbv is 0f 01 d1).
 */
volatile uint32_t cpuid_ud_count, cpuid_gp_count;
extern const char cpuid_ud_entry[], cpuid_gp_entry[];
asm(".pushsection .text\n"
    "cpuid_ud_entry:\n\t"
    "incl cpuid_ud_count(%rip)\n\t"
    "addq $3, (%rsp)\n\t"
    "iretq\n"
    "cpuid_gp_entry:\n\t"
    "incl cpuid_gp_count(%rip)\n\t"
    "addq $8, %rsp\n\t"	/* the error code */
    "addq $3, (%rsp)\n\t"
    "iretq\n"
    ".popsection");

static struct idt_gate idt[X86_GP_VECTOR + 1];
#define CR4_OSFXSR	(1ul << 9)

/*
 * The x87/SSE registers as the guest found them.  test_run left a pattern
 * in its host CPU's XMM registers before lhv took the CPU: a guest must
 * start with them in their reset state, not with a host task's.
 */
static uint8_t xmm_at_entry[16 * 16];
static uint32_t mxcsr_at_entry;
static uint16_t fcw_at_entry;

static void read_fpu_at_entry(void)
{
	unsigned long cr4;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSFXSR));
	asm volatile("movdqu %%xmm0, 0(%0); movdqu %%xmm1, 16(%0);"
		     "movdqu %%xmm2, 32(%0); movdqu %%xmm3, 48(%0);"
		     "movdqu %%xmm4, 64(%0); movdqu %%xmm5, 80(%0);"
		     "movdqu %%xmm6, 96(%0); movdqu %%xmm7, 112(%0);"
		     "movdqu %%xmm8, 128(%0); movdqu %%xmm9, 144(%0);"
		     "movdqu %%xmm10, 160(%0); movdqu %%xmm11, 176(%0);"
		     "movdqu %%xmm12, 192(%0); movdqu %%xmm13, 208(%0);"
		     "movdqu %%xmm14, 224(%0); movdqu %%xmm15, 240(%0)"
		     : : "r"(xmm_at_entry) : "memory");
	asm volatile("stmxcsr %0; fnstcw %1"
		     : "=m"(mxcsr_at_entry), "=m"(fcw_at_entry));
}

#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID1_ECX_OSXSAVE	(1u << 27)
#define CPUID1_ECX_AVX		(1u << 28)
#define CR4_OSXSAVE		(1ul << 18)

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static void check(bool ok, const char *what)
{
	printf_com1("cpuid: %s: %s\n", ok ? "ok" : "WRONG", what);
	if (!ok)
		failures++;
}

static bool same4(uint32_t reg, const char *s)
{
	return reg == ((uint32_t)s[0] | (uint32_t)s[1] << 8 |
		       (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24);
}

uint32_t guest_main(uint64_t ram_size)
{
	struct regs l1, ext, e1 = { 0 }, hv;
	uint32_t i, xmm_dirty = 0;
	bool amd;

	read_fpu_at_entry();
	l1 = cpuid(1);
	ext = cpuid(0x80000000);

	(void)ram_size;
	for (i = 0; i < sizeof(xmm_at_entry); i++)
		xmm_dirty += xmm_at_entry[i] != 0;
	printf_com1("cpuid: at entry: %u non-zero XMM bytes, MXCSR %x, FCW %x\n",
		    xmm_dirty, mxcsr_at_entry, fcw_at_entry);
	check(!xmm_dirty && mxcsr_at_entry == 0x1f80 && fcw_at_entry == 0x37f,
	      "x87/SSE registers in their reset state at entry (XMM0-15 zero, MXCSR 0x1f80, FCW 0x37f)");
	printf_com1("cpuid: leaf 1: eax %x ebx %x ecx %x edx %x\n",
		    l1.a, l1.b, l1.c, l1.d);
	check(!(l1.c & (1u << 5)), "VMX hidden (leaf 1 ECX bit 5 clear)");
	check(l1.c & (1u << 31), "hypervisor present (leaf 1 ECX bit 31 set)");
	if (ext.a >= 0x80000001) {
		e1 = cpuid(0x80000001);
		printf_com1("cpuid: leaf 0x80000001: ecx %x edx %x\n", e1.c, e1.d);
	}
	check(!(e1.c & (1u << 2)), "SVM hidden (leaf 0x80000001 ECX bit 2 clear)");

	hv = cpuid(0x40000000);
	printf_com1("cpuid: leaf 0x40000000: eax %x ebx %x ecx %x edx %x\n",
		    hv.a, hv.b, hv.c, hv.d);
	check(hv.a >= 0x40000000, "leaf 0x40000000 EAX >= 0x40000000");
	check(same4(hv.b, "lhvl") && same4(hv.c, "hvlh") && hv.d == 'v',
	      "signature \"lhvlhvlhv\" in EBX ECX EDX");

	amd = same4(cpuid(0).b, "Auth");
	check(hypercall(amd, LHV_HC_NOP) == 0, "the null hypercall returns 0");
	check(hypercall(amd, 0x12345) == (uint64_t)LHV_HC_ENOSYS,
	      "an unknown hypercall returns -1000 in RAX (KVM's -KVM_ENOSYS), no #UD");

	/*
	 * OSXSAVE mirrors the guest's own CR4.OSXSAVE, and XSETBV (which
	 * exits) loads XCR0: x87|SSE, read back with XGETBV (which does not).
	 */
	if (l1.c & CPUID1_ECX_XSAVE) {
		unsigned long cr4;

		check(!(l1.c & CPUID1_ECX_OSXSAVE),
		      "OSXSAVE clear while the guest's CR4.OSXSAVE is clear");
		asm volatile("mov %%cr4, %0" : "=r"(cr4));
		asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
		check(cpuid(1).c & CPUID1_ECX_OSXSAVE,
		      "OSXSAVE set once the guest set CR4.OSXSAVE");
		printf_com1("cpuid: XCR0 before XSETBV: %lx\n",
			    (unsigned long)xgetbv0());
		check(xgetbv0() == 1, "XCR0 at its reset value 1, not the host's");
		asm volatile("xsetbv" : : "a"(3), "d"(0), "c"(0));
		printf_com1("cpuid: XCR0 after XSETBV 3: %lx\n",
			    (unsigned long)xgetbv0());
		check(xgetbv0() == 3, "XSETBV loaded XCR0 = x87|SSE");
	} else {
		struct regs d = cpuid(0xd);
		struct dtr idtr = { sizeof(idt) - 1, (uintptr_t)idt };
		unsigned long cr4;

		printf_com1("cpuid: XSAVE hidden (the host runs without it); leaf 0xD: eax %x ebx %x ecx %x edx %x\n",
			    d.a, d.b, d.c, d.d);
		check(!(l1.c & (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX)),
		      "XSAVE hidden: OSXSAVE and AVX hidden with it");
		check(!d.a && !d.b && !d.c && !d.d, "XSAVE hidden: leaf 0xD reads 0");
		/*
		 * A guest may still set CR4.OSXSAVE where the CPU has XSAVE;
		 * its XSETBV then exits, and lhv must answer #UD.
		 */
		idt[X86_UD_VECTOR] = idt_gate64((uintptr_t)cpuid_ud_entry);
		idt[X86_GP_VECTOR] = idt_gate64((uintptr_t)cpuid_gp_entry);
		asm volatile("lidt %0" : : "m"(idtr));
		asm volatile("mov %%cr4, %0" : "=r"(cr4));
		asm volatile("mov %%rax, %%cr4" : : "a"(cr4 | CR4_OSXSAVE));
		if (cpuid_gp_count) {
			printf_com1("cpuid: CR4.OSXSAVE refused (#GP): no XSETBV to try\n");
		} else {
			asm volatile("xsetbv" : : "a"(3), "d"(0), "c"(0));
			printf_com1("cpuid: #UD taken %u times\n", cpuid_ud_count);
			check(cpuid_ud_count == 1, "XSAVE hidden: XSETBV raised #UD");
			asm volatile("mov %0, %%cr4" : : "r"(cr4));
		}
	}

	puts_com1(failures ? "cpuid: FAIL\n" : "cpuid: PASS\n");
	return failures;
}
