// SPDX-License-Identifier: GPL-2.0
/*
 * lhv-run's virtio-net on a tap (net.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "thread.h"

#define NET_QUEUE_SIZE	256
#define NET_CLASS	0x020000	/* network, Ethernet */
#define NET_TYPE	1
#define POLL_MS		100		/* how soon a stop is seen */

int lhv_net_open(struct lhv_net *n, const char *spec)
{
	struct ifreq ifr;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (strncmp(spec, "tap=", 4) || !spec[4] ||
	    strlen(spec + 4) >= sizeof(n->ifname)) {
		fprintf(stderr, "lhv-run: --net wants tap=NAME (a name of 1 to 15 characters): '%s'\n",
			spec);
		return -1;
	}
	strcpy(n->ifname, spec + 4);
	n->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (n->fd < 0) {
		fprintf(stderr, "lhv-run: --net: /dev/net/tun: %s (is the tun module loaded?)\n",
			strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, n->ifname);
	if (ioctl(n->fd, TUNSETIFF, &ifr)) {
		fprintf(stderr, "lhv-run: --net tap=%s: %s\n", n->ifname,
			strerror(errno));
		return -1;
	}
	/* A locally administered unicast address, one per tap name. */
	n->mac[0] = 0x52;
	n->mac[1] = 0x54;
	n->mac[2] = 0x00;
	for (unsigned int i = 0; n->ifname[i]; i++)
		n->mac[3 + i % 3] ^= (uint8_t)(n->ifname[i] * (i + 1));
	return 0;
}

static void net_notify(struct lhv_virtio *vd, unsigned int q)
{
	struct lhv_net *n = vd->opaque;

	if (q == LHV_NET_TXQ)
		n->tx_kicked = true;
	pthread_cond_broadcast(&n->kick);
}

static uint32_t net_cfg_read(struct lhv_virtio *vd, unsigned int off,
			     unsigned int size)
{
	struct lhv_net *n = vd->opaque;

	return lhv_net_cfg_read(n->mac, off, size);
}

static const struct lhv_virtio_ops net_ops = {
	.notify = net_notify,
	.cfg_read = net_cfg_read,
};

void lhv_net_init(struct lhv_net *n, const struct lhv_guest_ram *ram,
		  void (*msi)(void *opaque, uint64_t address, uint32_t data),
		  void *msi_opaque, pthread_mutex_t *lock)
{
	n->lock = lock;
	pthread_cond_init(&n->kick, NULL);
	lhv_virtio_init(&n->vd, "virtio-net", NET_TYPE, NET_CLASS,
			LHV_NET_F_MAC | LHV_NET_F_STATUS, 2, NET_QUEUE_SIZE,
			&net_ops, n, ram, msi, msi_opaque);
}

/* Waits for a notify, at most POLL_MS: the caller re-checks its state. */
static void wait_kick(struct lhv_net *n)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += POLL_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&n->kick, n->lock, &ts);
}

/* Pops into @c from queue @q: 1, or 0 (none, or the device failed). */
static int pop(struct lhv_net *n, unsigned int q, struct lhv_virtq_chain *c)
{
	int ret;

	if (!lhv_virtio_live(&n->vd))
		return 0;
	ret = lhv_virtq_pop(&n->vd.vq[q], n->vd.ram, c);
	if (ret < 0)
		lhv_virtio_fail(&n->vd);
	return ret > 0;
}

static void complete(struct lhv_net *n, unsigned int q,
		     const struct lhv_virtq_chain *c, uint32_t len)
{
	if (lhv_virtq_push(&n->vd.vq[q], n->vd.ram, c->head, len))
		lhv_virtio_fail(&n->vd);
	else
		lhv_virtio_interrupt(&n->vd, q);
}

