// SPDX-License-Identifier: GPL-2.0
/*
 * System control ports (sysctl.h).  Nothing here acts on the machine: a
 * request becomes an event that the launcher picks up after the exit.
 */
#include <string.h>

#include "../platform.h"
#include "sysctl.h"

void lhv_sysctl_init(struct lhv_sysctl *sys, struct lhv_dev_events *events)
{
	memset(sys, 0, sizeof(*sys));
	sys->events = events;
}

static void reset(struct lhv_sysctl *sys, uint16_t port)
{
	sys->events->pending |= LHV_DEV_EV_RESET;
	sys->events->reset_port = port;
}

static uint8_t sys_readb(struct lhv_sysctl *sys, uint16_t port)
{
	switch (port) {
	case PLAT_PORT_KBD_DATA:
	case PLAT_PORT_KBD_CMD:
		return 0;		/* nothing to read, ready for nothing */
	case PLAT_PORT_RESET:
		return sys->cf9;
	default:
		return 0xff;		/* POST, and any port not ours */
	}
}

static void sys_writeb(struct lhv_sysctl *sys, uint16_t port, uint8_t val)
{
	switch (port) {
	case PLAT_PORT_KBD_CMD:
		/* Pulse output port bits: bit 0 is the CPU reset line. */
		if ((val & 0xf0) == 0xf0 && !(val & 0x01))
			reset(sys, port);
		break;
	case PLAT_PORT_RESET:
		sys->cf9 = val;
		if (val & LHV_RESET_CF9_RST)
			reset(sys, port);
		break;
	default:
		break;			/* i8042 data, POST: sinks */
	}
}

uint32_t lhv_sysctl_read(struct lhv_sysctl *sys, uint16_t port,
			 unsigned int size)
{
	uint32_t val = 0;
	unsigned int i;

	if (port == PLAT_PORT_DEBUG_EXIT)
		return lhv_dev_ones(size);
	for (i = 0; i < size && i < 4; i++) {
		uint8_t byte = i ? 0xff : sys_readb(sys, port);

		val |= (uint32_t)byte << (8 * i);
	}
	return val;
}

void lhv_sysctl_write(struct lhv_sysctl *sys, uint16_t port, unsigned int size,
		      uint32_t val)
{
	if (size != 1 && size != 2 && size != 4)
		return;
	if (port != PLAT_PORT_DEBUG_EXIT) {
		sys_writeb(sys, port, val);	/* the low byte is the port's */
		return;
	}
	val &= lhv_dev_ones(size);
	sys->events->pending |= LHV_DEV_EV_DEBUG_EXIT;
	sys->events->exit_status = val << 1 | 1;
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_sysctl_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_sysctl_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_sysctl_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
