// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of PCI bus 0 (launcher/dev/pci.c): configuration mechanism
 * #1 as Linux 6.1's arch/x86/pci/direct.c drives it, BAR placement and
 * sizing as drivers/pci/probe.c does it, the capability list, and MMIO
 * routing to a device's BARs with memory decoding on and off.
 */
#include <errno.h>
#include <string.h>

#include "../../launcher/dev/pci.h"
#include "../../launcher/platform.h"
#include "unit.h"

static struct lhv_pci pci;
static struct lhv_pci_dev dev, big;
static unsigned int cfg_writes, last_cfg_off;
static uint64_t last_bar, last_off, last_val;
static unsigned int last_size;

static uint64_t bar_read(struct lhv_pci_dev *d, unsigned int bar,
			 uint64_t off, unsigned int size)
{
	(void)d;
	last_bar = bar;
	last_off = off;
	last_size = size;
	return 0x1122334455667788ULL;
}

static void bar_write(struct lhv_pci_dev *d, unsigned int bar, uint64_t off,
		      unsigned int size, uint64_t val)
{
	(void)d;
	last_bar = bar;
	last_off = off;
	last_size = size;
	last_val = val;
}

static void cfg_write(struct lhv_pci_dev *d, unsigned int off,
		      unsigned int size)
{
	(void)d;
	(void)size;
	cfg_writes++;
	last_cfg_off = off;
}

static const struct lhv_pci_dev_ops ops = {
	.bar_read = bar_read, .bar_write = bar_write, .cfg_write = cfg_write,
};

static uint32_t cfg_read(unsigned int slot, unsigned int reg,
			 unsigned int size)
{
	lhv_pci_write(&pci, 0xcf8, 4, 0x80000000u | slot << 11 | (reg & 0xfc));
	return lhv_pci_read(&pci, 0xcfc + (reg & 3), size);
}

static void cfg_set(unsigned int slot, unsigned int reg, unsigned int size,
		    uint32_t val)
{
	lhv_pci_write(&pci, 0xcf8, 4, 0x80000000u | slot << 11 | (reg & 0xfc));
	lhv_pci_write(&pci, 0xcfc + (reg & 3), size, val);
}

static void test_conf1(void)
{
	lhv_pci_init(&pci, PLAT_PCI_MMIO_GPA, PLAT_PCI_MMIO_SIZE);
	/* pci_check_type1(): a byte to 0xcfb, then the dword round trip. */
	lhv_pci_write(&pci, 0xcfb, 1, 0x01);
	lhv_pci_write(&pci, 0xcf8, 4, 0x80000000);
	CHECK(lhv_pci_read(&pci, 0xcf8, 4) == 0x80000000,
	      "address register reads back");
	lhv_pci_write(&pci, 0xcf8, 1, 0x12);
	CHECK(lhv_pci_read(&pci, 0xcf8, 4) == 0x80000000 &&
	      lhv_pci_read(&pci, 0xcf8, 1) == 0xff,
	      "narrow accesses at 0xcf8 miss the address register");
	CHECK(cfg_read(0, 0, 4) == (LHV_PCI_HOST_DEVICE << 16 |
				    LHV_PCI_HOST_VENDOR), "host bridge IDs");
	CHECK(cfg_read(0, 0x0a, 2) == 0x0600, "class: host bridge");
	CHECK(cfg_read(0, 0x0e, 1) == 0, "header type 0, single function");
	CHECK(cfg_read(0, 0x02, 2) == LHV_PCI_HOST_DEVICE,
	      "a word at offset 2 through 0xcfe");
	CHECK(cfg_read(0, 0x01, 1) == (LHV_PCI_HOST_VENDOR >> 8),
	      "a byte at offset 1 through 0xcfd");
	CHECK(cfg_read(5, 0, 4) == 0xffffffff, "empty slot: all-ones");
	lhv_pci_write(&pci, 0xcf8, 4, 0x80000000u | 1 << 8);
	CHECK(lhv_pci_read(&pci, 0xcfc, 4) == 0xffffffff,
	      "function 1: all-ones");
	lhv_pci_write(&pci, 0xcf8, 4, 0x80010000u);
	CHECK(lhv_pci_read(&pci, 0xcfc, 4) == 0xffffffff, "bus 1: all-ones");
	lhv_pci_write(&pci, 0xcf8, 4, 0x00000000u);
	CHECK(lhv_pci_read(&pci, 0xcfc, 4) == 0xffffffff,
	      "enable bit clear: all-ones");
	cfg_set(0, 0x00, 4, 0);
	CHECK(cfg_read(0, 0, 2) == LHV_PCI_HOST_VENDOR, "IDs are read-only");
	cfg_set(0, 0x06, 2, 0xffff);
	CHECK(cfg_read(0, 0x06, 2) == 0, "status is read-only");
}

