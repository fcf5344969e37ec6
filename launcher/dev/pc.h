/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The whole PC of launcher/platform.h in one structure: every device model
 * initialised and registered on one bus at its platform ports, so the
 * launcher needs one init call, lhv_bus_pio(&pc->bus, ...) for each PIO
 * exit and lhv_bus_take_events(&pc->bus, ...) after it.
 */
#ifndef _LHV_DEV_PC_H
#define _LHV_DEV_PC_H

#include "bus.h"
#include "cmos.h"
#include "fwcfg.h"
#include "ioapic.h"
#include "pci.h"
#include "pic.h"
#include "pit.h"
#include "pm.h"
#include "sysctl.h"
#include "uart.h"

struct lhv_pc_config {
	uint64_t ram_size;		/* fw_cfg RAM_SIZE */
	uint16_t nr_cpus;		/* fw_cfg NB_CPUS and MAX_CPUS */
	struct lhv_dev_clock clock;	/* PIT, PM timer, port B */
	int64_t (*wall_sec)(void *opaque);	/* RTC: UTC seconds */
	void (*uart_tx)(void *opaque, uint8_t byte);	/* COM1 output */
	void (*uart_irq)(void *opaque);	/* COM1 line rising; may be NULL */
	void (*sci)(void *opaque);	/* ACPI SCI rising; may be NULL */
	void *opaque;			/* for the four callbacks above */
	uint8_t ioapic_id;		/* the MADT's (lhv_acpi_ioapic_id()) */
	/* The I/O APIC's MSIs; may be NULL.  Its opaque is @opaque too. */
	void (*msi)(void *opaque, uint64_t address, uint32_t data);
};

struct lhv_pc {
	struct lhv_bus bus;
	struct lhv_uart com1;
	struct lhv_fwcfg fwcfg;
	struct lhv_cmos cmos;
	struct lhv_pm pm;
	struct lhv_pit pit;
	struct lhv_pic pic;
	struct lhv_sysctl sys;
	struct lhv_ioapic ioapic;
	struct lhv_pci pci;
};

/*
 * 0, or a negative errno from lhv_bus_add() with its reason in @err.  The
 * bus points into *@pc: it must stay where it is (no copies) while used.
 */
int lhv_pc_init(struct lhv_pc *pc, const struct lhv_pc_config *cfg,
		char *err, size_t errlen);

/*
 * An MMIO exit outside RAM: the I/O APIC or a PCI BAR.  True when one of
 * them claimed it (a read fills *@data).
 */
bool lhv_pc_mmio(struct lhv_pc *pc, uint64_t gpa, unsigned int size,
		 bool is_write, uint64_t *data);

#endif /* _LHV_DEV_PC_H */
