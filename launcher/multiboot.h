/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (version 1, specification 0.6.96) kernel loader.  Pure logic:
 * the image and the modules are byte buffers, guest RAM a
 * struct lhv_guest_ram that must start at GPA 0.
 *
 * What is loaded:
 *   - the kernel, by the header's address fields when flags bit 16 is set
 *     (the "a.out kludge": any file format, ELF included), else by the
 *     program headers of an ELF32 i386 executable (lhv_load_elf()).  ELF64
 *     without bit 16 is refused, as the specification allows only 32-bit
 *     ELF.  Every loaded byte must lie at or above PLAT_HIGH_RAM_START.
 *   - the modules, in order, each at the next page boundary above the
 *     kernel's highest byte (bss included), so flags bit 0 is always met.
 *   - the multiboot info at PLAT_MB_INFO_GPA, and within its
 *     PLAT_MB_INFO_SIZE bytes the memory map (from lhv_e820_build(), each
 *     record's size field 20), the module list, the command line, every
 *     module string and the boot loader name "lhv-run".  Info flags:
 *     MEM | CMDLINE | MODS | MMAP | BOOT_LOADER_NAME.  mem_lower is 639,
 *     mem_upper the KiB of RAM above 1 MiB, so flags bit 1 is always met.
 *
 * Header flags: bits 0, 1 and 16 are honoured.  Bit 2 (video mode) is
 * accepted only when the header asks for EGA text (mode_type 1): the guest
 * starts in text mode with no video information (info bits 11 and 12
 * clear), which the specification permits as a mode the loader chose.  A
 * linear graphics request is refused, as is any other bit of 3-15 (the
 * specification says a loader must fail on a requirement it does not
 * understand).  Bits 17-31 are optional features and are ignored.
 *
 * The caller then enters the guest at @entry->eip in 32-bit protected
 * mode with paging off: CR0.PE set and CR0.PG clear, CS a flat 32-bit
 * execute/read code segment (base 0, limit 4 GiB), DS/ES/FS/GS/SS flat
 * 32-bit read/write data segments, EFLAGS.IF and EFLAGS.VM clear, A20 on,
 * EAX = @entry->eax (0x2BADB002) and EBX = @entry->ebx (the info's GPA).
 * ESP, the GDTR and the IDTR are undefined to the kernel.
 *
 * Returns 0, or a negative errno with a one-line reason in @err, and
 * leaves guest RAM untouched unless it returns 0:
 *   -EINVAL   RAM is not [0, size) with a size lhv_e820_build() accepts
 *   -ENOEXEC  no valid multiboot header, a requirement we cannot meet, or
 *             a malformed image
 *   -ERANGE   the kernel or a module does not fit in guest RAM
 *   -E2BIG    the module list and strings overflow the info region
 */
#ifndef _LHV_MULTIBOOT_H
#define _LHV_MULTIBOOT_H

#include "guest_ram.h"
#include "loader.h"

#define LHV_MB_HEADER_MAGIC	0x1BADB002U
#define LHV_MB_LOADER_MAGIC	0x2BADB002U
#define LHV_MB_SEARCH		8192	/* the header lies in these bytes */

/* Header flags. */
#define LHV_MB_PAGE_ALIGN	(1U << 0)
#define LHV_MB_MEMORY_INFO	(1U << 1)
#define LHV_MB_VIDEO_MODE	(1U << 2)
#define LHV_MB_AOUT_KLUDGE	(1U << 16)

/* Info flags. */
#define LHV_MBI_MEM		(1U << 0)
#define LHV_MBI_CMDLINE		(1U << 2)
#define LHV_MBI_MODS		(1U << 3)
#define LHV_MBI_MMAP		(1U << 6)
#define LHV_MBI_LOADER_NAME	(1U << 9)

/* Byte offsets of the info fields we fill (the rest is zero). */
#define LHV_MBI_FLAGS		0
#define LHV_MBI_MEM_LOWER	4
#define LHV_MBI_MEM_UPPER	8
#define LHV_MBI_CMDLINE_PTR	16
#define LHV_MBI_MODS_COUNT	20
#define LHV_MBI_MODS_ADDR	24
#define LHV_MBI_MMAP_LENGTH	44
#define LHV_MBI_MMAP_ADDR	48
#define LHV_MBI_LOADER_PTR	64
#define LHV_MBI_BYTES		120	/* zeroed: the info up to the framebuffer */

#define LHV_MB_MODULE_BYTES	16	/* mod_start, mod_end, string, reserved */
#define LHV_MB_MMAP_BYTES	24	/* size (= 20), then the e820 record */

struct lhv_mb_module {
	const void *data;
	size_t len;
	const char *string;	/* NULL: "" */
};

struct lhv_mb_entry {
	uint32_t eip;
	uint32_t eax;		/* LHV_MB_LOADER_MAGIC */
	uint32_t ebx;		/* PLAT_MB_INFO_GPA */
	uint64_t kernel_start;	/* [start, end): what the kernel occupies */
	uint64_t kernel_end;
	uint64_t modules_end;	/* end of the last module, or kernel_end */
};

/*
 * Finds the header in the first LHV_MB_SEARCH bytes of @image: its offset,
 * or -ENOEXEC when there is none with a valid checksum.
 */
long lhv_mb_find_header(const void *image, size_t len);

/* Loads kernel @image, @nmods modules and the info; @cmdline NULL: "". */
int lhv_load_multiboot(const struct lhv_guest_ram *ram, const void *image,
		       size_t len, const char *cmdline,
		       const struct lhv_mb_module *mods, unsigned int nmods,
		       struct lhv_mb_entry *entry, char *err, size_t errlen);

#endif /* _LHV_MULTIBOOT_H */
