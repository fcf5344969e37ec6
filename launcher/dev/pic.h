/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two cascaded 8259A PICs of a PC (master at LHV_PIC_MASTER, slave
 * at LHV_PIC_SLAVE on the master's IR2) and the ELCR pair, as far as
 * Linux's arch/x86/kernel/i8259.c programs them.  Linux's probe_8259A()
 * writes 0xfb to the master's IMR and reads it back: without a PIC that
 * answers, Linux installs its NULL legacy PIC and has no IRQs 0-15 at
 * all, so ACPI cannot register its SCI (IRQ 9) and gives up, and the
 * PIT-based TSC calibration is skipped.
 *
 * Nothing here ever becomes pending.  This VM has no I/O APIC, and the
 * launcher cannot raise INTR: the vCPUs' local APICs are real hardware.
 * The only interrupts it can deliver are MSIs that the launcher sends
 * through LHV_SIGNAL_MSI, straight to a local APIC and never through
 * these chips.  So IRR and ISR always read 0, a poll finds nothing
 * (reads 0), and an EOI has no in-service bit to clear.  The model only
 * has to be programmable and read back what it was told.
 *
 * Modelled, per chip: ICW1 (bit 4 set on the even port) starts the
 * initialisation: it clears the IMR and the special mask mode, selects
 * IRR for status reads, and expects ICW2 (the vector base, bits 7:3),
 * ICW3 unless ICW1 says single (bit 1), and ICW4 if ICW1 asks (bit 0;
 * without it ICW4 counts as 0) on the odd port.  Outside that sequence
 * the odd port is OCW1, the IMR, read back in full.  On the even port,
 * OCW2 (bits 4:3 = 00) is accepted and does nothing else; OCW3 (bits
 * 4:3 = 01) selects IRR or ISR for reads, sets or clears the special
 * mask mode and arms a poll for the next even-port read.  Auto-EOI
 * (ICW4 bit 1) and edge/level (ICW1 bit 3) are stored.  The ELCR at
 * LHV_PIC_ELCR1/LHV_PIC_ELCR2 holds the edge/level bit of each IRQ and
 * reads back what was written, except bits of IRQs 0, 1, 2, 8 and 13,
 * which are always edge (0) on a PC chipset.  Linux's ACPI code writes
 * it to make its SCI level-triggered.
 *
 * Not modelled: priority rotation and the set-priority command (with no
 * request, no priority is ever compared), buffered mode, special fully
 * nested mode and 8080 mode (ICW4 is only stored).  Until the guest
 * initialises them, both chips are as a PC BIOS leaves them (vectors
 * 0x08 and 0x70, slave on IR2, 8086 mode, normal EOI), all masked.
 */
#ifndef _LHV_DEV_PIC_H
#define _LHV_DEV_PIC_H

#include "dev.h"

/* Ports: two per chip (command, data) and the two ELCR bytes. */
#define LHV_PIC_MASTER		0x20		/* 0x20-0x21 */
#define LHV_PIC_SLAVE		0xa0		/* 0xa0-0xa1 */
#define LHV_PIC_ELCR1		0x4d0		/* IRQs 0-7 */
#define LHV_PIC_ELCR2		0x4d1		/* IRQs 8-15 */
#define LHV_PIC_NR_PORTS	2		/* of a chip, and of the ELCR */

#define LHV_PIC_ICW1		0x10		/* even port: start init */
#define LHV_PIC_ICW1_IC4	0x01		/* ICW4 follows */
#define LHV_PIC_ICW1_SNGL	0x02		/* no cascade: no ICW3 */
#define LHV_PIC_ICW1_LTIM	0x08		/* level-triggered inputs */
#define LHV_PIC_ICW4_AEOI	0x02
#define LHV_PIC_OCW3		0x08		/* even port, bit 4 clear */
#define LHV_PIC_OCW3_READ_ISR	0x03		/* else 0x02: read IRR */
#define LHV_PIC_OCW3_POLL	0x04
#define LHV_PIC_OCW3_SET_SMM	0x60		/* else 0x40: clear it */

/* Bits of IRQs 0, 1, 2 and 8, 13 cannot be level. */
#define LHV_PIC_ELCR1_MASK	0xf8
#define LHV_PIC_ELCR2_MASK	0xde

struct lhv_pic_chip {
	uint8_t imr;
	uint8_t icw1;			/* the last one, as written */
	uint8_t vector;			/* ICW2 bits 7:3: IR0's vector */
	uint8_t icw3;			/* master: slave inputs; slave: its id */
	uint8_t icw4;			/* 0 if ICW1 did not ask for it */
	uint8_t next_icw;		/* 2, 3 or 4 while initialising; else 0 */
	bool aeoi;			/* ICW4 auto-EOI */
	bool special_mask;		/* OCW3 special mask mode */
	bool read_isr;			/* OCW3: even port reads ISR, not IRR */
	bool poll;			/* OCW3: the next even-port read polls */
};

struct lhv_pic {
	struct lhv_pic_chip master, slave;
	uint8_t elcr[2];
};

void lhv_pic_init(struct lhv_pic *pic);

/*
 * One guest access at @port of @size bytes: each byte goes to the port
 * it falls on; bytes on ports that are not the PIC's or the ELCR's read
 * 0xff and are not written.
 */
uint32_t lhv_pic_read(struct lhv_pic *pic, uint16_t port, unsigned int size);
void lhv_pic_write(struct lhv_pic *pic, uint16_t port, unsigned int size,
		   uint32_t val);

extern const struct lhv_pio_ops lhv_pic_pio_ops;

#endif /* _LHV_DEV_PIC_H */
