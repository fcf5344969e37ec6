// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the multiboot loader (launcher/multiboot.c): an ELF32
 * kernel and an a.out-kludge kernel load where they say, the info block,
 * memory map and modules read back exactly, and every malformed, hostile
 * or oversized image is refused with a reason, leaving guest RAM as it was.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/e820.h"
#include "../../launcher/multiboot.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define RAM_SIZE	0x800000ULL	/* 8 MiB */
#define POISON		0xee
#define INFO		PLAT_MB_INFO_GPA

static unsigned char ram_buf[RAM_SIZE];
static struct lhv_guest_ram ram = { ram_buf, 0, RAM_SIZE };
static char err[LHV_LOAD_ERR_LEN];

/* An ELF32 kernel: text at 1 MiB, data plus bss at 1 MiB + 4 KiB. */
struct mb_elf {
	Elf32_Ehdr eh;
	Elf32_Phdr ph[2];
	uint32_t mbh[3];
	unsigned char text[64];
	unsigned char data[32];
};

static void mb_header(uint32_t *h, uint32_t flags)
{
	h[0] = LHV_MB_HEADER_MAGIC;
	h[1] = flags;
	h[2] = -(LHV_MB_HEADER_MAGIC + flags);
}

static void make_elf(struct mb_elf *img)
{
	memset(img, 0, sizeof(*img));
	memcpy(img->eh.e_ident, ELFMAG, SELFMAG);
	img->eh.e_ident[EI_CLASS] = ELFCLASS32;
	img->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img->eh.e_ident[EI_VERSION] = EV_CURRENT;
	img->eh.e_type = ET_EXEC;
	img->eh.e_machine = EM_386;
	img->eh.e_version = EV_CURRENT;
	img->eh.e_entry = 0x100010;
	img->eh.e_phoff = offsetof(struct mb_elf, ph);
	img->eh.e_phentsize = sizeof(Elf32_Phdr);
	img->eh.e_phnum = 2;
	img->ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct mb_elf, text), .p_paddr = 0x100000,
		.p_vaddr = 0xc0100000, .p_filesz = 64, .p_memsz = 64 };
	img->ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct mb_elf, data), .p_paddr = 0x101000,
		.p_vaddr = 0xc0101000, .p_filesz = 32, .p_memsz = 0x1800 };
	mb_header(img->mbh, LHV_MB_PAGE_ALIGN | LHV_MB_MEMORY_INFO);
	memset(img->text, 0x11, sizeof(img->text));
	memset(img->data, 0x22, sizeof(img->data));
}

/* An a.out-kludge kernel: a flat file with the header at @hoff. */
#define AOUT_LEN	0x3000
static unsigned char aout[AOUT_LEN];

static void make_aout(size_t hoff, uint32_t header_addr, uint32_t load_addr,
		      uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	uint32_t h[8];
	size_t i;

	for (i = 0; i < AOUT_LEN; i++)
		aout[i] = i * 7 + 3;
	mb_header(h, LHV_MB_AOUT_KLUDGE | LHV_MB_MEMORY_INFO);
	h[3] = header_addr;
	h[4] = load_addr;
	h[5] = load_end;
	h[6] = bss_end;
	h[7] = entry;
	/* A header near the end of the file is cut short by it. */
	memcpy(aout + hoff, h, AOUT_LEN - hoff < sizeof(h) ? AOUT_LEN - hoff : sizeof(h));
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, ram_buf + gpa, 4);
	return v;
}

static uint64_t rd64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, ram_buf + gpa, 8);
	return v;
}

static bool all(uint64_t gpa, uint64_t len, unsigned char v)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (ram_buf[gpa + i] != v)
			return false;
	return true;
}

static int load(const void *img, size_t len, const char *cmdline,
		const struct lhv_mb_module *mods, unsigned int nmods,
		struct lhv_mb_entry *e)
{
	void *copy = malloc(len ? len : 1);	/* ASan sees any over-read */
	int r;

