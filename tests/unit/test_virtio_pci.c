// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the virtio PCI transport (launcher/dev/virtio_pci.c) as
 * Linux 6.1's virtio_pci_modern driver drives it (capabilities, feature
 * negotiation, queue setup with split 64-bit writes, MSI-X vectors read
 * back, notifications), MSI-X masking and the PBA, DEVICE_NEEDS_RESET,
 * reset; and of virtio-blk request parsing (launcher/dev/virtio_blk.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/dev/virtio_blk.h"
#include "../../launcher/dev/virtio_console.h"
#include "../../launcher/dev/virtio_net.h"
#include "../../launcher/dev/virtio_pci.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define RAM_SIZE	(1u << 20)

static uint8_t *ram_buf;
static struct lhv_guest_ram ram;
static struct lhv_pci pci;
static struct lhv_virtio vd;
static unsigned int notified = 99, resets, msis;
static uint64_t msi_addr;
static uint32_t msi_data;
static uint64_t bar;

static void on_notify(struct lhv_virtio *v, unsigned int q)
{
	(void)v;
	notified = q;
}

static uint32_t on_cfg(struct lhv_virtio *v, unsigned int off,
		       unsigned int size)
{
	(void)v;
	return lhv_blk_cfg_read(1000, off, size);
}

static void on_reset(struct lhv_virtio *v)
{
	(void)v;
	resets++;
}

static void on_msi(void *opaque, uint64_t address, uint32_t data)
{
	(void)opaque;
	msis++;
	msi_addr = address;
	msi_data = data;
}

static const struct lhv_virtio_ops ops = {
	.notify = on_notify, .cfg_read = on_cfg, .reset = on_reset,
};

static uint32_t cfg_read(unsigned int reg, unsigned int size)
{
	lhv_pci_write(&pci, 0xcf8, 4, 0x80000000u | 1 << 11 | (reg & 0xfc));
	return lhv_pci_read(&pci, 0xcfc + (reg & 3), size);
}

static void cfg_write(unsigned int reg, unsigned int size, uint32_t val)
{
	lhv_pci_write(&pci, 0xcf8, 4, 0x80000000u | 1 << 11 | (reg & 0xfc));
	lhv_pci_write(&pci, 0xcfc + (reg & 3), size, val);
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = 0;

	lhv_pci_mmio(&pci, bar + off, size, false, &v);
	return v;
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	lhv_pci_mmio(&pci, bar + off, size, true, &v);
}

/* The vendor capability of @type: its offset in config space, or 0. */
static unsigned int find_cap(unsigned int id, unsigned int type)
{
	unsigned int off = cfg_read(0x34, 1), n = 0;

	while (off && n++ < 48) {
		if (cfg_read(off, 1) == id && (!type || cfg_read(off + 3, 1) == type))
			return off;
		off = cfg_read(off + 1, 1);
	}
	return 0;
}

static void test_discovery(void)
{
	unsigned int c, t;
	static const uint32_t where[5] = { 0, LHV_VIRTIO_COMMON,
		LHV_VIRTIO_NOTIFY, LHV_VIRTIO_ISR, LHV_VIRTIO_DEVCFG };
	bool ok = true;

	lhv_pci_init(&pci, PLAT_PCI_MMIO_GPA, PLAT_PCI_MMIO_SIZE);
	lhv_virtio_init(&vd, "blk", 2, 0x018000, LHV_BLK_F_FLUSH, 1, 128, &ops,
			NULL, &ram, on_msi, NULL);
	CHECK(lhv_pci_plug(&pci, &vd.pci) == 1, "plugged in slot 1");
	CHECK(cfg_read(0, 4) == (0x1042u << 16 | 0x1af4), "1af4:1042 (block)");
	CHECK(cfg_read(8, 1) == 1, "revision 1: modern only");
	for (t = 1; t <= 4; t++) {
		c = find_cap(LHV_PCI_CAP_VENDOR, t);
		ok &= c && cfg_read(c + 4, 1) == 0 && cfg_read(c + 8, 4) == where[t];
	}
	CHECK(ok, "common, notify, ISR, device capabilities in BAR 0");
	c = find_cap(LHV_PCI_CAP_VENDOR, 2);
	CHECK(cfg_read(c + 2, 1) == 20 &&
	      cfg_read(c + 16, 4) == LHV_VIRTIO_NOTIFY_MULT,
	      "notify capability with its multiplier");
	c = find_cap(LHV_PCI_CAP_MSIX, 0);
	CHECK(c && cfg_read(c + 2, 2) == LHV_VIRTIO_MSIX - 1 &&
	      cfg_read(c + 4, 4) == LHV_VIRTIO_MSIX_TABLE &&
	      cfg_read(c + 8, 4) == LHV_VIRTIO_MSIX_PBA,
	      "MSI-X capability: table and PBA in BAR 0");
	cfg_write(4, 2, LHV_PCI_CMD_MEM | LHV_PCI_CMD_MASTER);
	bar = lhv_pci_bar_addr(&vd.pci, 0);
	CHECK(rd(LHV_VIRTIO_DEVCFG, 4) == 1000 && rd(LHV_VIRTIO_DEVCFG + 4, 4) == 0,
	      "device configuration: capacity");
	CHECK(rd(LHV_VIRTIO_DEVCFG + 12, 4) == LHV_BLK_SEG_MAX, "seg_max");
}

static void test_negotiation(void)
{
	wr(0x14, 1, LHV_VIRTIO_ACKNOWLEDGE | LHV_VIRTIO_DRIVER);
	wr(0x00, 4, 0);
	CHECK(rd(0x04, 4) == LHV_BLK_F_FLUSH, "features 0-31");
	wr(0x00, 4, 1);
	CHECK(rd(0x04, 4) == 1, "features 32-63: VERSION_1");
	CHECK(rd(0x12, 2) == 1, "one queue");

	wr(0x08, 4, 0);
	wr(0x0c, 4, LHV_BLK_F_FLUSH);
	wr(0x14, 1, 0x0b);
	CHECK(!(rd(0x14, 1) & LHV_VIRTIO_FEATURES_OK),
	      "FEATURES_OK refused without VERSION_1");
	wr(0x08, 4, 1);
	wr(0x0c, 4, 1 | 2);
	wr(0x14, 1, 0x0b);
	CHECK(!(rd(0x14, 1) & LHV_VIRTIO_FEATURES_OK),
	      "FEATURES_OK refused with a feature not offered");
	wr(0x0c, 4, 1);
	wr(0x14, 1, 0x0b);
	CHECK(rd(0x14, 1) & LHV_VIRTIO_FEATURES_OK, "FEATURES_OK accepted");
	CHECK(vd.driver_features == (LHV_VIRTIO_F_VERSION_1 | LHV_BLK_F_FLUSH),
	      "the driver's features");
}

static void test_queues(void)
{
	unsigned int c = find_cap(LHV_PCI_CAP_MSIX, 0);

	wr(0x10, 2, 0);
	CHECK(rd(0x10, 2) == 0, "config vector 0 read back");
	wr(0x16, 2, 0);
	CHECK(rd(0x18, 2) == 128, "queue 0: size 128");
	wr(0x18, 2, 100);
	CHECK(rd(0x18, 2) == 128, "a size not a power of 2 is not taken");
	wr(0x18, 2, 64);
	CHECK(rd(0x18, 2) == 64, "a smaller power of 2 is");
	wr(0x1a, 2, 1);
	CHECK(rd(0x1a, 2) == 1, "queue vector 1 read back");
	wr(0x1a, 2, 40);
	CHECK(rd(0x1a, 2) == LHV_VIRTIO_NO_VECTOR,
	      "a vector past the table reads NO_VECTOR");
	wr(0x1a, 2, 1);
	wr(0x20, 4, 0x1000);
	wr(0x24, 4, 0);
	wr(0x28, 4, 0x2000);
	wr(0x2c, 4, 0);
	wr(0x30, 8, 0x3000);
	CHECK(rd(0x20, 4) == 0x1000 && rd(0x28, 4) == 0x2000 &&
	      rd(0x30, 4) == 0x3000 && rd(0x34, 4) == 0,
	      "ring addresses, in halves and whole");
	wr(0x1c, 2, 1);
	CHECK(rd(0x1c, 2) == 1 && vd.vq[0].ready, "queue enabled");
	CHECK(lhv_virtq_check(&vd.vq[0], &ram) == 0, "its rings check");
	wr(0x20, 4, 0x5000);
	CHECK(rd(0x20, 4) == 0x1000, "rings are fixed once enabled");
	wr(0x16, 2, 3);
	CHECK(rd(0x18, 2) == 0 && rd(0x1c, 2) == 0, "no queue 3");

	wr(LHV_VIRTIO_NOTIFY, 2, 0);
	CHECK(notified == 99, "no notify before DRIVER_OK");
	wr(0x14, 1, 0x0f);
	wr(LHV_VIRTIO_NOTIFY + 4, 2, 1);
	CHECK(notified == 99, "no notify for queue 1");
	wr(LHV_VIRTIO_NOTIFY, 2, 0);
	CHECK(notified == 0, "notify for queue 0");

	/* MSI-X off: nothing goes out. */
	lhv_virtio_interrupt(&vd, 0);
	CHECK(msis == 0 && rd(LHV_VIRTIO_ISR, 1) == 1 && rd(LHV_VIRTIO_ISR, 1) == 0,
	      "without MSI-X: no message; the ISR reads and clears");
	cfg_write(c + 2, 2, 0x8000);
	lhv_virtio_interrupt(&vd, 0);
	CHECK(msis == 0 && (rd(LHV_VIRTIO_MSIX_PBA, 4) & 2),
	      "entry masked (after reset): held in the PBA");
	wr(LHV_VIRTIO_MSIX_TABLE + 16, 4, 0xfee01000);
	wr(LHV_VIRTIO_MSIX_TABLE + 20, 4, 0);
	wr(LHV_VIRTIO_MSIX_TABLE + 24, 4, 0x41);
	wr(LHV_VIRTIO_MSIX_TABLE + 28, 4, 0);
	CHECK(msis == 1 && msi_addr == 0xfee01000 && msi_data == 0x41 &&
	      !(rd(LHV_VIRTIO_MSIX_PBA, 4) & 2), "unmasked: sent, PBA clear");
	CHECK(rd(LHV_VIRTIO_MSIX_TABLE + 24, 4) == 0x41, "the table reads back");
	cfg_write(c + 2, 2, 0xc000);
	lhv_virtio_interrupt(&vd, 0);
	CHECK(msis == 1, "function masked: held");
	cfg_write(c + 2, 2, 0x8000);
	CHECK(msis == 2, "function unmasked: sent");
	ram_buf[0x2000] = LHV_VIRTQ_AVAIL_NO_INTERRUPT;
	lhv_virtio_interrupt(&vd, 0);
	CHECK(msis == 2, "the driver's NO_INTERRUPT is honoured");
	ram_buf[0x2000] = 0;

	lhv_virtio_fail(&vd);
	CHECK((rd(0x14, 1) & LHV_VIRTIO_NEEDS_RESET) && !lhv_virtio_live(&vd),
	      "a failed device: DEVICE_NEEDS_RESET");
	notified = 99;
	wr(LHV_VIRTIO_NOTIFY, 2, 0);
	CHECK(notified == 99, "and no notifies reach it");
	wr(0x14, 1, 0);
	CHECK(rd(0x14, 1) == 0 && resets == 1 && !vd.vq[0].ready &&
	      vd.vq[0].size == 128 && rd(0x1a, 2) == LHV_VIRTIO_NO_VECTOR,
	      "status 0 resets the device and its queues");
	wr(LHV_VIRTIO_MSIX_TABLE + 4096, 4, 1);
	CHECK(rd(0x7ffc, 4) == 0, "the rest of the BAR: harmless");
}

/* A request chain built by hand: header, data, status. */
static struct lhv_virtq_chain chain;

static void mk(uint32_t type, uint64_t sector, uint32_t data_len,
	       bool data_writable, bool with_status)
{
	uint8_t *h = ram_buf + 0x10000;

	memset(&chain, 0, sizeof(chain));
	memset(h, 0, 16);
	memcpy(h, &type, 4);
	memcpy(h + 8, &sector, 8);
	chain.buf[chain.nr++] = (struct lhv_virtq_buf){ h, 16, false };
	chain.nr_out = 1;
	chain.out_bytes = 16;
	if (data_len) {
		chain.buf[chain.nr++] = (struct lhv_virtq_buf){
			ram_buf + 0x20000, data_len, data_writable };
		if (data_writable) {
			chain.in_bytes += data_len;
		} else {
			chain.nr_out++;
			chain.out_bytes += data_len;
		}
	}
	if (with_status) {
		chain.buf[chain.nr++] = (struct lhv_virtq_buf){
			ram_buf + 0x30000, 1, true };
		chain.in_bytes++;
	}
}

static void test_blk(void)
{
	static struct lhv_blk_req r;

	mk(LHV_BLK_T_IN, 8, 4096, true, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && r.io &&
	      r.offset == 4096 && r.len == 4096 && r.niov == 1 &&
	      r.iov[0].iov_base == ram_buf + 0x20000 &&
	      r.status_byte == ram_buf + 0x30000, "read: sector 8, 4 KiB");
	mk(LHV_BLK_T_OUT, 0, 512, false, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && r.io &&
	      r.len == 512 && r.iov[0].iov_base == ram_buf + 0x20000,
	      "write: 512 bytes");
	CHECK(lhv_blk_parse(&chain, 1000, true, &r) == 0 && !r.io &&
	      r.status == LHV_BLK_S_IOERR, "write to a read-only disk: IOERR");
	mk(LHV_BLK_T_IN, 999, 1024, true, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && !r.io &&
	      r.status == LHV_BLK_S_IOERR, "read past the end: IOERR");
	mk(LHV_BLK_T_IN, 0xffffffffffffffffULL, 512, true, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && !r.io &&
	      r.status == LHV_BLK_S_IOERR, "sector 2^64-1: IOERR, no overflow");
	mk(LHV_BLK_T_IN, 999, 512, true, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && r.io,
	      "the last sector: fine");
	mk(LHV_BLK_T_FLUSH, 0, 0, false, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && r.io &&
	      r.type == LHV_BLK_T_FLUSH, "flush");
	mk(LHV_BLK_T_GET_ID, 0, 64, true, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && r.io &&
	      r.len == LHV_BLK_ID_BYTES, "get ID: 20 bytes at most");
	mk(77, 0, 0, false, true);
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == 0 && !r.io &&
	      r.status == LHV_BLK_S_UNSUPP, "unknown type: UNSUPP");
	mk(LHV_BLK_T_IN, 0, 512, true, false);
	chain.buf[1].writable = false;
	chain.in_bytes = 0;
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == -EINVAL,
	      "no writable status byte: malformed");
	mk(LHV_BLK_T_IN, 0, 0, false, true);
	chain.buf[0].len = 8;
	chain.out_bytes = 8;
	CHECK(lhv_blk_parse(&chain, 1000, false, &r) == -EINVAL,
	      "header shorter than 16 bytes: malformed");
	CHECK(lhv_blk_cfg_read(0x123456789ULL, 0, 4) == 0x23456789 &&
	      lhv_blk_cfg_read(0x123456789ULL, 4, 4) == 1 &&
	      lhv_blk_cfg_read(1, 100, 4) == 0, "config: capacity, then zeros");
}

