// SPDX-License-Identifier: GPL-2.0
/*
 * lhv-run's virtio-blk disks (disk.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk.h"
#include "thread.h"

#define BLK_QUEUE_SIZE	128
#define BLK_CLASS	0x018000	/* mass storage, other */
#define BLK_TYPE	2

int lhv_disk_open(struct lhv_disk *d, const char *spec)
{
	const char *comma = strrchr(spec, ',');
	struct stat st;
	char *path;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (comma && !strcmp(comma, ",ro")) {
		d->read_only = true;
		path = strndup(spec, comma - spec);
	} else {
		path = strdup(spec);
	}
	if (!path)
		return -1;
	d->path = path;
	d->fd = open(path, (d->read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0 || fstat(d->fd, &st)) {
		fprintf(stderr, "lhv-run: --disk %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode))
		st.st_size = lseek(d->fd, 0, SEEK_END);
	if (st.st_size < LHV_BLK_SECTOR) {
		fprintf(stderr, "lhv-run: --disk %s: smaller than one 512-byte sector\n",
			path);
		return -1;
	}
	d->sectors = (uint64_t)st.st_size / LHV_BLK_SECTOR;
	return 0;
}

/* Under the device lock, on the vCPU thread that wrote the notify. */
static void disk_notify(struct lhv_virtio *vd, unsigned int q)
{
	struct lhv_disk *d = vd->opaque;

	(void)q;
	d->kicked = true;
	pthread_cond_signal(&d->kick);
}

static uint32_t disk_cfg_read(struct lhv_virtio *vd, unsigned int off,
			      unsigned int size)
{
	struct lhv_disk *d = vd->opaque;

	return lhv_blk_cfg_read(d->sectors, off, size);
}

static const struct lhv_virtio_ops disk_ops = {
	.notify = disk_notify,
	.cfg_read = disk_cfg_read,
};

void lhv_disk_init(struct lhv_disk *d, const struct lhv_guest_ram *ram,
		   void (*msi)(void *opaque, uint64_t address, uint32_t data),
		   void *msi_opaque, pthread_mutex_t *lock)
{
	uint64_t features = LHV_BLK_F_SEG_MAX | LHV_BLK_F_FLUSH;

	if (d->read_only)
		features |= LHV_BLK_F_RO;
	d->lock = lock;
	pthread_cond_init(&d->kick, NULL);
	lhv_virtio_init(&d->vd, "virtio-blk", BLK_TYPE, BLK_CLASS, features, 1,
			BLK_QUEUE_SIZE, &disk_ops, d, ram, msi, msi_opaque);
}

/* Pads a short read (the file shrank under us) with zeros. */
static ssize_t read_full(struct lhv_disk *d, const struct lhv_blk_req *r)
{
	ssize_t n = preadv(d->fd, r->iov, (int)r->niov, (off_t)r->offset);
	uint64_t done = n > 0 ? (uint64_t)n : 0;
	unsigned int i;

	for (i = 0; n >= 0 && i < r->niov; i++) {
		if (done >= r->iov[i].iov_len) {
			done -= r->iov[i].iov_len;
			continue;
		}
		memset((uint8_t *)r->iov[i].iov_base + done, 0,
		       r->iov[i].iov_len - done);
		done = 0;
	}
	return n < 0 ? -1 : (ssize_t)r->len;
}

/* The I/O itself, without the lock.  The status, and bytes written. */
static uint8_t do_io(struct lhv_disk *d, struct lhv_blk_req *r,
		     uint32_t *written)
{
	static const char id[LHV_BLK_ID_BYTES] = "lhv-virtio-blk";
	ssize_t n;

	*written = 0;
	switch (r->type) {
	case LHV_BLK_T_IN:
		n = read_full(d, r);
		if (n < 0)
			return LHV_BLK_S_IOERR;
		d->reads++;
		*written = (uint32_t)r->len;
		return LHV_BLK_S_OK;
	case LHV_BLK_T_OUT:
		n = pwritev(d->fd, r->iov, (int)r->niov, (off_t)r->offset);
		if (n < 0 || (uint64_t)n != r->len)
			return LHV_BLK_S_IOERR;
		d->writes++;
		return LHV_BLK_S_OK;
	case LHV_BLK_T_FLUSH:
		d->flushes++;
		return fdatasync(d->fd) ? LHV_BLK_S_IOERR : LHV_BLK_S_OK;
	case LHV_BLK_T_GET_ID:
		for (unsigned int i = 0, off = 0; i < r->niov; i++) {
			memcpy(r->iov[i].iov_base, id + off, r->iov[i].iov_len);
			off += r->iov[i].iov_len;
		}
		*written = (uint32_t)r->len;
		return LHV_BLK_S_OK;
	}
	return LHV_BLK_S_UNSUPP;
}

/* One request popped under the lock: do it and complete it. */
static void serve(struct lhv_disk *d)
{
	struct lhv_blk_req *r = &d->req;
	uint32_t resets = d->vd.resets, written = 0;
	uint8_t status;

	if (lhv_blk_parse(&d->chain, d->sectors, d->read_only, r)) {
		d->errors++;
		lhv_virtio_fail(&d->vd);
		return;
	}
	status = r->status;
	if (r->io) {
		pthread_mutex_unlock(d->lock);
		status = do_io(d, r, &written);
		pthread_mutex_lock(d->lock);
		if (resets != d->vd.resets)
			return;
	}
	if (status != LHV_BLK_S_OK)
		d->errors++;
	*r->status_byte = status;
	if (lhv_virtq_push(&d->vd.vq[0], d->vd.ram, d->chain.head,
			   written + 1)) {
		lhv_virtio_fail(&d->vd);
		return;
	}
	lhv_virtio_interrupt(&d->vd, 0);
}

static void *disk_thread(void *p)
{
	struct lhv_disk *d = p;
	int ret;

	pthread_mutex_lock(d->lock);
	while (!d->stop) {
		if (!d->kicked) {
			pthread_cond_wait(&d->kick, d->lock);
			continue;
		}
		d->kicked = false;
		while (!d->stop && lhv_virtio_live(&d->vd)) {
			ret = lhv_virtq_pop(&d->vd.vq[0], d->vd.ram, &d->chain);
			if (ret < 0) {
				d->errors++;
				lhv_virtio_fail(&d->vd);
			}
			if (ret <= 0)
				break;
			serve(d);
		}
	}
	pthread_mutex_unlock(d->lock);
	return NULL;
}

int lhv_disk_start(struct lhv_disk *d)
{
	int ret = lhv_thread_start(&d->thread, disk_thread, d);

	if (ret) {
		fprintf(stderr, "lhv-run: --disk %s: no I/O thread: %s\n",
			d->path, strerror(ret));
		return -1;
	}
	d->started = true;
	return 0;
}

void lhv_disk_stop(struct lhv_disk *d)
{
	if (d->started) {
		pthread_mutex_lock(d->lock);
		d->stop = true;
		pthread_cond_signal(&d->kick);
		pthread_mutex_unlock(d->lock);
		pthread_join(d->thread, NULL);
		d->started = false;
	}
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free((void *)d->path);
	d->path = NULL;
}
