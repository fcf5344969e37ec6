// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console, one port (virtio_console.h).
 */
#include "virtio_console.h"

#define VCON_QUEUE_SIZE	64
#define VCON_CLASS	0x078000	/* communication, other */
#define VCON_TYPE	3

/* Every chain the guest queued for transmission, to @out. */
static void vcon_notify(struct lhv_virtio *vd, unsigned int q)
{
	struct lhv_vcon *vc = vd->opaque;
	struct lhv_virtq_chain *c = &vc->chain;
	unsigned int i;
	int ret;

	if (q != LHV_VCON_TXQ)
		return;		/* receive buffers: taken when input comes */
	while ((ret = lhv_virtq_pop(&vd->vq[q], vd->ram, c)) > 0) {
		for (i = 0; i < c->nr_out; i++)
			if (c->buf[i].len)
				vc->out(vc->opaque, c->buf[i].host, c->buf[i].len);
		vc->tx_bytes += c->out_bytes;
		if (lhv_virtq_push(&vd->vq[q], vd->ram, c->head, 0)) {
			ret = -1;
			break;
		}
	}
	if (ret < 0)
		lhv_virtio_fail(vd);
	else
		lhv_virtio_interrupt(vd, q);
}

static uint32_t vcon_cfg_read(struct lhv_virtio *vd, unsigned int off,
			      unsigned int size)
{
	(void)vd;
	(void)off;
	(void)size;
	return 0;	/* cols, rows, max_nr_ports: no feature makes them valid */
}

static const struct lhv_virtio_ops vcon_ops = {
	.notify = vcon_notify,
	.cfg_read = vcon_cfg_read,
};

void lhv_vcon_init(struct lhv_vcon *vc, const struct lhv_guest_ram *ram,
		   void (*msi)(void *opaque, uint64_t address, uint32_t data),
		   void *msi_opaque,
		   void (*out)(void *opaque, const uint8_t *buf, size_t len),
		   void *opaque)
{
	vc->out = out;
	vc->opaque = opaque;
	vc->tx_bytes = vc->rx_bytes = 0;
	lhv_virtio_init(&vc->vd, "virtio-console", VCON_TYPE, VCON_CLASS, 0, 2,
			VCON_QUEUE_SIZE, &vcon_ops, vc, ram, msi, msi_opaque);
}

size_t lhv_vcon_rx_push(struct lhv_vcon *vc, const uint8_t *buf, size_t len)
{
	struct lhv_virtio *vd = &vc->vd;
	struct lhv_virtq_chain *c = &vc->chain;
	size_t done = 0;
	uint64_t n;
	int ret;

	while (done < len && lhv_virtio_live(vd)) {
		ret = lhv_virtq_pop(&vd->vq[LHV_VCON_RXQ], vd->ram, c);
		if (ret < 0 || (ret > 0 && c->nr_out)) {
			lhv_virtio_fail(vd);	/* not a receive buffer */
			break;
		}
		if (!ret)
			break;
		n = lhv_virtq_write(c, 0, buf + done, len - done);
		if (lhv_virtq_push(&vd->vq[LHV_VCON_RXQ], vd->ram, c->head,
				   (uint32_t)n)) {
			lhv_virtio_fail(vd);
			break;
		}
		done += n;
		vc->rx_bytes += n;
	}
	if (done)
		lhv_virtio_interrupt(vd, LHV_VCON_RXQ);
	return done;
}
