/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC in whichever mode IA32_APIC_BASE says (SDM 3A ch. 10):
 * xAPIC registers at the base address, or x2APIC MSRs 0x800 + reg / 16.
 */
#ifndef _CONFORM_LAPIC_H
#define _CONFORM_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "x86.h"

/* MSR_APIC_BASE, APIC_BASE_EXTD and APIC_BASE_ENABLE: x86.h */
#define APIC_BASE_BSP	(1ull << 8)
#define APIC_BASE_ADDR	0xfffff000ull	/* within the 4 GiB we map */
#define APIC_DEFAULT	0xfee00000ull

#define APIC_ID		0x20
#define APIC_LVR	0x30
#define APIC_TPR	0x80
#define APIC_EOI	0xb0
#define APIC_LDR	0xd0
#define APIC_DFR	0xe0
#define APIC_SVR	0xf0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TMICT	0x380
#define APIC_SELF_IPI	0x3f0		/* x2APIC only */

#define SVR_ENABLE	(1u << 8)
#define LVT_MASKED	(1u << 16)
#define ICR_FIXED	(0u << 8)
#define ICR_NMI		(4u << 8)
#define ICR_BUSY	(1u << 12)
#define ICR_ASSERT	(1u << 14)
#define ICR_SELF	(1u << 18)
#define ICR_ALL		(2u << 18)
#define ICR_ALL_BUT_SELF (3u << 18)

#define SPURIOUS_VEC	0xff

/* How the APIC is reached now; lapic_sync() re-reads IA32_APIC_BASE. */
extern bool lapic_x2;
extern uintptr_t lapic_base;

void lapic_sync(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
/* An IPI: @dest is an APIC ID (ignored with a shorthand in @low). */
void lapic_icr(uint32_t dest, uint32_t low);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Software-enable it with the spurious vector; TPR 0. */
void lapic_enable(void);
/* Wait with interrupts on until @count reaches @want or ~@loops pass. */
bool wait_count(volatile uint32_t *count, uint32_t want, uint32_t loops);
/*
 * After an IPI of @vec was sent: how many arrived, waiting for the first
 * and then as long again for a second, with an EOI after each fixed one
 * (a duplicate held in IRR behind the first arrives after its EOI).
 */
unsigned int ipi_arrivals(unsigned int vec, uint32_t before);
/* EOI whatever is still in service; how many EOIs that took. */
unsigned int lapic_drain(void);
/* vec_count[] as snapshot() found it. */
extern uint32_t snap[256];
void snapshot(void);
/*
 * Arrivals since snapshot() on vectors other than @vec: their count, the
 * first such vector in @first; drains the APIC if there were any.
 */
unsigned int strays(unsigned int vec, unsigned int *first);
#define IPI_LOOPS	200000

#endif /* _CONFORM_LAPIC_H */
