// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1 kernel loader (see multiboot.h for the contract).  The
 * kernel file and its header are untrusted: every offset and size is
 * checked against the file and against guest RAM before anything is
 * written, in 64-bit arithmetic on 32-bit fields so no sum can wrap.  All
 * checks come first, so a refused image leaves guest RAM as it was.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "e820.h"
#include "multiboot.h"
#include "platform.h"
#include "reason.h"

#define PAGE_SIZE	0x1000ULL
#define LOADER_NAME	"lhv-run"

/* Header flag bits 0-15 are requirements; these are the ones we meet. */
#define MB_REQ_MASK	0xffffU
#define MB_REQ_KNOWN	(LHV_MB_PAGE_ALIGN | LHV_MB_MEMORY_INFO | LHV_MB_VIDEO_MODE)
#define MB_MODE_TEXT	1

/* Where the pieces of the info region go, as offsets into it. */
#define MMAP_OFF	LHV_MBI_BYTES
#define MODS_OFF	(MMAP_OFF + LHV_E820_MAX * LHV_MB_MMAP_BYTES)

struct mb_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
	uint32_t mode_type, width, height, depth;
};

/* The kernel as it will be loaded: [lo, hi) in guest RAM. */
struct kernel_plan {
	bool aout;
	uint64_t file_off, load, file_len;	/* a.out kludge only */
	uint64_t lo, hi, entry;
};

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* unaligned, and little-endian like us */
	return v;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

long lhv_mb_find_header(const void *image, size_t len)
{
	const unsigned char *img = image;
	size_t lim = len < LHV_MB_SEARCH ? len : LHV_MB_SEARCH;
	size_t off;

	for (off = 0; off + 12 <= lim; off += 4) {
		uint32_t magic = get32(img + off);

		if (magic == LHV_MB_HEADER_MAGIC &&
		    (uint32_t)(magic + get32(img + off + 4) + get32(img + off + 8)) == 0)
			return off;
	}
	return -ENOEXEC;
}

/* Reads the header at @off and checks that we can meet its requirements. */
static int read_header(const unsigned char *img, size_t len, size_t off,
		       struct mb_header *h, char *err, size_t errlen)
{
	size_t lim = len < LHV_MB_SEARCH ? len : LHV_MB_SEARCH;
	size_t need = 12;
	uint32_t unknown;

	memset(h, 0, sizeof(*h));
	memcpy(h, img + off, 12);
	unknown = h->flags & MB_REQ_MASK & ~MB_REQ_KNOWN;
	if (unknown)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: header flags %#x require features lhv-run lacks (%#x)",
				  h->flags, unknown);
	if (h->flags & LHV_MB_AOUT_KLUDGE)
		need = 32;
	if (h->flags & LHV_MB_VIDEO_MODE)
		need = 48;
	if (lim - off < need)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: %zu-byte header at %#zx runs past the first %zu bytes of the file",
				  need, off, lim);
	memcpy(h, img + off, need);
	if ((h->flags & LHV_MB_VIDEO_MODE) && h->mode_type != MB_MODE_TEXT)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: video mode type %u requested, lhv-run offers only text mode",
				  h->mode_type);
	return 0;
}

/* Flags bit 16: the header's address fields say what to load where. */
static int plan_aout(const struct mb_header *h, size_t len, size_t off,
		     struct kernel_plan *k, char *err, size_t errlen)
{
	uint64_t load_end;

	if (h->load_addr > h->header_addr ||
	    h->header_addr - h->load_addr > off)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: load_addr %#x and header_addr %#x put the load start before the file",
				  h->load_addr, h->header_addr);
	k->aout = true;
	k->load = h->load_addr;
	k->file_off = off - (h->header_addr - h->load_addr);
	if (!h->load_end_addr) {
		k->file_len = len - k->file_off;
	} else {
		if (h->load_end_addr < h->load_addr ||
		    h->load_end_addr - h->load_addr > len - k->file_off)
			return lhv_reason(err, errlen, -ENOEXEC,
					  "multiboot: load_end_addr %#x: [%#x, %#x) not inside the %zu-byte file",
					  h->load_end_addr, h->load_addr,
					  h->load_end_addr, len);
		k->file_len = h->load_end_addr - h->load_addr;
	}
	load_end = k->load + k->file_len;
	k->hi = load_end;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < load_end)
			return lhv_reason(err, errlen, -ENOEXEC,
					  "multiboot: bss_end_addr %#x below the end of the loaded data %#llx",
					  h->bss_end_addr, (unsigned long long)load_end);
		k->hi = h->bss_end_addr;
	}
	k->lo = k->load;
	k->entry = h->entry_addr;
	if (k->entry < k->lo || k->entry >= k->hi)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: entry_addr %#x outside the kernel [%#llx, %#llx)",
				  h->entry_addr, (unsigned long long)k->lo,
				  (unsigned long long)k->hi);
	return 0;
}

