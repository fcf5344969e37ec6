// SPDX-License-Identifier: GPL-2.0
/*
 * Flat and ELF guest image loaders.  The image comes from a file the user
 * names, so every field is untrusted: each offset and size is checked
 * against the image and against guest RAM before anything is copied, and
 * sums are never formed where they could wrap.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"
#include "reason.h"

int lhv_load_flat(const struct lhv_guest_ram *ram, uint64_t gpa,
		  const void *image, size_t len, char *err, size_t errlen)
{
	void *dst = lhv_ram_ptr(ram, gpa, len);

	if (!dst)
		return lhv_reason(err, errlen, -ERANGE,
				  "%zu-byte image at GPA %#llx does not fit in guest RAM [%#llx, %#llx)",
				  len, (unsigned long long)gpa,
				  (unsigned long long)ram->gpa,
				  (unsigned long long)(ram->gpa + ram->size));
	memcpy(dst, image, len);
	return 0;
}

/* The fields we use of either ELF class, widened to 64 bits. */
struct elf_info {
	uint64_t entry, phoff;
	unsigned int phnum, phentsize;
	bool is64;
};

struct elf_seg {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

static int elf_header(const unsigned char *img, size_t len, struct elf_info *ei,
		      char *err, size_t errlen)
{
	if (len < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG))
		return lhv_reason(err, errlen, -ENOEXEC, "not an ELF file");
	if (img[EI_DATA] != ELFDATA2LSB || img[EI_VERSION] != EV_CURRENT)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "ELF: not little-endian version-1 ELF");
	if (img[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (len < sizeof(eh))
			return lhv_reason(err, errlen, -ENOEXEC,
					  "ELF64: truncated header (%zu bytes)", len);
		memcpy(&eh, img, sizeof(eh));	/* the image may be unaligned */
		if (eh.e_type != ET_EXEC || eh.e_machine != EM_X86_64)
			return lhv_reason(err, errlen, -ENOEXEC,
					  "ELF64: type %u machine %u, want an x86-64 executable",
					  eh.e_type, eh.e_machine);
		*ei = (struct elf_info){ eh.e_entry, eh.e_phoff, eh.e_phnum,
					 eh.e_phentsize, true };
		if (ei->phentsize != sizeof(Elf64_Phdr))
			goto bad_phentsize;
	} else if (img[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (len < sizeof(eh))
			return lhv_reason(err, errlen, -ENOEXEC,
					  "ELF32: truncated header (%zu bytes)", len);
		memcpy(&eh, img, sizeof(eh));
		if (eh.e_type != ET_EXEC || eh.e_machine != EM_386)
			return lhv_reason(err, errlen, -ENOEXEC,
					  "ELF32: type %u machine %u, want an i386 executable",
					  eh.e_type, eh.e_machine);
		*ei = (struct elf_info){ eh.e_entry, eh.e_phoff, eh.e_phnum,
					 eh.e_phentsize, false };
		if (ei->phentsize != sizeof(Elf32_Phdr))
			goto bad_phentsize;
	} else {
		return lhv_reason(err, errlen, -ENOEXEC, "ELF: unknown class %u",
				  img[EI_CLASS]);
	}
	if (!ei->phnum)
		return lhv_reason(err, errlen, -ENOEXEC, "ELF: no program headers");
	/* phnum * phentsize is at most 65535 * 56: it cannot wrap. */
	if (ei->phoff > len || len - ei->phoff < (uint64_t)ei->phnum * ei->phentsize)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "ELF: program headers [%#llx + %u * %u] beyond the %zu-byte file",
				  (unsigned long long)ei->phoff, ei->phnum,
				  ei->phentsize, len);
	return 0;

bad_phentsize:
	return lhv_reason(err, errlen, -ENOEXEC,
			  "ELF: program header size %u, want %zu", ei->phentsize,
			  ei->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
}

static void elf_segment(const unsigned char *img, const struct elf_info *ei,
			unsigned int i, struct elf_seg *seg)
{
	const unsigned char *p = img + ei->phoff + (uint64_t)i * ei->phentsize;

	if (ei->is64) {
		Elf64_Phdr ph;

		memcpy(&ph, p, sizeof(ph));
		*seg = (struct elf_seg){ ph.p_type, ph.p_offset, ph.p_paddr,
					 ph.p_filesz, ph.p_memsz };
	} else {
		Elf32_Phdr ph;

		memcpy(&ph, p, sizeof(ph));
		*seg = (struct elf_seg){ ph.p_type, ph.p_offset, ph.p_paddr,
					 ph.p_filesz, ph.p_memsz };
	}
}

/* Every check on one PT_LOAD segment, before any segment is copied. */
static int elf_check_segment(const struct lhv_guest_ram *ram, size_t len,
			     unsigned int i, const struct elf_seg *s,
			     char *err, size_t errlen)
{
	if (s->filesz > s->memsz)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "ELF: segment %u: file size %#llx > memory size %#llx",
				  i, (unsigned long long)s->filesz,
				  (unsigned long long)s->memsz);
	if (s->offset > len || len - s->offset < s->filesz)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "ELF: segment %u: file bytes [%#llx + %#llx] beyond the %zu-byte file",
				  i, (unsigned long long)s->offset,
				  (unsigned long long)s->filesz, len);
	if (!lhv_ram_ptr(ram, s->paddr, s->memsz))
		return lhv_reason(err, errlen, -ERANGE,
				  "ELF: segment %u: [%#llx + %#llx] outside guest RAM [%#llx, %#llx)",
				  i, (unsigned long long)s->paddr,
				  (unsigned long long)s->memsz,
				  (unsigned long long)ram->gpa,
				  (unsigned long long)(ram->gpa + ram->size));
	return 0;
}

int lhv_load_elf(const struct lhv_guest_ram *ram, const void *image,
		 size_t len, uint64_t *entry, char *err, size_t errlen)
{
	const unsigned char *img = image;
	bool entry_loaded = false;
	unsigned int i, nload = 0;
	struct elf_info ei = { 0 };
	struct elf_seg s;
	int ret;

	ret = elf_header(img, len, &ei, err, errlen);
	if (ret)
		return ret;
	/* Check everything first: a bad image leaves guest RAM untouched. */
	for (i = 0; i < ei.phnum; i++) {
		elf_segment(img, &ei, i, &s);
		if (s.type != PT_LOAD)
			continue;
		ret = elf_check_segment(ram, len, i, &s, err, errlen);
		if (ret)
			return ret;
		nload++;
		if (ei.entry >= s.paddr && ei.entry - s.paddr < s.memsz)
			entry_loaded = true;
	}
	if (!nload)
		return lhv_reason(err, errlen, -ENOEXEC, "ELF: no PT_LOAD segment");
	if (!entry_loaded)
		return lhv_reason(err, errlen, -ENOEXEC,
				  "ELF: entry point %#llx is in no loaded segment",
				  (unsigned long long)ei.entry);

	for (i = 0; i < ei.phnum; i++) {
		unsigned char *dst;

		elf_segment(img, &ei, i, &s);
		if (s.type != PT_LOAD)
			continue;
		dst = lhv_ram_ptr(ram, s.paddr, s.memsz);
		memcpy(dst, img + s.offset, s.filesz);
		memset(dst + s.filesz, 0, s.memsz - s.filesz);
	}
	*entry = ei.entry;
	return 0;
}
