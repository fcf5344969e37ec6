// SPDX-License-Identifier: GPL-2.0
/*
 * PCI bus 0 and configuration mechanism #1 (pci.h).
 */
#include <errno.h>
#include <string.h>

#include "pci.h"

#define CFG_ENABLE	0x80000000u
#define CFG_BUS(a)	(((a) >> 16) & 0xff)
#define CFG_SLOT(a)	(((a) >> 11) & 0x1f)
#define CFG_FN(a)	(((a) >> 8) & 0x7)
#define CFG_REG(a)	((a) & 0xfc)

/* The header is 64 bytes; capabilities follow, dword-aligned. */
#define CAP_START	0x40

uint32_t lhv_pci_cfg_get(const struct lhv_pci_dev *dev, unsigned int off,
			 unsigned int size)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < size && off + i < LHV_PCI_CFG_SIZE; i++)
		v |= (uint32_t)dev->cfg[off + i] << (8 * i);
	return v;
}

void lhv_pci_cfg_set(struct lhv_pci_dev *dev, unsigned int off,
		     unsigned int size, uint32_t val)
{
	unsigned int i;

	for (i = 0; i < size && off + i < LHV_PCI_CFG_SIZE; i++)
		dev->cfg[off + i] = (uint8_t)(val >> (8 * i));
}

static void wmask_set(struct lhv_pci_dev *dev, unsigned int off,
		      unsigned int size, uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		dev->wmask[off + i] = (uint8_t)(mask >> (8 * i));
}

void lhv_pci_dev_init(struct lhv_pci_dev *dev, const char *name,
		      uint16_t vendor, uint16_t device, uint32_t class_code,
		      uint16_t subsys_vendor, uint16_t subsys_id,
		      const struct lhv_pci_dev_ops *ops, void *opaque)
{
	memset(dev, 0, sizeof(*dev));
	dev->name = name;
	dev->ops = ops;
	dev->opaque = opaque;
	dev->cap_end = CAP_START;
	lhv_pci_cfg_set(dev, LHV_PCI_VENDOR_ID, 2, vendor);
	lhv_pci_cfg_set(dev, LHV_PCI_DEVICE_ID, 2, device);
	lhv_pci_cfg_set(dev, LHV_PCI_CLASS_PROG, 3, class_code);
	lhv_pci_cfg_set(dev, LHV_PCI_SUBSYS_VENDOR, 2, subsys_vendor);
	lhv_pci_cfg_set(dev, LHV_PCI_SUBSYS_ID, 2, subsys_id);
	wmask_set(dev, LHV_PCI_COMMAND, 2, LHV_PCI_CMD_MEM |
		  LHV_PCI_CMD_MASTER | LHV_PCI_CMD_INTX_OFF);
	wmask_set(dev, LHV_PCI_INT_LINE, 1, 0xff);
}

void lhv_pci_dev_bar(struct lhv_pci_dev *dev, unsigned int bar, uint32_t size)
{
	if (bar >= LHV_PCI_BARS || size < 16 || (size & (size - 1)))
		return;
	dev->bar_size[bar] = size;
	/* Type 0 (32-bit memory), not prefetchable: the low bits read 0. */
	wmask_set(dev, LHV_PCI_BAR0 + 4 * bar, 4, ~(size - 1));
}

unsigned int lhv_pci_dev_cap(struct lhv_pci_dev *dev, uint8_t id,
			     unsigned int len)
{
	unsigned int off = dev->cap_end;

	if (len < 2 || off + len > LHV_PCI_CFG_SIZE)
		return 0;
	dev->cfg[off] = id;
	dev->cfg[off + 1] = dev->cfg[LHV_PCI_CAP_PTR];
	dev->cfg[LHV_PCI_CAP_PTR] = (uint8_t)off;
	lhv_pci_cfg_set(dev, LHV_PCI_STATUS, 2,
			lhv_pci_cfg_get(dev, LHV_PCI_STATUS, 2) |
			LHV_PCI_STATUS_CAPS);
	dev->cap_end = (off + len + 3) & ~3u;
	return off;
}

void lhv_pci_init(struct lhv_pci *pci, uint64_t mmio, uint64_t size)
{
	memset(pci, 0, sizeof(*pci));
	pci->next_mmio = mmio;
	pci->mmio_end = mmio + size;
	lhv_pci_dev_init(&pci->host, "host-bridge", LHV_PCI_HOST_VENDOR,
			 LHV_PCI_HOST_DEVICE, LHV_PCI_CLASS_HOST, 0, 0, NULL,
			 NULL);
	pci->slot[0] = &pci->host;
}

