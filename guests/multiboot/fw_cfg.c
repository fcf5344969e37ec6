// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's fw_cfg over I/O ports: a 16-bit write of the item's key to the
 * selector port, then the item's bytes one by one from the data port.
 */
#include "mb-smp.h"
#include "io.h"
#include "platform.h"

void fw_cfg_read(uint16_t key, void *buf, uint32_t len)
{
	uint8_t *p = buf;

	outw(key, PLAT_PORT_FW_CFG_SEL);
	while (len--)
		*p++ = inb(PLAT_PORT_FW_CFG_DATA);
}
