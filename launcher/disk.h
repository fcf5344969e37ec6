/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lhv-run's virtio-blk disks (--disk FILE[,ro]): a virtio PCI function
 * (dev/virtio_pci.h) whose requests (dev/virtio_blk.h) an I/O thread of
 * the disk's own carries out on the backing file, so a vCPU's notify
 * exit returns at once and the guest's CPUs never wait for the host's
 * disk.  A flush is fdatasync() of the file, answered only when it is
 * done; without one, written data may sit in the host's page cache.
 *
 * Locking: the device state is the PC's, under the machine's device
 * lock, which the caller passes in; the I/O thread takes it to pop and
 * to complete requests and drops it for the I/O itself.  A device reset
 * while a request is in flight drops that request's completion (its
 * buffers belonged to a queue that no longer exists).
 */
#ifndef _LHV_DISK_H
#define _LHV_DISK_H

#include <pthread.h>

#include "dev/virtio_blk.h"
#include "dev/virtio_pci.h"

#define LHV_MAX_DISKS	4

struct lhv_disk {
	struct lhv_virtio vd;
	const char *path;
	bool read_only;
	int fd;
	uint64_t sectors;
	pthread_mutex_t *lock;		/* the machine's device lock */
	pthread_cond_t kick;
	pthread_t thread;
	bool started, kicked, stop;
	struct lhv_virtq_chain chain;
	struct lhv_blk_req req;
	uint64_t reads, writes, flushes, errors;
};

/*
 * Parses "FILE[,ro]" into @d and opens the file (read-only with ",ro").
 * 0, or -1 with a one-line reason printed.
 */
int lhv_disk_open(struct lhv_disk *d, const char *spec);

/* The virtio function over guest RAM @ram, interrupts through @msi. */
void lhv_disk_init(struct lhv_disk *d, const struct lhv_guest_ram *ram,
		   void (*msi)(void *opaque, uint64_t address, uint32_t data),
		   void *msi_opaque, pthread_mutex_t *lock);

/* Starts and stops (joins) the I/O thread; stop also closes the file. */
int lhv_disk_start(struct lhv_disk *d);
void lhv_disk_stop(struct lhv_disk *d);

#endif /* _LHV_DISK_H */
