/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lhv-run's PC device models share: the injected clock, the run-ending
 * events a guest can request, the port-I/O handler table the bus calls,
 * and tick arithmetic that survives days of uptime.
 *
 * The models are pure logic: no system calls, no allocation, no threads.
 * Time comes only from the clock a model is given, so a unit test can
 * step it.  None of them lock: the launcher serialises every call into a
 * model (one mutex around lhv_bus_pio() and the rx/button injectors), and
 * the models' callbacks run with that lock held.
 */
#ifndef _LHV_DEV_H
#define _LHV_DEV_H

#include <stdbool.h>
#include <stdint.h>

#define LHV_NSEC_PER_SEC	1000000000ULL

/* A monotonic nanosecond clock; its origin is the launcher's choice. */
struct lhv_dev_clock {
	uint64_t (*now_ns)(void *opaque);
	void *opaque;
};

static inline uint64_t lhv_dev_now(const struct lhv_dev_clock *clock)
{
	return clock->now_ns(clock->opaque);
}

/*
 * Whole periods of a @hz clock in @ns nanoseconds, rounded down.  Split at
 * the second so that no product overflows for any @hz below 18 GHz and
 * any @ns a uint64_t holds (584 years).
 */
static inline uint64_t lhv_dev_ticks(uint64_t ns, uint64_t hz)
{
	return ns / LHV_NSEC_PER_SEC * hz +
	       ns % LHV_NSEC_PER_SEC * hz / LHV_NSEC_PER_SEC;
}

/*
 * The first nanosecond at which @ticks periods of a @hz clock have passed:
 * lhv_dev_ticks() of it is @ticks, of the nanosecond before it less.
 * Split like lhv_dev_ticks(), for @hz below 1 GHz.
 */
static inline uint64_t lhv_dev_ns_at(uint64_t ticks, uint64_t hz)
{
	return ticks / hz * LHV_NSEC_PER_SEC +
	       (ticks % hz * LHV_NSEC_PER_SEC + hz - 1) / hz;
}

/* All ones in the low @size bytes: what a floating ISA bus reads. */
static inline uint32_t lhv_dev_ones(unsigned int size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/*
 * Events that end (or restart) the run.  Devices set them as the guest
 * asks; the launcher reads and clears them after each exit it handed to
 * the bus.  Several may be pending at once; none is ever lost until taken.
 */
#define LHV_DEV_EV_RESET	(1u << 0)	/* i8042 0xfe or 0xcf9 bit 2 */
#define LHV_DEV_EV_POWEROFF	(1u << 1)	/* ACPI S5 through PM1a_CNT */
#define LHV_DEV_EV_DEBUG_EXIT	(1u << 2)	/* isa-debug-exit: .exit_status */

struct lhv_dev_events {
	uint32_t pending;	/* LHV_DEV_EV_* */
	uint32_t exit_status;	/* (value << 1) | 1 of the last debug exit */
	uint16_t reset_port;	/* the port whose write asked for the reset */
};

/* A device's port handlers as the bus sees them: @dev is its state. */
struct lhv_pio_ops {
	uint32_t (*read)(void *dev, uint16_t port, unsigned int size);
	void (*write)(void *dev, uint16_t port, unsigned int size,
		      uint32_t val);
};

#endif /* _LHV_DEV_H */
