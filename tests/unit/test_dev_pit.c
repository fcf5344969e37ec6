// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 8254 model (launcher/dev/pit.c): Linux's two PIT TSC
 * calibrations step by step with OUT2 and the MSB countdown at the exact
 * injected nanoseconds, then latches, read-back, gating, the other modes,
 * BCD and port B; the rising edges of OUT that lhv_pit_next_edge()
 * predicts, against OUT itself tick by tick, and Linux's clock event
 * sequences on channel 0.
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

/* OUT of @ch at PIT tick @t (the clock moved there). */
static bool out_at(unsigned int ch, uint64_t t)
{
	now = lhv_dev_ns_at(t, LHV_PIT_HZ);
	return lhv_pit_out(&pit, ch);
}

/*
 * From tick @t0 to @t1, every rising edge of @ch's OUT is where
 * lhv_pit_next_edge() said, asked one tick before and at each earlier
 * tick since the previous edge; no edge where it said none.
 */
static bool edges_match(unsigned int ch, uint64_t t0, uint64_t t1,
			unsigned int *nr)
{
	bool was = out_at(ch, t0), is, have;
	uint64_t t, next = 0, again;

	*nr = 0;
	have = lhv_pit_next_edge(&pit, ch, t0, &next);
	for (t = t0 + 1; t <= t1; t++) {
		is = out_at(ch, t);
		if (!was && is) {
			if (!have || next != t)
				return false;
			(*nr)++;
		} else if (have && next == t) {
			return false;
		}
		was = is;
		if (!have || next <= t)
			have = lhv_pit_next_edge(&pit, ch, t, &next);
		else if (!lhv_pit_next_edge(&pit, ch, t, &again) ||
			 again != next)
			return false;	/* asked again: the same answer */
	}
	return true;
}

static void program(unsigned int ch, uint8_t control, uint16_t count)
{
	outb(control, PLAT_PORT_PIT + 3);
	outb(count & 0xff, PLAT_PORT_PIT + ch);
	outb(count >> 8, PLAT_PORT_PIT + ch);
}

static void test_next_edge(void)
{
	static const struct {
		uint8_t mode;
		uint16_t count;
		unsigned int edges;
	} cases[] = {
		{ 0, 7, 1 }, { 2, 7, 42 }, { 2, 2, 150 }, { 2, 1, 0 },
		{ 3, 7, 42 }, { 3, 8, 37 }, { 3, 2, 150 }, { 3, 1, 0 },
		{ 4, 7, 1 }, { 4, 1, 1 }, { 1, 7, 0 }, { 5, 7, 0 },
	};
	uint64_t t, t0, next;
	unsigned int i, nr;
	bool ok = true;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset();
		t0 = lhv_dev_ticks(now, LHV_PIT_HZ);
		program(0, 0x30 | cases[i].mode << 1, cases[i].count);
		if (!edges_match(0, t0, t0 + 300, &nr) || nr != cases[i].edges) {
			ok = false;
			printf("# channel 0 mode %u count %u: %u edges\n",
			       cases[i].mode, cases[i].count, nr);
		}
	}
	CHECK(ok, "channel 0, modes 0-5: predicted edges are OUT's edges");

	/* Channel 2 with its gate: paused, retriggered, reloaded. */
	for (i = 0; i < 6; i++) {
		reset();
		t0 = lhv_dev_ticks(now, LHV_PIT_HZ);
		outb(0x01, PLAT_PORT_SYS_B);
		program(2, 0xb0 | i << 1, 20);
		ok &= edges_match(2, t0, t0 + 9, &nr);
		t0 += 9;
		outb(0x00, PLAT_PORT_SYS_B);
		ok &= edges_match(2, t0, t0 + 30, &nr);
		t0 += 30;
		outb(0x01, PLAT_PORT_SYS_B);
		ok &= edges_match(2, t0, t0 + 100, &nr);
	}
	CHECK(ok, "channel 2, modes 0-5, gate off and on: edges match");

	reset();
	CHECK(!lhv_pit_next_edge(&pit, 0, 0, &next),
	      "after reset: no edge (no count)");
	CHECK(!lhv_pit_next_edge(&pit, 3, 0, &next), "no channel 3");
	program(0, 0x34, 0);
	t = lhv_dev_ticks(now, LHV_PIT_HZ);
	CHECK(lhv_pit_next_edge(&pit, 0, t, &next) && next == t + 65536,
	      "count 0 is 65536");
	now += 10 * LHV_NSEC_PER_SEC;
	CHECK(lhv_pit_next_edge(&pit, 0, t + 1000 * 65536 + 5, &next) &&
	      next == t + 1001 * 65536, "an edge long after: the next period");
	outb(0x30, PLAT_PORT_PIT + 3);
	CHECK(!lhv_pit_next_edge(&pit, 0, t, &next),
	      "a control word alone: nothing until a count");
	outb(0x10, PLAT_PORT_PIT);
	CHECK(!lhv_pit_next_edge(&pit, 0, t, &next),
	      "mode 0, half a count: still nothing");
}