int lhv_pci_plug(struct lhv_pci *pci, struct lhv_pci_dev *dev)
{
	uint64_t at = pci->next_mmio, base[LHV_PCI_BARS] = { 0 };
	unsigned int slot, bar;

	for (slot = 0; slot < LHV_PCI_SLOTS && pci->slot[slot]; slot++)
		;
	if (slot == LHV_PCI_SLOTS)
		return -ENOSPC;
	for (bar = 0; bar < LHV_PCI_BARS; bar++) {
		uint32_t size = dev->bar_size[bar];

		if (!size)
			continue;
		at = (at + size - 1) & ~(uint64_t)(size - 1);
		if (at + size > pci->mmio_end)
			return -ENOSPC;
		base[bar] = at;
		at += size;
	}
	for (bar = 0; bar < LHV_PCI_BARS; bar++)
		if (dev->bar_size[bar])
			lhv_pci_cfg_set(dev, LHV_PCI_BAR0 + 4 * bar, 4,
					(uint32_t)base[bar]);
	pci->next_mmio = at;
	pci->slot[slot] = dev;
	return (int)slot;
}

uint64_t lhv_pci_bar_addr(const struct lhv_pci_dev *dev, unsigned int bar)
{
	if (bar >= LHV_PCI_BARS || !dev->bar_size[bar])
		return 0;
	return lhv_pci_cfg_get(dev, LHV_PCI_BAR0 + 4 * bar, 4) & ~0xfu;
}

bool lhv_pci_mmio(struct lhv_pci *pci, uint64_t gpa, unsigned int size,
		  bool is_write, uint64_t *data)
{
	unsigned int slot, bar;

	for (slot = 1; slot < LHV_PCI_SLOTS; slot++) {
		struct lhv_pci_dev *dev = pci->slot[slot];

		if (!dev || !(lhv_pci_cfg_get(dev, LHV_PCI_COMMAND, 2) &
			      LHV_PCI_CMD_MEM))
			continue;
		for (bar = 0; bar < LHV_PCI_BARS; bar++) {
			uint64_t base = lhv_pci_bar_addr(dev, bar);
			uint64_t len = dev->bar_size[bar];

			if (!len || gpa < base || gpa - base > len - size)
				continue;
			if (is_write)
				dev->ops->bar_write(dev, bar, gpa - base, size,
						    *data);
			else
				*data = dev->ops->bar_read(dev, bar, gpa - base,
							   size);
			return true;
		}
	}
	return false;
}

static struct lhv_pci_dev *selected(struct lhv_pci *pci)
{
	uint32_t a = pci->address;

	if (!(a & CFG_ENABLE) || CFG_BUS(a) || CFG_FN(a))
		return NULL;
	return pci->slot[CFG_SLOT(a)];
}

uint32_t lhv_pci_read(void *opaque, uint16_t port, unsigned int size)
{
	struct lhv_pci *pci = opaque;
	struct lhv_pci_dev *dev;
	unsigned int off;

	if (port == 0xcf8)
		return size == 4 ? pci->address : lhv_dev_ones(size);
	if (port < 0xcfc)
		return lhv_dev_ones(size);
	dev = selected(pci);
	off = CFG_REG(pci->address) + (port & 3);
	if (!dev || off + size > LHV_PCI_CFG_SIZE)
		return lhv_dev_ones(size);
	return lhv_pci_cfg_get(dev, off, size);
}

void lhv_pci_write(void *opaque, uint16_t port, unsigned int size,
		   uint32_t val)
{
	struct lhv_pci *pci = opaque;
	struct lhv_pci_dev *dev;
	unsigned int off, i;

	if (port == 0xcf8) {
		if (size == 4)
			pci->address = val & ~3u;
		return;
	}
	if (port < 0xcfc)
		return;
	dev = selected(pci);
	off = CFG_REG(pci->address) + (port & 3);
	if (!dev || off + size > LHV_PCI_CFG_SIZE)
		return;
	for (i = 0; i < size; i++) {
		uint8_t m = dev->wmask[off + i];

		dev->cfg[off + i] = (dev->cfg[off + i] & ~m) |
				    ((uint8_t)(val >> (8 * i)) & m);
	}
	if (dev->ops && dev->ops->cfg_write)
		dev->ops->cfg_write(dev, off, size);
}

const struct lhv_pio_ops lhv_pci_pio_ops = {
	.read = lhv_pci_read,
	.write = lhv_pci_write,
};
