/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lhv-run's virtio-net interface on a host tap device (--net tap=NAME):
 * a virtio PCI function (dev/virtio_pci.h, dev/virtio_net.h) with two
 * threads of its own, one that moves frames from the tap into the
 * guest's receive buffers, one that sends what the guest queues for
 * transmission, so no vCPU thread ever blocks on the tap.  The tap is
 * opened (created if missing, persistent ones reused) with IFF_TAP and
 * IFF_NO_PI: plain Ethernet frames, no offloads; the host side configures
 * its address and brings it up.
 *
 * Locking as in disk.h: the device state is under the machine's device
 * lock; the threads drop it around read() and write() on the tap.
 */
#ifndef _LHV_NET_H
#define _LHV_NET_H

#include <pthread.h>

#include "dev/virtio_net.h"
#include "dev/virtio_pci.h"

struct lhv_net {
	struct lhv_virtio vd;
	char ifname[16];
	int fd;
	uint8_t mac[6];
	pthread_mutex_t *lock;
	pthread_cond_t kick;		/* either queue was notified */
	pthread_t rx_thread, tx_thread;
	bool started, stop, tx_kicked;
	struct lhv_virtq_chain rx_chain, tx_chain;
	uint64_t rx_frames, tx_frames, tx_dropped;
};

/* "tap=NAME": opens the tap.  0, or -1 with the reason printed. */
int lhv_net_open(struct lhv_net *n, const char *spec);

void lhv_net_init(struct lhv_net *n, const struct lhv_guest_ram *ram,
		  void (*msi)(void *opaque, uint64_t address, uint32_t data),
		  void *msi_opaque, pthread_mutex_t *lock);

int lhv_net_start(struct lhv_net *n);
void lhv_net_stop(struct lhv_net *n);

#endif /* _LHV_NET_H */