	memcpy(copy, img, len);
	memset(ram_buf, POISON, sizeof(ram_buf));
	memset(e, 0, sizeof(*e));
	err[0] = '\0';
	r = lhv_load_multiboot(&ram, copy, len, cmdline, mods, nmods, e, err,
			       sizeof(err));
	free(copy);
	return r;
}

static void refused(const void *img, size_t len, const char *cmdline,
		    const struct lhv_mb_module *mods, unsigned int nmods,
		    int ret, const char *name)
{
	struct lhv_mb_entry e;
	int r = load(img, len, cmdline, mods, nmods, &e);

	CHECK(r == ret && err[0] && all(0, RAM_SIZE, POISON) && !e.eip, name);
	if (r != ret)
		printf("#   got %d (%s), want %d\n", r, err, ret);
}

static unsigned char mod0[100], mod1[5000];
static const struct lhv_mb_module mods[] = {
	{ mod0, sizeof(mod0), "first arg=1" },
	{ mod1, sizeof(mod1), NULL },
	{ NULL, 0, "empty" },
};

static void test_elf_info(void)
{
	struct lhv_e820_entry map[LHV_E820_MAX];
	struct lhv_mb_entry e;
	struct mb_elf img;
	uint32_t m, str;
	unsigned int i;
	bool ok;

	memset(mod0, 0xa1, sizeof(mod0));
	memset(mod1, 0xb2, sizeof(mod1));
	make_elf(&img);
	CHECK(load(&img, sizeof(img), "kernel root=/dev/x", mods, 3, &e) == 0,
	      "ELF32 kernel with three modules loads");
	CHECK(e.eip == 0x100010 && e.eax == 0x2BADB002 && e.ebx == INFO,
	      "entry: EIP = e_entry, EAX = 0x2BADB002, EBX = info");
	CHECK(e.kernel_start == 0x100000 && e.kernel_end == 0x102800 &&
	      e.modules_end == 0x106000, "kernel extent includes the bss");
	CHECK(all(0x100000, 64, 0x11) && all(0x100040, 0xfc0, POISON) &&
	      all(0x101000, 32, 0x22) && all(0x101020, 0x17e0, 0) &&
	      all(0x102800, 0x800, POISON), "segments and bss in RAM, nothing between");

	CHECK(rd32(INFO) == (LHV_MBI_MEM | LHV_MBI_CMDLINE | LHV_MBI_MODS |
			     LHV_MBI_MMAP | LHV_MBI_LOADER_NAME) && rd32(INFO) == 0x24d,
	      "info flags MEM|CMDLINE|MODS|MMAP|BOOT_LOADER_NAME");
	CHECK(rd32(INFO + 4) == 639 && rd32(INFO + 8) == 7 * 1024,
	      "mem_lower 639 KiB, mem_upper 7 MiB in KiB");
	CHECK(rd32(INFO + 12) == 0 && all(INFO + 28, 16, 0) && all(INFO + 52, 12, 0) &&
	      all(INFO + 68, LHV_MBI_BYTES - 68, 0),
	      "boot_device, syms, drives, config, APM, VBE all zero");
	CHECK(!strcmp((char *)ram_buf + rd32(INFO + 16), "kernel root=/dev/x"),
	      "command line");
	CHECK(!strcmp((char *)ram_buf + rd32(INFO + 64), "lhv-run"),
	      "boot loader name");
	CHECK(rd32(INFO + 16) >= INFO && rd32(INFO + 16) < INFO + PLAT_MB_INFO_SIZE &&
	      rd32(INFO + 64) >= INFO && rd32(INFO + 64) < INFO + PLAT_MB_INFO_SIZE,
	      "strings inside the info region");

	lhv_e820_build(RAM_SIZE, map);
	ok = rd32(INFO + 44) == 4 * 24 && rd32(INFO + 48) > INFO &&
	     rd32(INFO + 48) + 96 <= INFO + PLAT_MB_INFO_SIZE;
	for (i = 0; ok && i < 4; i++) {
		uint64_t r = rd32(INFO + 48) + i * 24;

		ok = rd32(r) == 20 && rd64(r + 4) == map[i].addr &&
		     rd64(r + 12) == map[i].size && rd32(r + 20) == map[i].type;
	}
	CHECK(ok, "mmap: four 24-byte records, size 20, the e820 map");
	CHECK(rd64(rd32(INFO + 48) + 3 * 24 + 4) == 0x100000 &&
	      rd64(rd32(INFO + 48) + 3 * 24 + 12) == RAM_SIZE - 0x100000,
	      "mmap: RAM above 1 MiB up to the end of RAM");

	m = rd32(INFO + 24);
	CHECK(rd32(INFO + 20) == 3 && m > INFO && m + 48 <= INFO + PLAT_MB_INFO_SIZE &&
	      m % 4 == 0, "three module records in the info region");
	CHECK(rd32(m) == 0x103000 && rd32(m + 4) == 0x103064 &&
	      rd32(m + 16) == 0x104000 && rd32(m + 20) == 0x104000 + 5000 &&
	      rd32(m + 32) == 0x106000 && rd32(m + 36) == 0x106000,
	      "modules page-aligned above the bss, mod_end one past the last byte");
	CHECK(all(0x103000, 100, 0xa1) && all(0x103064, 0xf9c, POISON) &&
	      all(0x104000, 5000, 0xb2) && all(0x104000 + 5000, 0x2000 - 5000, POISON),
	      "module bytes copied, nothing else");
	str = rd32(m + 8);
	CHECK(!strcmp((char *)ram_buf + str, "first arg=1") &&
	      !strcmp((char *)ram_buf + rd32(m + 24), "") &&
	      !strcmp((char *)ram_buf + rd32(m + 40), "empty") &&
	      rd32(m + 12) == 0 && rd32(m + 28) == 0,
	      "module strings (NULL gives \"\"), reserved words zero");
	CHECK(all(INFO + PLAT_MB_INFO_SIZE, 16, POISON) && all(INFO - 16, 16, POISON),
	      "nothing written outside the info region");

	CHECK(load(&img, sizeof(img), NULL, NULL, 0, &e) == 0 &&
	      rd32(INFO + 20) == 0 && ram_buf[rd32(INFO + 16)] == 0 &&
	      e.modules_end == e.kernel_end, "no modules, NULL command line");

	img.eh.e_entry = 0x101010;
	CHECK(load(&img, sizeof(img), "", NULL, 0, &e) == 0 && e.eip == 0x101010,
	      "entry point in the data segment");
}

