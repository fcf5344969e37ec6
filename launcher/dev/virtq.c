// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues (virtq.h).  The rings are little-endian, as is every
 * x86 guest and host; the guest writes them concurrently, so the shared
 * indices are read with acquire and written with release semantics (the
 * spec's memory barriers, virtio 1.1, 2.6.13 and 2.6.8).
 */
#include <errno.h>
#include <string.h>

#include "virtq.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "virtio 1.x rings are little-endian");

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

_Static_assert(sizeof(struct vring_desc) == 16, "virtq descriptor");

/* Offsets inside the avail and used rings. */
#define AVAIL_FLAGS	0
#define AVAIL_IDX	2
#define AVAIL_RING	4
#define USED_IDX	2
#define USED_RING	4
#define USED_ELEM	8

static uint64_t desc_bytes(uint16_t size)
{
	return 16ULL * size;
}

static uint64_t avail_bytes(uint16_t size)
{
	return 6 + 2ULL * size;		/* flags, idx, ring, used_event */
}

static uint64_t used_bytes(uint16_t size)
{
	return 6 + 8ULL * size;		/* flags, idx, ring, avail_event */
}

void lhv_virtq_reset(struct lhv_virtq *q, uint16_t size)
{
	memset(q, 0, sizeof(*q));
	q->size = size;
	q->msix_vector = 0xffff;	/* VIRTIO_MSI_NO_VECTOR */
}

int lhv_virtq_check(const struct lhv_virtq *q, const struct lhv_guest_ram *ram)
{
	uint16_t n = q->size;

	if (!n || n > LHV_VIRTQ_MAX_SIZE || (n & (n - 1)))
		return -EINVAL;
	if ((q->desc & 15) || (q->avail & 1) || (q->used & 3))
		return -EINVAL;
	if (!lhv_ram_ptr(ram, q->desc, desc_bytes(n)) ||
	    !lhv_ram_ptr(ram, q->avail, avail_bytes(n)) ||
	    !lhv_ram_ptr(ram, q->used, used_bytes(n)))
		return -EINVAL;
	return 0;
}

static uint16_t load16(const void *p)
{
	return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);
}

static int rings(const struct lhv_virtq *q, const struct lhv_guest_ram *ram)
{
	if (!q->ready)
		return -EINVAL;
	return lhv_virtq_check(q, ram);
}

int lhv_virtq_pop(struct lhv_virtq *q, const struct lhv_guest_ram *ram,
		  struct lhv_virtq_chain *c)
{
	const uint8_t *avail;
	const struct vring_desc *table;
	uint16_t idx, head, i;
	unsigned int seen;
	uint64_t total = 0;
	int ret = rings(q, ram);

	if (ret)
		return ret;
	avail = lhv_ram_ptr(ram, q->avail, avail_bytes(q->size));
	table = lhv_ram_ptr(ram, q->desc, desc_bytes(q->size));
	idx = load16(avail + AVAIL_IDX);
	if (idx == q->last_avail)
		return 0;
	if ((uint16_t)(idx - q->last_avail) > q->size)
		return -EPROTO;
	head = load16(avail + AVAIL_RING + 2 * (q->last_avail % q->size));
	if (head >= q->size)
		return -EINVAL;

	memset(c, 0, sizeof(*c) - sizeof(c->buf));
	c->head = head;
	for (i = head, seen = 0;; seen++) {
		struct vring_desc d;
		struct lhv_virtq_buf *b;

		if (seen == q->size)
			return -ELOOP;
		/* One copy: the guest may rewrite the entry meanwhile. */
		memcpy(&d, &table[i], sizeof(d));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (d.flags & LHV_VIRTQ_DESC_INDIRECT)
			return -EINVAL;
		if (!(d.flags & LHV_VIRTQ_DESC_WRITE) && c->nr > c->nr_out)
			return -EINVAL;
		total += d.len;
		if (total > LHV_VIRTQ_MAX_BYTES)
			return -E2BIG;
		b = &c->buf[c->nr++];
		b->host = lhv_ram_ptr(ram, d.addr, d.len);
		if (!b->host)
			return -EFAULT;
		b->len = d.len;
		b->writable = d.flags & LHV_VIRTQ_DESC_WRITE;
		if (b->writable) {
			c->in_bytes += d.len;
		} else {
			c->nr_out++;
			c->out_bytes += d.len;
		}
		if (!(d.flags & LHV_VIRTQ_DESC_NEXT))
			break;
		if (d.next >= q->size)
			return -EINVAL;
		i = d.next;
	}
	q->last_avail++;
	return 1;
}

int lhv_virtq_push(struct lhv_virtq *q, const struct lhv_guest_ram *ram,
		   uint16_t head, uint32_t written)
{
	uint8_t *used, *elem;
	int ret = rings(q, ram);

	if (ret)
		return ret;
	if (head >= q->size)
		return -EINVAL;
	used = lhv_ram_ptr(ram, q->used, used_bytes(q->size));
	elem = used + USED_RING + USED_ELEM * (q->used_idx % q->size);
	memcpy(elem, &(uint32_t){ head }, 4);
	memcpy(elem + 4, &written, 4);
	q->used_idx++;
	/* The element before the index that publishes it. */
	__atomic_store_n((uint16_t *)(used + USED_IDX), q->used_idx,
			 __ATOMIC_RELEASE);
	return 0;
}

bool lhv_virtq_no_interrupt(const struct lhv_virtq *q,
			    const struct lhv_guest_ram *ram)
{
	const uint8_t *avail;

	if (rings(q, ram))
		return false;
	avail = lhv_ram_ptr(ram, q->avail, avail_bytes(q->size));
	/* Seen after our used index store, or an interrupt can be lost. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load16(avail + AVAIL_FLAGS) & LHV_VIRTQ_AVAIL_NO_INTERRUPT;
}

unsigned int lhv_virtq_iov(const struct lhv_virtq_chain *c, bool writable,
			   uint64_t off, uint64_t len, struct iovec *iov,
			   unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nr && len && n < max; i++) {
		const struct lhv_virtq_buf *b = &c->buf[i];
		uint64_t take;

		if (b->writable != writable)
			continue;
		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		take = b->len - off;
		if (take > len)
			take = len;
		iov[n].iov_base = (uint8_t *)b->host + off;
		iov[n].iov_len = take;
		n++;
		len -= take;
		off = 0;
	}
	return n;
}

/* Copies between @p and the chain's buffers of one direction. */
static uint64_t copy(const struct lhv_virtq_chain *c, bool writable,
		     uint64_t off, void *p, uint64_t len, bool to_chain)
{
	struct iovec iov[LHV_VIRTQ_MAX_SIZE];
	unsigned int i, n = lhv_virtq_iov(c, writable, off, len, iov,
					  LHV_VIRTQ_MAX_SIZE);
	uint64_t done = 0;

	for (i = 0; i < n; i++) {
		if (to_chain)
			memcpy(iov[i].iov_base, (uint8_t *)p + done,
			       iov[i].iov_len);
		else
			memcpy((uint8_t *)p + done, iov[i].iov_base,
			       iov[i].iov_len);
		done += iov[i].iov_len;
	}
	return done;
}

uint64_t lhv_virtq_read(const struct lhv_virtq_chain *c, uint64_t off,
			void *dst, uint64_t len)
{
	return copy(c, false, off, dst, len, false);
}

uint64_t lhv_virtq_write(const struct lhv_virtq_chain *c, uint64_t off,
			 const void *src, uint64_t len)
{
	return copy(c, true, off, (void *)src, len, true);
}
