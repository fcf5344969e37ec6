// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 keeps no running counter: a channel remembers when its count
 * was loaded and how many ticks it counted before any pause of its gate,
 * and its count and OUT are worked out from the clock at each access.
 */
#include <string.h>

#include "../platform.h"
#include "pit.h"

#define REFRESH_NS	15085		/* port B bit 4 toggles this often */

static uint64_t ticks_now(const struct lhv_pit *pit)
{
	return lhv_dev_ticks(lhv_dev_now(&pit->clock), LHV_PIT_HZ);
}

static uint32_t modulus(const struct lhv_pit_channel *c)
{
	return c->bcd ? 10000 : 65536;
}

/* Ticks this count has been counting for (a clock going back adds none). */
static uint64_t elapsed(const struct lhv_pit *pit,
			const struct lhv_pit_channel *c)
{
	uint64_t now;

	if (!c->running)
		return c->acc;
	now = ticks_now(pit);
	return c->acc + (now > c->since ? now - c->since : 0);
}

/* Modes 1 and 5 wait for a gate edge; 2 and 3 freeze while it is low. */
static bool one_shot(const struct lhv_pit_channel *c)
{
	return c->mode == 1 || c->mode == 5;
}

static bool periodic(const struct lhv_pit_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

static bool channel_out(const struct lhv_pit *pit,
			const struct lhv_pit_channel *c)
{
	uint64_t d, n = c->reload;

	if (!c->loaded)
		return c->mode != 0;	/* a mode 0 control word drives OUT low */
	if (one_shot(c) && !c->triggered)
		return true;
	if (periodic(c) && !c->gate)
		return true;
	d = elapsed(pit, c);
	switch (c->mode) {
	case 0:
	case 1:
		return d >= n;			/* high at terminal count */
	case 2:
		return d % n != n - 1;		/* low for the tick at count 1 */
	case 3:
		return d % n < (n + 1) / 2;	/* high for the first half */
	default:
		return d != n;			/* 4, 5: one low tick at 0 */
	}
}

/* The counting element, as binary (BCD is encoded by the caller). */
static uint32_t channel_count(const struct lhv_pit *pit,
			      const struct lhv_pit_channel *c)
{
	uint64_t d, r, n = c->reload, half = (c->reload + 1) / 2;
	uint32_t w = modulus(c);

	if (!c->loaded || (one_shot(c) && !c->triggered))
		return n % w;
	d = elapsed(pit, c);
	switch (c->mode) {
	case 2:
		return (n - d % n) % w;
	case 3:
		/* Down by two per tick, reloading at each half period. */
		r = d % n;
		return (n - 2 * (r < half ? r : r - half)) % w;
	default:
		/* 0, 1, 4, 5 count on through zero, wrapping. */
		return (n + w - d % w) % w;
	}
}

static uint16_t to_bcd(uint32_t v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
	       (v / 10 % 10) << 4 | v % 10;
}

static uint32_t from_bcd(uint16_t v)
{
	return (v >> 12 & 0xf) * 1000 + (v >> 8 & 0xf) * 100 +
	       (v >> 4 & 0xf) * 10 + (v & 0xf);
}

static uint16_t count_value(const struct lhv_pit *pit,
			    const struct lhv_pit_channel *c)
{
	uint32_t v = channel_count(pit, c);

	return c->bcd ? to_bcd(v) : v;
}

bool lhv_pit_out(struct lhv_pit *pit, unsigned int ch)
{
	return ch < 3 && channel_out(pit, &pit->ch[ch]);
}

/*
 * Works in the channel's elapsed ticks (elapsed()), where channel_out()'s
 * rising edges sit at fixed values, then maps the first one past @after
 * back to the clock: a running channel's elapsed count is acc at since.
 */
bool lhv_pit_next_edge(const struct lhv_pit *pit, unsigned int ch,
		       uint64_t after, uint64_t *tick)
{
	const struct lhv_pit_channel *c;
	uint64_t e_after, edge, n;

	if (ch >= 3)
		return false;
	c = &pit->ch[ch];
	n = c->reload;
	if (!c->loaded || !c->running)
		return false;
	e_after = c->acc + (after > c->since ? after - c->since : 0);
	switch (c->mode) {
	case 0:
	case 1:
		edge = n;			/* terminal count */
		break;
	case 4:
	case 5:
		edge = n + 1;			/* the end of the low tick */
		break;
	default:
		if (n < 2)
			return false;
		edge = (e_after / n + 1) * n;	/* each reload */
		break;
	}
	if (edge <= e_after)
		return false;
	*tick = c->since + (edge - c->acc);
	return true;
}

bool lhv_pit_irq_poll(const struct lhv_pit *pit, struct lhv_pit_irq *irq,
		      uint64_t now_ns, uint64_t *wake_ns)
{
	uint64_t now = lhv_dev_ticks(now_ns, LHV_PIT_HZ), edge;
	unsigned int n;
	bool raise = false;

	for (n = 0; lhv_pit_next_edge(pit, 0, irq->last, &edge) && edge <= now;
	     n++) {
		if (n == LHV_PIT_IRQ_MAX_OWED) {
			irq->last = now;	/* too far behind: drop the rest */
			break;
		}
		irq->last = edge;
		if (irq->owed < LHV_PIT_IRQ_MAX_OWED)
			irq->owed++;
	}
	if (irq->owed && now_ns >= irq->next_ns) {
		irq->owed--;
		irq->next_ns = now_ns + LHV_PIT_IRQ_GAP_NS;
		raise = true;
	}
	*wake_ns = UINT64_MAX;
	if (lhv_pit_next_edge(pit, 0, irq->last, &edge))
		*wake_ns = lhv_dev_ns_at(edge, LHV_PIT_HZ);
	if (irq->owed && irq->next_ns < *wake_ns)
		*wake_ns = irq->next_ns;
	return raise;
}

void lhv_pit_init(struct lhv_pit *pit, const struct lhv_dev_clock *clock)
{
	unsigned int i;

	memset(pit, 0, sizeof(*pit));
	pit->clock = *clock;
	for (i = 0; i < 3; i++) {
		pit->ch[i].rw = 3;
		pit->ch[i].reload = 65536;
		pit->ch[i].gate = i != 2;	/* port B bit 0 is 0 at reset */
	}
}

static void load(struct lhv_pit *pit, struct lhv_pit_channel *c, uint16_t raw)
{
	uint32_t n = c->bcd ? from_bcd(raw) : raw;

	c->reload = n ? n : modulus(c);
	c->loaded = true;
	c->acc = 0;
	c->since = ticks_now(pit);
	c->triggered = false;
	/* Modes 1 and 5 wait for a gate edge; the others need the gate high. */
	c->running = !one_shot(c) && c->gate;
}

static void write_count(struct lhv_pit *pit, struct lhv_pit_channel *c,
			uint8_t byte)
{
	switch (c->rw) {
	case 1:
		load(pit, c, byte);
		break;
	case 2:
		load(pit, c, byte << 8);
		break;
	default:
		if (!c->write_hi) {
			c->write_lsb = byte;
			c->write_hi = true;
			/* Mode 0: the first byte stops counting, OUT goes low. */
			if (c->mode == 0) {
				c->loaded = false;
				c->running = false;
			}
		} else {
			c->write_hi = false;
			load(pit, c, c->write_lsb | byte << 8);
		}
		break;
	}
}

static void latch_count(struct lhv_pit *pit, struct lhv_pit_channel *c)
{
	if (c->count_latched)
		return;			/* the first latch holds until read */
	c->count_latched = true;
	c->latch_hi = false;
	c->latch = count_value(pit, c);
}

static void latch_status(struct lhv_pit *pit, struct lhv_pit_channel *c)
{
	if (c->status_latched)
		return;
	c->status_latched = true;
	c->status = (channel_out(pit, c) ? 0x80 : 0) | (c->loaded ? 0 : 0x40) |
		    c->rw << 4 | c->mode << 1 | c->bcd;
}

static void write_control(struct lhv_pit *pit, uint8_t val)
{
	unsigned int sc = val >> 6, rw = val >> 4 & 3, i;
	struct lhv_pit_channel *c;

	if (sc == 3) {
		/* Read-back: bits 3:1 pick channels, 5 and 4 are active low. */
		for (i = 0; i < 3; i++) {
			if (!(val & 2 << i))
				continue;
			if (!(val & 0x20))
				latch_count(pit, &pit->ch[i]);
			if (!(val & 0x10))
				latch_status(pit, &pit->ch[i]);
		}
		return;
	}
	c = &pit->ch[sc];
	if (!rw) {
		latch_count(pit, c);
		return;
	}
	c->rw = rw;
	c->mode = val >> 1 & 7;
	if (c->mode > 5)
		c->mode -= 4;
	c->bcd = val & 1;
	c->loaded = false;
	c->running = false;
	c->triggered = false;
	c->acc = 0;
	c->write_hi = false;
	c->read_hi = false;
	c->count_latched = false;
	c->status_latched = false;
}

static uint8_t read_channel(struct lhv_pit *pit, struct lhv_pit_channel *c)
{
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->count_latched) {
		v = c->latch;
		if (c->rw == 3 && !c->latch_hi) {
			c->latch_hi = true;
			return v;
		}
		c->count_latched = false;
		return c->rw == 2 || c->rw == 3 ? v >> 8 : v;
	}
	v = count_value(pit, c);
	switch (c->rw) {
	case 1:
		return v;
	case 2:
		return v >> 8;
	default:
		c->read_hi = !c->read_hi;
		return c->read_hi ? v : v >> 8;
	}
}