/*
 * No bit 16: an ELF32 executable.  lhv_load_elf() checks and loads it
 * later; here we only need the extent of its PT_LOAD segments, to place
 * the modules before anything is written.
 */
static int plan_elf(const unsigned char *img, size_t len, struct kernel_plan *k,
		    char *err, size_t errlen)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned int i;

	if (len < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG))
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: not ELF and header flags lack bit 16 (address fields)");
	if (img[EI_CLASS] == ELFCLASS64)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: ELF64 kernel needs header flags bit 16 (address fields)");
	if (img[EI_CLASS] != ELFCLASS32 || len < sizeof(eh))
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: not a complete ELF32 header");
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_phentsize != sizeof(ph) || !eh.e_phnum || eh.e_phoff > len ||
	    len - eh.e_phoff < (uint64_t)eh.e_phnum * sizeof(ph))
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: ELF32 program headers [%#x + %u * %u] unusable in the %zu-byte file",
				  eh.e_phoff, eh.e_phnum, eh.e_phentsize, len);
	k->lo = UINT64_MAX;
	k->hi = 0;
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, img + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_paddr < k->lo)
			k->lo = ph.p_paddr;
		if ((uint64_t)ph.p_paddr + ph.p_memsz > k->hi)
			k->hi = (uint64_t)ph.p_paddr + ph.p_memsz;
	}
	if (k->lo >= k->hi)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: ELF32 kernel has no PT_LOAD segment with memory");
	return 0;
}

static size_t info_strings(const char *cmdline, const struct lhv_mb_module *mods,
			   unsigned int nmods)
{
	/* Each string is capped so the sum stays far from wrapping. */
	size_t n = sizeof(LOADER_NAME) + strnlen(cmdline, PLAT_MB_INFO_SIZE) + 1;
	unsigned int i;

	for (i = 0; i < nmods; i++)
		n += strnlen(mods[i].string ? mods[i].string : "",
			     PLAT_MB_INFO_SIZE) + 1;
	return n;
}

/* Copies @s to @off in the info region, returns its GPA and moves @off. */
static uint32_t put_string(unsigned char *info, uint64_t *off, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t gpa = PLAT_MB_INFO_GPA + *off;

	memcpy(info + *off, s, n);
	*off += n;
	return gpa;
}

/*
 * Module i goes at the first page boundary at or above the end of module
 * i - 1 (of the kernel for i = 0).  Checks that all fit in RAM; @end gets
 * the end of the last one, or @start if there are none.
 */
static int plan_modules(const struct lhv_guest_ram *ram, uint64_t start,
			const struct lhv_mb_module *mods, unsigned int nmods,
			uint64_t *end, char *err, size_t errlen)
{
	uint64_t addr = align_up(start, PAGE_SIZE);
	unsigned int i;

	*end = start;
	for (i = 0; i < nmods; i++) {
		if (addr > ram->size || mods[i].len > ram->size - addr)
			return lhv_reason(err, errlen, -ERANGE,
					  "multiboot: module %u (%zu bytes) does not fit in guest RAM above %#llx",
					  i, mods[i].len, (unsigned long long)addr);
		*end = addr + mods[i].len;
		addr = align_up(*end, PAGE_SIZE);
	}
	return 0;
}

/* Writes the info region, and the modules where plan_modules() put them. */
static void write_info(const struct lhv_guest_ram *ram, uint64_t kernel_end,
		       const struct lhv_e820_entry *map, unsigned int nmap,
		       const char *cmdline, const struct lhv_mb_module *mods,
		       unsigned int nmods)
{
	unsigned char *info = lhv_ram_ptr(ram, PLAT_MB_INFO_GPA, PLAT_MB_INFO_SIZE);
	uint64_t str = MODS_OFF + (uint64_t)nmods * LHV_MB_MODULE_BYTES;
	uint64_t addr = align_up(kernel_end, PAGE_SIZE);
	unsigned int i;

	memset(info, 0, PLAT_MB_INFO_SIZE);
	put32(info + LHV_MBI_FLAGS, LHV_MBI_MEM | LHV_MBI_CMDLINE | LHV_MBI_MODS |
	      LHV_MBI_MMAP | LHV_MBI_LOADER_NAME);
	put32(info + LHV_MBI_MEM_LOWER, PLAT_LOW_RAM_END / 1024);
	put32(info + LHV_MBI_MEM_UPPER, (ram->size - PLAT_HIGH_RAM_START) / 1024);
	put32(info + LHV_MBI_MMAP_LENGTH, nmap * LHV_MB_MMAP_BYTES);
	put32(info + LHV_MBI_MMAP_ADDR, PLAT_MB_INFO_GPA + MMAP_OFF);
	for (i = 0; i < nmap; i++) {
		unsigned char *rec = info + MMAP_OFF + i * LHV_MB_MMAP_BYTES;

		/* size counts the record after it, not itself */
		put32(rec, LHV_E820_ENTRY_BYTES);
		lhv_e820_encode(&map[i], rec + 4);
	}
	put32(info + LHV_MBI_MODS_COUNT, nmods);
	put32(info + LHV_MBI_MODS_ADDR, PLAT_MB_INFO_GPA + MODS_OFF);
	put32(info + LHV_MBI_LOADER_PTR, put_string(info, &str, LOADER_NAME));
	put32(info + LHV_MBI_CMDLINE_PTR, put_string(info, &str, cmdline));
	for (i = 0; i < nmods; i++) {
		unsigned char *m = info + MODS_OFF + i * LHV_MB_MODULE_BYTES;

		if (mods[i].len)
			memcpy(lhv_ram_ptr(ram, addr, mods[i].len), mods[i].data,
			       mods[i].len);
		put32(m, addr);
		put32(m + 4, addr + mods[i].len);	/* first byte past it */
		put32(m + 8, put_string(info, &str,
					mods[i].string ? mods[i].string : ""));
		addr = align_up(addr + mods[i].len, PAGE_SIZE);
	}
}