static void test_elf_refused(void)
{
	struct mb_elf img, bad;
	unsigned int i;
	bool ok;

	make_elf(&img);
	bad = img;
	bad.mbh[2]++;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "bad checksum: no header");
	bad = img;
	bad.mbh[0] = 0;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "no magic: no header");
	bad = img;
	mb_header(bad.mbh, (1U << 3) | LHV_MB_MEMORY_INFO);
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "required flag bit 3 refused");
	bad = img;
	mb_header(bad.mbh, 1U << 15);
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "required flag bit 15 refused");
	CHECK(strstr(err, "0x8000") != NULL, "... and the reason names the bit");
	bad = img;
	mb_header(bad.mbh, LHV_MB_MEMORY_INFO | (1U << 17) | (1U << 31));
	CHECK(load(&bad, sizeof(bad), "", NULL, 0, &(struct lhv_mb_entry){ 0 }) == 0,
	      "optional flag bits 17 and 31 ignored");

	bad = img;
	bad.eh.e_ident[EI_CLASS] = ELFCLASS64;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "ELF64 without bit 16 refused");
	bad = img;
	bad.eh.e_ident[EI_MAG0] = 'X';
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "neither ELF nor bit 16 refused");
	bad = img;
	bad.eh.e_ident[EI_CLASS] = 9;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "unknown ELF class refused");
	bad = img;
	bad.eh.e_phentsize = 56;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "ELF32 program header size 56");
	bad = img;
	bad.eh.e_phnum = 0;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "no program headers");
	bad = img;
	bad.eh.e_phoff = 0xfffffff0;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "program headers near 4 GiB");
	bad = img;
	bad.eh.e_phnum = 0xffff;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "65535 program headers");
	bad = img;
	bad.ph[0].p_type = PT_NOTE;
	bad.ph[1].p_memsz = 0;
	bad.ph[1].p_filesz = 0;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "no PT_LOAD with memory");
	bad = img;
	bad.ph[0].p_paddr = 0x80000;
	bad.eh.e_entry = 0x80000;
	refused(&bad, sizeof(bad), "", NULL, 0, -ERANGE, "segment below 1 MiB refused");
	bad = img;
	bad.ph[1].p_paddr = RAM_SIZE - 0x17ff;
	refused(&bad, sizeof(bad), "", NULL, 0, -ERANGE, "bss one byte past RAM refused");
	bad = img;
	bad.ph[1].p_paddr = 0xffffffff;
	bad.ph[1].p_memsz = 0xffffffff;
	refused(&bad, sizeof(bad), "", NULL, 0, -ERANGE, "segment at 4 GiB - 1, size 4 GiB - 1");
	bad = img;
	bad.ph[1].p_filesz = 0x1900;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "filesz > memsz (lhv_load_elf)");
	bad = img;
	bad.ph[1].p_offset = 0xfffffff0;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "segment bytes beyond the file");
	bad = img;
	bad.eh.e_entry = 0x200000;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "entry outside the segments");
	bad = img;
	bad.eh.e_machine = EM_X86_64;
	refused(&bad, sizeof(bad), "", NULL, 0, -ENOEXEC, "ELF32 for another machine");
	bad = img;
	bad.ph[1].p_paddr = RAM_SIZE - 0x1800;
	CHECK(load(&bad, sizeof(bad), "", NULL, 0, &(struct lhv_mb_entry){ 0 }) == 0 &&
	      ram_buf[RAM_SIZE - 1] == 0, "bss ending exactly at the end of RAM");

	for (i = 0, ok = true; i < sizeof(img); i++) {
		struct lhv_mb_entry e;

		ok = ok && load(&img, i, "", NULL, 0, &e) != 0 &&
		     all(0, 0x200000, POISON);
	}
	CHECK(ok, "every truncation of the ELF32 kernel refused, RAM untouched");
}