static void set_gate2(struct lhv_pit *pit, bool gate)
{
	struct lhv_pit_channel *c = &pit->ch[2];
	uint64_t now;

	if (gate == c->gate)
		return;
	now = ticks_now(pit);
	c->gate = gate;
	if (!c->loaded)
		return;
	if (!gate) {
		/* Modes 0, 2, 3, 4 stop counting; 1 and 5 ignore the level. */
		if (!one_shot(c) && c->running) {
			c->acc = elapsed(pit, c);
			c->running = false;
		}
		return;
	}
	if (one_shot(c) || periodic(c)) {
		/* Rising edge: trigger (1, 5) or reload (2, 3). */
		c->acc = 0;
		c->triggered = true;
	}
	c->since = now;
	c->running = true;
}

static uint8_t read_port_b(struct lhv_pit *pit)
{
	uint8_t val = pit->port_b;

	if (lhv_dev_now(&pit->clock) / REFRESH_NS & 1)
		val |= LHV_SYS_B_REFRESH;
	if (channel_out(pit, &pit->ch[2]))
		val |= LHV_SYS_B_OUT2;
	return val;
}

static uint8_t pit_readb(struct lhv_pit *pit, uint16_t port)
{
	if (port == PLAT_PORT_SYS_B)
		return read_port_b(pit);
	if (port >= PLAT_PORT_PIT && port < PLAT_PORT_PIT + LHV_PIT_CONTROL)
		return read_channel(pit, &pit->ch[port - PLAT_PORT_PIT]);
	return 0xff;			/* the control port and strangers */
}

static void pit_writeb(struct lhv_pit *pit, uint16_t port, uint8_t val)
{
	if (port == PLAT_PORT_SYS_B) {
		pit->port_b = val & 0x0f;
		set_gate2(pit, val & LHV_SYS_B_GATE2);
	} else if (port == PLAT_PORT_PIT + LHV_PIT_CONTROL) {
		write_control(pit, val);
	} else if (port >= PLAT_PORT_PIT && port < PLAT_PORT_PIT + LHV_PIT_CONTROL) {
		write_count(pit, &pit->ch[port - PLAT_PORT_PIT], val);
	}
}

uint32_t lhv_pit_read(struct lhv_pit *pit, uint16_t port, unsigned int size)
{
	uint32_t val = 0;
	unsigned int i;

	for (i = 0; i < size && i < 4; i++)
		val |= (uint32_t)pit_readb(pit, port + i) << (8 * i);
	return val;
}

void lhv_pit_write(struct lhv_pit *pit, uint16_t port, unsigned int size,
		   uint32_t val)
{
	unsigned int i;

	for (i = 0; i < size && i < 4; i++)
		pit_writeb(pit, port + i, val >> (8 * i));
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_pit_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_pit_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_pit_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
