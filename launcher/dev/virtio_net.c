// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net's configuration and headers (virtio_net.h).
 */
#include <string.h>

#include "virtio_net.h"

#define NET_S_LINK_UP	1

uint32_t lhv_net_cfg_read(const uint8_t mac[6], unsigned int off,
			  unsigned int size)
{
	uint8_t cfg[8] = { 0 };
	uint32_t v = 0;
	unsigned int i;

	memcpy(cfg, mac, 6);
	cfg[6] = NET_S_LINK_UP;
	for (i = 0; i < size && i < 4; i++)
		if (off + i < sizeof(cfg))
			v |= (uint32_t)cfg[off + i] << (8 * i);
	return v;
}

void lhv_net_rx_header(uint8_t hdr[LHV_NET_HDR_BYTES])
{
	memset(hdr, 0, LHV_NET_HDR_BYTES);
	hdr[10] = 1;		/* num_buffers, little-endian */
}
