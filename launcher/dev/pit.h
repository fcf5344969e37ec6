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
 * Channel 0's OUT is ISA IRQ 0.  The model keeps no timer of its own:
 * lhv_pit_next_edge() says when an OUT will next rise, and the launcher
 * waits for that moment and raises the interrupt then.
 *
 * Not modelled: the load cycle (a count counts from the moment it
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

/*
 * The first PIT tick (on the clock's scale, lhv_dev_ticks(now, LHV_PIT_HZ))
 * after tick @after at which channel @ch's OUT rises, if it will with no
 * further port access: in *@tick, and true.  False when nothing will
 * rise: a channel stopped, waiting for its count or its gate, or past its
 * one rising edge (modes 0, 1, 4, 5).  Modes 2 and 3 rise once per
 * period; a count of 1 there, which the 8254 does not allow, never does.
 */
bool lhv_pit_next_edge(const struct lhv_pit *pit, unsigned int ch,
		       uint64_t after, uint64_t *tick);

/*
 * Channel 0's rising edges as IRQ 0, for a launcher thread that sleeps
 * until the next one and may wake late (a host that is busy, an emulated
 * one).  Edges it was late for are owed and raised one by one, at least
 * LHV_PIT_IRQ_GAP_NS apart: sent together they would reach the guest's
 * local APIC as one interrupt (one vector's IRR bit), and Linux's timer
 * check counts interrupts, wanting 4 ticks in a few tens of milliseconds.
 * At most LHV_PIT_IRQ_MAX_OWED are owed; a thread later than that loses
 * the rest, as does a guest that asks for more than the gap allows.
 */
#define LHV_PIT_IRQ_MAX_OWED	16
#define LHV_PIT_IRQ_GAP_NS	500000ULL

struct lhv_pit_irq {
	uint64_t last;			/* PIT tick of the last edge counted */
	unsigned int owed;		/* edges counted, not raised yet */
	uint64_t next_ns;		/* the earliest time for the next raise */
};

/*
 * At clock time @now_ns: true when IRQ 0 is to be raised now (one edge).
 * *@wake_ns is when to call again, UINT64_MAX when only a write to the
 * PIT can change that; it is always after @now_ns.  @irq starts zeroed.
 */
bool lhv_pit_irq_poll(const struct lhv_pit *pit, struct lhv_pit_irq *irq,
		      uint64_t now_ns, uint64_t *wake_ns);

extern const struct lhv_pio_ops lhv_pit_pio_ops;

#endif /* _LHV_DEV_PIT_H */
