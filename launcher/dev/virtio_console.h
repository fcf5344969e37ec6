/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-console (virtio 1.1, 5.3) with one port and no features: the
 * guest's /dev/hvc0.  What the guest transmits goes to @out (lhv-run's
 * --serial stream, next to COM1); lhv_vcon_rx_push() hands input to the
 * guest's receive buffers.  Transmission is done on the notifying vCPU's
 * thread: a console write is a copy to a stdio stream, nothing that
 * waits on a device.  Pure logic, under the caller's device lock.
 */
#ifndef _LHV_DEV_VIRTIO_CONSOLE_H
#define _LHV_DEV_VIRTIO_CONSOLE_H

#include <stddef.h>

#include "virtio_pci.h"

#define LHV_VCON_RXQ	0
#define LHV_VCON_TXQ	1

struct lhv_vcon {
	struct lhv_virtio vd;
	void (*out)(void *opaque, const uint8_t *buf, size_t len);
	void *opaque;
	struct lhv_virtq_chain chain;
	uint64_t tx_bytes, rx_bytes;
};

void lhv_vcon_init(struct lhv_vcon *vc, const struct lhv_guest_ram *ram,
		   void (*msi)(void *opaque, uint64_t address, uint32_t data),
		   void *msi_opaque,
		   void (*out)(void *opaque, const uint8_t *buf, size_t len),
		   void *opaque);

/* Input for the guest: the bytes its receive buffers took (maybe 0). */
size_t lhv_vcon_rx_push(struct lhv_vcon *vc, const uint8_t *buf, size_t len);

#endif /* _LHV_DEV_VIRTIO_CONSOLE_H */
