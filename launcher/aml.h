/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DSDT's AML body (ACPI 6.0, chapter 20): \_S5_ for power-off and the
 * PCI host bridge \_SB_.PCI0, which is how Linux finds PCI bus 0 when
 * ACPI is on (drivers/acpi/pci_root.c binds _HID PNP0A03; x86 then skips
 * its legacy bus scan).  PCI0's _CRS gives bus 0 only, the configuration
 * ports 0xCF8-0xCFF as a consumer and the MMIO window lhv-run places
 * BARs in as a producer; no I/O window (no device has an I/O BAR), no
 * _PRT (devices interrupt by MSI-X only), no _OSC and no MCFG (Linux
 * uses configuration mechanism #1 on its own).
 */
#ifndef _LHV_AML_H
#define _LHV_AML_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes the body into @buf when it has room (@buf may be NULL to ask);
 * returns its length either way.
 */
size_t lhv_aml_dsdt(uint8_t *buf, size_t len);

#endif /* _LHV_AML_H */
