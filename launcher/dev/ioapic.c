// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O APIC (ioapic.h): an indirect register file and a redirection
 * table that turns pin edges into MSIs.
 */
#include <string.h>

#include "ioapic.h"

/* What a guest may write in an entry: everything but the status bits. */
#define REDIR_WRITABLE	(~(LHV_IOAPIC_DELIVS | LHV_IOAPIC_REMOTE_IRR))

void lhv_ioapic_init(struct lhv_ioapic *io, uint8_t id,
		     void (*deliver)(void *opaque, uint64_t address,
				     uint32_t data),
		     void *opaque)
{
	unsigned int i;

	memset(io, 0, sizeof(*io));
	io->id = id;
	io->deliver = deliver;
	io->opaque = opaque;
	for (i = 0; i < LHV_IOAPIC_PINS; i++)
		io->redir[i] = LHV_IOAPIC_MASKED;
}

void lhv_ioapic_entry_msi(uint64_t entry, uint64_t *address, uint32_t *data)
{
	uint64_t dest = entry >> LHV_IOAPIC_DEST_SHIFT;

	*address = 0xfee00000ULL | dest << 12 |
		   ((entry & LHV_IOAPIC_DESTMODE) ? 1u << 2 : 0);
	*data = (uint32_t)(entry & (LHV_IOAPIC_VECTOR | LHV_IOAPIC_DELMODE));
}

static void deliver(struct lhv_ioapic *io, unsigned int pin)
{
	uint64_t address;
	uint32_t data;

	io->latched &= ~(1u << pin);
	lhv_ioapic_entry_msi(io->redir[pin], &address, &data);
	io->delivered++;
	if (io->deliver)
		io->deliver(io->opaque, address, data);
}

void lhv_ioapic_set_irq(struct lhv_ioapic *io, unsigned int pin,
			bool asserted)
{
	uint32_t bit;
	bool rising;

	if (pin >= LHV_IOAPIC_PINS)
		return;
	bit = 1u << pin;
	rising = asserted && !(io->level & bit);
	if (asserted)
		io->level |= bit;
	else
		io->level &= ~bit;
	if (!rising)
		return;
	if (io->redir[pin] & LHV_IOAPIC_MASKED)
		io->latched |= bit;
	else
		deliver(io, pin);
}

static uint32_t reg_read(const struct lhv_ioapic *io, uint32_t reg)
{
	unsigned int pin;

	switch (reg) {
	case LHV_IOAPIC_REG_ID:
	case LHV_IOAPIC_REG_ARB:
		return (uint32_t)io->id << 24;
	case LHV_IOAPIC_REG_VER:
		return (LHV_IOAPIC_PINS - 1) << 16 | LHV_IOAPIC_VERSION;
	}
	if (reg < LHV_IOAPIC_REG_REDIR ||
	    reg >= LHV_IOAPIC_REG_REDIR + 2 * LHV_IOAPIC_PINS)
		return 0;
	pin = (reg - LHV_IOAPIC_REG_REDIR) / 2;
	return (uint32_t)(io->redir[pin] >> ((reg & 1) ? 32 : 0));
}

static void reg_write(struct lhv_ioapic *io, uint32_t reg, uint32_t val)
{
	uint64_t old, e;
	unsigned int pin;

	if (reg == LHV_IOAPIC_REG_ID) {
		io->id = val >> 24;
		return;
	}
	if (reg < LHV_IOAPIC_REG_REDIR ||
	    reg >= LHV_IOAPIC_REG_REDIR + 2 * LHV_IOAPIC_PINS)
		return;		/* VER, ARB and the rest are read-only */
	pin = (reg - LHV_IOAPIC_REG_REDIR) / 2;
	old = io->redir[pin];
	if (reg & 1)
		e = (old & 0xffffffffULL) | (uint64_t)val << 32;
	else
		e = (old & ~0xffffffffULL) | val;
	io->redir[pin] = (e & REDIR_WRITABLE) | (old & ~REDIR_WRITABLE);
	/* An edge that came while masked is not lost (the IRR held it). */
	if ((old & LHV_IOAPIC_MASKED) && !(e & LHV_IOAPIC_MASKED) &&
	    (io->latched & (1u << pin))) {
		if (io->level & (1u << pin))
			deliver(io, pin);
		else
			io->latched &= ~(1u << pin);
	}
}

uint32_t lhv_ioapic_read(struct lhv_ioapic *io, uint64_t off,
			 unsigned int size)
{
	if (size != 4)
		return lhv_dev_ones(size);
	if (off == 0x00)
		return io->regsel;
	if (off == 0x10)
		return reg_read(io, io->regsel);
	return 0;
}

void lhv_ioapic_write(struct lhv_ioapic *io, uint64_t off, unsigned int size,
		      uint32_t val)
{
	if (size != 4)
		return;
	if (off == 0x00)
		io->regsel = val & 0xff;
	else if (off == 0x10)
		reg_write(io, io->regsel, val);
}