static void test_aout(void)
{
	struct lhv_mb_entry e;
	unsigned char *f = aout;

	/* Header at file offset 0x40, the file loaded from its start. */
	make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x204000, 0x200100);
	CHECK(load(aout, AOUT_LEN, "a", NULL, 0, &e) == 0 && e.eip == 0x200100 &&
	      e.kernel_start == 0x200000 && e.kernel_end == 0x204000,
	      "a.out kludge: loads, entry_addr is EIP");
	CHECK(!memcmp(ram_buf + 0x200000, f, 0x2000) && all(0x202000, 0x2000, 0) &&
	      all(0x204000, 0x100, POISON) && all(0x1fff00, 0x100, POISON),
	      "a.out kludge: [load_addr, load_end_addr) from the file, bss zeroed");
	CHECK(rd32(INFO + 20) == 0 && rd32(INFO + 4) == 639, "a.out kludge: info built");

	/* Header at 0x1000, load_addr 16 bytes before it: file from 0xff0. */
	make_aout(0x1000, 0x300010, 0x300000, 0, 0, 0x300000);
	CHECK(load(aout, AOUT_LEN, "", NULL, 0, &e) == 0 &&
	      !memcmp(ram_buf + 0x300000, f + 0xff0, AOUT_LEN - 0xff0) &&
	      all(0x300000 + AOUT_LEN - 0xff0, 0x10, POISON) &&
	      e.kernel_end == 0x300000 + AOUT_LEN - 0xff0,
	      "a.out kludge: load_end_addr 0 loads the rest of the file, no bss");

	/* Modules above the bss; the whole of RAM exactly filled. */
	{
		struct lhv_mb_module m = { NULL, 0, "m" };
		static unsigned char big[RAM_SIZE];

		make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x204000, 0x200100);
		m.data = big;
		m.len = RAM_SIZE - 0x204000;
		memset(big, 0x5a, m.len);
		CHECK(load(aout, AOUT_LEN, "", &m, 1, &e) == 0 &&
		      rd32(rd32(INFO + 24)) == 0x204000 && ram_buf[RAM_SIZE - 1] == 0x5a &&
		      e.modules_end == RAM_SIZE, "module filling RAM to its last byte");
		m.len++;
		refused(aout, AOUT_LEN, "", &m, 1, -ERANGE, "module one byte too big refused");
		make_aout(0x40, 0x200040, 0x200000, 0x202000, RAM_SIZE, 0x200100);
		m.len = 0;
		CHECK(load(aout, AOUT_LEN, "", &m, 1, &e) == 0 && rd32(rd32(INFO + 24)) == RAM_SIZE,
		      "empty module at the very end of RAM");
		m.len = 1;
		refused(aout, AOUT_LEN, "", &m, 1, -ERANGE, "1-byte module when the bss fills RAM");
	}

	/* An ELF64 file with the address fields loads by them. */
	{
		struct {
			Elf64_Ehdr eh;
			uint32_t h[8];
			unsigned char code[16];
		} img;

		memset(&img, 0, sizeof(img));
		memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
		img.eh.e_ident[EI_CLASS] = ELFCLASS64;
		mb_header(img.h, LHV_MB_AOUT_KLUDGE);
		img.h[3] = 0x100000 + sizeof(img.eh);	/* header_addr */
		img.h[4] = 0x100000;			/* load_addr */
		img.h[7] = 0x100000 + offsetof(typeof(img), code);
		memset(img.code, 0x90, sizeof(img.code));
		CHECK(load(&img, sizeof(img), "", NULL, 0, &e) == 0 &&
		      e.eip == 0x100000 + offsetof(typeof(img), code) &&
		      !memcmp(ram_buf + 0x100000, &img, sizeof(img)),
		      "ELF64 with bit 16 loads by the address fields");
	}
}

