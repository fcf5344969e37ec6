/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux bzImage loader for the 64-bit boot protocol (the kernel's
 * Documentation/x86/boot.rst).  Pure logic: the image and the initrd are
 * byte buffers, guest RAM a struct lhv_guest_ram that must start at GPA 0.
 *
 * The image must carry the "HdrS" setup header of protocol 2.12 or later
 * with XLF_KERNEL_64.  Its protected-mode part (from (setup_sects + 1) *
 * 512 to the end of the file; setup_sects 0 means 4) is copied to the load
 * address: pref_address when that is at or above PLAT_HIGH_RAM_START and
 * max(init_size, that part's length) fits in RAM from there, else, for a
 * relocatable kernel, PLAT_HIGH_RAM_START rounded up to kernel_alignment.
 * The real-mode setup code is not loaded: the 64-bit entry does not run it.
 *
 * The zero page (struct boot_params) at PLAT_BOOT_PARAMS_GPA is zeroed and
 * gets the image's setup header, with type_of_loader 0xff, LOADED_HIGH
 * set, CAN_USE_HEAP clear (no real-mode code runs, so no heap), setup_data
 * 0, the command line at PLAT_CMDLINE_GPA, the initrd, the E820 map from
 * lhv_e820_build() and acpi_rsdp_addr.  The initrd goes at the highest
 * page-aligned address below min(RAM size, initrd_addr_max + 1) that
 * misses the kernel's [load, load + init_size), and never below
 * PLAT_HIGH_RAM_START.
 *
 * The caller then enters at @entry->rip in 64-bit long mode with RSI =
 * @entry->rsi (the zero page), interrupts off, paging on with an identity
 * map covering the kernel's init_size, the zero page, the command line and
 * the initrd, CS a flat 64-bit code segment and DS/ES/SS flat data
 * segments (the kernel's __BOOT_CS 0x10 / __BOOT_DS 0x18 shapes; it loads
 * its own GDT at once).
 *
 * Returns 0, or a negative errno with a one-line reason in @err, and
 * leaves guest RAM untouched unless it returns 0:
 *   -EINVAL   RAM is not [0, size) with a size lhv_e820_build() accepts
 *   -ENOEXEC  not a bzImage we can boot (truncated, bad magic, protocol
 *             older than 2.12, no 64-bit entry, bad kernel_alignment)
 *   -ERANGE   the kernel or the initrd does not fit in guest RAM
 *   -E2BIG    the command line is longer than the kernel or
 *             PLAT_CMDLINE_MAX allows
 */
#ifndef _LHV_BZIMAGE_H
#define _LHV_BZIMAGE_H

#include "guest_ram.h"
#include "loader.h"

/* Byte offsets in the image and in the zero page (boot.rst, zero-page.rst). */
#define LHV_BP_ACPI_RSDP	0x070	/* u64 */
#define LHV_BP_EXT_RAMDISK_IMAGE 0x0c0	/* u32 */
#define LHV_BP_EXT_RAMDISK_SIZE	0x0c4	/* u32 */
#define LHV_BP_EXT_CMD_LINE_PTR	0x0c8	/* u32 */
#define LHV_BP_E820_ENTRIES	0x1e8	/* u8 */
#define LHV_BP_HDR		0x1f1	/* the setup header starts here */
#define LHV_BP_SETUP_SECTS	0x1f1	/* u8 */
#define LHV_BP_BOOT_FLAG	0x1fe	/* u16: 0xaa55 */
#define LHV_BP_JUMP		0x200	/* u16: its second byte sizes the header */
#define LHV_BP_HEADER		0x202	/* u32: "HdrS" */
#define LHV_BP_VERSION		0x206	/* u16 */
#define LHV_BP_TYPE_OF_LOADER	0x210	/* u8 */
#define LHV_BP_LOADFLAGS	0x211	/* u8 */
#define LHV_BP_RAMDISK_IMAGE	0x218	/* u32 */
#define LHV_BP_RAMDISK_SIZE	0x21c	/* u32 */
#define LHV_BP_HEAP_END_PTR	0x224	/* u16 */
#define LHV_BP_CMD_LINE_PTR	0x228	/* u32 */
#define LHV_BP_INITRD_ADDR_MAX	0x22c	/* u32 */
#define LHV_BP_KERNEL_ALIGNMENT	0x230	/* u32 */
#define LHV_BP_RELOCATABLE	0x234	/* u8 */
#define LHV_BP_XLOADFLAGS	0x236	/* u16 */
#define LHV_BP_CMDLINE_SIZE	0x238	/* u32 */
#define LHV_BP_SETUP_DATA	0x250	/* u64 */
#define LHV_BP_PREF_ADDRESS	0x258	/* u64 */
#define LHV_BP_INIT_SIZE	0x260	/* u32 */
#define LHV_BP_HDR_MIN_END	0x268	/* protocol 2.12's header ends here */
#define LHV_BP_HDR_MAX_END	0x290	/* edd_mbr_sig_buffer starts here */
#define LHV_BP_E820_TABLE	0x2d0	/* 20-byte records */
#define LHV_BP_SIZE		0x1000

#define LHV_BZ_MAGIC		0x53726448U	/* "HdrS" */
#define LHV_BZ_MIN_VERSION	0x020c
#define LHV_BZ_LOADED_HIGH	(1U << 0)
#define LHV_BZ_CAN_USE_HEAP	(1U << 7)
#define LHV_BZ_XLF_KERNEL_64	(1U << 0)
#define LHV_BZ_ENTRY64		0x200	/* startup_64, from the load address */

struct lhv_bz_entry {
	uint64_t rip;		/* load_addr + LHV_BZ_ENTRY64 */
	uint64_t rsi;		/* PLAT_BOOT_PARAMS_GPA */
	uint64_t load_addr;
	uint64_t kernel_size;	/* max(init_size, protected-mode part) */
	uint64_t initrd_addr;	/* 0 when there is none */
	uint64_t initrd_size;
	uint16_t version;	/* boot protocol, e.g. 0x020f */
};

/*
 * Loads bzImage @image with command line @cmdline (NULL: "") and initrd
 * [@initrd, @initrd + @initrd_len) (none when @initrd_len is 0).
 * @rsdp_gpa is the ACPI RSDP's address for the kernel, 0 for none.
 */
int lhv_load_bzimage(const struct lhv_guest_ram *ram, const void *image,
		     size_t len, const char *cmdline, const void *initrd,
		     size_t initrd_len, uint64_t rsdp_gpa,
		     struct lhv_bz_entry *entry, char *err, size_t errlen);

#endif /* _LHV_BZIMAGE_H */
