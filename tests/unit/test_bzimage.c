// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the bzImage loader (launcher/bzimage.c): a synthetic
 * kernel loads where its header says, the zero page, command line and
 * initrd read back exactly, every malformed or oversized image is refused
 * with a reason and RAM left as it was, and, when this host has one, a
 * real /boot/vmlinuz-* loads with a sensible header and entry point.
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/bzimage.h"
#include "../../launcher/e820.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define MIB		0x100000ULL
#define RAM_SIZE	(32 * MIB)
#define POISON		0xee
#define BP		PLAT_BOOT_PARAMS_GPA
#define IMG_LEN		0x1400		/* 2 setup sectors, 0x1000 of kernel */
#define PM_OFF		0x400

#ifndef VMLINUZ_GLOB			/* -D to try the skip path */
#define VMLINUZ_GLOB	"/boot/vmlinuz-*"
#endif

static unsigned char *ram_buf;
static struct lhv_guest_ram ram;
static unsigned char img[IMG_LEN];
static char err[LHV_LOAD_ERR_LEN];

static void put(unsigned char *p, size_t off, size_t n, uint64_t v)
{
	memcpy(p + off, &v, n);
}

static uint64_t get(const unsigned char *p, size_t off, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p + off, n);
	return v;
}

static void make_bz(void)
{
	size_t i;

	for (i = 0; i < IMG_LEN; i++)
		img[i] = i * 13 + 1;
	memset(img, 0, PM_OFF);
	img[0x1ef] = 0xff;			/* sentinel: must not be copied */
	img[LHV_BP_SETUP_SECTS] = 1;
	put(img, LHV_BP_BOOT_FLAG, 2, 0xaa55);
	img[LHV_BP_JUMP] = 0xeb;
	img[LHV_BP_JUMP + 1] = 0x6a;		/* header ends at 0x26c */
	put(img, LHV_BP_HEADER, 4, LHV_BZ_MAGIC);
	put(img, LHV_BP_VERSION, 2, 0x020f);
	put(img, 0x20e, 2, 0x1234);		/* kernel_version: kept */
	img[LHV_BP_LOADFLAGS] = LHV_BZ_LOADED_HIGH | LHV_BZ_CAN_USE_HEAP | 0x20;
	put(img, LHV_BP_HEAP_END_PTR, 2, 0xde00);
	put(img, LHV_BP_RAMDISK_IMAGE, 4, 0x12345678);
	put(img, LHV_BP_INITRD_ADDR_MAX, 4, 0x7fffffff);
	put(img, LHV_BP_KERNEL_ALIGNMENT, 4, 0x200000);
	img[LHV_BP_RELOCATABLE] = 1;
	put(img, LHV_BP_XLOADFLAGS, 2, 0x3);
	put(img, LHV_BP_CMDLINE_SIZE, 4, 2047);
	put(img, LHV_BP_SETUP_DATA, 8, 0xdeadbeef);
	put(img, LHV_BP_PREF_ADDRESS, 8, 16 * MIB);
	put(img, LHV_BP_INIT_SIZE, 4, 3 * MIB);
	put(img, 0x268, 4, 0x4444);		/* kernel_info_offset: kept */
	memset(img + 0x26c, 0x77, 0x290 - 0x26c); /* past the header */
	memset(img + 0x290, 0x66, 0x310 - 0x290); /* ... and past any header */
}

static bool all(uint64_t gpa, uint64_t len, unsigned char v)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (ram_buf[gpa + i] != v)
			return false;
	return true;
}

static int load(const void *image, size_t len, const char *cmdline,
		const void *initrd, size_t initrd_len, uint64_t rsdp,
		struct lhv_bz_entry *e)
{
	void *copy = malloc(len ? len : 1);	/* ASan sees any over-read */
	int r;

	memcpy(copy, image, len);
	memset(ram_buf, POISON, ram.size);
	memset(e, 0, sizeof(*e));
	err[0] = '\0';
	r = lhv_load_bzimage(&ram, copy, len, cmdline, initrd, initrd_len, rsdp,
			     e, err, sizeof(err));
	free(copy);
	return r;
}

