// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the guest image loaders (launcher/loader.c): good flat,
 * ELF64 and ELF32 images load where they say, and every malformed or
 * oversized image is refused with a reason, leaving guest RAM untouched.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/loader.h"
#include "unit.h"

#define RAM_GPA		0x100000ULL
#define RAM_SIZE	0x10000ULL
#define POISON		0xee

static unsigned char ram_buf[RAM_SIZE];
static const struct lhv_guest_ram ram = { ram_buf, RAM_GPA, RAM_SIZE };
static char err[LHV_LOAD_ERR_LEN];

/* An ELF64 executable: header, @nph program headers, then 64 data bytes. */
struct elf64_img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	unsigned char data[64];
};

static void make_elf64(struct elf64_img *img)
{
	memset(img, 0, sizeof(*img));
	memcpy(img->eh.e_ident, ELFMAG, SELFMAG);
	img->eh.e_ident[EI_CLASS] = ELFCLASS64;
	img->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img->eh.e_ident[EI_VERSION] = EV_CURRENT;
	img->eh.e_type = ET_EXEC;
	img->eh.e_machine = EM_X86_64;
	img->eh.e_version = EV_CURRENT;
	img->eh.e_entry = RAM_GPA + 0x1000;
	img->eh.e_phoff = offsetof(struct elf64_img, ph);
	img->eh.e_phentsize = sizeof(Elf64_Phdr);
	img->eh.e_phnum = 2;
	img->eh.e_ehsize = sizeof(Elf64_Ehdr);
	/* text: 32 bytes at +0x1000; bss-like: 16 file bytes, 256 in memory */
	img->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct elf64_img, data),
		.p_paddr = RAM_GPA + 0x1000, .p_vaddr = RAM_GPA + 0x1000,
		.p_filesz = 32, .p_memsz = 32 };
	img->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct elf64_img, data) + 32,
		.p_paddr = RAM_GPA + 0x2000, .p_vaddr = RAM_GPA + 0x2000,
		.p_filesz = 16, .p_memsz = 256 };
	memset(img->data, 0x11, 32);
	memset(img->data + 32, 0x22, 32);
}

static int load64(const struct elf64_img *img, size_t len, uint64_t *entry)
{
	memset(ram_buf, POISON, sizeof(ram_buf));
	err[0] = '\0';
	return lhv_load_elf(&ram, img, len, entry, err, sizeof(err));
}

static bool ram_untouched(void)
{
	size_t i;

	for (i = 0; i < sizeof(ram_buf); i++)
		if (ram_buf[i] != POISON)
			return false;
	return true;
}

/* A malformed variant: refused with @ret and a reason, RAM untouched. */
static void refused(const struct elf64_img *img, size_t len, int ret,
		    const char *name)
{
	uint64_t entry = 0;
	int r = load64(img, len, &entry);

	CHECK(r == ret && err[0] && ram_untouched() && !entry, name);
	if (r != ret)
		printf("#   got %d (%s), want %d\n", r, err, ret);
}

