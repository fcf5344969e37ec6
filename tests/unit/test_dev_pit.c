// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 8254 model (launcher/dev/pit.c): Linux's two PIT TSC
 * calibrations step by step with OUT2 and the MSB countdown at the exact
 * injected nanoseconds, then latches, read-back, gating, the other modes,
 * BCD and port B.
 */
#include "../../launcher/dev/pit.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define T0		(1000000000ULL + 123)	/* an arbitrary start time */
#define CAL_LATCH	(LHV_PIT_HZ / 100)	/* 10 ms, tsc.c's CAL_LATCH */
#define CAL2_LATCH	(LHV_PIT_HZ / 20)	/* 50 ms */

static uint64_t now;
static struct lhv_pit pit;

static uint64_t fake_now(void *opaque)
{
	return *(uint64_t *)opaque;
}

static uint8_t inb(uint16_t port)
{
	return lhv_pit_read(&pit, port, 1);
}

static void outb(uint8_t val, uint16_t port)
{
	lhv_pit_write(&pit, port, 1, val);
}

/* The first nanosecond at which the PIT has counted @ticks since 0. */
static uint64_t ns_at(uint64_t ticks)
{
	return (ticks * LHV_NSEC_PER_SEC + LHV_PIT_HZ - 1) / LHV_PIT_HZ;
}

/* The first nanosecond at which @d ticks have passed since time @t. */
static uint64_t after(uint64_t t, uint64_t d)
{
	return ns_at(lhv_dev_ticks(t, LHV_PIT_HZ) + d);
}

static void reset(void)
{
	const struct lhv_dev_clock clock = { fake_now, &now };

	now = T0;
	lhv_pit_init(&pit, &clock);
}

/* pit_calibrate_tsc(): mode 0 on channel 2, poll port B bit 5. */
static void test_pit_calibrate(uint64_t latch)
{
	uint64_t t;

	reset();
	CHECK((inb(PLAT_PORT_SYS_B) & 0x0f) == 0, "port B gate off at reset");
	outb((inb(PLAT_PORT_SYS_B) & ~0x02) | 0x01, PLAT_PORT_SYS_B);
	outb(0xb0, PLAT_PORT_PIT + 3);
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2), "mode 0 word: OUT2 low");
	outb(latch & 0xff, PLAT_PORT_PIT + 2);
	now += 500;
	outb(latch >> 8, PLAT_PORT_PIT + 2);
	t = now;
	CHECK((inb(PLAT_PORT_SYS_B) & (LHV_SYS_B_OUT2 | 0x0f)) == 0x01,
	      "count loaded: gate on, OUT2 low");
	now = after(t, latch / 2);
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2), "half way: still low");
	now = after(t, latch) - 1;
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2),
	      "one nanosecond before terminal count: low");
	now++;
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2,
	      "terminal count: OUT2 high on the nanosecond");
	CHECK(now - t > latch * LHV_NSEC_PER_SEC / LHV_PIT_HZ - 1000 &&
	      now - t < latch * LHV_NSEC_PER_SEC / LHV_PIT_HZ + 1000,
	      "after latch / PIT_TICK_RATE seconds");
	now += 1000000000;
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "OUT2 stays high");
	outb(0xb0, PLAT_PORT_PIT + 3);
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2), "new control word: low");
}

