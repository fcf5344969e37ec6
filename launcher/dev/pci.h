/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI bus 0 of lhv-run's PC: configuration mechanism #1 (address register
 * at port 0xCF8, data at 0xCFC-0xCFF), a host bridge at 00:00.0 and up
 * to 31 single-function devices, each with a 256-byte configuration
 * space and 32-bit memory BARs that the bus itself places in the MMIO
 * window [PLAT_PCI_MMIO_GPA, + PLAT_PCI_MMIO_SIZE), as firmware would.
 *
 * A device's configuration space is a byte array plus a mask of the bits
 * the guest may write; BARs are ordinary masked registers (writing
 * all-ones reads back the size), status is read-only, and the
 * device's cfg_write hook sees each write after it landed (MSI-X enable,
 * for one).  The guest may move a BAR; an MMIO access reaches the device
 * whose BAR holds it while the device's command register enables memory
 * decoding.
 *
 * Port 0xCF9 in the middle of the address register is the reset control
 * (sysctl.c); only 4-byte accesses at 0xCF8 reach the address register,
 * as on a PC chipset.  Other buses and functions read all-ones.
 */
#ifndef _LHV_DEV_PCI_H
#define _LHV_DEV_PCI_H

#include <stddef.h>

#include "dev.h"

#define LHV_PCI_SLOTS		32
#define LHV_PCI_CFG_SIZE	256
#define LHV_PCI_BARS		6

/* Configuration header offsets and bits (PCI Local Bus 3.0, 6.1). */
#define LHV_PCI_VENDOR_ID	0x00
#define LHV_PCI_DEVICE_ID	0x02
#define LHV_PCI_COMMAND		0x04
#define LHV_PCI_CMD_MEM		0x0002
#define LHV_PCI_CMD_MASTER	0x0004
#define LHV_PCI_CMD_INTX_OFF	0x0400
#define LHV_PCI_STATUS		0x06
#define LHV_PCI_STATUS_CAPS	0x0010
#define LHV_PCI_REVISION	0x08
#define LHV_PCI_CLASS_PROG	0x09
#define LHV_PCI_HEADER_TYPE	0x0e
#define LHV_PCI_BAR0		0x10
#define LHV_PCI_SUBSYS_VENDOR	0x2c
#define LHV_PCI_SUBSYS_ID	0x2e
#define LHV_PCI_CAP_PTR		0x34
#define LHV_PCI_INT_LINE	0x3c
#define LHV_PCI_INT_PIN		0x3d
#define LHV_PCI_CAP_VENDOR	0x09
#define LHV_PCI_CAP_MSIX	0x11

/* Red Hat's ID for QEMU's generic host bridge: Linux knows no quirk for it. */
#define LHV_PCI_HOST_VENDOR	0x1b36
#define LHV_PCI_HOST_DEVICE	0x0008
#define LHV_PCI_CLASS_HOST	0x060000

struct lhv_pci_dev;

struct lhv_pci_dev_ops {
	/* An access at offset @off of BAR @bar; @size is 1, 2, 4 or 8. */
	uint64_t (*bar_read)(struct lhv_pci_dev *dev, unsigned int bar,
			     uint64_t off, unsigned int size);
	void (*bar_write)(struct lhv_pci_dev *dev, unsigned int bar,
			  uint64_t off, unsigned int size, uint64_t val);
	/* After a configuration write landed; may be NULL. */
	void (*cfg_write)(struct lhv_pci_dev *dev, unsigned int off,
			  unsigned int size);
};

struct lhv_pci_dev {
	uint8_t cfg[LHV_PCI_CFG_SIZE];
	uint8_t wmask[LHV_PCI_CFG_SIZE];
	uint32_t bar_size[LHV_PCI_BARS];	/* 0: no BAR */
	unsigned int cap_end;			/* next free capability byte */
	const struct lhv_pci_dev_ops *ops;
	void *opaque;				/* the device model's */
	const char *name;
};

struct lhv_pci {
	uint32_t address;			/* 0xCF8 */
	struct lhv_pci_dev host;
	struct lhv_pci_dev *slot[LHV_PCI_SLOTS];
	uint64_t next_mmio;			/* BAR placement */
	uint64_t mmio_end;
};

extern const struct lhv_pio_ops lhv_pci_pio_ops;

/* The bus with its host bridge at slot 0; BARs from [@mmio, + @size). */
void lhv_pci_init(struct lhv_pci *pci, uint64_t mmio, uint64_t size);

/*
 * A fresh configuration space: IDs, class (base, sub, prog-if in
 * @class_code's bytes 2, 1, 0), type 0 header, memory decoding and bus
 * mastering writable, INTx disable writable, no interrupt pin.
 */
void lhv_pci_dev_init(struct lhv_pci_dev *dev, const char *name,
		      uint16_t vendor, uint16_t device, uint32_t class_code,
		      uint16_t subsys_vendor, uint16_t subsys_id,
		      const struct lhv_pci_dev_ops *ops, void *opaque);

/* BAR @bar: 32-bit memory, @size a power of two from 16 bytes. */
void lhv_pci_dev_bar(struct lhv_pci_dev *dev, unsigned int bar, uint32_t size);

/*
 * A capability of @len bytes (ID and next pointer included) linked at
 * the head of the list; its offset, or 0 when the space is full.
 */
unsigned int lhv_pci_dev_cap(struct lhv_pci_dev *dev, uint8_t id,
			     unsigned int len);

/*
 * Plugs @dev in the lowest free slot and places its BARs.  The slot, or
 * -ENOSPC (no slot, or the MMIO window is full).
 */
int lhv_pci_plug(struct lhv_pci *pci, struct lhv_pci_dev *dev);

/* Little-endian accessors of a configuration space. */
uint32_t lhv_pci_cfg_get(const struct lhv_pci_dev *dev, unsigned int off,
			 unsigned int size);
void lhv_pci_cfg_set(struct lhv_pci_dev *dev, unsigned int off,
		     unsigned int size, uint32_t val);

/* BAR @bar's current guest address (0 when the BAR has none). */
uint64_t lhv_pci_bar_addr(const struct lhv_pci_dev *dev, unsigned int bar);

/*
 * An MMIO access at @gpa: true when a device's enabled BAR holds all of
 * it (a read fills *@data, a write takes it).
 */
bool lhv_pci_mmio(struct lhv_pci *pci, uint64_t gpa, unsigned int size,
		  bool is_write, uint64_t *data);

/* Configuration reads and writes as the ports see them (tests, too). */
uint32_t lhv_pci_read(void *pci, uint16_t port, unsigned int size);
void lhv_pci_write(void *pci, uint16_t port, unsigned int size, uint32_t val);

#endif /* _LHV_DEV_PCI_H */