static void test_elf64(void)
{
	struct elf64_img img, bad;
	uint64_t entry = 0;
	unsigned char *p = ram_buf;
	bool ok;
	int i;

	make_elf64(&img);
	CHECK(load64(&img, sizeof(img), &entry) == 0 && entry == RAM_GPA + 0x1000,
	      "ELF64: loads, entry point returned");
	ok = p[0x1000] == 0x11 && p[0x101f] == 0x11 && p[0x1020] == POISON &&
	     p[0x2000] == 0x22 && p[0x200f] == 0x22 && p[0x2010] == 0 &&
	     p[0x20ff] == 0 && p[0x2100] == POISON && p[0xfff] == POISON;
	CHECK(ok, "ELF64: file bytes copied, the rest of memsz zeroed, nothing else");

	bad = img;
	bad.eh.e_ident[EI_MAG1] = 'X';
	refused(&bad, sizeof(bad), -ENOEXEC, "bad magic");
	refused(&img, 3, -ENOEXEC, "3-byte file");
	refused(&img, sizeof(Elf64_Ehdr) - 1, -ENOEXEC, "truncated ELF64 header");
	bad = img;
	bad.eh.e_ident[EI_CLASS] = 7;
	refused(&bad, sizeof(bad), -ENOEXEC, "unknown ELF class");
	bad = img;
	bad.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	refused(&bad, sizeof(bad), -ENOEXEC, "big-endian ELF");
	bad = img;
	bad.eh.e_type = ET_DYN;
	refused(&bad, sizeof(bad), -ENOEXEC, "ET_DYN");
	bad = img;
	bad.eh.e_machine = EM_AARCH64;
	refused(&bad, sizeof(bad), -ENOEXEC, "another machine");
	bad = img;
	bad.eh.e_phentsize = 8;
	refused(&bad, sizeof(bad), -ENOEXEC, "wrong program header size");
	bad = img;
	bad.eh.e_phnum = 0;
	refused(&bad, sizeof(bad), -ENOEXEC, "no program headers");
	bad = img;
	bad.eh.e_phoff = sizeof(img) - 10;
	refused(&bad, sizeof(bad), -ENOEXEC, "program headers beyond the file");
	bad = img;
	bad.eh.e_phoff = ~0ULL - 8;
	refused(&bad, sizeof(bad), -ENOEXEC, "program header offset near 2^64");
	bad = img;
	bad.eh.e_phnum = 0xffff;
	refused(&bad, sizeof(bad), -ENOEXEC, "65535 program headers in a small file");
	bad = img;
	bad.ph[1].p_filesz = 300;
	refused(&bad, sizeof(bad), -ENOEXEC, "filesz > memsz");
	bad = img;
	bad.ph[1].p_offset = sizeof(img) - 8;
	refused(&bad, sizeof(bad), -ENOEXEC, "segment bytes beyond the file");
	bad = img;
	bad.ph[1].p_offset = ~0ULL - 4;
	refused(&bad, sizeof(bad), -ENOEXEC, "segment offset near 2^64");
	bad = img;
	bad.ph[1].p_paddr = RAM_GPA + RAM_SIZE - 255;
	refused(&bad, sizeof(bad), -ERANGE, "segment one byte past the end of RAM");
	bad = img;
	bad.ph[1].p_paddr = RAM_GPA - 0x10;
	refused(&bad, sizeof(bad), -ERANGE, "segment below RAM");
	bad = img;
	bad.ph[1].p_paddr = ~0ULL - 0x10;
	refused(&bad, sizeof(bad), -ERANGE, "segment address wrapping past 2^64");
	bad = img;
	bad.ph[1].p_memsz = ~0ULL;
	refused(&bad, sizeof(bad), -ERANGE, "memsz 2^64 - 1");
	bad = img;
	bad.eh.e_entry = RAM_GPA + 0x5000;
	refused(&bad, sizeof(bad), -ENOEXEC, "entry point outside every segment");
	bad = img;
	bad.ph[0].p_type = PT_NOTE;
	bad.ph[1].p_type = PT_NULL;
	refused(&bad, sizeof(bad), -ENOEXEC, "no PT_LOAD segment");
	/* The first segment is fine, the second is not: nothing is copied. */
	bad = img;
	bad.ph[1].p_paddr = RAM_GPA + RAM_SIZE;
	refused(&bad, sizeof(bad), -ERANGE, "second segment bad: first not copied either");

	/* A segment exactly at the end of RAM is fine. */
	bad = img;
	bad.ph[1].p_paddr = RAM_GPA + RAM_SIZE - 256;
	CHECK(load64(&bad, sizeof(bad), &entry) == 0 && ram_buf[RAM_SIZE - 1] == 0,
	      "segment ending exactly at the end of RAM");

	/*
	 * Every truncation that cuts into the headers or a segment's bytes is
	 * refused cleanly (the last 16 data bytes belong to no segment).
	 */
	for (i = 0, ok = true; i < (int)offsetof(struct elf64_img, data) + 48; i++)
		ok = ok && load64(&img, i, &entry) != 0 && ram_untouched();
	CHECK(ok, "every truncated image is refused");
	CHECK(load64(&img, offsetof(struct elf64_img, data) + 48, &entry) == 0,
	      "... and the image cut right after its last segment loads");
}

