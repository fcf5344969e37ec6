// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC in xAPIC mode at its reset address (SDM vol. 3A ch. 10).
 * Paging is off, so the registers are plain physical addresses.
 */
#include "mb-smp.h"
#include "io.h"

#define LAPIC_BASE	0xfee00000u
#define LAPIC_ID	0x20
#define LAPIC_EOI	0xb0
#define LAPIC_SVR	0xf0
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310
#define SVR_ENABLE	(1u << 8)
#define ICR_BUSY	(1u << 12)	/* delivery status: send pending */
#define ICR_IDLE_MS	100

static uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(LAPIC_BASE + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(LAPIC_BASE + reg, v);
}

/* Software-enable it: a disabled LAPIC accepts no fixed interrupts. */
void lapic_enable(void)
{
	uint32_t svr = lapic_read(LAPIC_SVR);

	lapic_write(LAPIC_SVR, (svr & ~0xffu) | SVR_ENABLE | SPURIOUS_VECTOR);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static int icr_wait_idle(void)
{
	struct pit_deadline d;

	pit_deadline_start(&d, ICR_IDLE_MS);
	while (lapic_read(LAPIC_ICR_LOW) & ICR_BUSY)
		if (pit_deadline_passed(&d))
			return -1;
	return 0;
}

/*
 * Send one IPI to physical APIC ID @dest (ignored with a shorthand in
 * @icr_low).  The high word first: writing the low word sends.  Returns
 * -1 if the previous or this send stays pending for ICR_IDLE_MS.
 */
int lapic_send(uint32_t dest, uint32_t icr_low)
{
	if (icr_wait_idle())
		return -1;
	lapic_write(LAPIC_ICR_HIGH, dest << 24);
	lapic_write(LAPIC_ICR_LOW, icr_low);
	return icr_wait_idle();
}