static char out_buf[64];
static size_t out_len;

static void on_out(void *opaque, const uint8_t *buf, size_t len)
{
	(void)opaque;
	if (out_len + len <= sizeof(out_buf)) {
		memcpy(out_buf + out_len, buf, len);
		out_len += len;
	}
}

/* One queue of @vq at @base: descriptors, avail at +0x100, used at +0x200. */
static void ring_at(struct lhv_virtq *q, uint64_t base)
{
	q->desc = base;
	q->avail = base + 0x100;
	q->used = base + 0x200;
	q->size = 8;
	q->ready = true;
}

static void put_desc(uint64_t base, unsigned int i, uint64_t addr,
		     uint32_t len, uint16_t flags)
{
	uint8_t *d = ram_buf + base + 16 * i;

	memset(d, 0, 16);
	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
}

static void put_avail(uint64_t base, uint16_t idx, uint16_t head)
{
	memcpy(ram_buf + base + 0x100 + 4 + 2 * ((idx - 1) % 8), &head, 2);
	memcpy(ram_buf + base + 0x100 + 2, &idx, 2);
}

static void test_console_net(void)
{
	static struct lhv_vcon vc;
	uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 }, hdr[LHV_NET_HDR_BYTES];
	uint32_t used_len;

	memset(ram_buf, 0, RAM_SIZE);
	lhv_vcon_init(&vc, &ram, on_msi, NULL, on_out, NULL);
	CHECK(lhv_pci_cfg_get(&vc.vd.pci, 0, 4) == (0x1043u << 16 | 0x1af4),
	      "console: 1af4:1043");
	vc.vd.status = 0x0f;
	ring_at(&vc.vd.vq[LHV_VCON_TXQ], 0x40000);
	ring_at(&vc.vd.vq[LHV_VCON_RXQ], 0x50000);
	memcpy(ram_buf + 0x60000, "hello\n", 6);
	put_desc(0x40000, 0, 0x60000, 6, 0);
	put_avail(0x40000, 1, 0);
	vc.vd.ops->notify(&vc.vd, LHV_VCON_TXQ);
	CHECK(out_len == 6 && !memcmp(out_buf, "hello\n", 6) &&
	      vc.tx_bytes == 6, "console: the guest's bytes go out");
	CHECK(lhv_vcon_rx_push(&vc, (const uint8_t *)"abc", 3) == 0,
	      "console: no receive buffer, no input taken");
	put_desc(0x50000, 0, 0x61000, 2, LHV_VIRTQ_DESC_WRITE);
	put_avail(0x50000, 1, 0);
	CHECK(lhv_vcon_rx_push(&vc, (const uint8_t *)"abc", 3) == 2 &&
	      !memcmp(ram_buf + 0x61000, "ab", 2), "console: input fills a buffer");
	memcpy(&used_len, ram_buf + 0x50200 + 8, 4);
	CHECK(used_len == 2, "console: used length 2");
	put_desc(0x40000, 1, RAM_SIZE - 1, 6, 0);
	put_avail(0x40000, 2, 1);
	vc.vd.ops->notify(&vc.vd, LHV_VCON_TXQ);
	CHECK(out_len == 6 && (vc.vd.status & LHV_VIRTIO_NEEDS_RESET),
	      "console: a buffer past RAM fails the device, nothing sent");

	CHECK(lhv_net_cfg_read(mac, 0, 4) == 0x01005452 &&
	      lhv_net_cfg_read(mac, 4, 2) == 0x0302 &&
	      lhv_net_cfg_read(mac, 6, 2) == 1, "net: MAC, then link up");
	lhv_net_rx_header(hdr);
	CHECK(hdr[10] == 1 && hdr[0] == 0 && hdr[11] == 0,
	      "net: received header has num_buffers 1");
}

int main(void)
{
	ram_buf = calloc(1, RAM_SIZE);
	if (!ram_buf)
		return 1;
	ram = (struct lhv_guest_ram){ ram_buf, 0, RAM_SIZE };
	test_discovery();
	test_negotiation();
	test_queues();
	test_blk();
	test_console_net();
	free(ram_buf);
	return unit_done();
}
