// SPDX-License-Identifier: GPL-2.0
/*
 * The port bus (bus.h).  A dozen ranges at most, so lookups are a linear
 * scan: cheaper than the exit that brought us here by orders of magnitude.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus.h"

void lhv_bus_init(struct lhv_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

static int fail(char *err, size_t errlen, int ret, const char *name,
		const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "ports of %s: %s", name ? name : "?", why);
	return ret;
}

int lhv_bus_add(struct lhv_bus *bus, uint16_t first, unsigned int count,
		const char *name, const struct lhv_pio_ops *ops, void *dev,
		char *err, size_t errlen)
{
	unsigned int last = first + count - 1, i;
	struct lhv_bus_range *r;

	if (!count || last > 0xffff)
		return fail(err, errlen, -EINVAL, name, "empty or past 0xffff");
	if (!ops || !ops->read || !ops->write)
		return fail(err, errlen, -EINVAL, name, "no handlers");
	for (i = 0; i < bus->nr_ranges; i++) {
		r = &bus->range[i];
		if (first <= r->last && last >= r->first)
			return fail(err, errlen, -EBUSY, name,
				    "overlap a registered device");
	}
	if (bus->nr_ranges >= LHV_BUS_MAX_RANGES)
		return fail(err, errlen, -ENOSPC, name, "too many ranges");
	r = &bus->range[bus->nr_ranges++];
	r->first = first;
	r->last = last;
	r->name = name;
	r->ops = ops;
	r->dev = dev;
	return 0;
}

const struct lhv_bus_range *lhv_bus_find(const struct lhv_bus *bus,
					 uint16_t port)
{
	unsigned int i;

	for (i = 0; i < bus->nr_ranges; i++)
		if (port >= bus->range[i].first && port <= bus->range[i].last)
			return &bus->range[i];
	return NULL;
}

/* Tally an unclaimed access, keeping the table sorted by port. */
static void tally(struct lhv_bus *bus, uint16_t port, bool is_write)
{
	struct lhv_bus_port_stat *s;
	unsigned int i;

	for (i = 0; i < bus->nr_unclaimed && bus->unclaimed[i].port < port; i++)
		;
	if (i == bus->nr_unclaimed || bus->unclaimed[i].port != port) {
		if (bus->nr_unclaimed == LHV_BUS_MAX_STATS) {
			bus->unclaimed_overflow++;
			return;
		}
		memmove(&bus->unclaimed[i + 1], &bus->unclaimed[i],
			(bus->nr_unclaimed - i) * sizeof(bus->unclaimed[0]));
		bus->nr_unclaimed++;
		bus->unclaimed[i] = (struct lhv_bus_port_stat){ .port = port };
	}
	s = &bus->unclaimed[i];
	if (is_write)
		s->writes++;
	else
		s->reads++;
}

bool lhv_bus_pio(struct lhv_bus *bus, uint16_t port, unsigned int size,
		 bool is_write, uint32_t *data)
{
	const struct lhv_bus_range *r = NULL;
	uint32_t mask = lhv_dev_ones(size);

	if (size == 1 || size == 2 || size == 4)
		r = lhv_bus_find(bus, port);
	if (!r) {
		tally(bus, port, is_write);
		if (!is_write)
			*data = mask;
		return false;
	}
	if (is_write)
		r->ops->write(r->dev, port, size, *data & mask);
	else
		*data = r->ops->read(r->dev, port, size) & mask;
	return true;
}

uint32_t lhv_bus_take_events(struct lhv_bus *bus, struct lhv_dev_events *out)
{
	uint32_t pending = bus->events.pending;

	if (out)
		*out = bus->events;
	memset(&bus->events, 0, sizeof(bus->events));
	return pending;
}

size_t lhv_bus_format_unclaimed(const struct lhv_bus *bus, char *buf,
				size_t len)
{
	size_t need = 0;
	unsigned int i;
	int n;

	if (len)
		buf[0] = '\0';
	for (i = 0; i <= bus->nr_unclaimed; i++) {
		char *at = need < len ? buf + need : NULL;
		size_t room = need < len ? len - need : 0;

		if (i < bus->nr_unclaimed)
			n = snprintf(at, room, "port 0x%04x: %llu reads, %llu writes\n",
				     bus->unclaimed[i].port,
				     (unsigned long long)bus->unclaimed[i].reads,
				     (unsigned long long)bus->unclaimed[i].writes);
		else if (bus->unclaimed_overflow)
			n = snprintf(at, room, "%llu more accesses to ports not listed\n",
				     (unsigned long long)bus->unclaimed_overflow);
		else
			break;
		if (n > 0)
			need += n;
	}
	return need;
}
