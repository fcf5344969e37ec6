/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-net (virtio 1.1, 5.1) as lhv-run offers it: a receive and a
 * transmit queue, a MAC address and a link that is always up, and no
 * offloads (no checksum, GSO or mergeable buffers), so every frame is
 * whole and checksummed by the guest.  Each buffer starts with the
 * 12-byte struct virtio_net_hdr_v1, all zero but num_buffers = 1 on
 * receive; the frame follows.  Pure logic: the tap is launcher/net.c's.
 */
#ifndef _LHV_DEV_VIRTIO_NET_H
#define _LHV_DEV_VIRTIO_NET_H

#include <stdint.h>

#define LHV_NET_F_MAC		(1ULL << 5)
#define LHV_NET_F_STATUS	(1ULL << 16)
#define LHV_NET_HDR_BYTES	12
#define LHV_NET_RXQ		0
#define LHV_NET_TXQ		1

/* The device configuration: mac[6], then status (link up). */
uint32_t lhv_net_cfg_read(const uint8_t mac[6], unsigned int off,
			  unsigned int size);

/* The header the device writes before a received frame. */
void lhv_net_rx_header(uint8_t hdr[LHV_NET_HDR_BYTES]);

#endif /* _LHV_DEV_VIRTIO_NET_H */
