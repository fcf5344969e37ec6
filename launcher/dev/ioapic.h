/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal I/O APIC (82093AA register model, version 0x11, 24 pins) at
 * PLAT_IOAPIC_GPA: IOREGSEL at offset 0x00, IOWIN at 0x10, registers ID,
 * VER, ARB and the redirection table.  It has no wire to any local APIC:
 * an unmasked pin's rising edge is turned into the MSI the entry
 * describes (vector, delivery mode, destination mode and ID) and handed
 * to the @deliver callback, which the launcher sends with
 * LHV_SIGNAL_MSI (or KVM_SIGNAL_MSI).
 *
 * Level-triggered entries are accepted and delivered like edge ones: an
 * MSI with the edge trigger mode on each rising edge, Remote IRR never
 * set.  The guest's local APIC is the real one (lhv) and its EOI
 * broadcast goes to the host's I/O APICs, so no EOI could ever clear
 * Remote IRR here; LHV_SIGNAL_MSI refuses a level-triggered MSI, as a
 * real local APIC takes no level-triggered fixed IPI.  An edge MSI leaves
 * the vector's TMR bit clear, from which Linux concludes (ioapic_ack_level())
 * that the I/O APIC may be waiting for an EOI and rewrites the entry as
 * edge then level, which this model takes without delivering anything.
 * Every line wired here (the PIT's IRQ 0, COM1's IRQ 4) is an edge-
 * triggered ISA line, as the MADT says.  A rising edge on a masked pin
 * is latched and delivered when the guest unmasks it, as the hardware's
 * IRR keeps it; a line that is low by then drops the latch.
 */
#ifndef _LHV_DEV_IOAPIC_H
#define _LHV_DEV_IOAPIC_H

#include "dev.h"

#define LHV_IOAPIC_PINS		24
#define LHV_IOAPIC_MMIO_SIZE	0x1000		/* IOREGSEL, IOWIN; the rest reads 0 */
#define LHV_IOAPIC_VERSION	0x11

#define LHV_IOAPIC_REG_ID	0x00
#define LHV_IOAPIC_REG_VER	0x01
#define LHV_IOAPIC_REG_ARB	0x02
#define LHV_IOAPIC_REG_REDIR	0x10		/* 2 registers per pin */

/* Redirection entry bits (82093AA datasheet, 3.2.4). */
#define LHV_IOAPIC_VECTOR	0xffULL
#define LHV_IOAPIC_DELMODE	(7ULL << 8)
#define LHV_IOAPIC_DESTMODE	(1ULL << 11)	/* 1: logical */
#define LHV_IOAPIC_DELIVS	(1ULL << 12)	/* read-only */
#define LHV_IOAPIC_POLARITY	(1ULL << 13)	/* 1: active low */
#define LHV_IOAPIC_REMOTE_IRR	(1ULL << 14)	/* read-only */
#define LHV_IOAPIC_LEVEL	(1ULL << 15)
#define LHV_IOAPIC_MASKED	(1ULL << 16)
#define LHV_IOAPIC_DEST_SHIFT	56

struct lhv_ioapic {
	uint8_t id;
	uint32_t regsel;
	uint64_t redir[LHV_IOAPIC_PINS];
	uint32_t level;			/* each pin's input line */
	uint32_t latched;		/* edges seen while masked */
	uint64_t delivered;		/* MSIs sent */
	void (*deliver)(void *opaque, uint64_t address, uint32_t data);
	void *opaque;
};

/* Every pin masked, edge, fixed, vector 0, as after reset. */
void lhv_ioapic_init(struct lhv_ioapic *io, uint8_t id,
		     void (*deliver)(void *opaque, uint64_t address,
				     uint32_t data),
		     void *opaque);

/* An MMIO access at @off inside the window; only 4-byte ones do anything. */
uint32_t lhv_ioapic_read(struct lhv_ioapic *io, uint64_t off,
			 unsigned int size);
void lhv_ioapic_write(struct lhv_ioapic *io, uint64_t off, unsigned int size,
		      uint32_t val);

/*
 * Input @pin is now @asserted (the device's view: the entry's polarity
 * bit only tells the guest how the wire is driven).  An assertion after
 * a deassertion is an edge and may deliver.
 */
void lhv_ioapic_set_irq(struct lhv_ioapic *io, unsigned int pin,
			bool asserted);

/*
 * The MSI of redirection entry @entry (Intel SDM vol. 3, 11.11): the
 * address carries the destination and its mode, the data the vector and
 * the delivery mode; the trigger mode is always edge (see above).
 */
void lhv_ioapic_entry_msi(uint64_t entry, uint64_t *address, uint32_t *data);

#endif /* _LHV_DEV_IOAPIC_H */
