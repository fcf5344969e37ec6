// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CMOS/RTC model (launcher/dev/cmos.c): the time
 * registers at 2026-11-29 12:34:56 UTC in BCD and binary, 24- and 12-hour,
 * the status registers, RAM, the index port and the calendar against
 * glibc's gmtime_r() over four centuries.
 */
#include <time.h>

#include "../../launcher/dev/cmos.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define EPOCH_2026	1795955696LL	/* 2026-11-29 12:34:56 UTC, a Sunday */

static struct lhv_cmos cmos;
static int64_t wall = EPOCH_2026;

static int64_t fake_wall(void *opaque)
{
	CHECK(opaque == &wall, "wall clock gets its opaque");
	return wall;
}

static uint8_t rd(uint8_t index)
{
	lhv_cmos_write(&cmos, PLAT_PORT_CMOS_INDEX, 1, index);
	return lhv_cmos_read(&cmos, PLAT_PORT_CMOS_DATA, 1);
}

static void wr(uint8_t index, uint8_t val)
{
	lhv_cmos_write(&cmos, PLAT_PORT_CMOS_INDEX, 1, index);
	lhv_cmos_write(&cmos, PLAT_PORT_CMOS_DATA, 1, val);
}

static bool time_is(const uint8_t want[8])
{
	static const uint8_t reg[8] = { 0x00, 0x02, 0x04, 0x06, 0x07, 0x08,
					0x09, 0x32 };
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (rd(reg[i]) != want[i])
			return false;
	return true;
}

static void test_time(void)
{
	static const uint8_t bcd[8] = { 0x56, 0x34, 0x12, 0x01, 0x29, 0x11,
					0x26, 0x20 };
	static const uint8_t bin[8] = { 56, 34, 12, 1, 29, 11, 26, 20 };

	lhv_cmos_init(&cmos, fake_wall, &wall);
	CHECK(rd(LHV_CMOS_STATUS_B) == 0x02, "B at reset: 24-hour, BCD");
	CHECK(time_is(bcd), "2026-11-29 12:34:56 Sunday in BCD");
	wr(LHV_CMOS_STATUS_B, 0x06);
	CHECK(rd(LHV_CMOS_STATUS_B) == 0x06, "B stored");
	CHECK(time_is(bin), "the same in binary");
	wr(LHV_CMOS_STATUS_B, 0x00);
	CHECK(rd(LHV_CMOS_HOURS) == 0x92, "12-hour BCD: 12 PM = 0x92");
	wr(LHV_CMOS_STATUS_B, 0x04);
	CHECK(rd(LHV_CMOS_HOURS) == (0x80 | 12), "12-hour binary: 0x8c");
	wall = EPOCH_2026 - 12 * 3600 - 34 * 60 + 5 * 60;	/* 00:05:56 */
	CHECK(rd(LHV_CMOS_HOURS) == 12, "00:05 is 12 AM");
	wr(LHV_CMOS_STATUS_B, 0x00);
	CHECK(rd(LHV_CMOS_HOURS) == 0x12, "12 AM in BCD");
	wall += 23 * 3600;					/* 23:05:56 */
	CHECK(rd(LHV_CMOS_HOURS) == 0x91, "23:05 is 11 PM: 0x91");
	wr(LHV_CMOS_STATUS_B, 0x02);
	CHECK(rd(LHV_CMOS_HOURS) == 0x23, "24-hour BCD 0x23");
	CHECK(rd(LHV_CMOS_MINUTES) == 0x05 && rd(LHV_CMOS_SECONDS) == 0x56,
	      "minutes and seconds");

	wall = 946684799;		/* 1999-12-31 23:59:59 Friday */
	CHECK(rd(LHV_CMOS_YEAR) == 0x99 && rd(LHV_CMOS_CENTURY) == 0x19 &&
	      rd(LHV_CMOS_WEEKDAY) == 6, "1999, century 19, Friday");
	wall++;
	CHECK(rd(LHV_CMOS_YEAR) == 0x00 && rd(LHV_CMOS_CENTURY) == 0x20 &&
	      rd(LHV_CMOS_MONTH) == 0x01 && rd(LHV_CMOS_DAY) == 0x01 &&
	      rd(LHV_CMOS_WEEKDAY) == 7, "2000-01-01, Saturday");

	/* Clock writes are dropped: the guest keeps reading the host's time. */
	wall = EPOCH_2026;
	wr(LHV_CMOS_SECONDS, 0x00);
	wr(LHV_CMOS_YEAR, 0x99);
	wr(LHV_CMOS_CENTURY, 0x19);
	CHECK(rd(LHV_CMOS_SECONDS) == 0x56 && rd(LHV_CMOS_YEAR) == 0x26 &&
	      rd(LHV_CMOS_CENTURY) == 0x20, "time writes ignored");
}