static void test_aout_refused(void)
{
	unsigned int i;
	bool ok;

	make_aout(0x40, 0x200040, 0x200041, 0x202000, 0, 0x200100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "load_addr > header_addr");
	make_aout(0x40, 0x200040, 0x1fffff, 0x202000, 0, 0x200100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "load start before the file");
	make_aout(0x40, 0x200040, 0x200000, 0x1fffff, 0, 0x200100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "load_end_addr < load_addr");
	make_aout(0x40, 0x200040, 0x200000, 0x200000 + AOUT_LEN + 1, 0, 0x200100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "load_end_addr beyond the file");
	make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x201fff, 0x200100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "bss_end_addr < load_end_addr");
	make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x204000, 0x204000);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "entry at bss_end_addr");
	make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x204000, 0x1fffff);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "entry below load_addr");
	make_aout(0x40, 0xf0040, 0xf0000, 0xf2000, 0, 0xf0100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ERANGE, "a.out kernel below 1 MiB");
	make_aout(0x40, 0x200040, 0x200000, 0x202000, RAM_SIZE + 1, 0x200100);
	refused(aout, AOUT_LEN, "", NULL, 0, -ERANGE, "bss one byte past RAM");
	make_aout(0x40, 0xfffff040, 0xfffff000, 0xfffff800, 0xffffffff, 0xfffff000);
	refused(aout, AOUT_LEN, "", NULL, 0, -ERANGE, "kernel just below 4 GiB");
	make_aout(0x40, 0x200040, 0x200000, 0, 0xffffffff, 0x200000);
	refused(aout, AOUT_LEN, "", NULL, 0, -ERANGE, "bss to 4 GiB");
	make_aout(AOUT_LEN - 20, 0x200000, 0x200000, 0, 0, 0x200000);
	refused(aout, AOUT_LEN, "", NULL, 0, -ENOEXEC, "address fields cut off by the file end");

	/* Where the header may be. */
	{
		static unsigned char f[0x2100];
		uint32_t h[8] = { 0, 0, 0, 0x100000, 0x100000, 0, 0, 0x100000 };
		struct lhv_mb_entry e;

		mb_header(h, LHV_MB_AOUT_KLUDGE);
		memset(f, 0, sizeof(f));
		memcpy(f + 8192 - 32, h, 32);
		h[3] = 0x100000 + 8192 - 32;
		memcpy(f + 8192 - 32, h, 32);
		CHECK(load(f, sizeof(f), "", NULL, 0, &e) == 0 && e.eip == 0x100000,
		      "header ending exactly at byte 8192");
		CHECK(lhv_mb_find_header(f, sizeof(f)) == 8192 - 32,
		      "lhv_mb_find_header finds it there");
		memset(f, 0, sizeof(f));
		memcpy(f + 8192 - 12, h, 12);
		CHECK(lhv_mb_find_header(f, sizeof(f)) == 8192 - 12,
		      "magic, flags, checksum in the last 12 of 8192 bytes: found");
		refused(f, sizeof(f), "", NULL, 0, -ENOEXEC,
			"... but its address fields lie past byte 8192");
		memset(f, 0, sizeof(f));
		memcpy(f + 8192 - 8, h, 12);
		refused(f, sizeof(f), "", NULL, 0, -ENOEXEC, "header straddling byte 8192");
		memset(f, 0, sizeof(f));
		memcpy(f + 8192, h, 32);
		refused(f, sizeof(f), "", NULL, 0, -ENOEXEC, "header at byte 8192");
		memset(f, 0, sizeof(f));
		memcpy(f + 0x102, h, 32);
		refused(f, sizeof(f), "", NULL, 0, -ENOEXEC, "header not 4-byte aligned");
		CHECK(lhv_mb_find_header(f, 0) == -ENOEXEC && lhv_mb_find_header(f, 11) == -ENOEXEC,
		      "empty and 11-byte files have no header");
	}

	make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x204000, 0x200100);
	for (i = 0, ok = true; i < 0x2000; i++) {
		struct lhv_mb_entry e;

		ok = ok && load(aout, i, "", NULL, 0, &e) != 0 &&
		     all(0x1f0000, 0x20000, POISON) && all(INFO, 0x100, POISON);
	}
	CHECK(ok, "every truncation before load_end_addr refused, RAM untouched");
}

