// SPDX-License-Identifier: GPL-2.0
/*
 * Linux bzImage loader, 64-bit boot protocol (see bzimage.h for the
 * contract).  The setup header comes from a file the user names, so each
 * field is checked before it sizes or places anything, all in 64-bit
 * arithmetic on fields of at most 32 bits; every check runs before the
 * first write, so a refused image leaves guest RAM as it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bzimage.h"
#include "e820.h"
#include "platform.h"
#include "reason.h"

#define PAGE_SIZE	0x1000ULL
#define BOOT_FLAG	0xaa55
#define SECTOR		512
#define DEFAULT_SETUP_SECTS 4		/* what setup_sects 0 means */
#define LOADER_UNDEFINED 0xff		/* type_of_loader: no assigned ID */

/* What the header says and where we put things. */
struct bz_plan {
	uint16_t version;
	size_t hdr_end;			/* copy [LHV_BP_HDR, hdr_end) */
	uint64_t pm_off, pm_len;	/* the protected-mode part of the file */
	uint64_t load, need;		/* kernel: [load, load + need) */
	uint64_t initrd;
	size_t cmdline_len;
};

/* Unaligned little-endian reads and writes; the host is x86 too. */
static uint64_t get(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

static void put(unsigned char *p, size_t n, uint64_t v)
{
	memcpy(p, &v, n);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* The header's magic, version and extent, and the 64-bit entry. */
static int check_header(const unsigned char *img, size_t len, struct bz_plan *p,
			char *err, size_t errlen)
{
	unsigned int sects;

	if (len < LHV_BP_HDR_MIN_END)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: %zu-byte file is too short for a setup header", len);
	if (get(img + LHV_BP_BOOT_FLAG, 2) != BOOT_FLAG ||
	    get(img + LHV_BP_HEADER, 4) != LHV_BZ_MAGIC)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: no boot flag 0xaa55 and \"HdrS\" magic: not a Linux kernel");
	p->version = get(img + LHV_BP_VERSION, 2);
	if (p->version < LHV_BZ_MIN_VERSION)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: boot protocol %u.%02u, need 2.12 or later",
				  p->version >> 8, p->version & 0xff);
	/* The header ends at 0x202 plus the offset of its short jump. */
	p->hdr_end = LHV_BP_JUMP + 2 + img[LHV_BP_JUMP + 1];
	if (p->hdr_end < LHV_BP_HDR_MIN_END)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: setup header ends at %#zx, before the 2.12 fields",
				  p->hdr_end);
	/* A longer one holds no fields we know; do not let it reach the EDD data. */
	if (p->hdr_end > LHV_BP_HDR_MAX_END)
		p->hdr_end = LHV_BP_HDR_MAX_END;
	if (p->hdr_end > len)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: setup header runs past the %zu-byte file", len);
	if (!(get(img + LHV_BP_XLOADFLAGS, 2) & LHV_BZ_XLF_KERNEL_64))
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: xloadflags lack XLF_KERNEL_64: no 64-bit entry point");
	sects = img[LHV_BP_SETUP_SECTS] ? img[LHV_BP_SETUP_SECTS] : DEFAULT_SETUP_SECTS;
	p->pm_off = (uint64_t)(sects + 1) * SECTOR;
	if (p->pm_off >= len)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: %u setup sectors leave no kernel in the %zu-byte file",
				  sects, len);
	p->pm_len = len - p->pm_off;
	return 0;
}

/* pref_address if the kernel fits there, else the lowest aligned spot. */
static int place_kernel(const unsigned char *img, uint64_t ram_size,
			struct bz_plan *p, char *err, size_t errlen)
{
	uint64_t pref = get(img + LHV_BP_PREF_ADDRESS, 8);
	uint64_t align = get(img + LHV_BP_KERNEL_ALIGNMENT, 4);
	uint64_t init_size = get(img + LHV_BP_INIT_SIZE, 4);