static void test_registers(void)
{
	unsigned int i;
	bool ok = true;

	lhv_cmos_init(&cmos, fake_wall, &wall);
	CHECK(rd(LHV_CMOS_STATUS_A) == 0x26, "A: UIP clear, divider 0x26");
	wr(LHV_CMOS_STATUS_A, 0xa6);
	CHECK(rd(LHV_CMOS_STATUS_A) == 0x26, "A: UIP not writable");
	wr(LHV_CMOS_STATUS_A, 0x2f);
	CHECK(rd(LHV_CMOS_STATUS_A) == 0x2f, "A: rate bits stored");
	CHECK(rd(LHV_CMOS_STATUS_C) == 0, "C reads 0");
	wr(LHV_CMOS_STATUS_C, 0xff);
	CHECK(rd(LHV_CMOS_STATUS_C) == 0, "C stays 0");
	CHECK(rd(LHV_CMOS_STATUS_D) == 0x80, "D: valid RAM and time");
	wr(LHV_CMOS_STATUS_D, 0);
	CHECK(rd(LHV_CMOS_STATUS_D) == 0x80, "D read-only");
	CHECK(rd(LHV_CMOS_SHUTDOWN) == 0, "shutdown status 0 at reset");
	wr(LHV_CMOS_SHUTDOWN, 0x0a);
	CHECK(rd(LHV_CMOS_SHUTDOWN) == 0x0a, "Linux's warm-reset 0x0a kept");

	/* NMI mask bit: the same register, the bit dropped. */
	wr(0x80 | 0x10, 0x5a);
	CHECK(rd(0x10) == 0x5a, "index bit 7 (NMI mask) ignored on write");
	CHECK(cmos.index == 0x10, "index stored without bit 7");
	CHECK(rd(0x90) == 0x5a, "index bit 7 ignored on read");
	CHECK(lhv_cmos_read(&cmos, PLAT_PORT_CMOS_INDEX, 1) == 0xff,
	      "index port is write-only: 0xff");
	/* A 16-bit write sets index and data, a 16-bit read splits too. */
	lhv_cmos_write(&cmos, PLAT_PORT_CMOS_INDEX, 2, 0x7722);
	CHECK(rd(0x22) == 0x77, "16-bit write at 0x70: index then data");
	CHECK(lhv_cmos_read(&cmos, PLAT_PORT_CMOS_INDEX, 2) == 0x77ff,
	      "16-bit read at 0x70: 0xff then data");
	CHECK(lhv_cmos_read(&cmos, PLAT_PORT_CMOS_DATA, 2) == 0xff77,
	      "16-bit read at 0x71: data, then 0xff past the end");

	for (i = 0x0e; i < LHV_CMOS_SIZE; i++) {
		if (i == LHV_CMOS_CENTURY)
			continue;
		wr(i, i ^ 0xa5);
	}
	for (i = 0x0e; i < LHV_CMOS_SIZE; i++)
		if (i != LHV_CMOS_CENTURY && rd(i) != (i ^ 0xa5))
			ok = false;
	CHECK(ok, "RAM 0x0e-0x7f holds what is written");
	wr(0x01, 0x30);
	wr(0x03, 0x31);
	wr(0x05, 0x32);
	CHECK(rd(0x01) == 0x30 && rd(0x03) == 0x31 && rd(0x05) == 0x32,
	      "alarm registers are RAM");
	lhv_cmos_set(&cmos, 0x80 | 0x34, 0x12);
	CHECK(rd(0x34) == 0x12, "lhv_cmos_set presets RAM");
}

/* The calendar matches glibc for every ~day-and-a-bit from 1900 to 2300. */
static void test_calendar(void)
{
	struct lhv_civil_time tm;
	struct tm want;
	int64_t s;
	bool ok = true;

	for (s = -2208988800LL; s < 10413792000LL && ok; s += 86400 + 3607) {
		time_t t = s;

		gmtime_r(&t, &want);
		lhv_civil_time(s, &tm);
		ok = tm.year == want.tm_year + 1900 &&
		     tm.month == (unsigned int)want.tm_mon + 1 &&
		     tm.day == (unsigned int)want.tm_mday &&
		     tm.hour == (unsigned int)want.tm_hour &&
		     tm.min == (unsigned int)want.tm_min &&
		     tm.sec == (unsigned int)want.tm_sec &&
		     tm.weekday == (unsigned int)want.tm_wday + 1;
	}
	CHECK(ok, "calendar agrees with gmtime_r, 1900-2300");
	lhv_civil_time(-1, &tm);
	CHECK(tm.year == 1969 && tm.month == 12 && tm.day == 31 &&
	      tm.hour == 23 && tm.min == 59 && tm.sec == 59 && tm.weekday == 4,
	      "one second before the epoch: Wednesday 1969-12-31 23:59:59");
	lhv_civil_time(951782400, &tm);
	CHECK(tm.year == 2000 && tm.month == 2 && tm.day == 29,
	      "2000-02-29 exists");
	lhv_civil_time(4107542400LL, &tm);
	CHECK(tm.year == 2100 && tm.month == 3 && tm.day == 1,
	      "2100 is no leap year");
}

int main(void)
{
	test_time();
	test_registers();
	test_calendar();
	return unit_done();
}