static void test_video(void)
{
	uint32_t h[12];
	unsigned char f[0x200];
	struct lhv_mb_entry e;

	memset(f, 0x90, sizeof(f));
	memset(h, 0, sizeof(h));
	mb_header(h, LHV_MB_AOUT_KLUDGE | LHV_MB_VIDEO_MODE);
	h[3] = 0x100000;
	h[4] = 0x100000;
	h[7] = 0x100000;
	h[8] = 1;		/* EGA text */
	h[9] = 80;
	h[10] = 25;
	memcpy(f, h, sizeof(h));
	CHECK(load(f, sizeof(f), "", NULL, 0, &e) == 0 && !(rd32(INFO) & (3 << 11)),
	      "video bit with EGA text accepted, no video info given");
	h[8] = 0;		/* linear graphics */
	memcpy(f, h, sizeof(h));
	refused(f, sizeof(f), "", NULL, 0, -ENOEXEC, "video bit with graphics refused");
	h[8] = 1;
	memcpy(f, h, sizeof(h));
	refused(f, 40, "", NULL, 0, -ENOEXEC, "video fields cut off by the file end");
}

static void test_limits(void)
{
	struct lhv_mb_module *many;
	struct mb_elf img;
	char *line;
	unsigned int n;

	make_elf(&img);
	ram.gpa = 0x1000;
	refused(&img, sizeof(img), "", NULL, 0, -EINVAL, "RAM not at GPA 0");
	ram.gpa = 0;
	ram.size = 0x100000;
	refused(&img, sizeof(img), "", NULL, 0, -EINVAL, "1 MiB of RAM");
	ram.size = RAM_SIZE - 1;
	refused(&img, sizeof(img), "", NULL, 0, -EINVAL, "RAM size not in pages");
	ram.size = RAM_SIZE;

	/* The fixed part ends at 216; 4082 records reach 65528, strings overflow. */
	n = (PLAT_MB_INFO_SIZE - 216) / 16;
	many = calloc(n + 1, sizeof(*many));
	refused(&img, sizeof(img), "", many, n + 1, -E2BIG, "too many module records");
	refused(&img, sizeof(img), "", many, n, -E2BIG, "module records leave no room for strings");
	n = (PLAT_MB_INFO_SIZE - 216 - 8 - 1) / 17;
	CHECK(load(&img, sizeof(img), "", many, n, &(struct lhv_mb_entry){ 0 }) == 0 &&
	      rd32(INFO + 20) == n, "as many empty modules as fit");
	refused(&img, sizeof(img), "", many, n + 1, -E2BIG, "... and one more refused");
	free(many);

	line = malloc(PLAT_MB_INFO_SIZE + 2);
	memset(line, 'x', PLAT_MB_INFO_SIZE + 1);
	line[PLAT_MB_INFO_SIZE + 1] = '\0';
	refused(&img, sizeof(img), line, NULL, 0, -E2BIG, "command line bigger than the info region");
	n = PLAT_MB_INFO_SIZE - 216 - 8 - 1;
	line[n] = '\0';
	CHECK(load(&img, sizeof(img), line, NULL, 0, &(struct lhv_mb_entry){ 0 }) == 0 &&
	      strlen((char *)ram_buf + rd32(INFO + 16)) == n &&
	      all(INFO + PLAT_MB_INFO_SIZE, 16, POISON),
	      "command line filling the info region to its last byte");
	line[n] = 'x';
	line[n + 1] = '\0';
	refused(&img, sizeof(img), line, NULL, 0, -E2BIG, "... one byte more refused");
	free(line);
}