static void refused(const void *image, size_t len, const char *cmdline,
		    const void *initrd, size_t initrd_len, int ret,
		    const char *name)
{
	struct lhv_bz_entry e;
	int r = load(image, len, cmdline, initrd, initrd_len, 0, &e);

	CHECK(r == ret && err[0] && all(0, ram.size, POISON) && !e.rip, name);
	if (r != ret)
		printf("#   got %d (%s), want %d\n", r, err, ret);
}

static unsigned char initrd[0x2345];

static void test_good(void)
{
	struct lhv_e820_entry map[LHV_E820_MAX];
	unsigned char want[LHV_E820_MAX * LHV_E820_ENTRY_BYTES];
	unsigned char *bp = ram_buf + BP;
	struct lhv_bz_entry e;
	unsigned int i;
	bool ok;

	make_bz();
	memset(initrd, 0x3c, sizeof(initrd));
	CHECK(load(img, IMG_LEN, "console=ttyS0 quiet", initrd, sizeof(initrd),
		   0xe0000, &e) == 0, "synthetic bzImage loads");
	CHECK(e.load_addr == 16 * MIB && e.rip == 16 * MIB + 0x200 &&
	      e.rsi == 0x10000 && e.kernel_size == 3 * MIB && e.version == 0x020f,
	      "at pref_address; RIP = load + 0x200, RSI = zero page");
	CHECK(!memcmp(ram_buf + 16 * MIB, img + PM_OFF, IMG_LEN - PM_OFF) &&
	      all(16 * MIB + IMG_LEN - PM_OFF, 0x100, POISON) &&
	      all(16 * MIB - 0x100, 0x100, POISON),
	      "protected-mode part copied, nothing around it");

	ok = true;
	for (i = 0; i < 0x1f1; i++)
		if (i < 0x70 || (i >= 0x78 && i != 0x1e8))
			ok = ok && !bp[i];
	CHECK(ok && get(bp, LHV_BP_ACPI_RSDP, 8) == 0xe0000 && bp[0x1ef] == 0,
	      "zero page: zero but acpi_rsdp_addr and e820_entries, sentinel clear");
	ok = true;
	for (i = 0x1f1; i < 0x26c; i++) {
		if (i == LHV_BP_TYPE_OF_LOADER || i == LHV_BP_LOADFLAGS ||
		    (i >= LHV_BP_RAMDISK_IMAGE && i < LHV_BP_RAMDISK_IMAGE + 8) ||
		    (i >= LHV_BP_HEAP_END_PTR && i < LHV_BP_HEAP_END_PTR + 2) ||
		    (i >= LHV_BP_CMD_LINE_PTR && i < LHV_BP_CMD_LINE_PTR + 4) ||
		    (i >= LHV_BP_SETUP_DATA && i < LHV_BP_SETUP_DATA + 8))
			continue;
		ok = ok && bp[i] == img[i];
	}
	CHECK(ok, "setup header copied from the image");
	CHECK(all(BP + 0x26c, 0x2d0 - 0x26c, 0), "nothing past the header's end copied");
	CHECK(bp[LHV_BP_TYPE_OF_LOADER] == 0xff && bp[LHV_BP_LOADFLAGS] == 0x21 &&
	      get(bp, LHV_BP_HEAP_END_PTR, 2) == 0 && get(bp, LHV_BP_SETUP_DATA, 8) == 0,
	      "type_of_loader 0xff, LOADED_HIGH kept, CAN_USE_HEAP and heap cleared, no setup_data");
	CHECK(get(bp, LHV_BP_CMD_LINE_PTR, 4) == 0x20000 &&
	      !strcmp((char *)ram_buf + 0x20000, "console=ttyS0 quiet") &&
	      all(0x20000 + 19, PLAT_CMDLINE_MAX - 19, 0) &&
	      all(0x20000 + PLAT_CMDLINE_MAX, 16, POISON) &&
	      get(bp, LHV_BP_EXT_CMD_LINE_PTR, 4) == 0,
	      "command line at PLAT_CMDLINE_GPA, rest of its page zero");
	CHECK(e.initrd_addr == 0x1ffd000 && e.initrd_size == sizeof(initrd) &&
	      get(bp, LHV_BP_RAMDISK_IMAGE, 4) == 0x1ffd000 &&
	      get(bp, LHV_BP_RAMDISK_SIZE, 4) == sizeof(initrd) &&
	      get(bp, LHV_BP_EXT_RAMDISK_IMAGE, 8) == 0,
	      "initrd at the highest page that holds it, ext_ramdisk_* zero");
	CHECK(all(0x1ffd000, sizeof(initrd), 0x3c) &&
	      all(0x1ffd000 + sizeof(initrd), RAM_SIZE - 0x1ffd000 - sizeof(initrd), POISON) &&
	      all(0x1ffc000, 0x1000, POISON), "initrd bytes copied, nothing around them");

	lhv_e820_build(RAM_SIZE, map);
	for (i = 0; i < LHV_E820_MAX; i++)
		lhv_e820_encode(&map[i], want + i * LHV_E820_ENTRY_BYTES);
	CHECK(bp[LHV_BP_E820_ENTRIES] == 4 &&
	      !memcmp(bp + LHV_BP_E820_TABLE, want, sizeof(want)) &&
	      all(BP + LHV_BP_E820_TABLE + sizeof(want), 0x1000 - 0x2d0 - sizeof(want), 0),
	      "e820 table: four 20-byte records, then zeroes");
	CHECK(get(bp, LHV_BP_E820_TABLE + 3 * 20 + 8, 8) == RAM_SIZE - MIB,
	      "e820: RAM above 1 MiB to the end of RAM");
	CHECK(all(BP - 0x100, 0x100, POISON) && all(BP + 0x1000, 0x100, POISON),
	      "nothing written around the zero page");

	CHECK(load(img, IMG_LEN, NULL, NULL, 0, 0, &e) == 0 && e.initrd_addr == 0 &&
	      get(bp, LHV_BP_RAMDISK_IMAGE, 8) == 0 && ram_buf[0x20000] == 0 &&
	      get(bp, LHV_BP_ACPI_RSDP, 8) == 0, "no initrd, no command line, no RSDP");
}