int lhv_load_multiboot(const struct lhv_guest_ram *ram, const void *image,
		       size_t len, const char *cmdline,
		       const struct lhv_mb_module *mods, unsigned int nmods,
		       struct lhv_mb_entry *entry, char *err, size_t errlen)
{
	const unsigned char *img = image;
	struct lhv_e820_entry map[LHV_E820_MAX];
	struct kernel_plan k = { 0 };
	uint64_t mods_end, info_len;
	struct mb_header h;
	long off;
	int nmap, ret;

	if (!cmdline)
		cmdline = "";
	nmap = lhv_e820_build(ram->size, map);
	if (ram->gpa || nmap < 0)
		return lhv_reason(err, errlen, -EINVAL,
				  "multiboot: guest RAM [%#llx, +%#llx) is not [0, 2 MiB..3 GiB) in pages",
				  (unsigned long long)ram->gpa,
				  (unsigned long long)ram->size);
	off = lhv_mb_find_header(img, len);
	if (off < 0)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "multiboot: no header (magic %#x with checksum) in the first %d bytes",
				  LHV_MB_HEADER_MAGIC, LHV_MB_SEARCH);
	ret = read_header(img, len, off, &h, err, errlen);
	if (ret)
		return ret;
	if (h.flags & LHV_MB_AOUT_KLUDGE)
		ret = plan_aout(&h, len, off, &k, err, errlen);
	else
		ret = plan_elf(img, len, &k, err, errlen);
	if (ret)
		return ret;
	if (k.lo < PLAT_HIGH_RAM_START || !lhv_ram_ptr(ram, k.lo, k.hi - k.lo))
		return lhv_reason(err, errlen, -ERANGE,
				  "multiboot: kernel [%#llx, %#llx) outside guest RAM [%#llx, %#llx)",
				  (unsigned long long)k.lo, (unsigned long long)k.hi,
				  PLAT_HIGH_RAM_START, (unsigned long long)ram->size);

	/* The info region: fixed part, module list, then the strings. */
	if (nmods > (PLAT_MB_INFO_SIZE - MODS_OFF) / LHV_MB_MODULE_BYTES)
		return lhv_reason(err, errlen, -E2BIG,
				  "multiboot: %u modules overflow the info region", nmods);
	info_len = MODS_OFF + (uint64_t)nmods * LHV_MB_MODULE_BYTES +
		   info_strings(cmdline, mods, nmods);
	if (info_len > PLAT_MB_INFO_SIZE)
		return lhv_reason(err, errlen, -E2BIG,
				  "multiboot: command line and module strings overflow the %#llx-byte info region",
				  PLAT_MB_INFO_SIZE);
	ret = plan_modules(ram, k.hi, mods, nmods, &mods_end, err, errlen);
	if (ret)
		return ret;

	/* Everything is checked: now write (lhv_load_elf is all-or-nothing). */
	if (k.aout) {
		unsigned char *dst = lhv_ram_ptr(ram, k.lo, k.hi - k.lo);

		memcpy(dst, img + k.file_off, k.file_len);
		memset(dst + k.file_len, 0, k.hi - k.lo - k.file_len);
	} else {
		uint64_t e;

		ret = lhv_load_elf(ram, image, len, &e, err, errlen);
		if (ret)
			return ret;
		k.entry = e;
	}
	write_info(ram, k.hi, map, nmap, cmdline, mods, nmods);

	*entry = (struct lhv_mb_entry){
		.eip = k.entry,
		.eax = LHV_MB_LOADER_MAGIC,
		.ebx = PLAT_MB_INFO_GPA,
		.kernel_start = k.lo,
		.kernel_end = k.hi,
		.modules_end = mods_end,
	};
	return 0;
}
