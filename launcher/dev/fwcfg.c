// SPDX-License-Identifier: GPL-2.0
/*
 * fw_cfg items are never materialised: each data read computes the byte
 * at the current offset of the selected item, the file directory too, so
 * adding a file costs nothing and nothing can go stale.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../platform.h"
#include "fwcfg.h"

static const uint8_t signature[4] = { 'Q', 'E', 'M', 'U' };

static void put_le(uint8_t *p, uint64_t val, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = val >> (8 * i);
}

static uint8_t be_byte(uint32_t val, unsigned int width, uint32_t i)
{
	return val >> (8 * (width - 1 - i));
}

void lhv_fwcfg_init(struct lhv_fwcfg *fw, uint64_t ram_size, uint16_t nb_cpus,
		    uint16_t max_cpus)
{
	memset(fw, 0, sizeof(*fw));
	put_le(fw->id, 1, sizeof(fw->id));	/* traditional interface only */
	put_le(fw->ram_size, ram_size, sizeof(fw->ram_size));
	put_le(fw->nb_cpus, nb_cpus, sizeof(fw->nb_cpus));
	put_le(fw->max_cpus, max_cpus, sizeof(fw->max_cpus));
}

static int fail(char *err, size_t errlen, int ret, const char *why,
		const char *name)
{
	if (err && errlen)
		snprintf(err, errlen, "fw_cfg file \"%.60s\": %s", name, why);
	return ret;
}

int lhv_fwcfg_add_file(struct lhv_fwcfg *fw, const char *name,
		       const void *data, size_t size, char *err, size_t errlen)
{
	size_t len = strnlen(name, LHV_FWCFG_NAME_LEN);
	struct lhv_fwcfg_file *f;
	unsigned int i;

	if (!len)
		return fail(err, errlen, -EINVAL, "empty name", name);
	if (len >= LHV_FWCFG_NAME_LEN)
		return fail(err, errlen, -ENAMETOOLONG,
			    "name longer than 55 bytes", name);
	for (i = 0; i < fw->nr_files; i++)
		if (!strcmp(fw->file[i].name, name))
			return fail(err, errlen, -EEXIST, "added twice", name);
	if (size && !data)
		return fail(err, errlen, -EINVAL, "no data", name);
	if (size > UINT32_MAX)
		return fail(err, errlen, -EFBIG, "larger than 4 GiB - 1", name);
	if (fw->nr_files >= LHV_FWCFG_MAX_FILES)
		return fail(err, errlen, -ENOSPC, "too many files", name);
	f = &fw->file[fw->nr_files];
	memcpy(f->name, name, len + 1);
	f->data = data;
	f->size = size;
	return LHV_FWCFG_FILE_FIRST + fw->nr_files++;
}

/* Byte @off of the directory: be32 count, then one entry per file. */
static uint8_t dir_byte(const struct lhv_fwcfg *fw, uint32_t off, bool *end)
{
	const struct lhv_fwcfg_file *f;
	uint32_t i;

	if (off < 4)
		return be_byte(fw->nr_files, 4, off);
	off -= 4;
	i = off / LHV_FWCFG_DIR_ENTRY;
	off %= LHV_FWCFG_DIR_ENTRY;
	if (i >= fw->nr_files) {
		*end = true;
		return 0;
	}
	f = &fw->file[i];
	if (off < 4)
		return be_byte(f->size, 4, off);
	if (off < 6)
		return be_byte(LHV_FWCFG_FILE_FIRST + i, 2, off - 4);
	if (off < 8)
		return 0;			/* reserved */
	return f->name[off - 8];		/* NUL-padded by the memset */
}

/* Byte @off of item @sel; *@end when @off is past the item's end. */
static uint8_t item_byte(const struct lhv_fwcfg *fw, uint16_t sel,
			 uint32_t off, bool *end)
{
	const uint8_t *p = NULL;
	uint32_t len = 0;

	*end = false;
	switch (sel) {
	case PLAT_FW_CFG_SIGNATURE:
		p = signature;
		len = sizeof(signature);
		break;
	case PLAT_FW_CFG_ID:
		p = fw->id;
		len = sizeof(fw->id);
		break;
	case PLAT_FW_CFG_RAM_SIZE:
		p = fw->ram_size;
		len = sizeof(fw->ram_size);
		break;
	case PLAT_FW_CFG_NB_CPUS:
		p = fw->nb_cpus;
		len = sizeof(fw->nb_cpus);
		break;
	case PLAT_FW_CFG_MAX_CPUS:
		p = fw->max_cpus;
		len = sizeof(fw->max_cpus);
		break;
	case PLAT_FW_CFG_FILE_DIR:
		return dir_byte(fw, off, end);
	default:
		if (sel >= LHV_FWCFG_FILE_FIRST &&
		    sel - LHV_FWCFG_FILE_FIRST < (int)fw->nr_files) {
			const struct lhv_fwcfg_file *f =
				&fw->file[sel - LHV_FWCFG_FILE_FIRST];

			p = f->data;
			len = f->size;
		}
		break;
	}
	if (off >= len) {
		*end = true;
		return 0;
	}
	return p[off];
}

uint32_t lhv_fwcfg_read(struct lhv_fwcfg *fw, uint16_t port, unsigned int size)
{
	bool end;
	uint8_t byte;

	if (port != PLAT_PORT_FW_CFG_DATA || size != 1)
		return lhv_dev_ones(size);
	byte = item_byte(fw, fw->select, fw->offset, &end);
	/* Stop counting at the end so that the offset cannot wrap. */
	if (!end)
		fw->offset++;
	return byte;
}

void lhv_fwcfg_write(struct lhv_fwcfg *fw, uint16_t port, unsigned int size,
		     uint32_t val)
{
	if (port != PLAT_PORT_FW_CFG_SEL || size != 2)
		return;
	fw->select = val;
	fw->offset = 0;
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_fwcfg_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_fwcfg_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_fwcfg_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