	p->need = init_size > p->pm_len ? init_size : p->pm_len;
	if (pref >= PLAT_HIGH_RAM_START && pref <= ram_size &&
	    p->need <= ram_size - pref) {
		p->load = pref;
		return 0;
	}
	if (!img[LHV_BP_RELOCATABLE])
		return lhv_reason(err, errlen, -ERANGE,
				  "bzImage: fixed kernel needs [%#llx, +%#llx), guest RAM ends at %#llx",
				  (unsigned long long)pref,
				  (unsigned long long)p->need,
				  (unsigned long long)ram_size);
	if (!is_pow2(align))
		return lhv_reason(err, errlen, -ENOEXEC,
				  "bzImage: kernel_alignment %#llx is not a power of two",
				  (unsigned long long)align);
	/* align <= 2^31, so this cannot wrap. */
	p->load = (PLAT_HIGH_RAM_START + align - 1) & ~(align - 1);
	if (p->load > ram_size || p->need > ram_size - p->load)
		return lhv_reason(err, errlen, -ERANGE,
				  "bzImage: kernel needs [%#llx, +%#llx) (init_size %#llx), guest RAM ends at %#llx",
				  (unsigned long long)p->load,
				  (unsigned long long)p->need,
				  (unsigned long long)init_size,
				  (unsigned long long)ram_size);
	return 0;
}

/*
 * The highest page under min(RAM, initrd_addr_max + 1) that holds the
 * initrd clear of the kernel; failing that, the highest one below the
 * kernel.  Never in the low megabyte, where the boot structures live.
 */
static int place_initrd(const unsigned char *img, uint64_t ram_size,
			uint64_t len, struct bz_plan *p, char *err, size_t errlen)
{
	uint64_t limit = get(img + LHV_BP_INITRD_ADDR_MAX, 4) + 1;
	uint64_t kend = p->load + p->need;
	uint64_t a;

	if (limit > ram_size)
		limit = ram_size;
	if (len > limit)
		goto nofit;
	a = (limit - len) & ~(PAGE_SIZE - 1);
	if (a < kend && a + len > p->load) {
		/* It overlaps; p->load < a + len <= limit, so below is in range. */
		if (len > p->load)
			goto nofit;
		a = (p->load - len) & ~(PAGE_SIZE - 1);
	}
	if (a < PLAT_HIGH_RAM_START)
		goto nofit;
	p->initrd = a;
	return 0;

nofit:
	return lhv_reason(err, errlen, -ERANGE,
			  "bzImage: %#llx-byte initrd fits nowhere in [%#llx, %#llx) outside the kernel [%#llx, %#llx)",
			  (unsigned long long)len, PLAT_HIGH_RAM_START,
			  (unsigned long long)limit, (unsigned long long)p->load,
			  (unsigned long long)kend);
}

