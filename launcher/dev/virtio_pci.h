/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio 1.x PCI transport (virtio 1.1, 4.1), modern only, with
 * MSI-X: a PCI function 1af4:(1040 + device type) whose BAR 0 holds the
 * common configuration, the ISR byte, the device configuration, the
 * queue notification registers and the MSI-X table and PBA, each found
 * through its capability:
 *
 *	0x0000	common configuration (56 bytes)
 *	0x1000	ISR status
 *	0x2000	device configuration (the device model's)
 *	0x3000	notifications: queue n at 0x3000 + 4 * n
 *	0x4000	MSI-X table, 0x5000 PBA
 *
 * Queue interrupts go out as the MSI-X entry's message through the
 * @msi callback (LHV_SIGNAL_MSI); there is no INTx pin, so a driver
 * that does not enable MSI-X gets no interrupts.  A masked vector's
 * message is held in the PBA and sent on unmask.
 *
 * The driver's features must be a subset of the device's with
 * VIRTIO_F_VERSION_1, or FEATURES_OK does not stick.  A device that
 * meets a malformed queue calls lhv_virtio_fail(): DEVICE_NEEDS_RESET
 * and a configuration interrupt, as the spec has it (2.1.2), until the
 * driver resets the device by writing 0 to the status.
 */
#ifndef _LHV_DEV_VIRTIO_PCI_H
#define _LHV_DEV_VIRTIO_PCI_H

#include "pci.h"
#include "virtq.h"

#define LHV_VIRTIO_VENDOR		0x1af4
#define LHV_VIRTIO_MAX_QUEUES		4
#define LHV_VIRTIO_MSIX			(LHV_VIRTIO_MAX_QUEUES + 1)
#define LHV_VIRTIO_NO_VECTOR		0xffff

#define LHV_VIRTIO_BAR_SIZE		0x8000
#define LHV_VIRTIO_COMMON		0x0000
#define LHV_VIRTIO_ISR			0x1000
#define LHV_VIRTIO_DEVCFG		0x2000
#define LHV_VIRTIO_NOTIFY		0x3000
#define LHV_VIRTIO_NOTIFY_MULT		4
#define LHV_VIRTIO_MSIX_TABLE		0x4000
#define LHV_VIRTIO_MSIX_PBA		0x5000
#define LHV_VIRTIO_REGION		0x1000

/* Device status bits (2.1). */
#define LHV_VIRTIO_ACKNOWLEDGE		1
#define LHV_VIRTIO_DRIVER		2
#define LHV_VIRTIO_DRIVER_OK		4
#define LHV_VIRTIO_FEATURES_OK		8
#define LHV_VIRTIO_NEEDS_RESET		0x40
#define LHV_VIRTIO_FAILED		0x80

#define LHV_VIRTIO_F_VERSION_1		(1ULL << 32)

struct lhv_virtio;

struct lhv_virtio_ops {
	/* The driver notified queue @q (it is ready). */
	void (*notify)(struct lhv_virtio *vd, unsigned int q);
	/* The device configuration: offsets below LHV_VIRTIO_REGION. */
	uint32_t (*cfg_read)(struct lhv_virtio *vd, unsigned int off,
			     unsigned int size);
	void (*cfg_write)(struct lhv_virtio *vd, unsigned int off,
			  unsigned int size, uint32_t val);	/* may be NULL */
	/* The driver reset the device (status 0); may be NULL. */
	void (*reset)(struct lhv_virtio *vd);
};

struct lhv_virtio_msix {
	uint32_t addr_lo, addr_hi, data, ctrl;	/* ctrl bit 0: masked */
};

struct lhv_virtio {
	struct lhv_pci_dev pci;
	const struct lhv_virtio_ops *ops;
	void *opaque;				/* the device model's */
	const struct lhv_guest_ram *ram;
	void (*msi)(void *opaque, uint64_t address, uint32_t data);
	void *msi_opaque;

	uint64_t features;			/* offered */
	uint64_t driver_features;		/* accepted */
	uint32_t features_sel, driver_features_sel;
	uint16_t msix_config;
	uint8_t status, generation, isr;
	uint16_t queue_sel;
	unsigned int nr_queues;
	uint16_t queue_max;
	struct lhv_virtq vq[LHV_VIRTIO_MAX_QUEUES];
	struct lhv_virtio_msix msix[LHV_VIRTIO_MSIX];
	uint32_t msix_pending;
	uint32_t resets;			/* device resets so far */
	uint64_t interrupts, errors;
};

/*
 * A virtio device of type @type (1 net, 2 block, 3 console) with PCI
 * class @class_code, @features offered (VERSION_1 is added), @nr_queues
 * queues of up to @queue_max entries.  Plug vd->pci afterwards.
 */
void lhv_virtio_init(struct lhv_virtio *vd, const char *name, uint16_t type,
		     uint32_t class_code, uint64_t features,
		     unsigned int nr_queues, uint16_t queue_max,
		     const struct lhv_virtio_ops *ops, void *opaque,
		     const struct lhv_guest_ram *ram,
		     void (*msi)(void *opaque, uint64_t address, uint32_t data),
		     void *msi_opaque);

/* Queue @q's used ring changed: its MSI-X vector, unless suppressed. */
void lhv_virtio_interrupt(struct lhv_virtio *vd, unsigned int q);

/* The device configuration changed: the configuration vector. */
void lhv_virtio_config_changed(struct lhv_virtio *vd);

/* A malformed queue or request: DEVICE_NEEDS_RESET, counted. */
void lhv_virtio_fail(struct lhv_virtio *vd);

/* Whether the driver set DRIVER_OK and the device is not broken. */
bool lhv_virtio_live(const struct lhv_virtio *vd);

#endif /* _LHV_DEV_VIRTIO_PCI_H */
