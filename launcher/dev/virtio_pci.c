// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio 1.x PCI transport (virtio_pci.h).
 */
#include <string.h>

#include "virtio_pci.h"

/* Capability types (virtio 1.1, 4.1.4). */
#define CAP_COMMON	1
#define CAP_NOTIFY	2
#define CAP_ISR		3
#define CAP_DEVICE	4
#define CAP_LEN		16
#define CAP_NOTIFY_LEN	20

/* Common configuration registers (4.1.4.3). */
#define CC_DFSELECT	0x00
#define CC_DF		0x04
#define CC_GFSELECT	0x08
#define CC_GF		0x0c
#define CC_MSIX		0x10
#define CC_NUMQ		0x12
#define CC_STATUS	0x14
#define CC_CFGGEN	0x15
#define CC_Q_SELECT	0x16
#define CC_Q_SIZE	0x18
#define CC_Q_MSIX	0x1a
#define CC_Q_ENABLE	0x1c
#define CC_Q_NOFF	0x1e
#define CC_Q_DESC	0x20
#define CC_Q_AVAIL	0x28
#define CC_Q_USED	0x30
#define CC_SIZE		0x38

/* MSI-X capability: message control bits (PCI 3.0, 6.8.2.3). */
#define MSIX_LEN	12
#define MSIX_ENABLE	0x8000
#define MSIX_MASKALL	0x4000

#define ISR_QUEUE	1
#define ISR_CONFIG	2

static unsigned int msix_cap(const struct lhv_virtio *vd)
{
	unsigned int off = vd->pci.cfg[LHV_PCI_CAP_PTR];

	while (off && vd->pci.cfg[off] != LHV_PCI_CAP_MSIX)
		off = vd->pci.cfg[off + 1];
	return off;
}

static uint16_t msix_control(const struct lhv_virtio *vd)
{
	unsigned int cap = msix_cap(vd);

	return cap ? lhv_pci_cfg_get(&vd->pci, cap + 2, 2) : 0;
}

static void send_vector(struct lhv_virtio *vd, uint16_t v)
{
	const struct lhv_virtio_msix *e;
	uint16_t ctl = msix_control(vd);

	if (v >= LHV_VIRTIO_MSIX || !(ctl & MSIX_ENABLE))
		return;		/* no INTx pin: nothing to raise */
	e = &vd->msix[v];
	if ((ctl & MSIX_MASKALL) || (e->ctrl & 1)) {
		vd->msix_pending |= 1u << v;
		return;
	}
	vd->msix_pending &= ~(1u << v);
	vd->interrupts++;
	if (vd->msi)
		vd->msi(vd->msi_opaque, (uint64_t)e->addr_hi << 32 | e->addr_lo,
			e->data);
}

/* Held messages whose vector is no longer masked. */
static void flush_pending(struct lhv_virtio *vd)
{
	uint16_t v;

	for (v = 0; v < LHV_VIRTIO_MSIX; v++)
		if (vd->msix_pending & (1u << v))
			send_vector(vd, v);
}

void lhv_virtio_interrupt(struct lhv_virtio *vd, unsigned int q)
{
	if (q >= vd->nr_queues || lhv_virtq_no_interrupt(&vd->vq[q], vd->ram))
		return;
	vd->isr |= ISR_QUEUE;
	send_vector(vd, vd->vq[q].msix_vector);
}

void lhv_virtio_config_changed(struct lhv_virtio *vd)
{
	vd->generation++;
	vd->isr |= ISR_CONFIG;
	send_vector(vd, vd->msix_config);
}

void lhv_virtio_fail(struct lhv_virtio *vd)
{
	vd->errors++;
	if (vd->status & LHV_VIRTIO_NEEDS_RESET)
		return;
	vd->status |= LHV_VIRTIO_NEEDS_RESET;
	lhv_virtio_config_changed(vd);
}

bool lhv_virtio_live(const struct lhv_virtio *vd)
{
	return (vd->status & LHV_VIRTIO_DRIVER_OK) &&
	       !(vd->status & LHV_VIRTIO_NEEDS_RESET);
}

static void reset_state(struct lhv_virtio *vd)
{
	unsigned int i;

	vd->driver_features = 0;
	vd->features_sel = vd->driver_features_sel = 0;
	vd->msix_config = LHV_VIRTIO_NO_VECTOR;
	vd->status = 0;
	vd->isr = 0;
	vd->queue_sel = 0;
	for (i = 0; i < vd->nr_queues; i++)
		lhv_virtq_reset(&vd->vq[i], vd->queue_max);
}