/* Random mutations of the headers: never a crash, refusals leave RAM alone. */
static void test_fuzz(void)
{
	struct mb_elf img;
	unsigned int i, j, nok = 0, nbad = 0;
	bool ok = true;

	srand(1);
	for (i = 0; i < 3000; i++) {
		unsigned char *b;
		struct lhv_mb_entry e;
		size_t len;
		int r;

		if (i & 1) {
			make_elf(&img);
			b = (unsigned char *)&img;
			len = sizeof(img);
			for (j = 0; j < 3; j++)
				b[rand() % offsetof(struct mb_elf, text)] = rand();
			if (rand() & 1)
				mb_header(img.mbh, img.mbh[1]);
		} else {
			make_aout(0x40, 0x200040, 0x200000, 0x202000, 0x204000, 0x200100);
			b = aout + 0x40;
			len = AOUT_LEN;
			for (j = 0; j < 3; j++)
				b[12 + rand() % 20] = rand() & 1 ? rand() : 0xff;
			mb_header((uint32_t *)b, LHV_MB_AOUT_KLUDGE);
			b = aout;
		}
		r = load(b, len - rand() % 8, "", mods, 2, &e);
		if (r) {
			nbad++;
			ok = ok && err[0] && all(0x100000, 0x10000, POISON) &&
			     all(INFO, 0x1000, POISON);
		} else {
			nok++;
			ok = ok && rd32(INFO + 20) == 2 && e.eip >= e.kernel_start &&
			     e.eip < e.kernel_end && e.kernel_end <= RAM_SIZE;
		}
	}
	CHECK(ok && nok && nbad, "3000 mutated headers: loaded sanely or refused cleanly");
}

int main(void)
{
	test_elf_info();
	test_elf_refused();
	test_aout();
	test_aout_refused();
	test_video();
	test_limits();
	test_fuzz();
	return unit_done();
}
