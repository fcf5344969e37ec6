/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port-I/O bus: which device model answers which ports, the single
 * entry point for a PIO exit, the tally of ports nobody answers, and the
 * run-ending events the devices raise.
 *
 * An access goes whole to the device that registered its first port; the
 * device reads 0xff for bytes beyond its own ports.  An access nobody
 * claims reads all-ones of its size (a floating ISA bus) and is dropped if
 * a write; either way it is tallied per port for the launcher's --verbose
 * listing, in a table of LHV_BUS_MAX_STATS ports kept in port order, with
 * an overflow count for accesses to ports that found the table full.
 * Sizes other than 1, 2 and 4 are never passed to a device: they count as
 * unclaimed.
 */
#ifndef _LHV_DEV_BUS_H
#define _LHV_DEV_BUS_H

#include <stddef.h>

#include "dev.h"

#define LHV_BUS_MAX_RANGES	24
#define LHV_BUS_MAX_STATS	64
#define LHV_BUS_ERR_LEN		120

struct lhv_bus_range {
	uint16_t first, last;		/* inclusive */
	const char *name;
	const struct lhv_pio_ops *ops;
	void *dev;
};

struct lhv_bus_port_stat {
	uint16_t port;
	uint64_t reads, writes;
};

struct lhv_bus {
	struct lhv_bus_range range[LHV_BUS_MAX_RANGES];
	unsigned int nr_ranges;
	struct lhv_bus_port_stat unclaimed[LHV_BUS_MAX_STATS];
	unsigned int nr_unclaimed;
	uint64_t unclaimed_overflow;	/* accesses not in the table */
	struct lhv_dev_events events;	/* for the devices to raise */
};

void lhv_bus_init(struct lhv_bus *bus);

/*
 * Ports [@first, @first + @count) go to @ops with @dev (@name for the
 * listings; not copied).  0, or a negative errno with a reason in @err:
 *   -EINVAL  no ports, past port 0xffff, or no ops
 *   -EBUSY   overlaps a range already registered
 *   -ENOSPC  LHV_BUS_MAX_RANGES ranges already
 */
int lhv_bus_add(struct lhv_bus *bus, uint16_t first, unsigned int count,
		const char *name, const struct lhv_pio_ops *ops, void *dev,
		char *err, size_t errlen);

/*
 * One PIO exit: a read fills *@data (low @size bytes), a write takes it.
 * True when a device claimed the port.
 */
bool lhv_bus_pio(struct lhv_bus *bus, uint16_t port, unsigned int size,
		 bool is_write, uint32_t *data);

/* The device registered at @port, or NULL. */
const struct lhv_bus_range *lhv_bus_find(const struct lhv_bus *bus,
					 uint16_t port);

/* Copies the pending events to *@out (if not NULL), clears them, returns them. */
uint32_t lhv_bus_take_events(struct lhv_bus *bus, struct lhv_dev_events *out);

/*
 * The unclaimed-port table as text, one "port 0x2f9: 3 reads, 1 writes"
 * line each, then the overflow if any.  Returns the length the whole text
 * needs (like snprintf); @buf gets as much as fits, NUL-terminated.
 */
size_t lhv_bus_format_unclaimed(const struct lhv_bus *bus, char *buf,
				size_t len);

#endif /* _LHV_DEV_BUS_H */