/* The driver's reset: the device model forgets its requests too. */
static void reset(struct lhv_virtio *vd)
{
	reset_state(vd);
	vd->resets++;
	if (vd->ops->reset)
		vd->ops->reset(vd);
}

static struct lhv_virtq *selected_queue(struct lhv_virtio *vd)
{
	return vd->queue_sel < vd->nr_queues ? &vd->vq[vd->queue_sel] : NULL;
}

static uint64_t common_read(struct lhv_virtio *vd, unsigned int off,
			    unsigned int size)
{
	struct lhv_virtq *q = selected_queue(vd);
	uint64_t v;

	switch (off) {
	case CC_DFSELECT:
		return vd->features_sel;
	case CC_DF:
		return vd->features_sel < 2 ?
		       (uint32_t)(vd->features >> (32 * vd->features_sel)) : 0;
	case CC_GFSELECT:
		return vd->driver_features_sel;
	case CC_GF:
		return vd->driver_features_sel < 2 ?
		       (uint32_t)(vd->driver_features >>
				  (32 * vd->driver_features_sel)) : 0;
	case CC_MSIX:
		return vd->msix_config;
	case CC_NUMQ:
		return vd->nr_queues;
	case CC_STATUS:
		return vd->status;
	case CC_CFGGEN:
		return vd->generation;
	case CC_Q_SELECT:
		return vd->queue_sel;
	case CC_Q_SIZE:
		return q ? q->size : 0;
	case CC_Q_MSIX:
		return q ? q->msix_vector : LHV_VIRTIO_NO_VECTOR;
	case CC_Q_ENABLE:
		return q ? q->ready : 0;
	case CC_Q_NOFF:
		return vd->queue_sel;
	}
	if (!q || off < CC_Q_DESC || off >= CC_SIZE)
		return 0;
	v = off < CC_Q_AVAIL ? q->desc : off < CC_Q_USED ? q->avail : q->used;
	return (off & 4) ? v >> 32 : size == 8 ? v : (uint32_t)v;
}

/* Half or all of a 64-bit queue address. */
static void set_addr(uint64_t *addr, unsigned int off, unsigned int size,
		     uint64_t val)
{
	if (size == 8)
		*addr = val;
	else if (off & 4)
		*addr = (*addr & 0xffffffffULL) | (uint64_t)(uint32_t)val << 32;
	else
		*addr = (*addr & ~0xffffffffULL) | (uint32_t)val;
}

static void set_status(struct lhv_virtio *vd, uint8_t status)
{
	uint64_t allowed = vd->features;

	if (!status) {
		reset(vd);
		return;
	}
	/* FEATURES_OK only for a subset of ours that speaks virtio 1. */
	if ((status & LHV_VIRTIO_FEATURES_OK) &&
	    !(vd->status & LHV_VIRTIO_FEATURES_OK) &&
	    ((vd->driver_features & ~allowed) ||
	     !(vd->driver_features & LHV_VIRTIO_F_VERSION_1)))
		status &= ~LHV_VIRTIO_FEATURES_OK;
	vd->status = (status & ~LHV_VIRTIO_NEEDS_RESET) |
		     (vd->status & LHV_VIRTIO_NEEDS_RESET);
}

static uint16_t valid_vector(uint64_t v)
{
	return v < LHV_VIRTIO_MSIX ? (uint16_t)v : LHV_VIRTIO_NO_VECTOR;
}

static void common_write(struct lhv_virtio *vd, unsigned int off,
			 unsigned int size, uint64_t val)
{
	struct lhv_virtq *q = selected_queue(vd);
	/* Rings and sizes are fixed once the queue is enabled (2.6.1). */
	bool setup = q && !q->ready && !(vd->status & LHV_VIRTIO_DRIVER_OK);

	switch (off) {
	case CC_DFSELECT:
		vd->features_sel = (uint32_t)val;
		return;
	case CC_GFSELECT:
		vd->driver_features_sel = (uint32_t)val;
		return;
	case CC_GF:
		if (vd->driver_features_sel < 2 &&
		    !(vd->status & LHV_VIRTIO_FEATURES_OK)) {
			unsigned int sh = 32 * vd->driver_features_sel;

			vd->driver_features &= ~(0xffffffffULL << sh);
			vd->driver_features |= (uint64_t)(uint32_t)val << sh;
		}
		return;
	case CC_MSIX:
		vd->msix_config = valid_vector(val);
		return;
	case CC_STATUS:
		set_status(vd, (uint8_t)val);
		return;
	case CC_Q_SELECT:
		vd->queue_sel = (uint16_t)val;
		return;
	case CC_Q_SIZE:
		/* A power of 2 up to the maximum, or it stays as it was. */
		if (setup && val && val <= vd->queue_max && !(val & (val - 1)))
			q->size = (uint16_t)val;
		return;
	case CC_Q_MSIX:
		if (q)
			q->msix_vector = valid_vector(val);
		return;
	case CC_Q_ENABLE:
		if (setup && val == 1)
			q->ready = true;
		return;
	}
	if (!setup || off < CC_Q_DESC || off >= CC_SIZE)
		return;
	set_addr(off < CC_Q_AVAIL ? &q->desc : off < CC_Q_USED ? &q->avail :
		 &q->used, off, size, val);
}

