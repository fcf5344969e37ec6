// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the fw_cfg model (launcher/dev/fwcfg.c): the exact bytes
 * of every item and of the file directory, sequential reads past the end,
 * unknown selectors, wrong access sizes and every add_file refusal.
 */
#include <errno.h>
#include <string.h>

#include "../../launcher/dev/fwcfg.h"
#include "../../launcher/platform.h"
#include "unit.h"

static struct lhv_fwcfg fw;
static char err[LHV_FWCFG_ERR_LEN];

static void sel(uint16_t key)
{
	lhv_fwcfg_write(&fw, PLAT_PORT_FW_CFG_SEL, 2, key);
}

static void blob(uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = lhv_fwcfg_read(&fw, PLAT_PORT_FW_CFG_DATA, 1);
}

/* Item @key reads @len bytes equal to @want, then zeroes. */
static bool item_is(uint16_t key, const void *want, size_t len)
{
	uint8_t buf[80];

	sel(key);
	blob(buf, len + 8);
	return !memcmp(buf, want, len) &&
	       !memcmp(buf + len, "\0\0\0\0\0\0\0\0", 8);
}

static void test_items(void)
{
	static const uint8_t ram[8] = { 0x00, 0x00, 0x00, 0x40, 0x01 };
	static const uint8_t zero[8];
	uint8_t buf[4];

	lhv_fwcfg_init(&fw, 0x140000000ULL, 3, 4);
	sel(PLAT_FW_CFG_SIGNATURE);
	blob(buf, 4);
	CHECK(!memcmp(buf, "QEMU", 4), "signature QEMU");
	CHECK(item_is(PLAT_FW_CFG_SIGNATURE, "QEMU", 4), "signature then zeroes");
	CHECK(item_is(PLAT_FW_CFG_ID, "\1\0\0\0", 4), "ID 1: traditional, no DMA");
	CHECK(item_is(PLAT_FW_CFG_RAM_SIZE, ram, 8), "RAM size 64-bit LE");
	CHECK(item_is(PLAT_FW_CFG_NB_CPUS, "\3\0", 2), "nb_cpus 16-bit LE");
	CHECK(item_is(PLAT_FW_CFG_MAX_CPUS, "\4\0", 2), "max_cpus 16-bit LE");
	CHECK(item_is(PLAT_FW_CFG_FILE_DIR, zero, 4), "empty directory: count 0");
	CHECK(item_is(0x0002, zero, 0), "unknown selector: all zeroes");
	CHECK(item_is(0x8000, zero, 0), "arch-local selector: zeroes");
	CHECK(item_is(LHV_FWCFG_FILE_FIRST, zero, 0), "no file at 0x20 yet");
	CHECK(item_is(0xffff, zero, 0), "selector 0xffff: zeroes");

	/* Reselecting rewinds; partial reads resume where they stopped. */
	sel(PLAT_FW_CFG_SIGNATURE);
	blob(buf, 2);
	CHECK(buf[0] == 'Q' && buf[1] == 'E', "first two bytes");
	blob(buf, 1);
	CHECK(buf[0] == 'M', "third byte continues");
	sel(PLAT_FW_CFG_SIGNATURE);
	blob(buf, 1);
	CHECK(buf[0] == 'Q', "selector write rewinds");

	/* Only 16-bit selector writes and byte data reads count. */
	lhv_fwcfg_write(&fw, PLAT_PORT_FW_CFG_SEL, 1, PLAT_FW_CFG_ID);
	lhv_fwcfg_write(&fw, PLAT_PORT_FW_CFG_SEL, 4, PLAT_FW_CFG_ID);
	lhv_fwcfg_write(&fw, PLAT_PORT_FW_CFG_DATA, 1, 0x55);
	blob(buf, 1);
	CHECK(buf[0] == 'E', "byte/dword selector and data writes ignored");
	CHECK(lhv_fwcfg_read(&fw, PLAT_PORT_FW_CFG_DATA, 2) == 0xffff,
	      "16-bit data read: all-ones");
	CHECK(lhv_fwcfg_read(&fw, PLAT_PORT_FW_CFG_DATA, 4) == 0xffffffff,
	      "32-bit data read: all-ones");
	CHECK(lhv_fwcfg_read(&fw, PLAT_PORT_FW_CFG_SEL, 1) == 0xff,
	      "selector port reads all-ones");
	blob(buf, 1);
	CHECK(buf[0] == 'M', "wrong-size reads did not advance");
}

