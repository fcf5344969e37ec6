// SPDX-License-Identifier: GPL-2.0
/*
 * Start-up in long mode and what the cases need to know about the CPU:
 * its vendor (VMCALL or VMMCALL), whose hypervisor runs us (where lhv
 * documents a choice of its own) and its feature bits.
 */
#include "conform.h"

#define UART_IER	1
#define UART_LCR	3
#define LCR_8N1		0x03
#define PIC1_DATA	0x21
#define PIC2_DATA	0xa1

enum hv hypervisor;
bool cpu_intel;

static const char *const hv_names[] = {
	[HV_UNKNOWN] = "an unknown hypervisor", [HV_LHV] = "lhv", [HV_KVM] = "KVM",
};

static bool sig_is(uint32_t b, uint32_t c, uint32_t d, const char *s)
{
	const uint32_t *w = (const uint32_t *)s;

	return b == w[0] && c == w[1] && d == w[2];
}

void cpu_detect(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	cpu_intel = sig_is(b, d, c, "GenuineIntel");
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	if (sig_is(b, c, d, "lhvlhvlhv\0\0\0"))
		hypervisor = HV_LHV;
	else if (sig_is(b, c, d, "KVMKVMKVM\0\0\0"))
		hypervisor = HV_KVM;
}

bool cpu_has(uint32_t leaf, uint32_t sub, int reg, int bit)
{
	uint32_t r[4], max, dummy;

	cpuid(leaf & 0x80000000, 0, &max, &dummy, &dummy, &dummy);
	if (leaf > max)
		return false;
	cpuid(leaf, sub, &r[EAX], &r[EBX], &r[ECX], &r[EDX]);
	return r[reg] >> bit & 1;
}

/* An instruction both hypervisors always intercept. */
void vm_exit_now(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
}

int wrmsr_safe(uint32_t msr, uint64_t v)
{
	uint64_t at;

	trap_reset();
	asm volatile(TRY("wrmsr")
		     : [at] "=&r"(at)
		     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "r11", "memory");
	trap_fixup_rip = 0;
	return trap_count ? (int)trap_last.vector : -1;
}

int rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	uint64_t at;

	trap_reset();
	asm volatile(TRY("rdmsr")
		     : [at] "=&r"(at), "+a"(lo), "+d"(hi)
		     : "c"(msr)
		     : "r11", "memory");
	trap_fixup_rip = 0;
	*v = (uint64_t)hi << 32 | lo;
	return trap_count ? (int)trap_last.vector : -1;
}

void conform_start(uint32_t magic, uint32_t mbi);
void conform_start(uint32_t magic, uint32_t mbi)
{
	/* A PC's 8259s would raise their timer at vector 8: mask them all. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	outb(GUEST_COM1 + UART_IER, 0);
	outb(GUEST_COM1 + UART_LCR, LCR_8N1);
	desc_init();
	trap_reset();
	/* x87 errors as #MF, SSE enabled with #XM, WP for ring 0 too. */
	write_cr0((read_cr0() | CR0_NE | CR0_MP | CR0_WP) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	asm volatile("fninit");
	conform_init(magic, mbi);
	cpu_detect();
	note("%s: %s CPU, under %s", conform_name, cpu_intel ? "Intel" : "AMD",
	     hv_names[hypervisor]);
	conform_main();
	conform_done();
}