static uint64_t msix_read(struct lhv_virtio *vd, uint64_t off,
			  unsigned int size)
{
	if (off >= LHV_VIRTIO_MSIX_PBA) {
		off -= LHV_VIRTIO_MSIX_PBA;
		return off ? 0 : size == 8 ? vd->msix_pending :
		       (uint32_t)vd->msix_pending;
	}
	off -= LHV_VIRTIO_MSIX_TABLE;
	if (off >= sizeof(vd->msix) || size != 4)
		return size == 8 ? ~0ULL : lhv_dev_ones(size);
	return ((uint32_t *)vd->msix)[off / 4];
}

static void msix_write(struct lhv_virtio *vd, uint64_t off,
		       unsigned int size, uint64_t val)
{
	off -= LHV_VIRTIO_MSIX_TABLE;
	if (off >= sizeof(vd->msix))
		return;		/* past the table, the PBA: read-only */
	if (size == 8) {
		msix_write(vd, LHV_VIRTIO_MSIX_TABLE + off, 4, (uint32_t)val);
		msix_write(vd, LHV_VIRTIO_MSIX_TABLE + off + 4, 4, val >> 32);
		return;
	}
	if (size != 4 || (off & 3))
		return;
	((uint32_t *)vd->msix)[off / 4] = (uint32_t)val;
	if ((off & 15) == 12 && !(val & 1))
		flush_pending(vd);
}

static uint64_t bar_read(struct lhv_pci_dev *dev, unsigned int bar,
			 uint64_t off, unsigned int size)
{
	struct lhv_virtio *vd = dev->opaque;
	uint8_t isr;

	(void)bar;
	if (off < LHV_VIRTIO_COMMON + CC_SIZE)
		return common_read(vd, (unsigned int)off, size);
	if (off == LHV_VIRTIO_ISR) {
		isr = vd->isr;		/* reading acknowledges (4.1.4.5) */
		vd->isr = 0;
		return isr;
	}
	if (off >= LHV_VIRTIO_DEVCFG && off < LHV_VIRTIO_DEVCFG + LHV_VIRTIO_REGION)
		return vd->ops->cfg_read(vd, (unsigned int)(off - LHV_VIRTIO_DEVCFG),
					 size);
	if (off >= LHV_VIRTIO_MSIX_TABLE)
		return msix_read(vd, off, size);
	return 0;
}

static void bar_write(struct lhv_pci_dev *dev, unsigned int bar,
		      uint64_t off, unsigned int size, uint64_t val)
{
	struct lhv_virtio *vd = dev->opaque;
	uint64_t q;

	(void)bar;
	if (off < LHV_VIRTIO_COMMON + CC_SIZE) {
		common_write(vd, (unsigned int)off, size, val);
	} else if (off >= LHV_VIRTIO_DEVCFG &&
		   off < LHV_VIRTIO_DEVCFG + LHV_VIRTIO_REGION) {
		if (vd->ops->cfg_write)
			vd->ops->cfg_write(vd, (unsigned int)(off - LHV_VIRTIO_DEVCFG),
					   size, (uint32_t)val);
	} else if (off >= LHV_VIRTIO_NOTIFY &&
		   off < LHV_VIRTIO_NOTIFY + LHV_VIRTIO_REGION) {
		q = (off - LHV_VIRTIO_NOTIFY) / LHV_VIRTIO_NOTIFY_MULT;
		if (q < vd->nr_queues && vd->vq[q].ready && lhv_virtio_live(vd))
			vd->ops->notify(vd, (unsigned int)q);
	} else if (off >= LHV_VIRTIO_MSIX_TABLE) {
		msix_write(vd, off, size, val);
	}
}

