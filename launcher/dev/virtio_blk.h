/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-blk requests (virtio 1.1, 5.2): the device configuration and
 * the parsing of one request chain into what the launcher's I/O thread
 * does with the backing file.  Pure logic; the file I/O is the caller's
 * (launcher/blk.c).
 *
 * A request is a 16-byte readable header (type, reserved, sector), the
 * data (readable for a write, writable for a read) and one writable
 * status byte at the very end; the framing is free (VIRTIO_F_VERSION_1
 * implies ANY_LAYOUT).  A chain too short for header and status is a
 * malformed request (the device fails); a request the device cannot do
 * (past the disk's end, a write to a read-only disk, an unknown type)
 * completes with IOERR or UNSUPP and no data moved.
 */
#ifndef _LHV_DEV_VIRTIO_BLK_H
#define _LHV_DEV_VIRTIO_BLK_H

#include "virtq.h"

#define LHV_BLK_SECTOR		512
#define LHV_BLK_SEG_MAX		126	/* data buffers per request */

/* Features (5.2.3). */
#define LHV_BLK_F_SEG_MAX	(1ULL << 2)
#define LHV_BLK_F_RO		(1ULL << 5)
#define LHV_BLK_F_FLUSH		(1ULL << 9)

#define LHV_BLK_T_IN		0
#define LHV_BLK_T_OUT		1
#define LHV_BLK_T_FLUSH		4
#define LHV_BLK_T_GET_ID	8

#define LHV_BLK_S_OK		0
#define LHV_BLK_S_IOERR		1
#define LHV_BLK_S_UNSUPP	2

#define LHV_BLK_ID_BYTES	20

struct lhv_blk_req {
	uint32_t type;
	uint8_t status;			/* LHV_BLK_S_*: what to answer */
	bool io;			/* status OK so far: do the I/O */
	uint64_t offset;		/* bytes into the disk */
	uint64_t len;			/* bytes of data */
	unsigned int niov;
	struct iovec iov[LHV_VIRTQ_MAX_SIZE];	/* the data buffers */
	uint8_t *status_byte;		/* in guest RAM */
};

/* The device configuration: capacity in sectors, seg_max; else 0. */
uint32_t lhv_blk_cfg_read(uint64_t sectors, unsigned int off,
			  unsigned int size);

/*
 * Parses chain @c for a disk of @sectors sectors.  0 with *@r filled,
 * or -EINVAL for a chain with no room for the header and status.
 */
int lhv_blk_parse(const struct lhv_virtq_chain *c, uint64_t sectors,
		  bool read_only, struct lhv_blk_req *r);

#endif /* _LHV_DEV_VIRTIO_BLK_H */