static void test_placement(void)
{
	struct lhv_bz_entry e;
	static unsigned char big[2 * MIB];
	unsigned char *huge = calloc(1, 16 * MIB);

	make_bz();
	put(img, LHV_BP_PREF_ADDRESS, 8, 0x80000);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.load_addr == 2 * MIB &&
	      e.rip == 2 * MIB + 0x200 && !memcmp(ram_buf + 2 * MIB, img + PM_OFF, 0x1000),
	      "pref_address below 1 MiB: relocated to 1 MiB aligned up to 2 MiB");
	put(img, LHV_BP_PREF_ADDRESS, 8, 30 * MIB);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.load_addr == 2 * MIB,
	      "init_size does not fit above pref_address: relocated");
	put(img, LHV_BP_PREF_ADDRESS, 8, 29 * MIB);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.load_addr == 29 * MIB,
	      "init_size ending exactly at the end of RAM: pref_address kept");
	put(img, LHV_BP_PREF_ADDRESS, 8, ~0ULL - 0x1000);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.load_addr == 2 * MIB,
	      "pref_address near 2^64: relocated");
	put(img, LHV_BP_KERNEL_ALIGNMENT, 4, 0x1000);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.load_addr == MIB,
	      "4 KiB alignment: at 1 MiB");
	put(img, LHV_BP_KERNEL_ALIGNMENT, 4, 0x80000000);
	refused(img, IMG_LEN, "", NULL, 0, -ERANGE, "2 GiB alignment: beyond RAM");
	put(img, LHV_BP_KERNEL_ALIGNMENT, 4, 0);
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "kernel_alignment 0 refused");
	put(img, LHV_BP_KERNEL_ALIGNMENT, 4, 0x300000);
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "kernel_alignment not a power of two");
	put(img, LHV_BP_KERNEL_ALIGNMENT, 4, 0x200000);
	img[LHV_BP_RELOCATABLE] = 0;
	refused(img, IMG_LEN, "", NULL, 0, -ERANGE, "fixed kernel whose pref_address misses RAM");
	make_bz();
	put(img, LHV_BP_INIT_SIZE, 4, 31 * MIB);
	refused(img, IMG_LEN, "", NULL, 0, -ERANGE, "init_size too big for RAM");
	put(img, LHV_BP_INIT_SIZE, 4, 30 * MIB);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.load_addr == 2 * MIB &&
	      e.kernel_size == 30 * MIB, "init_size filling RAM from 2 MiB");
	put(img, LHV_BP_INIT_SIZE, 4, 0xffffffff);
	refused(img, IMG_LEN, "", NULL, 0, -ERANGE, "init_size 4 GiB - 1");
	put(img, LHV_BP_INIT_SIZE, 4, 0x10);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 && e.kernel_size == 0x1000,
	      "init_size smaller than the file: the file's size counts");

	/* The initrd. */
	make_bz();
	put(img, LHV_BP_INITRD_ADDR_MAX, 4, 18 * MIB - 1);
	CHECK(load(img, IMG_LEN, "", initrd, sizeof(initrd), 0, &e) == 0 &&
	      e.initrd_addr == 16 * MIB - 0x3000 && all(e.initrd_addr, sizeof(initrd), 0x3c),
	      "initrd_addr_max inside the kernel: initrd just below the kernel");
	put(img, LHV_BP_INITRD_ADDR_MAX, 4, 20 * MIB - 1);
	CHECK(load(img, IMG_LEN, "", initrd, sizeof(initrd), 0, &e) == 0 &&
	      e.initrd_addr == 20 * MIB - 0x3000, "initrd below initrd_addr_max");
	put(img, LHV_BP_INITRD_ADDR_MAX, 4, 0xffffffff);
	CHECK(load(img, IMG_LEN, "", initrd, sizeof(initrd), 0, &e) == 0 &&
	      e.initrd_addr == RAM_SIZE - 0x3000, "initrd_addr_max 4 GiB - 1: top of RAM");
	put(img, LHV_BP_INITRD_ADDR_MAX, 4, MIB + 0x1000 - 1);
	refused(img, IMG_LEN, "", initrd, sizeof(initrd), -ERANGE,
		"initrd_addr_max leaves only the low megabyte");
	make_bz();
	CHECK(load(img, IMG_LEN, "", huge, RAM_SIZE - 19 * MIB, 0, &e) == 0 &&
	      e.initrd_addr == 19 * MIB, "initrd from the kernel's end to the end of RAM");
	CHECK(load(img, IMG_LEN, "", huge, RAM_SIZE - 19 * MIB + 1, 0, &e) == 0 &&
	      e.initrd_addr == 3 * MIB - 0x1000,
	      "a byte bigger: below the kernel, page-aligned down");
	refused(img, IMG_LEN, "", huge, 15 * MIB + 1, -ERANGE,
		"initrd bigger than the room on either side of the kernel");
	refused(img, IMG_LEN, "", huge, RAM_SIZE + 1, -ERANGE, "initrd bigger than RAM");
	refused(img, IMG_LEN, "", huge, 0xffffffffffffULL, -ERANGE, "initrd 256 TiB");
	/* Kernel [1 MiB, 31 MiB): 1 MiB above it fits, 2 MiB fits nowhere. */
	put(img, LHV_BP_PREF_ADDRESS, 8, MIB);
	put(img, LHV_BP_INIT_SIZE, 4, 30 * MIB);
	CHECK(load(img, IMG_LEN, "", big, MIB, 0, &e) == 0 && e.initrd_addr == 31 * MIB,
	      "initrd exactly filling the RAM above the kernel");
	refused(img, IMG_LEN, "", big, MIB + 1, -ERANGE,
		"initrd that would overlap the kernel refused");
	/* Kernel [16 MiB, 19 MiB), limit 18 MiB, 16 MiB initrd: below is too small. */
	make_bz();
	put(img, LHV_BP_INITRD_ADDR_MAX, 4, 18 * MIB - 1);
	refused(img, IMG_LEN, "", huge, 15 * MIB + 1, -ERANGE,
		"initrd below the kernel would reach the low megabyte");
	CHECK(load(img, IMG_LEN, "", huge, 15 * MIB, 0, &e) == 0 &&
	      e.initrd_addr == MIB, "initrd filling [1 MiB, kernel)");
	free(huge);
}

