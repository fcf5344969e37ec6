/* SPDX-License-Identifier: GPL-2.0 */
/* CPU instructions the test guests use: MSRs, TSC, CPUID, PAUSE. */
#ifndef _LHV_GUEST_X86_H
#define _LHV_GUEST_X86_H

#include <stdint.h>

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_EXTD		(1ull << 10)	/* x2APIC mode */
#define APIC_BASE_ENABLE	(1ull << 11)

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub));
}

/* The initial APIC ID, CPUID.1:EBX[31:24] (8 bits: the xAPIC's). */
static inline uint32_t cpuid_apic_id(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

#endif /* _LHV_GUEST_X86_H */
