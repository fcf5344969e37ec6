/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which loader an image needs (lhv-run --format auto): pure logic,
 * unit-tested on the host.
 */
#ifndef _LHV_FORMAT_H
#define _LHV_FORMAT_H

#include <stddef.h>

enum lhv_format {
	LHV_FORMAT_AUTO,
	LHV_FORMAT_ELF,		/* ELF64: long mode; ELF32: 32-bit protected mode */
	LHV_FORMAT_MULTIBOOT,	/* multiboot v1 header in the first 8 KiB */
	LHV_FORMAT_FLAT,	/* raw bytes at an address: never guessed */
	LHV_FORMAT_BZIMAGE,	/* Linux "HdrS" setup header */
	LHV_FORMAT_NR,
};

/* "auto", "elf", ... and back; -1 for a name that is none of them. */
const char *lhv_format_name(enum lhv_format f);
int lhv_format_parse(const char *name);

/*
 * The format of @image: bzImage when it has the "HdrS" header, multiboot
 * when it has a valid multiboot header (also an ELF that has one), ELF by
 * its magic; LHV_FORMAT_AUTO when it is none of them (a flat image must
 * be asked for).
 */
enum lhv_format lhv_format_detect(const void *image, size_t len);

#endif /* _LHV_FORMAT_H */
