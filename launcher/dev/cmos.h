/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MC146818 RTC and its 128 bytes of CMOS RAM at PLAT_PORT_CMOS_INDEX
 * and PLAT_PORT_CMOS_DATA.
 *
 * Modelled: the index register (bit 7, the NMI mask, is dropped; the
 * index port itself reads 0xff, as it is write-only); the time registers
 * 0x00 0x02 0x04 0x06-0x09 and the century byte 0x32, computed at each
 * read from the injected UTC wall clock in the format status register B
 * asks for (bit 2: binary, else BCD; bit 1: 24-hour, else 12-hour with
 * bit 7 of the hour for PM); status A with UIP always clear (writes keep
 * bits 6:0, reset 0x26); status B stored (reset 0x02: 24-hour, BCD);
 * status C reading 0; status D reading 0x80 (RAM and time valid); every
 * other byte, the alarms and shutdown status 0x0f included, plain RAM.
 *
 * Not modelled: setting the clock (writes to the time and century
 * registers are dropped, so the guest always reads the host's time),
 * B.SET freezing the registers, daylight saving, and every interrupt:
 * periodic, alarm and update-ended (no IRQ 8; C never reports a flag).
 */
#ifndef _LHV_DEV_CMOS_H
#define _LHV_DEV_CMOS_H

#include "dev.h"

#define LHV_CMOS_SIZE		128

#define LHV_CMOS_SECONDS	0x00
#define LHV_CMOS_MINUTES	0x02
#define LHV_CMOS_HOURS		0x04
#define LHV_CMOS_WEEKDAY	0x06	/* 1 = Sunday */
#define LHV_CMOS_DAY		0x07
#define LHV_CMOS_MONTH		0x08
#define LHV_CMOS_YEAR		0x09
#define LHV_CMOS_STATUS_A	0x0a
#define LHV_CMOS_STATUS_B	0x0b
#define LHV_CMOS_STATUS_C	0x0c
#define LHV_CMOS_STATUS_D	0x0d
#define LHV_CMOS_SHUTDOWN	0x0f
#define LHV_CMOS_CENTURY	0x32	/* the FADT's century field names it */

#define LHV_CMOS_B_24H		0x02
#define LHV_CMOS_B_BINARY	0x04

struct lhv_cmos {
	int64_t (*wall_sec)(void *opaque);	/* UTC seconds since 1970 */
	void *opaque;
	uint8_t index;
	uint8_t ram[LHV_CMOS_SIZE];
};

void lhv_cmos_init(struct lhv_cmos *cmos, int64_t (*wall_sec)(void *opaque),
		   void *opaque);
/* For the launcher to preset RAM bytes (index & 0x7f). */
void lhv_cmos_set(struct lhv_cmos *cmos, uint8_t index, uint8_t val);

uint32_t lhv_cmos_read(struct lhv_cmos *cmos, uint16_t port, unsigned int size);
void lhv_cmos_write(struct lhv_cmos *cmos, uint16_t port, unsigned int size,
		    uint32_t val);

/* The UTC calendar of @sec (exposed for the tests). */
struct lhv_civil_time {
	int64_t year;
	unsigned int month, day, hour, min, sec, weekday;	/* 1 = Sunday */
};
void lhv_civil_time(int64_t sec, struct lhv_civil_time *tm);

extern const struct lhv_pio_ops lhv_cmos_pio_ops;

#endif /* _LHV_DEV_CMOS_H */