static void test_refused(void)
{
	unsigned char line[PLAT_CMDLINE_MAX + 1];
	struct lhv_bz_entry e;
	unsigned int i;
	bool ok;

	make_bz();
	refused(img, 0, "", NULL, 0, -ENOEXEC, "empty file");
	refused(img, 0x267, "", NULL, 0, -ENOEXEC, "file ending inside the setup header");
	img[0x202] = 'X';
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "bad HdrS magic");
	make_bz();
	put(img, LHV_BP_BOOT_FLAG, 2, 0x55aa);
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "bad boot flag");
	make_bz();
	put(img, LHV_BP_VERSION, 2, 0x020b);
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "protocol 2.11 refused");
	CHECK(strstr(err, "2.11") != NULL, "... naming the version");
	put(img, LHV_BP_VERSION, 2, 0x020c);
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0, "protocol 2.12 accepted");
	make_bz();
	put(img, LHV_BP_XLOADFLAGS, 2, 0x2);
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "no XLF_KERNEL_64 refused");
	make_bz();
	img[LHV_BP_JUMP + 1] = 0x65;		/* ends at 0x267 */
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "setup header too short for 2.12");
	make_bz();
	img[LHV_BP_JUMP + 1] = 0xff;		/* ends at 0x301: clamped */
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 &&
	      ram_buf[BP + 0x28f] == 0x77 && all(BP + 0x290, 0x2d0 - 0x290, 0) &&
	      ram_buf[BP + LHV_BP_E820_ENTRIES] == 4,
	      "oversized header length clamped at the EDD signature buffer");
	refused(img, 0x28f, "", NULL, 0, -ENOEXEC, "header running past a short file");
	make_bz();
	img[LHV_BP_SETUP_SECTS] = 0;		/* means 4: kernel at 0xa00 */
	CHECK(load(img, IMG_LEN, "", NULL, 0, 0, &e) == 0 &&
	      !memcmp(ram_buf + 16 * MIB, img + 0xa00, IMG_LEN - 0xa00) &&
	      e.kernel_size == 3 * MIB, "setup_sects 0 means 4");
	img[LHV_BP_SETUP_SECTS] = 9;		/* kernel at 0x1400: empty */
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "setup sectors covering the whole file");
	img[LHV_BP_SETUP_SECTS] = 255;
	refused(img, IMG_LEN, "", NULL, 0, -ENOEXEC, "255 setup sectors in a small file");

	/* The command line. */
	make_bz();
	put(img, LHV_BP_CMDLINE_SIZE, 4, 10);
	CHECK(load(img, IMG_LEN, "0123456789", NULL, 0, 0, &e) == 0 &&
	      !strcmp((char *)ram_buf + 0x20000, "0123456789"),
	      "command line of exactly cmdline_size bytes");
	refused(img, IMG_LEN, "0123456789a", NULL, 0, -E2BIG,
		"command line longer than cmdline_size");
	put(img, LHV_BP_CMDLINE_SIZE, 4, 0xffffffff);
	memset(line, 'y', sizeof(line));
	line[PLAT_CMDLINE_MAX - 1] = '\0';
	CHECK(load(img, IMG_LEN, (char *)line, NULL, 0, 0, &e) == 0 &&
	      strlen((char *)ram_buf + 0x20000) == PLAT_CMDLINE_MAX - 1 &&
	      ram_buf[0x20000 + PLAT_CMDLINE_MAX] == POISON,
	      "command line filling PLAT_CMDLINE_MAX");
	line[PLAT_CMDLINE_MAX - 1] = 'y';
	line[PLAT_CMDLINE_MAX] = '\0';
	refused(img, IMG_LEN, (char *)line, NULL, 0, -E2BIG,
		"command line one byte over PLAT_CMDLINE_MAX");

	/* RAM itself. */
	make_bz();
	ram.gpa = 0x1000;
	refused(img, IMG_LEN, "", NULL, 0, -EINVAL, "RAM not at GPA 0");
	ram.gpa = 0;
	ram.size = MIB;
	refused(img, IMG_LEN, "", NULL, 0, -EINVAL, "1 MiB of RAM");
	ram.size = RAM_SIZE;

	for (i = 0, ok = true; i <= PM_OFF; i++)
		ok = ok && load(img, i, "", NULL, 0, 0, &e) != 0 &&
		     all(BP, 0x1000, POISON) && all(16 * MIB, 0x100, POISON);
	CHECK(ok, "every truncation up to the kernel's first byte refused, RAM untouched");
	CHECK(load(img, PM_OFF + 1, "", NULL, 0, 0, &e) == 0 && e.kernel_size == 3 * MIB,
	      "... and a 1-byte kernel part loads");
}

