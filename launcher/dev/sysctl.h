/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little system-control ports of a PC, which only ever end a run:
 *  - an absent i8042 at PLAT_PORT_KBD_DATA/PLAT_PORT_KBD_CMD: both read 0
 *    (output buffer empty, input buffer empty, so Linux's i8042 probe
 *    finds no keyboard), data writes are dropped, and a pulse-output
 *    command with the reset line low (0xf0-0xfe even; Linux sends 0xfe)
 *    raises LHV_DEV_EV_RESET;
 *  - the reset control register PLAT_PORT_RESET: reads return the last
 *    value written, a write with bit 2 set raises LHV_DEV_EV_RESET (the
 *    FADT's reset register: PLAT_ACPI_RESET_VALUE);
 *  - PLAT_PORT_POST, Linux's I/O delay port: writes dropped, reads 0xff;
 *  - isa-debug-exit at PLAT_PORT_DEBUG_EXIT: a write of any size 1, 2 or
 *    4 raises LHV_DEV_EV_DEBUG_EXIT with status (value << 1) | 1, as
 *    QEMU's isa-debug-exit with iosize 4 (but only at its first port:
 *    PLAT_PORT_MARKER follows it); it reads all-ones.
 * Each port is one byte wide: bytes of a wider access beyond it read
 * 0xff and are not written, except at the debug-exit port.
 */
#ifndef _LHV_DEV_SYSCTL_H
#define _LHV_DEV_SYSCTL_H

#include "dev.h"

#define LHV_RESET_CF9_RST	0x04	/* bit 2 of 0xcf9: do the reset */

struct lhv_sysctl {
	struct lhv_dev_events *events;
	uint8_t cf9;
};

void lhv_sysctl_init(struct lhv_sysctl *sys, struct lhv_dev_events *events);

uint32_t lhv_sysctl_read(struct lhv_sysctl *sys, uint16_t port,
			 unsigned int size);
void lhv_sysctl_write(struct lhv_sysctl *sys, uint16_t port, unsigned int size,
		      uint32_t val);

extern const struct lhv_pio_ops lhv_sysctl_pio_ops;

#endif /* _LHV_DEV_SYSCTL_H */