static void test_elf32(void)
{
	struct {
		Elf32_Ehdr eh;
		Elf32_Phdr ph;
		unsigned char data[16];
	} img;
	uint64_t entry = 0;
	int r;

	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS32;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_ident[EI_VERSION] = EV_CURRENT;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_386;
	img.eh.e_entry = RAM_GPA + 0x3004;
	img.eh.e_phoff = offsetof(typeof(img), ph);
	img.eh.e_phentsize = sizeof(Elf32_Phdr);
	img.eh.e_phnum = 1;
	img.ph = (Elf32_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(typeof(img), data),
		.p_paddr = RAM_GPA + 0x3000, .p_filesz = 16, .p_memsz = 32 };
	memset(img.data, 0x33, sizeof(img.data));
	memset(ram_buf, POISON, sizeof(ram_buf));
	r = lhv_load_elf(&ram, &img, sizeof(img), &entry, err, sizeof(err));
	CHECK(r == 0 && entry == RAM_GPA + 0x3004 && ram_buf[0x300f] == 0x33 &&
	      ram_buf[0x3010] == 0 && ram_buf[0x301f] == 0 &&
	      ram_buf[0x3020] == POISON, "ELF32: loads by its program header");
	img.eh.e_machine = EM_X86_64;
	memset(ram_buf, POISON, sizeof(ram_buf));
	r = lhv_load_elf(&ram, &img, sizeof(img), &entry, err, sizeof(err));
	CHECK(r == -ENOEXEC && ram_untouched(), "ELF32 claiming x86-64 refused");
	img.eh.e_machine = EM_386;
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	r = lhv_load_elf(&ram, &img, sizeof(img), &entry, err, sizeof(err));
	CHECK(r == -ENOEXEC, "ELF32 with 64-bit program header size refused");
	r = lhv_load_elf(&ram, &img, sizeof(Elf32_Ehdr) - 1, &entry, err, sizeof(err));
	CHECK(r == -ENOEXEC, "truncated ELF32 header refused");
}

static void test_flat(void)
{
	unsigned char img[100];

	memset(img, 0x44, sizeof(img));
	memset(ram_buf, POISON, sizeof(ram_buf));
	CHECK(lhv_load_flat(&ram, RAM_GPA + 0x10, img, sizeof(img), err, sizeof(err)) == 0 &&
	      ram_buf[0xf] == POISON && ram_buf[0x10] == 0x44 &&
	      ram_buf[0x73] == 0x44 && ram_buf[0x74] == POISON,
	      "flat: copied to its GPA");
	CHECK(lhv_load_flat(&ram, RAM_GPA + RAM_SIZE - 100, img, 100, err, sizeof(err)) == 0,
	      "flat: image ending exactly at the end of RAM");
	CHECK(lhv_load_flat(&ram, RAM_GPA + RAM_SIZE - 99, img, 100, err, sizeof(err)) == -ERANGE &&
	      strstr(err, "does not fit"), "flat: one byte too far refused with a reason");
	CHECK(lhv_load_flat(&ram, RAM_GPA - 1, img, 100, err, sizeof(err)) == -ERANGE,
	      "flat: below RAM refused");
	CHECK(lhv_load_flat(&ram, ~0ULL - 10, img, 100, err, sizeof(err)) == -ERANGE,
	      "flat: GPA wrapping past 2^64 refused");
	CHECK(lhv_load_flat(&ram, RAM_GPA, img, 0, err, sizeof(err)) == 0,
	      "flat: empty image");
}

int main(void)
{
	test_elf64();
	test_elf32();
	test_flat();
	return unit_done();
}
