// SPDX-License-Identifier: GPL-2.0
/*
 * Delays and timeouts on PIT channel 2, the one whose output a guest can
 * read back (port 0x61 bit 5).  Why the PIT: the TSC's rate has no source
 * every VM provides, and the ACPI PM timer needs the ACPI tables parsed
 * first; the PIT runs at a fixed 1.193182 MHz on QEMU and in lhv-run.
 *
 * Mode 0 ("interrupt on terminal count"): writing the mode drives OUT2
 * low, and it goes high when the loaded count has run down to 0.  The
 * count is 16 bits (at most 54.9 ms), so longer spans are 10 ms chunks.
 */
#include "mb-smp.h"
#include "io.h"
#include "platform.h"

#define PIT_CH2		(PLAT_PORT_PIT + 2)
#define PIT_MODE	(PLAT_PORT_PIT + 3)
#define PIT_CH2_MODE0	0xb0		/* channel 2, lo/hi byte, mode 0, binary */
#define SYS_B_GATE2	0x01		/* channel 2 counts while high */
#define SYS_B_SPEAKER	0x02		/* keep the speaker off */
#define SYS_B_OUT2	0x20

/* 1193.182 ticks per ms, rounded up so that no delay comes out short. */
#define PIT_TICKS_PER_MS	1194
#define CHUNK_MS		10
#define MAX_DELAY_US		50000

static void pit_arm(uint32_t ticks)
{
	uint8_t b = inb(PLAT_PORT_SYS_B);

	outb((b & ~SYS_B_SPEAKER) | SYS_B_GATE2, PLAT_PORT_SYS_B);
	outb(PIT_CH2_MODE0, PIT_MODE);
	outb(ticks & 0xff, PIT_CH2);
	outb(ticks >> 8, PIT_CH2);
}

static bool pit_expired(void)
{
	return inb(PLAT_PORT_SYS_B) & SYS_B_OUT2;
}

void udelay(uint32_t us)
{
	uint32_t chunk;

	while (us) {
		chunk = us < MAX_DELAY_US ? us : MAX_DELAY_US;
		us -= chunk;
		pit_arm((chunk * PIT_TICKS_PER_MS + 999) / 1000);
		while (!pit_expired())
			cpu_relax();
	}
}

void pit_deadline_start(struct pit_deadline *d, uint32_t ms)
{
	d->chunks = (ms + CHUNK_MS - 1) / CHUNK_MS;
	if (!d->chunks)
		d->chunks = 1;
	pit_arm(CHUNK_MS * PIT_TICKS_PER_MS);
}

/* Poll this in the wait loop; true once the whole span has run out. */
bool pit_deadline_passed(struct pit_deadline *d)
{
	if (!d->chunks)
		return true;
	if (!pit_expired())
		return false;
	if (--d->chunks)
		pit_arm(CHUNK_MS * PIT_TICKS_PER_MS);
	return !d->chunks;
}