/*
 * drivers/clocksource/i8253.c on channel 0: periodic at HZ, one-shot
 * events, shutdown.
 */
static void test_linux_clockevent(void)
{
	const uint16_t latch = (LHV_PIT_HZ + 125) / 250;	/* HZ=250 */
	uint64_t t, next, prev;
	unsigned int i;
	bool ok = true;

	reset();
	program(0, 0x34, latch);
	t = lhv_dev_ticks(now, LHV_PIT_HZ);
	prev = t;
	for (i = 0; i < 1000 && ok; i++) {
		ok = lhv_pit_next_edge(&pit, 0, prev, &next) &&
		     next == prev + latch;
		prev = next;
	}
	CHECK(ok, "periodic (0x34): an edge every LATCH ticks, 1000 times");
	CHECK(prev - t == 1000ULL * latch &&
	      lhv_dev_ns_at(prev, LHV_PIT_HZ) - lhv_dev_ns_at(t, LHV_PIT_HZ) <
	      4000000000ULL + 2000000ULL, "1000 ticks at 250 Hz: 4 s");

	outb(0x38, PLAT_PORT_PIT + 3);
	CHECK(!lhv_pit_next_edge(&pit, 0, prev, &next),
	      "one-shot (0x38) set: nothing until the event is armed");
	now += 777777;
	outb(100, PLAT_PORT_PIT);
	outb(0, PLAT_PORT_PIT);
	t = lhv_dev_ticks(now, LHV_PIT_HZ);
	CHECK(lhv_pit_next_edge(&pit, 0, t, &next) && next == t + 101,
	      "event in 100 ticks: OUT rises after the low tick");
	CHECK(!lhv_pit_next_edge(&pit, 0, next, &next),
	      "and only once");

	outb(0x30, PLAT_PORT_PIT + 3);
	outb(0, PLAT_PORT_PIT);
	outb(0, PLAT_PORT_PIT);
	t = lhv_dev_ticks(now, LHV_PIT_HZ);
	CHECK(lhv_pit_next_edge(&pit, 0, t, &next) && next == t + 65536 &&
	      !lhv_pit_next_edge(&pit, 0, next, &next),
	      "shutdown (0x30, 0, 0): one edge 65536 ticks on, then none");
}

/*
 * The launcher's IRQ 0 thread: on time, late, very late, and a PIT
 * faster than the raises may be spaced.
 */