static void write_zero_page(unsigned char *bp, const unsigned char *img,
			    const struct bz_plan *p, uint64_t initrd_len,
			    uint64_t rsdp_gpa, const struct lhv_e820_entry *map,
			    unsigned int nmap)
{
	unsigned int i;

	memset(bp, 0, LHV_BP_SIZE);
	memcpy(bp + LHV_BP_HDR, img + LHV_BP_HDR, p->hdr_end - LHV_BP_HDR);
	bp[LHV_BP_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	bp[LHV_BP_LOADFLAGS] |= LHV_BZ_LOADED_HIGH;
	bp[LHV_BP_LOADFLAGS] &= ~LHV_BZ_CAN_USE_HEAP;
	put(bp + LHV_BP_HEAP_END_PTR, 2, 0);
	put(bp + LHV_BP_CMD_LINE_PTR, 4, PLAT_CMDLINE_GPA);
	put(bp + LHV_BP_RAMDISK_IMAGE, 4, initrd_len ? p->initrd : 0);
	put(bp + LHV_BP_RAMDISK_SIZE, 4, initrd_len);
	/* A loader's field: the image's own value would be a stray pointer. */
	put(bp + LHV_BP_SETUP_DATA, 8, 0);
	/*
	 * acpi_rsdp_addr lives in boot_params proper for every protocol
	 * version; the setup-header copy of protocol 2.14 was withdrawn.
	 */
	put(bp + LHV_BP_ACPI_RSDP, 8, rsdp_gpa);
	bp[LHV_BP_E820_ENTRIES] = nmap;
	for (i = 0; i < nmap; i++)
		lhv_e820_encode(&map[i], bp + LHV_BP_E820_TABLE +
				i * LHV_E820_ENTRY_BYTES);
}

int lhv_load_bzimage(const struct lhv_guest_ram *ram, const void *image,
		     size_t len, const char *cmdline, const void *initrd,
		     size_t initrd_len, uint64_t rsdp_gpa,
		     struct lhv_bz_entry *entry, char *err, size_t errlen)
{
	const unsigned char *img = image;
	struct lhv_e820_entry map[LHV_E820_MAX];
	struct bz_plan p = { 0 };
	uint64_t max_cmdline;
	unsigned char *bp, *cl;
	int nmap, ret;

	if (!cmdline)
		cmdline = "";
	nmap = lhv_e820_build(ram->size, map);
	if (ram->gpa || nmap < 0)
		return lhv_reason(err, errlen, -EINVAL,
				  "bzImage: guest RAM [%#llx, +%#llx) is not [0, 2 MiB..3 GiB) in pages",
				  (unsigned long long)ram->gpa,
				  (unsigned long long)ram->size);
	ret = check_header(img, len, &p, err, errlen);
	if (ret)
		return ret;
	max_cmdline = get(img + LHV_BP_CMDLINE_SIZE, 4);
	if (max_cmdline > PLAT_CMDLINE_MAX - 1)
		max_cmdline = PLAT_CMDLINE_MAX - 1;
	p.cmdline_len = strnlen(cmdline, PLAT_CMDLINE_MAX);
	if (p.cmdline_len > max_cmdline)
		return lhv_reason(err, errlen, -E2BIG,
				  "bzImage: command line longer than the %llu bytes allowed",
				  (unsigned long long)max_cmdline);
	ret = place_kernel(img, ram->size, &p, err, errlen);
	if (ret)
		return ret;
	if (initrd_len) {
		ret = place_initrd(img, ram->size, initrd_len, &p, err, errlen);
		if (ret)
			return ret;
	}

	/* RAM of at least 2 MiB always holds these; checked all the same. */
	bp = lhv_ram_ptr(ram, PLAT_BOOT_PARAMS_GPA, LHV_BP_SIZE);
	cl = lhv_ram_ptr(ram, PLAT_CMDLINE_GPA, PLAT_CMDLINE_MAX);
	if (!bp || !cl)
		return lhv_reason(err, errlen, -ERANGE,
				  "bzImage: no room for the zero page and command line");

	/* Everything fits: write. */
	memcpy(lhv_ram_ptr(ram, p.load, p.pm_len), img + p.pm_off, p.pm_len);
	write_zero_page(bp, img, &p, initrd_len, rsdp_gpa, map, nmap);
	memset(cl, 0, PLAT_CMDLINE_MAX);
	memcpy(cl, cmdline, p.cmdline_len);
	if (initrd_len)
		memcpy(lhv_ram_ptr(ram, p.initrd, initrd_len), initrd, initrd_len);

	*entry = (struct lhv_bz_entry){
		.rip = p.load + LHV_BZ_ENTRY64,
		.rsi = PLAT_BOOT_PARAMS_GPA,
		.load_addr = p.load,
		.kernel_size = p.need,
		.initrd_addr = initrd_len ? p.initrd : 0,
		.initrd_size = initrd_len,
		.version = p.version,
	};
	return 0;
}