/* quick_pit_calibrate(): 0xffff, then LSB/MSB pairs, MSB counts down. */
static void test_quick_pit(void)
{
	uint64_t t;
	unsigned int i;
	bool ok = true;

	reset();
	outb((inb(PLAT_PORT_SYS_B) & ~0x02) | 0x01, PLAT_PORT_SYS_B);
	outb(0xb0, PLAT_PORT_PIT + 3);
	outb(0xff, PLAT_PORT_PIT + 2);
	outb(0xff, PLAT_PORT_PIT + 2);
	t = now;
	/* pit_verify_msb(0): the first pair, then expect 0xff, 0xfe, ... */
	CHECK(inb(0x42) == 0xff && inb(0x42) == 0xff, "count 0xffff at load");
	for (i = 1; i < 200 && ok; i++) {
		uint8_t lsb, msb;

		now = after(t, 256 * i) - 1;	/* last tick with MSB 0xff - i + 1 */
		lsb = inb(0x42);
		msb = inb(0x42);
		ok = msb == 0xff - i + 1 && lsb == 0x00;
		now++;
		lsb = inb(0x42);
		msb = inb(0x42);
		ok = ok && msb == 0xff - i && lsb == 0xff;
	}
	CHECK(ok, "MSB steps down every 256 ticks, LSB 0x00 -> 0xff");
	now = after(t, 0xffff);
	CHECK(inb(0x42) == 0 && inb(0x42) == 0, "count 0 after 0xffff ticks");
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "OUT2 high at 0");
	now = after(t, 0x10000);
	CHECK(inb(0x42) == 0xff && inb(0x42) == 0xff, "counts on, wrapping");
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "OUT2 stays high");
}

static void test_latch_and_readback(void)
{
	uint64_t t;

	reset();
	outb(0x01, PLAT_PORT_SYS_B);
	outb(0xb0, PLAT_PORT_PIT + 3);
	CHECK(inb(PLAT_PORT_PIT + 3) == 0xff, "control port reads 0xff");
	outb(0xe8, PLAT_PORT_PIT + 3);		/* read-back status of ch 2 */
	CHECK(inb(0x42) == 0x70, "status: null count, lobyte/hibyte, mode 0");
	outb(0x10, 0x42);
	outb(0x27, 0x42);			/* 10000 */
	t = now;
	now = after(t, 1234);
	outb(0x80, PLAT_PORT_PIT + 3);		/* latch ch 2 */
	outb(0x80, PLAT_PORT_PIT + 3);		/* a second latch is ignored */
	now = after(t, 5000);
	CHECK(inb(0x42) == ((10000 - 1234) & 0xff), "latched LSB");
	CHECK(inb(0x42) == (10000 - 1234) >> 8, "latched MSB, time moved on");
	CHECK(inb(0x42) == ((10000 - 5000) & 0xff) &&
	      inb(0x42) == (10000 - 5000) >> 8, "latch released: live count");
	outb(0xe8, PLAT_PORT_PIT + 3);
	CHECK(inb(0x42) == 0x30, "status: OUT low, count loaded");
	now = after(t, 10000);
	outb(0xc8, PLAT_PORT_PIT + 3);		/* status and count together */
	now = after(t, 10500);
	CHECK(inb(0x42) == 0xb0, "status first: OUT high then");
	CHECK(inb(0x42) == 0 && inb(0x42) == 0, "then the count latched with it");
	now = after(t, 10000 + 65536);
	outb(0xd8, PLAT_PORT_PIT + 3);		/* count only */
	now = after(t, 10001 + 65536);
	CHECK(inb(0x42) == 0x00 && inb(0x42) == 0x00, "read-back count latch");
	CHECK(inb(0x42) == 0xff && inb(0x42) == 0xff, "then live: wrapped");
}

