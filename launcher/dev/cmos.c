// SPDX-License-Identifier: GPL-2.0
/*
 * The RTC keeps no time of its own: each read of a time register turns
 * the wall clock into a calendar, so the guest can never drift from the
 * host and there is no update cycle (UIP) to race with.
 */
#include <string.h>

#include "../platform.h"
#include "cmos.h"

#define SECS_PER_DAY	86400

/* Division rounding towards minus infinity, for dates before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * Days since 1970-01-01 to a proleptic Gregorian date, counting in
 * 400-year eras that start on March 1st so that the leap day is the last
 * day of its year.
 */
void lhv_civil_time(int64_t sec, struct lhv_civil_time *tm)
{
	int64_t days = floor_div(sec, SECS_PER_DAY);
	int64_t rem = sec - days * SECS_PER_DAY;
	int64_t z = days + 719468;		/* days since 0000-03-01 */
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;		/* day of era, 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;	/* March = 0 */

	tm->day = doy - (153 * mp + 2) / 5 + 1;
	tm->month = mp < 10 ? mp + 3 : mp - 9;
	tm->year = yoe + era * 400 + (tm->month <= 2);
	tm->hour = rem / 3600;
	tm->min = rem / 60 % 60;
	tm->sec = rem % 60;
	/* 1970-01-01 was a Thursday: 5 with Sunday = 1. */
	tm->weekday = days - floor_div(days + 4, 7) * 7 + 4 + 1;
}

void lhv_cmos_init(struct lhv_cmos *cmos, int64_t (*wall_sec)(void *opaque),
		   void *opaque)
{
	memset(cmos, 0, sizeof(*cmos));
	cmos->wall_sec = wall_sec;
	cmos->opaque = opaque;
	cmos->ram[LHV_CMOS_STATUS_A] = 0x26;	/* 32.768 kHz, 1024 Hz rate */
	cmos->ram[LHV_CMOS_STATUS_B] = LHV_CMOS_B_24H;
}

void lhv_cmos_set(struct lhv_cmos *cmos, uint8_t index, uint8_t val)
{
	cmos->ram[index & 0x7f] = val;
}

static uint8_t two_digits(const struct lhv_cmos *cmos, int64_t val)
{
	uint8_t v = val - floor_div(val, 100) * 100;

	if (cmos->ram[LHV_CMOS_STATUS_B] & LHV_CMOS_B_BINARY)
		return v;
	return (v / 10) << 4 | v % 10;
}

static uint8_t hours(const struct lhv_cmos *cmos, unsigned int hour)
{
	unsigned int h12 = hour % 12 ? hour % 12 : 12;

	if (cmos->ram[LHV_CMOS_STATUS_B] & LHV_CMOS_B_24H)
		return two_digits(cmos, hour);
	return two_digits(cmos, h12) | (hour >= 12 ? 0x80 : 0);
}

static uint8_t rtc_read(const struct lhv_cmos *cmos, uint8_t index)
{
	struct lhv_civil_time tm;

	switch (index) {
	case LHV_CMOS_SECONDS:
	case LHV_CMOS_MINUTES:
	case LHV_CMOS_HOURS:
	case LHV_CMOS_WEEKDAY:
	case LHV_CMOS_DAY:
	case LHV_CMOS_MONTH:
	case LHV_CMOS_YEAR:
	case LHV_CMOS_CENTURY:
		break;
	case LHV_CMOS_STATUS_C:
		return 0;
	case LHV_CMOS_STATUS_D:
		return 0x80;
	default:
		return cmos->ram[index];
	}
	lhv_civil_time(cmos->wall_sec(cmos->opaque), &tm);
	switch (index) {
	case LHV_CMOS_SECONDS:
		return two_digits(cmos, tm.sec);
	case LHV_CMOS_MINUTES:
		return two_digits(cmos, tm.min);
	case LHV_CMOS_HOURS:
		return hours(cmos, tm.hour);
	case LHV_CMOS_WEEKDAY:
		return two_digits(cmos, tm.weekday);
	case LHV_CMOS_DAY:
		return two_digits(cmos, tm.day);
	case LHV_CMOS_MONTH:
		return two_digits(cmos, tm.month);
	case LHV_CMOS_YEAR:
		return two_digits(cmos, tm.year);
	default:
		return two_digits(cmos, floor_div(tm.year, 100));
	}
}

static void rtc_write(struct lhv_cmos *cmos, uint8_t index, uint8_t val)
{
	switch (index) {
	case LHV_CMOS_SECONDS:
	case LHV_CMOS_MINUTES:
	case LHV_CMOS_HOURS:
	case LHV_CMOS_WEEKDAY:
	case LHV_CMOS_DAY:
	case LHV_CMOS_MONTH:
	case LHV_CMOS_YEAR:
	case LHV_CMOS_CENTURY:
	case LHV_CMOS_STATUS_C:
	case LHV_CMOS_STATUS_D:
		break;			/* the clock is the host's; C, D read-only */
	case LHV_CMOS_STATUS_A:
		cmos->ram[index] = val & 0x7f;	/* UIP is read-only */
		break;
	default:
		cmos->ram[index] = val;
		break;
	}
}

/* Byte by byte, as the ISA bus splits a wide access over 0x70/0x71. */
uint32_t lhv_cmos_read(struct lhv_cmos *cmos, uint16_t port, unsigned int size)
{
	uint32_t val = 0;
	unsigned int i;

	for (i = 0; i < size && i < 4; i++) {
		uint16_t p = port + i;
		uint8_t byte = 0xff;

		if (p == PLAT_PORT_CMOS_DATA)
			byte = rtc_read(cmos, cmos->index);
		val |= (uint32_t)byte << (8 * i);
	}
	return val;
}

void lhv_cmos_write(struct lhv_cmos *cmos, uint16_t port, unsigned int size,
		    uint32_t val)
{
	unsigned int i;

	for (i = 0; i < size && i < 4; i++) {
		uint16_t p = port + i;
		uint8_t byte = val >> (8 * i);

		if (p == PLAT_PORT_CMOS_INDEX)
			cmos->index = byte & 0x7f;	/* NMI mask: ignored */
		else if (p == PLAT_PORT_CMOS_DATA)
			rtc_write(cmos, cmos->index, byte);
	}
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_cmos_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_cmos_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_cmos_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
