/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest image loaders: a flat binary at a guest-physical address, or an
 * ELF64/ELF32 executable by its PT_LOAD program headers.  Pure logic (no
 * system calls): the image is a byte buffer and guest RAM a
 * struct lhv_guest_ram, so every bounds check is unit-tested on the host.
 *
 * Both return 0, or a negative errno with a one-line reason in @err:
 *   -ENOEXEC  the image is not a well-formed executable of a kind we load
 *   -ERANGE   the image does not fit inside guest RAM
 */
#ifndef _LHV_LOADER_H
#define _LHV_LOADER_H

#include "guest_ram.h"

/* Room for any reason the loaders give. */
#define LHV_LOAD_ERR_LEN	160

int lhv_load_flat(const struct lhv_guest_ram *ram, uint64_t gpa,
		  const void *image, size_t len, char *err, size_t errlen);

/*
 * Copies each PT_LOAD segment to its physical address (p_paddr) and zeroes
 * the rest of its memory size (the .bss).  *@entry receives e_entry, which
 * must lie inside a loaded segment.
 */
int lhv_load_elf(const struct lhv_guest_ram *ram, const void *image,
		 size_t len, uint64_t *entry, char *err, size_t errlen);

#endif /* _LHV_LOADER_H */