static void test_gate(void)
{
	uint64_t t;

	reset();
	outb(0xb0, PLAT_PORT_PIT + 3);
	outb(100, 0x42);
	outb(0, 0x42);
	now += 1000000;
	CHECK(inb(0x42) == 100 && inb(0x42) == 0, "gate low: mode 0 waits");
	outb(0x01, PLAT_PORT_SYS_B);
	t = now;
	now = after(t, 40);
	outb(0x00, PLAT_PORT_SYS_B);
	now += 1000000;
	CHECK(inb(0x42) == 60 && inb(0x42) == 0, "gate low again: paused at 60");
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2), "OUT still low");
	outb(0x01, PLAT_PORT_SYS_B);
	t = now;
	now = after(t, 59);
	CHECK(inb(0x42) == 1 && !(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2),
	      "resumed: 1 left");
	now = after(t, 60);
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "100 gated ticks: OUT high");

	/* Mode 1 (0xb2): a gate edge triggers, the level does not matter. */
	outb(0x00, PLAT_PORT_SYS_B);
	outb(0xb2, PLAT_PORT_PIT + 3);
	outb(50, 0x42);
	outb(0, 0x42);
	now += 1000000;
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "mode 1 before trigger: high");
	outb(0x01, PLAT_PORT_SYS_B);
	t = now;
	now = after(t, 10);
	outb(0x00, PLAT_PORT_SYS_B);
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2), "triggered: low");
	now = after(t, 50);
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2,
	      "high after 50 ticks although the gate fell");

	/* Mode 3 on channel 2: gate low holds OUT high. */
	outb(0xb6, PLAT_PORT_PIT + 3);
	outb(10, 0x42);
	outb(0, 0x42);
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "mode 3 gate low: high");
	outb(0x01, PLAT_PORT_SYS_B);
	t = now;
	now = after(t, 5);
	CHECK(!(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2), "second half: low");
	outb(0x00, PLAT_PORT_SYS_B);
	CHECK(inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2, "gate low forces high");
	outb(0x01, PLAT_PORT_SYS_B);
	CHECK((inb(PLAT_PORT_SYS_B) & LHV_SYS_B_OUT2) &&
	      inb(0x42) == 10, "rising gate reloads");
}

static void test_modes(void)
{
	uint64_t t;
	unsigned int i, highs = 0;
	bool ok = true;

	reset();
	/* Channel 0, mode 2 (0x34) as Linux's i8253 clockevent programs it. */
	outb(0x34, PLAT_PORT_PIT + 3);
	outb(1193 & 0xff, PLAT_PORT_PIT);
	outb(1193 >> 8, PLAT_PORT_PIT);
	t = now;
	CHECK(lhv_pit_out(&pit, 0), "mode 2: OUT high");
	now = after(t, 1191);
	CHECK(lhv_pit_out(&pit, 0) && inb(0x40) == 2 && inb(0x40) == 0,
	      "count 2: high");
	now = after(t, 1192);
	CHECK(!lhv_pit_out(&pit, 0) && inb(0x40) == 1 && inb(0x40) == 0,
	      "count 1: low");
	now = after(t, 1193);
	CHECK(lhv_pit_out(&pit, 0) && inb(0x40) == 1193 % 256 &&
	      inb(0x40) == 1193 / 256, "reloaded after 1193 ticks");

	/* Mode 3 (0x36), N = 100: 50 ticks high, 50 low, counting by 2. */
	outb(0x36, PLAT_PORT_PIT + 3);
	outb(100, PLAT_PORT_PIT);
	outb(0, PLAT_PORT_PIT);
	t = now;
	for (i = 0; i < 100; i++) {
		now = after(t, i);
		highs += lhv_pit_out(&pit, 0);
		if (lhv_pit_out(&pit, 0) != (i < 50))
			ok = false;
	}
	CHECK(ok && highs == 50, "mode 3: square wave, half and half");
	now = after(t, 10);
	CHECK(inb(0x40) == 80, "mode 3 counts down by two");
	inb(0x40);

	/* Mode 4 (0x38): one low tick at terminal count. */
	outb(0x38, PLAT_PORT_PIT + 3);
	outb(20, PLAT_PORT_PIT);
	outb(0, PLAT_PORT_PIT);
	t = now;
	now = after(t, 19);
	CHECK(lhv_pit_out(&pit, 0), "mode 4: high before 0");
	now = after(t, 20);
	CHECK(!lhv_pit_out(&pit, 0), "mode 4: low at 0");
	now = after(t, 21);
	CHECK(lhv_pit_out(&pit, 0), "mode 4: high again");

	/* LSB-only (0x50: ch 1, rw 1, mode 0) and MSB-only (0x60). */
	outb(0x50, PLAT_PORT_PIT + 3);
	outb(0x20, PLAT_PORT_PIT + 1);
	t = now;
	now = after(t, 0x10);
	CHECK(inb(0x41) == 0x10 && inb(0x41) == 0x10, "LSB-only reads");
	outb(0x60, PLAT_PORT_PIT + 3);
	outb(0x02, PLAT_PORT_PIT + 1);		/* 0x200 */
	t = now;
	now = after(t, 0x100);
	CHECK(inb(0x41) == 0x01 && inb(0x41) == 0x01, "MSB-only reads");

	/* BCD (0xb1): 1000 counts to 0999 after one tick. */
	outb(0xb1, PLAT_PORT_PIT + 3);
	outb(0x00, 0x42);
	outb(0x10, 0x42);
	outb(0x01, PLAT_PORT_SYS_B);
	t = now;
	now = after(t, 1);
	CHECK(inb(0x42) == 0x99 && inb(0x42) == 0x09, "BCD 0999");
	outb(0xb1, PLAT_PORT_PIT + 3);
	outb(0x00, 0x42);
	outb(0x00, 0x42);			/* 0 = 10000 in BCD */
	t = now;
	now = after(t, 1);
	CHECK(inb(0x42) == 0x99 && inb(0x42) == 0x99, "BCD 0 is 10000: 9999");
	outb(0xe8, PLAT_PORT_PIT + 3);
	CHECK(inb(0x42) == 0x31, "status shows BCD");

	/* Mode 0: writing the LSB of a new count stops it, OUT low. */
	outb(0xb0, PLAT_PORT_PIT + 3);
	outb(5, 0x42);
	outb(0, 0x42);
	now = after(now, 10);
	CHECK(lhv_pit_out(&pit, 2), "mode 0 expired");
	outb(7, 0x42);
	CHECK(!lhv_pit_out(&pit, 2), "first byte of a new count: OUT low");
	outb(0, 0x42);
	t = now;
	now = after(t, 7);
	CHECK(lhv_pit_out(&pit, 2), "new count of 7 expires");
	CHECK(!lhv_pit_out(&pit, 3), "no channel 3");

	/* A clock that steps back never makes a count jump. */
	outb(0xb0, PLAT_PORT_PIT + 3);
	outb(50, 0x42);
	outb(0, 0x42);
	now -= 1000000;
	CHECK(inb(0x42) == 50 && inb(0x42) == 0 && !lhv_pit_out(&pit, 2),
	      "clock behind the load time: count as loaded");
}