static void test_files(void)
{
	static const char cmdline[] = "console=ttyS0 quiet";
	static const uint8_t blob3[3] = { 0xaa, 0xbb, 0xcc };
	char name[70];
	uint8_t dir[4 + 2 * 64 + 8], want[4 + 2 * 64 + 8];
	uint8_t buf[32];
	int s1, s2, i;

	lhv_fwcfg_init(&fw, 1 << 20, 1, 1);
	s1 = lhv_fwcfg_add_file(&fw, "etc/lhv/cmdline", cmdline,
				sizeof(cmdline) - 1, err, sizeof(err));
	s2 = lhv_fwcfg_add_file(&fw, "etc/lhv/blob", blob3, 3, err,
				sizeof(err));
	CHECK(s1 == 0x20 && s2 == 0x21, "files get selectors 0x20, 0x21");

	memset(want, 0, sizeof(want));
	want[3] = 2;					/* be32 count */
	want[4 + 3] = sizeof(cmdline) - 1;		/* be32 size */
	want[4 + 5] = 0x20;				/* be16 select */
	strcpy((char *)want + 4 + 8, "etc/lhv/cmdline");
	want[68 + 3] = 3;
	want[68 + 5] = 0x21;
	strcpy((char *)want + 68 + 8, "etc/lhv/blob");
	sel(PLAT_FW_CFG_FILE_DIR);
	blob(dir, sizeof(dir));
	CHECK(!memcmp(dir, want, sizeof(dir)), "directory bytes exact, then 0");

	sel(s1);
	blob(buf, sizeof(cmdline) + 2);
	CHECK(!memcmp(buf, cmdline, sizeof(cmdline) - 1) &&
	      buf[sizeof(cmdline) - 1] == 0 && buf[sizeof(cmdline)] == 0,
	      "file content, zeroes past its end");
	CHECK(item_is(s2, blob3, 3), "second file");
	CHECK(item_is(0x22, "", 0), "selector after the last file: zeroes");

	CHECK(lhv_fwcfg_add_file(&fw, "etc/lhv/blob", blob3, 3, err,
				 sizeof(err)) == -EEXIST &&
	      strstr(err, "added twice"), "duplicate name refused");
	CHECK(lhv_fwcfg_add_file(&fw, "", blob3, 3, err, sizeof(err)) == -EINVAL,
	      "empty name refused");
	CHECK(lhv_fwcfg_add_file(&fw, "nodata", NULL, 3, err, sizeof(err)) ==
	      -EINVAL && strstr(err, "no data"), "NULL data refused");
	memset(name, 'n', 55);
	name[55] = '\0';
	CHECK(lhv_fwcfg_add_file(&fw, name, NULL, 0, err, sizeof(err)) == 0x22,
	      "55-byte name and an empty file accepted");
	name[55] = 'n';
	name[56] = '\0';
	CHECK(lhv_fwcfg_add_file(&fw, name, blob3, 3, err, sizeof(err)) ==
	      -ENAMETOOLONG, "56-byte name refused");
	CHECK(lhv_fwcfg_add_file(&fw, "big", blob3, 1ULL << 32, err,
				 sizeof(err)) == -EFBIG, "4 GiB file refused");
	sel(PLAT_FW_CFG_FILE_DIR);
	blob(buf, 4);
	CHECK(buf[3] == 3, "refusals left the directory alone");
	sel(PLAT_FW_CFG_FILE_DIR);
	blob(dir, 4 + 2 * 64);
	blob(buf, 8);
	CHECK(!memcmp(buf, "\0\0\0\0\0\x22\0\0", 8), "empty file entry");
	blob(buf, 32);
	CHECK(!memcmp(buf, name, 32), "its name");
	CHECK(item_is(0x22, "", 0), "empty file reads zeroes");

	for (i = 3; i < LHV_FWCFG_MAX_FILES; i++) {
		name[0] = 'a' + i;
		name[1] = '\0';
		if (lhv_fwcfg_add_file(&fw, name, blob3, 1, err, sizeof(err)) !=
		    LHV_FWCFG_FILE_FIRST + i)
			break;
	}
	CHECK(i == LHV_FWCFG_MAX_FILES, "fills up to the maximum");
	CHECK(lhv_fwcfg_add_file(&fw, "one-more", blob3, 1, err, sizeof(err)) ==
	      -ENOSPC && strstr(err, "one-more"), "then refuses with a reason");
	sel(PLAT_FW_CFG_FILE_DIR);
	blob(buf, 4);
	CHECK(buf[3] == LHV_FWCFG_MAX_FILES, "directory count at the maximum");
}

int main(void)
{
	test_items();
	test_files();
	return unit_done();
}