/* Poisons only what test_fuzz() looks at: all of RAM 3000 times is slow. */
static void poison_spots(void)
{
	static const uint64_t spot[] = { BP, 0x20000, MIB, 2 * MIB, 16 * MIB };
	unsigned int i;

	for (i = 0; i < sizeof(spot) / sizeof(spot[0]); i++)
		memset(ram_buf + spot[i], POISON, 0x1000);
}

static bool spots_poisoned(void)
{
	return all(BP, 0x1000, POISON) && all(0x20000, 0x1000, POISON) &&
	       all(MIB, 0x1000, POISON) && all(2 * MIB, 0x1000, POISON) &&
	       all(16 * MIB, 0x1000, POISON);
}

/* Random header bytes: never a crash; refusals leave RAM alone. */
static void test_fuzz(void)
{
	unsigned int i, j, nok = 0, nbad = 0;
	struct lhv_bz_entry e;
	bool ok = true;
	size_t len;
	void *copy;
	int r;

	srand(2);
	for (i = 0; i < 3000; i++) {
		make_bz();
		for (j = 0; j < 4; j++)
			img[0x1f1 + rand() % (0x290 - 0x1f1)] = rand() & 1 ? rand() : 0xff;
		len = IMG_LEN - rand() % IMG_LEN;
		copy = malloc(len);		/* exact size: ASan sees over-reads */
		memcpy(copy, img, len);
		poison_spots();
		err[0] = '\0';
		memset(&e, 0, sizeof(e));
		r = lhv_load_bzimage(&ram, copy, len, "x", initrd, sizeof(initrd), 0,
				     &e, err, sizeof(err));
		free(copy);
		if (r) {
			nbad++;
			ok = ok && err[0] && spots_poisoned() && !e.rip;
		} else {
			nok++;
			ok = ok && e.load_addr >= MIB && e.kernel_size <= RAM_SIZE - e.load_addr &&
			     e.initrd_addr >= MIB && e.initrd_addr + sizeof(initrd) <= RAM_SIZE &&
			     (e.initrd_addr >= e.load_addr + e.kernel_size ||
			      e.initrd_addr + sizeof(initrd) <= e.load_addr);
		}
	}
	CHECK(ok && nok && nbad, "3000 mutated headers: loaded sanely or refused cleanly");
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n = -1;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

/* Debian's own kernel, if this host has one readable. */
static void test_real_kernel(void)
{
	struct lhv_guest_ram big = { NULL, 0, 256 * MIB };
	struct lhv_guest_ram saved = ram;
	unsigned char *k = NULL, *bp;
	struct lhv_bz_entry e;
	size_t len = 0, pm_off;
	uint64_t pref;
	glob_t g;
	bool ok;
	int r;

	if (!glob(VMLINUZ_GLOB, 0, NULL, &g) && g.gl_pathc)
		k = read_file(g.gl_pathv[g.gl_pathc - 1], &len);
	if (!k) {
		printf("ok %d - real kernel # SKIP no readable %s\n", ++unit_count,
		       VMLINUZ_GLOB);
		globfree(&g);
		return;
	}
	printf("# loading %s (%zu bytes)\n", g.gl_pathv[g.gl_pathc - 1], len);
	globfree(&g);
	big.host = malloc(big.size);
	ram = big;
	ram_buf = big.host;
	r = load(k, len, "console=ttyS0 earlyprintk=serial", initrd, sizeof(initrd),
		 0xe0000, &e);
	CHECK(r == 0, "real kernel: loads into 256 MiB");
	if (r)
		printf("#   %d: %s\n", r, err);
	bp = ram_buf + BP;
	pref = get(k, LHV_BP_PREF_ADDRESS, 8);
	pm_off = ((k[LHV_BP_SETUP_SECTS] ? k[LHV_BP_SETUP_SECTS] : 4) + 1) * 512;
	CHECK(e.version >= 0x020c && get(bp, LHV_BP_HEADER, 4) == LHV_BZ_MAGIC &&
	      get(bp, LHV_BP_VERSION, 2) == e.version &&
	      (get(bp, LHV_BP_XLOADFLAGS, 2) & LHV_BZ_XLF_KERNEL_64),
	      "real kernel: protocol 2.12+, HdrS and XLF_KERNEL_64 in the zero page");
	CHECK(pref >= MIB && e.load_addr == pref && e.rip == pref + 0x200 &&
	      e.load_addr % get(k, LHV_BP_KERNEL_ALIGNMENT, 4) == 0,
	      "real kernel: at its pref_address, aligned, RIP = load + 0x200");
	CHECK(e.kernel_size == get(k, LHV_BP_INIT_SIZE, 4) && e.kernel_size >= len - pm_off &&
	      e.load_addr + e.kernel_size < big.size &&
	      !memcmp(ram_buf + e.load_addr, k + pm_off, len - pm_off),
	      "real kernel: init_size covers the protected-mode part, copied whole");
	ok = get(bp, LHV_BP_CMDLINE_SIZE, 4) >= 255 &&
	     !strcmp((char *)ram_buf + 0x20000, "console=ttyS0 earlyprintk=serial") &&
	     bp[LHV_BP_TYPE_OF_LOADER] == 0xff && (bp[LHV_BP_LOADFLAGS] & LHV_BZ_LOADED_HIGH) &&
	     !(bp[LHV_BP_LOADFLAGS] & LHV_BZ_CAN_USE_HEAP) && bp[LHV_BP_E820_ENTRIES] == 4 &&
	     get(bp, LHV_BP_ACPI_RSDP, 8) == 0xe0000;
	CHECK(ok, "real kernel: command line, loader, flags, e820, RSDP in the zero page");
	CHECK(e.initrd_addr % 0x1000 == 0 && e.initrd_addr >= e.load_addr + e.kernel_size &&
	      e.initrd_addr + sizeof(initrd) <= big.size &&
	      e.initrd_addr + sizeof(initrd) <= (uint64_t)get(k, LHV_BP_INITRD_ADDR_MAX, 4) + 1 &&
	      get(bp, LHV_BP_RAMDISK_IMAGE, 4) == e.initrd_addr,
	      "real kernel: initrd page-aligned, above the kernel, below initrd_addr_max");
	free(big.host);
	free(k);
	ram = saved;
	ram_buf = ram.host;
}

int main(void)
{
	ram_buf = malloc(RAM_SIZE);
	ram = (struct lhv_guest_ram){ ram_buf, 0, RAM_SIZE };
	test_good();
	test_placement();
	test_refused();
	test_fuzz();
	test_real_kernel();
	free(ram_buf);
	return unit_done();
}