static void test_port_b(void)
{
	reset();
	now = 15085 * 2;
	outb(0xff, PLAT_PORT_SYS_B);
	CHECK(inb(PLAT_PORT_SYS_B) == 0x0f, "bits 3:0 stored, refresh low");
	now += 15085;
	CHECK(inb(PLAT_PORT_SYS_B) == 0x1f, "refresh bit toggles");
	now += 15085;
	CHECK(inb(PLAT_PORT_SYS_B) == 0x0f, "and back");
	CHECK(lhv_pit_read(&pit, PLAT_PORT_SYS_B, 2) == 0xff0f,
	      "16-bit read: 0xff past port B");
	CHECK(lhv_pit_read(&pit, PLAT_PORT_PIT + 2, 2) >> 8 == 0xff,
	      "16-bit read: control byte 0xff");
	lhv_pit_write(&pit, PLAT_PORT_PIT + 2, 2, 0xb000 | 0x34);
	CHECK(pit.ch[2].write_lsb == 0x34, "16-bit write: count byte first");
	outb(0x56, 0x42);
	outb(0x12, 0x42);
	CHECK(inb(0x42) == 0x56 && inb(0x42) == 0x12,
	      "then control word 0xb0 reset the write flip-flop");
}

int main(void)
{
	test_pit_calibrate(CAL_LATCH);
	test_pit_calibrate(CAL2_LATCH);
	test_quick_pit();
	test_latch_and_readback();
	test_gate();
	test_modes();
	test_port_b();
	return unit_done();
}
