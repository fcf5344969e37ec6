/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.1, 2.6) as a device sees them: where the
 * driver put the three rings, popping the next available descriptor
 * chain and returning it through the used ring.
 *
 * The guest owns the rings and may write anything into them, at any
 * time, from another CPU.  So every index and descriptor is read once
 * (a copy, never re-read), every buffer is checked to lie wholly inside
 * guest RAM before its host address is handed out, and a chain that is
 * malformed - a buffer outside RAM, a loop or a chain longer than the
 * ring, a readable buffer after a writable one, an indirect descriptor
 * (the feature is not offered), more than LHV_VIRTQ_MAX_BYTES - makes
 * lhv_virtq_pop() fail with a negative errno.  The caller then marks the
 * device broken (DEVICE_NEEDS_RESET): the guest's bug stays the guest's.
 * No host memory outside guest RAM is ever touched.
 *
 * Pure logic: guest RAM comes as a struct lhv_guest_ram, and the caller
 * serialises all calls for one queue.
 */
#ifndef _LHV_DEV_VIRTQ_H
#define _LHV_DEV_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "../guest_ram.h"

#define LHV_VIRTQ_MAX_SIZE	256		/* what lhv's devices offer */
#define LHV_VIRTQ_MAX_BYTES	(16u << 20)	/* one chain's buffers, all */

/* Descriptor flags (virtio 1.1, 2.6.5). */
#define LHV_VIRTQ_DESC_NEXT	1
#define LHV_VIRTQ_DESC_WRITE	2
#define LHV_VIRTQ_DESC_INDIRECT	4

#define LHV_VIRTQ_AVAIL_NO_INTERRUPT	1

struct lhv_virtq {
	uint16_t size;			/* entries; a power of 2 */
	bool ready;			/* the driver enabled it */
	uint64_t desc, avail, used;	/* ring GPAs */
	uint16_t msix_vector;		/* the transport's */
	uint16_t last_avail;		/* the next avail entry to take */
	uint16_t used_idx;		/* the next used entry to fill */
};

struct lhv_virtq_buf {
	void *host;			/* inside guest RAM, @len bytes */
	uint32_t len;
	bool writable;			/* device writes it */
};

struct lhv_virtq_chain {
	uint16_t head;			/* to give back with lhv_virtq_push() */
	unsigned int nr;		/* buffers */
	unsigned int nr_out;		/* the first nr_out are readable */
	uint64_t out_bytes, in_bytes;
	struct lhv_virtq_buf buf[LHV_VIRTQ_MAX_SIZE];
};

/* Back to the state after a device reset: not ready, indices 0. */
void lhv_virtq_reset(struct lhv_virtq *q, uint16_t size);

/*
 * The rings as the driver set them: 0, or -EINVAL when the size is not
 * a power of 2 up to LHV_VIRTQ_MAX_SIZE, a ring is misaligned
 * (descriptors 16, avail 2, used 4 bytes) or not wholly in @ram.
 */
int lhv_virtq_check(const struct lhv_virtq *q, const struct lhv_guest_ram *ram);

/*
 * The next available chain into *@c: 1, 0 when there is none, or a
 * negative errno for a malformed ring or chain:
 *   -EINVAL   queue not ready or its rings are bad (lhv_virtq_check()),
 *             a head index past the ring, an indirect descriptor, a
 *             readable buffer after a writable one
 *   -EPROTO   the avail index ran more than the ring size ahead
 *   -EFAULT   a buffer not wholly inside guest RAM
 *   -ELOOP    more descriptors in the chain than the ring holds
 *   -E2BIG    the buffers add up to more than LHV_VIRTQ_MAX_BYTES
 */
int lhv_virtq_pop(struct lhv_virtq *q, const struct lhv_guest_ram *ram,
		  struct lhv_virtq_chain *c);

/*
 * Chain @head done, @written bytes written into its writable buffers.
 * 0, or -EINVAL (rings bad, @head past the ring).
 */
int lhv_virtq_push(struct lhv_virtq *q, const struct lhv_guest_ram *ram,
		   uint16_t head, uint32_t written);

/* Whether the driver asked not to be interrupted (avail flags). */
bool lhv_virtq_no_interrupt(const struct lhv_virtq *q,
			    const struct lhv_guest_ram *ram);

/*
 * Copies up to @len bytes out of the chain's readable buffers, from byte
 * @off of them (or into its writable ones, from byte @off of those);
 * returns the bytes copied.
 */
uint64_t lhv_virtq_read(const struct lhv_virtq_chain *c, uint64_t off,
			void *dst, uint64_t len);
uint64_t lhv_virtq_write(const struct lhv_virtq_chain *c, uint64_t off,
			 const void *src, uint64_t len);

/*
 * The iovecs for @len bytes of the chain's buffers of one direction from
 * byte @off of them; their count (at most @max).
 */
unsigned int lhv_virtq_iov(const struct lhv_virtq_chain *c, bool writable,
			   uint64_t off, uint64_t len, struct iovec *iov,
			   unsigned int max);

#endif /* _LHV_DEV_VIRTQ_H */
