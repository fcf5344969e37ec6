/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's fw_cfg, legacy I/O interface only: a 16-bit selector write at
 * PLAT_PORT_FW_CFG_SEL, then byte reads at PLAT_PORT_FW_CFG_DATA walk the
 * selected item from offset 0 and read 0 past its end.  A selector write
 * rewinds the offset.
 *
 * Items: signature "QEMU", ID 1 (traditional interface, no DMA), RAM size
 * (64-bit LE), vCPU count and maximum (16-bit LE), the file directory
 * (big-endian count, then 64-byte entries: be32 size, be16 select, be16
 * reserved, 56-byte NUL-padded name) and the named files added with
 * lhv_fwcfg_add_file(), selectors 0x20 up in the order they were added
 * (QEMU sorts its directory by name; guests look files up by name).
 * Every other selector, the write channel and arch-local ones included,
 * is an item of length 0: all its reads are 0.
 *
 * As in QEMU, only a 16-bit write selects and only byte reads return
 * data: other sizes at these ports read all-ones and are otherwise
 * ignored, and data-port writes are ignored.  No DMA port (0x514).
 */
#ifndef _LHV_DEV_FWCFG_H
#define _LHV_DEV_FWCFG_H

#include <stddef.h>

#include "dev.h"

#define LHV_FWCFG_FILE_FIRST	0x20
#define LHV_FWCFG_MAX_FILES	16
#define LHV_FWCFG_NAME_LEN	56	/* with the terminating NUL */
#define LHV_FWCFG_DIR_ENTRY	64
#define LHV_FWCFG_ERR_LEN	120

struct lhv_fwcfg_file {
	char name[LHV_FWCFG_NAME_LEN];
	const uint8_t *data;		/* the caller's, must outlive the device */
	uint32_t size;
};

struct lhv_fwcfg {
	uint16_t select;
	uint32_t offset;		/* next byte of the selected item */
	uint8_t id[4], ram_size[8], nb_cpus[2], max_cpus[2];
	struct lhv_fwcfg_file file[LHV_FWCFG_MAX_FILES];
	unsigned int nr_files;
};

void lhv_fwcfg_init(struct lhv_fwcfg *fw, uint64_t ram_size, uint16_t nb_cpus,
		    uint16_t max_cpus);

/*
 * Adds @name with @size bytes at @data (not copied).  Returns the file's
 * selector, or a negative errno with a reason in @err:
 *   -EINVAL       empty name, or no data for a non-empty file
 *   -ENAMETOOLONG name of 56 bytes or more
 *   -EEXIST       a file of that name is already there
 *   -EFBIG        more than 4 GiB - 1 bytes
 *   -ENOSPC       LHV_FWCFG_MAX_FILES files already
 */
int lhv_fwcfg_add_file(struct lhv_fwcfg *fw, const char *name,
		       const void *data, size_t size, char *err, size_t errlen);

uint32_t lhv_fwcfg_read(struct lhv_fwcfg *fw, uint16_t port, unsigned int size);
void lhv_fwcfg_write(struct lhv_fwcfg *fw, uint16_t port, unsigned int size,
		     uint32_t val);

extern const struct lhv_pio_ops lhv_fwcfg_pio_ops;

#endif /* _LHV_DEV_FWCFG_H */