static void test_devices(void)
{
	uint64_t bar0, bar2, v;
	unsigned int cap1, cap2;
	int slot;

	lhv_pci_dev_init(&dev, "test", 0x1af4, 0x1043, 0x078000, 0x1af4, 3,
			 &ops, NULL);
	lhv_pci_dev_bar(&dev, 0, 0x4000);
	lhv_pci_dev_bar(&dev, 2, 0x1000);
	lhv_pci_dev_bar(&dev, 1, 12);		/* not a power of two */
	lhv_pci_dev_bar(&dev, 6, 0x1000);	/* no such BAR */
	CHECK(dev.bar_size[1] == 0, "bad BAR sizes refused");
	cap1 = lhv_pci_dev_cap(&dev, LHV_PCI_CAP_MSIX, 12);
	cap2 = lhv_pci_dev_cap(&dev, LHV_PCI_CAP_VENDOR, 17);
	CHECK(cap1 == 0x40 && cap2 == 0x4c, "capabilities dword-aligned");
	CHECK(lhv_pci_dev_cap(&dev, 9, 0x200) == 0, "too large: refused");
	slot = lhv_pci_plug(&pci, &dev);
	CHECK(slot == 1, "first device in slot 1");
	CHECK(cfg_read(1, 0, 4) == (0x1043u << 16 | 0x1af4), "its IDs");
	CHECK(cfg_read(1, 0x08, 4) == 0x07800000, "its class");
	CHECK(cfg_read(1, 0x2c, 4) == (3u << 16 | 0x1af4), "subsystem IDs");
	CHECK(cfg_read(1, 0x06, 2) & LHV_PCI_STATUS_CAPS, "capabilities bit");
	CHECK(cfg_read(1, 0x34, 1) == cap2 && cfg_read(1, cap2 + 1, 1) == cap1 &&
	      cfg_read(1, cap1 + 1, 1) == 0 && cfg_read(1, cap1, 1) == 0x11,
	      "capability list: vendor -> MSI-X -> end");
	bar0 = cfg_read(1, 0x10, 4);
	bar2 = cfg_read(1, 0x18, 4);
	CHECK(bar0 == PLAT_PCI_MMIO_GPA && bar2 == PLAT_PCI_MMIO_GPA + 0x4000,
	      "BARs placed in the window, naturally aligned");
	CHECK(cfg_read(1, 0x14, 4) == 0, "BAR 1 absent: reads 0");

	/* __pci_read_base(): decoding off, all-ones, read the size back. */
	cfg_set(1, 0x04, 2, 0);
	cfg_set(1, 0x10, 4, 0xffffffff);
	CHECK(cfg_read(1, 0x10, 4) == 0xffffc000, "BAR 0 sizing: 16 KiB");
	cfg_set(1, 0x14, 4, 0xffffffff);
	CHECK(cfg_read(1, 0x14, 4) == 0, "absent BAR sizes as 0");
	cfg_set(1, 0x10, 4, (uint32_t)bar0);
	CHECK(cfg_read(1, 0x10, 4) == bar0, "BAR 0 restored");
	CHECK(cfg_writes >= 4 && last_cfg_off == 0x10,
	      "the device sees its config writes");

	CHECK(!lhv_pci_mmio(&pci, bar0, 4, false, &v),
	      "memory decoding off: no MMIO");
	cfg_set(1, 0x04, 2, 0xffff);
	CHECK(cfg_read(1, 0x04, 2) == (LHV_PCI_CMD_MEM | LHV_PCI_CMD_MASTER |
				       LHV_PCI_CMD_INTX_OFF),
	      "command: only memory, master and INTx-disable stick");
	CHECK(lhv_pci_mmio(&pci, bar0 + 0x10, 4, false, &v) && last_bar == 0 &&
	      last_off == 0x10 && last_size == 4 && v == 0x1122334455667788ULL,
	      "read inside BAR 0");
	v = 0xabcd;
	CHECK(lhv_pci_mmio(&pci, bar2 + 0xff8, 8, true, &v) && last_bar == 2 &&
	      last_off == 0xff8 && last_size == 8 && last_val == 0xabcd,
	      "8-byte write at the end of BAR 2");
	CHECK(!lhv_pci_mmio(&pci, bar2 + 0xffc, 8, false, &v),
	      "an access across a BAR's end is not the device's");
	CHECK(!lhv_pci_mmio(&pci, bar0 - 4, 4, false, &v),
	      "below the BAR: nobody's");

	/* The guest moves BAR 2. */
	cfg_set(1, 0x18, 4, 0xf0000000);
	CHECK(lhv_pci_bar_addr(&dev, 2) == 0xf0000000 &&
	      lhv_pci_mmio(&pci, 0xf0000004, 4, false, &v) && last_bar == 2 &&
	      last_off == 4, "a moved BAR decodes at its new address");
	CHECK(!lhv_pci_mmio(&pci, bar2, 4, false, &v), "and not at the old");
	CHECK(cfg_read(1, 0xfc, 4) == 0 && cfg_read(1, 0xff, 1) == 0,
	      "the last dword of the 256-byte space");
}

static void test_full(void)
{
	int i, ret = 0;

	lhv_pci_init(&pci, PLAT_PCI_MMIO_GPA, 0x10000);
	lhv_pci_dev_init(&big, "big", 1, 2, 0, 0, 0, &ops, NULL);
	lhv_pci_dev_bar(&big, 0, 0x20000);
	CHECK(lhv_pci_plug(&pci, &big) == -ENOSPC, "window too small: -ENOSPC");
	CHECK(pci.slot[1] == NULL, "and not plugged");
	lhv_pci_init(&pci, PLAT_PCI_MMIO_GPA, PLAT_PCI_MMIO_SIZE);
	for (i = 1; i < LHV_PCI_SLOTS && ret >= 0; i++)
		ret = lhv_pci_plug(&pci, &dev);
	CHECK(ret == LHV_PCI_SLOTS - 1, "31 devices fit");
	CHECK(lhv_pci_plug(&pci, &dev) == -ENOSPC, "a 32nd: -ENOSPC");
}

int main(void)
{
	test_conf1();
	test_devices();
	test_full();
	return unit_done();
}