/* MSI-X enable or function mask may have changed. */
static void cfg_write(struct lhv_pci_dev *dev, unsigned int off,
		      unsigned int size)
{
	struct lhv_virtio *vd = dev->opaque;
	unsigned int cap = msix_cap(vd);

	if (cap && off <= cap + 3 && off + size > cap + 2)
		flush_pending(vd);
}

static const struct lhv_pci_dev_ops virtio_pci_ops = {
	.bar_read = bar_read, .bar_write = bar_write, .cfg_write = cfg_write,
};

static void add_cap(struct lhv_virtio *vd, uint8_t type, uint32_t offset,
		    uint32_t len)
{
	unsigned int cap_len = type == CAP_NOTIFY ? CAP_NOTIFY_LEN : CAP_LEN;
	unsigned int at = lhv_pci_dev_cap(&vd->pci, LHV_PCI_CAP_VENDOR, cap_len);

	if (!at)
		return;
	vd->pci.cfg[at + 2] = (uint8_t)cap_len;
	vd->pci.cfg[at + 3] = type;
	vd->pci.cfg[at + 4] = 0;		/* BAR 0 */
	lhv_pci_cfg_set(&vd->pci, at + 8, 4, offset);
	lhv_pci_cfg_set(&vd->pci, at + 12, 4, len);
	if (type == CAP_NOTIFY)
		lhv_pci_cfg_set(&vd->pci, at + 16, 4, LHV_VIRTIO_NOTIFY_MULT);
}

void lhv_virtio_init(struct lhv_virtio *vd, const char *name, uint16_t type,
		     uint32_t class_code, uint64_t features,
		     unsigned int nr_queues, uint16_t queue_max,
		     const struct lhv_virtio_ops *ops, void *opaque,
		     const struct lhv_guest_ram *ram,
		     void (*msi)(void *opaque, uint64_t address, uint32_t data),
		     void *msi_opaque)
{
	unsigned int cap;

	memset(vd, 0, sizeof(*vd));
	vd->ops = ops;
	vd->opaque = opaque;
	vd->ram = ram;
	vd->msi = msi;
	vd->msi_opaque = msi_opaque;
	vd->features = features | LHV_VIRTIO_F_VERSION_1;
	vd->nr_queues = nr_queues < LHV_VIRTIO_MAX_QUEUES ? nr_queues :
			LHV_VIRTIO_MAX_QUEUES;
	vd->queue_max = queue_max <= LHV_VIRTQ_MAX_SIZE ? queue_max :
			LHV_VIRTQ_MAX_SIZE;
	reset_state(vd);
	for (cap = 0; cap < LHV_VIRTIO_MSIX; cap++)
		vd->msix[cap].ctrl = 1;		/* masked after PCI reset */

	/* Modern only: device ID 0x1040 + type, revision 1 (4.1.2.1). */
	lhv_pci_dev_init(&vd->pci, name, LHV_VIRTIO_VENDOR, 0x1040 + type,
			 class_code, LHV_VIRTIO_VENDOR, 0x40, &virtio_pci_ops, vd);
	vd->pci.cfg[LHV_PCI_REVISION] = 1;
	lhv_pci_dev_bar(&vd->pci, 0, LHV_VIRTIO_BAR_SIZE);
	add_cap(vd, CAP_COMMON, LHV_VIRTIO_COMMON, CC_SIZE);
	add_cap(vd, CAP_ISR, LHV_VIRTIO_ISR, 1);
	add_cap(vd, CAP_DEVICE, LHV_VIRTIO_DEVCFG, LHV_VIRTIO_REGION);
	add_cap(vd, CAP_NOTIFY, LHV_VIRTIO_NOTIFY,
		LHV_VIRTIO_NOTIFY_MULT * LHV_VIRTIO_MAX_QUEUES);
	cap = lhv_pci_dev_cap(&vd->pci, LHV_PCI_CAP_MSIX, MSIX_LEN);
	if (cap) {
		lhv_pci_cfg_set(&vd->pci, cap + 2, 2, LHV_VIRTIO_MSIX - 1);
		lhv_pci_cfg_set(&vd->pci, cap + 4, 4, LHV_VIRTIO_MSIX_TABLE);
		lhv_pci_cfg_set(&vd->pci, cap + 8, 4, LHV_VIRTIO_MSIX_PBA);
		vd->pci.wmask[cap + 3] = (MSIX_ENABLE | MSIX_MASKALL) >> 8;
	}
}
