/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 8254 PIT at PLAT_PORT_PIT (0x40-0x43) and system control port B at
 * PLAT_PORT_SYS_B, enough for Linux's PIT-based TSC calibration
 * (pit_calibrate_tsc(), quick_pit_calibrate(): channel 2 in mode 0, gated
 * by port B bit 0, polled through port B bit 5 or by reading the count).
 *
 * Modelled: three channels counting at LHV_PIT_HZ from the injected clock;
 * control words with every access mode (LSB, MSB, LSB then MSB, with the
 * read and write flip-flops), binary and BCD counting, modes 0-5 (6 and 7
 * alias 2 and 3); the counter-latch and read-back commands (count and
 * status, with the null-count bit); the gate of channel 2 from port B
 * bit 0 (modes 0 and 4 pause while it is low, 2 and 3 hold OUT high and
 * restart on its rising edge, 1 and 5 trigger on it); channels 0 and 1
 * have their gates tied high.  Port B reads back bits 3:0 as written,
 * bit 4 as the refresh toggle (every 15.085 us), bit 5 as channel 2's
 * OUT; bits 7:6 (parity and I/O check errors) read 0.
 *
 * Not modelled: interrupts.  Channel 0 may be programmed and read, but
 * this VM has no IRQ0 (no 8259, no IOAPIC pin for it), so nothing ever
 * sees its OUT.  Also: the load cycle (a count counts from the moment it
 * is written, not one clock later), a new count in modes 2 and 3 taking
 * effect at once rather than at the end of the current period, the
 * exact counting of odd counts in mode 3, and the speaker.  The control
 * port reads 0xff.
 */
#ifndef _LHV_DEV_PIT_H
#define _LHV_DEV_PIT_H

#include "dev.h"

#define LHV_PIT_HZ		1193182ULL	/* Linux's PIT_TICK_RATE */
#define LHV_PIT_NR_PORTS	4
#define LHV_PIT_CONTROL		3		/* port offset */

#define LHV_SYS_B_GATE2		0x01
#define LHV_SYS_B_SPEAKER	0x02
#define LHV_SYS_B_REFRESH	0x10
#define LHV_SYS_B_OUT2		0x20

struct lhv_pit_channel {
	uint8_t mode;			/* 0-5 */
	uint8_t rw;			/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;
	uint32_t reload;		/* N: 1..65536, or 1..10000 in BCD */
	bool loaded;			/* a count written since the control word */
	bool running;			/* counting now */
	bool triggered;			/* modes 1 and 5: a gate edge came */
	uint64_t since;			/* tick at which this run began */
	uint64_t acc;			/* ticks counted in earlier runs */
	uint8_t write_lsb;
	bool write_hi;			/* next count byte written is the MSB */
	bool read_hi;			/* next live count byte read is the MSB */
	bool count_latched, latch_hi, status_latched;
	uint16_t latch;
	uint8_t status;
};

struct lhv_pit {
	struct lhv_dev_clock clock;
	struct lhv_pit_channel ch[3];
	uint8_t port_b;			/* bits 3:0 as written */
};

void lhv_pit_init(struct lhv_pit *pit, const struct lhv_dev_clock *clock);

/* Ports 0x40-0x43 and PLAT_PORT_SYS_B; wide accesses split into bytes. */
uint32_t lhv_pit_read(struct lhv_pit *pit, uint16_t port, unsigned int size);
void lhv_pit_write(struct lhv_pit *pit, uint16_t port, unsigned int size,
		   uint32_t val);

/* Channel @ch's OUT now (what port B bit 5 shows for channel 2). */
bool lhv_pit_out(struct lhv_pit *pit, unsigned int ch);

extern const struct lhv_pio_ops lhv_pit_pio_ops;

#endif /* _LHV_DEV_PIT_H */
