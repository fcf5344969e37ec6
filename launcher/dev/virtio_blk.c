// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk requests (virtio_blk.h).
 */
#include <errno.h>
#include <string.h>

#include "virtio_blk.h"

#define HDR_BYTES	16

uint32_t lhv_blk_cfg_read(uint64_t sectors, unsigned int off,
			  unsigned int size)
{
	uint8_t cfg[24] = { 0 };
	uint32_t seg_max = LHV_BLK_SEG_MAX, v = 0;
	unsigned int i;

	memcpy(cfg, &sectors, 8);		/* capacity */
	memcpy(cfg + 12, &seg_max, 4);		/* seg_max; size_max 0 */
	for (i = 0; i < size && i < 4; i++)
		if (off + i < sizeof(cfg))
			v |= (uint32_t)cfg[off + i] << (8 * i);
	return v;
}

/* The last writable byte: the status. */
static uint8_t *status_byte(const struct lhv_virtq_chain *c)
{
	unsigned int i;

	for (i = c->nr; i-- > 0;)
		if (c->buf[i].writable && c->buf[i].len)
			return (uint8_t *)c->buf[i].host + c->buf[i].len - 1;
	return NULL;
}

int lhv_blk_parse(const struct lhv_virtq_chain *c, uint64_t sectors,
		  bool read_only, struct lhv_blk_req *r)
{
	uint8_t hdr[HDR_BYTES];
	uint64_t sector, limit = sectors * LHV_BLK_SECTOR;
	bool writable;

	memset(r, 0, sizeof(*r) - sizeof(r->iov));
	r->status_byte = status_byte(c);
	if (!r->status_byte || lhv_virtq_read(c, 0, hdr, HDR_BYTES) != HDR_BYTES)
		return -EINVAL;
	memcpy(&r->type, hdr, 4);
	memcpy(&sector, hdr + 8, 8);
	r->status = LHV_BLK_S_OK;
	switch (r->type) {
	case LHV_BLK_T_IN:
	case LHV_BLK_T_GET_ID:
		writable = true;
		r->len = c->in_bytes - 1;
		break;
	case LHV_BLK_T_OUT:
		writable = false;
		r->len = c->out_bytes - HDR_BYTES;
		if (read_only)
			r->status = LHV_BLK_S_IOERR;
		break;
	case LHV_BLK_T_FLUSH:
		r->io = true;
		return 0;
	default:
		r->status = LHV_BLK_S_UNSUPP;
		return 0;
	}
	if (r->type == LHV_BLK_T_GET_ID) {
		if (r->len > LHV_BLK_ID_BYTES)
			r->len = LHV_BLK_ID_BYTES;
	} else if (sector > limit / LHV_BLK_SECTOR ||
		   r->len > limit - sector * LHV_BLK_SECTOR) {
		r->status = LHV_BLK_S_IOERR;	/* past the end of the disk */
	}
	if (r->status != LHV_BLK_S_OK)
		return 0;
	r->offset = sector * LHV_BLK_SECTOR;
	r->niov = lhv_virtq_iov(c, writable, writable ? 0 : HDR_BYTES, r->len,
				r->iov, LHV_VIRTQ_MAX_SIZE);
	r->io = true;
	return 0;
}
