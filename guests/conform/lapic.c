// SPDX-License-Identifier: GPL-2.0
/* The local APIC in xAPIC or x2APIC mode, as IA32_APIC_BASE says. */
#include "conform.h"
#include "lapic.h"

bool lapic_x2;
uintptr_t lapic_base = APIC_DEFAULT;

void lapic_sync(void)
{
	uint64_t b = rdmsr(MSR_APIC_BASE);

	lapic_x2 = b & APIC_BASE_EXTD;
	lapic_base = b & APIC_BASE_ADDR;
}

uint32_t lapic_read(uint32_t reg)
{
	if (lapic_x2)
		return rdmsr(0x800 + (reg >> 4));
	return *(volatile uint32_t *)(lapic_base + reg);
}

void lapic_write(uint32_t reg, uint32_t v)
{
	if (lapic_x2)
		wrmsr(0x800 + (reg >> 4), v);
	else
		*(volatile uint32_t *)(lapic_base + reg) = v;
}

void lapic_icr(uint32_t dest, uint32_t low)
{
	if (lapic_x2) {
		wrmsr(0x830, (uint64_t)dest << 32 | low);
		return;
	}
	lapic_write(APIC_ICR2, dest << 24);
	lapic_write(APIC_ICR, low);
}

uint32_t lapic_id(void)
{
	return lapic_x2 ? lapic_read(APIC_ID) : lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

void lapic_enable(void)
{
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_SVR, SVR_ENABLE | SPURIOUS_VEC);
}

bool wait_count(volatile uint32_t *count, uint32_t want, uint32_t loops)
{
	uint32_t i;

	for (i = 0; i < loops; i++) {
		/* sti's shadow covers the nop: one window per iteration. */
		asm volatile("sti; nop; cli" : : : "memory");
		if (*count >= want)
			return true;
	}
	return false;
}

unsigned int ipi_arrivals(unsigned int vec, uint32_t before)
{
	bool nmi = vec == 2;

	if (wait_count(&vec_count[vec], before + 1, IPI_LOOPS) && !nmi)
		lapic_eoi();
	/* A duplicate may come late: wait longer for one than for the first. */
	if (wait_count(&vec_count[vec], before + 2, 5 * IPI_LOOPS) && !nmi)
		lapic_eoi();
	return vec_count[vec] - before;
}

unsigned int lapic_drain(void)
{
	unsigned int n = 0, w;

	for (w = 0; w < 8 && n < 256; w++)
		while (lapic_read(APIC_ISR + w * 0x10) && n < 256) {
			lapic_eoi();
			n++;
		}
	return n;
}

uint32_t snap[256];

void snapshot(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++)
		snap[v] = vec_count[v];
}

/*
 * Arrivals since snapshot() on vectors other than @vec: their count, and
 * the first such vector in @first.  A stray fixed interrupt stays in
 * service and would hold back the next cases' vectors: drained.
 */
unsigned int strays(unsigned int vec, unsigned int *first)
{
	unsigned int v, n = 0;

	*first = 0;
	for (v = 0; v < 256; v++) {
		if (v == vec || vec_count[v] == snap[v])
			continue;
		if (!n)
			*first = v;
		n += vec_count[v] - snap[v];
	}
	if (n)
		lapic_drain();
	return n;
}