static void test_irq_poll(void)
{
	const uint16_t latch = (LHV_PIT_HZ + 125) / 250;
	struct lhv_pit_irq irq = { 0 };
	uint64_t wake, t0, period_ns = 4000000, raised;
	unsigned int i;
	bool ok = true;

	reset();
	CHECK(!lhv_pit_irq_poll(&pit, &irq, now, &wake) && wake == UINT64_MAX,
	      "nothing programmed: no raise, sleep until the PIT is written");
	program(0, 0x34, latch);
	t0 = now;
	CHECK(!lhv_pit_irq_poll(&pit, &irq, now, &wake) &&
	      wake > t0 + period_ns - 1000 && wake < t0 + period_ns + 1000,
	      "periodic: wake at the first edge, 4 ms on");
	for (i = 0; i < 100 && ok; i++) {
		now = wake;
		ok = lhv_pit_irq_poll(&pit, &irq, now, &wake) &&
		     wake > now + period_ns - 1000 && irq.owed == 0;
	}
	CHECK(ok, "on time: one raise per edge, then wake at the next");

	/* 17 ms late: 5 edges owed, raised 0.5 ms apart, then on time again. */
	now = wake + 4 * period_ns + period_ns / 4;
	CHECK(lhv_pit_irq_poll(&pit, &irq, now, &wake) && irq.owed == 4 &&
	      wake == now + LHV_PIT_IRQ_GAP_NS, "17 ms late: one raised now");
	CHECK(!lhv_pit_irq_poll(&pit, &irq, wake - 1, &wake) &&
	      wake == now + LHV_PIT_IRQ_GAP_NS, "not before the gap");
	for (raised = 1; irq.owed && raised < 10; raised++) {
		now = wake;
		ok &= lhv_pit_irq_poll(&pit, &irq, now, &wake);
	}
	CHECK(ok && raised == 5 && wake > now &&
	      wake < now + period_ns, "all five raised, a gap apart");
	now = wake;
	CHECK(lhv_pit_irq_poll(&pit, &irq, now, &wake) && irq.owed == 0,
	      "the next edge on time");

	/* A second late: at most LHV_PIT_IRQ_MAX_OWED, the rest dropped. */
	now += LHV_NSEC_PER_SEC;
	CHECK(lhv_pit_irq_poll(&pit, &irq, now, &wake) &&
	      irq.owed == LHV_PIT_IRQ_MAX_OWED - 1,
	      "a second late: LHV_PIT_IRQ_MAX_OWED owed, not 250");
	CHECK(irq.last + latch > lhv_dev_ticks(now, LHV_PIT_HZ),
	      "and the edges dropped are not counted later");

	/* 10 kHz: at most one raise per gap, never a busy loop. */
	reset();
	irq = (struct lhv_pit_irq){ 0 };
	program(0, 0x34, LHV_PIT_HZ / 10000);
	t0 = now;
	raised = 0;
	ok = true;
	for (i = 0; i < 1000; i++) {
		raised += lhv_pit_irq_poll(&pit, &irq, now, &wake);
		ok &= wake > now;
		now = wake;
	}
	CHECK(ok, "10 kHz: each wake is in the future");
	CHECK(raised * LHV_PIT_IRQ_GAP_NS <= now - t0 + LHV_PIT_IRQ_GAP_NS,
	      "10 kHz: raises at most one per gap");

	/* A one-shot event armed after the thread went to sleep. */
	reset();
	irq = (struct lhv_pit_irq){ 0 };
	outb(0x38, PLAT_PORT_PIT + 3);
	CHECK(!lhv_pit_irq_poll(&pit, &irq, now, &wake) && wake == UINT64_MAX,
	      "one-shot mode set: nothing to wait for");
	outb(0x10, PLAT_PORT_PIT);
	outb(0x00, PLAT_PORT_PIT);
	CHECK(!lhv_pit_irq_poll(&pit, &irq, now, &wake) && wake != UINT64_MAX,
	      "armed: wake at the event");
	now = wake;
	CHECK(lhv_pit_irq_poll(&pit, &irq, now, &wake) && wake == UINT64_MAX,
	      "event: one raise, then nothing more");
}

static void test_ns_at(void)
{
	static const uint64_t ticks[] = {
		0, 1, LHV_PIT_HZ - 1, LHV_PIT_HZ, LHV_PIT_HZ + 1,
		123456789ULL, 1ULL << 40, (1ULL << 52) + 3,
	};
	unsigned int i;
	bool ok = true;
	uint64_t ns;

	for (i = 0; i < sizeof(ticks) / sizeof(ticks[0]); i++) {
		ns = lhv_dev_ns_at(ticks[i], LHV_PIT_HZ);
		ok &= lhv_dev_ticks(ns, LHV_PIT_HZ) == ticks[i] &&
		      (!ns || lhv_dev_ticks(ns - 1, LHV_PIT_HZ) < ticks[i]);
	}
	CHECK(ok, "lhv_dev_ns_at(): the first nanosecond of a tick, for years");
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
	test_ns_at();
	test_next_edge();
	test_linux_clockevent();
	test_irq_poll();
	return unit_done();
}