/* Tap to guest: a receive buffer first, then a frame to fill it. */
static void *rx_thread(void *p)
{
	struct lhv_net *n = p;
	struct lhv_virtq_chain *c = &n->rx_chain;
	struct iovec iov[LHV_VIRTQ_MAX_SIZE];
	uint8_t hdr[LHV_NET_HDR_BYTES];
	bool held = false;
	uint32_t resets = 0;
	unsigned int niov;
	ssize_t len;

	pthread_mutex_lock(n->lock);
	while (!n->stop) {
		if (!held) {
			if (!pop(n, LHV_NET_RXQ, c)) {
				wait_kick(n);
				continue;
			}
			if (c->in_bytes <= LHV_NET_HDR_BYTES || c->nr_out) {
				lhv_virtio_fail(&n->vd);	/* not a receive buffer */
				continue;
			}
			held = true;
			resets = n->vd.resets;
		}
		niov = lhv_virtq_iov(c, true, LHV_NET_HDR_BYTES,
				     c->in_bytes - LHV_NET_HDR_BYTES, iov,
				     LHV_VIRTQ_MAX_SIZE);
		pthread_mutex_unlock(n->lock);
		len = -1;
		if (poll(&(struct pollfd){ .fd = n->fd, .events = POLLIN }, 1,
			 POLL_MS) > 0)
			len = readv(n->fd, iov, (int)niov);
		pthread_mutex_lock(n->lock);
		if (resets != n->vd.resets) {
			held = false;		/* that queue is gone */
			continue;
		}
		if (len <= 0)
			continue;
		lhv_net_rx_header(hdr);
		lhv_virtq_write(c, 0, hdr, sizeof(hdr));
		complete(n, LHV_NET_RXQ, c, LHV_NET_HDR_BYTES + (uint32_t)len);
		n->rx_frames++;
		held = false;
	}
	pthread_mutex_unlock(n->lock);
	return NULL;
}

/* Guest to tap: each transmit chain is one frame after its header. */
static void *tx_thread(void *p)
{
	struct lhv_net *n = p;
	struct lhv_virtq_chain *c = &n->tx_chain;
	struct iovec iov[LHV_VIRTQ_MAX_SIZE];
	unsigned int niov;
	uint32_t resets;
	ssize_t ret;

	pthread_mutex_lock(n->lock);
	while (!n->stop) {
		if (!n->tx_kicked) {
			wait_kick(n);
			continue;
		}
		n->tx_kicked = false;
		while (!n->stop && pop(n, LHV_NET_TXQ, c)) {
			if (c->out_bytes < LHV_NET_HDR_BYTES || c->nr != c->nr_out) {
				lhv_virtio_fail(&n->vd);	/* not a frame */
				break;
			}
			niov = lhv_virtq_iov(c, false, LHV_NET_HDR_BYTES,
					     c->out_bytes - LHV_NET_HDR_BYTES,
					     iov, LHV_VIRTQ_MAX_SIZE);
			resets = n->vd.resets;
			pthread_mutex_unlock(n->lock);
			ret = writev(n->fd, iov, (int)niov);
			pthread_mutex_lock(n->lock);
			if (resets != n->vd.resets)
				break;
			if (ret < 0)
				n->tx_dropped++;	/* the tap is down: dropped */
			else
				n->tx_frames++;
			complete(n, LHV_NET_TXQ, c, 0);
		}
	}
	pthread_mutex_unlock(n->lock);
	return NULL;
}

int lhv_net_start(struct lhv_net *n)
{
	int ret = lhv_thread_start(&n->rx_thread, rx_thread, n);

	if (!ret) {
		ret = lhv_thread_start(&n->tx_thread, tx_thread, n);
		if (ret) {
			pthread_mutex_lock(n->lock);
			n->stop = true;
			pthread_mutex_unlock(n->lock);
			pthread_join(n->rx_thread, NULL);
		}
	}
	if (ret) {
		fprintf(stderr, "lhv-run: --net tap=%s: no threads: %s\n",
			n->ifname, strerror(ret));
		return -1;
	}
	n->started = true;
	return 0;
}

void lhv_net_stop(struct lhv_net *n)
{
	if (n->started) {
		pthread_mutex_lock(n->lock);
		n->stop = true;
		pthread_cond_broadcast(&n->kick);
		pthread_mutex_unlock(n->lock);
		pthread_join(n->rx_thread, NULL);
		pthread_join(n->tx_thread, NULL);
		n->started = false;
	}
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}
