// SPDX-License-Identifier: GPL-2.0
/*
 * Image format detection for lhv-run (format.h).
 */
#include <elf.h>
#include <string.h>

#include "bzimage.h"
#include "format.h"
#include "multiboot.h"

static const char *const names[LHV_FORMAT_NR] = {
	[LHV_FORMAT_AUTO] = "auto",
	[LHV_FORMAT_ELF] = "elf",
	[LHV_FORMAT_MULTIBOOT] = "multiboot",
	[LHV_FORMAT_FLAT] = "flat",
	[LHV_FORMAT_BZIMAGE] = "bzimage",
};

const char *lhv_format_name(enum lhv_format f)
{
	return (unsigned int)f < LHV_FORMAT_NR ? names[f] : "?";
}

int lhv_format_parse(const char *name)
{
	int i;

	for (i = 0; i < LHV_FORMAT_NR; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

enum lhv_format lhv_format_detect(const void *image, size_t len)
{
	const unsigned char *b = image;

	if (len >= LHV_BP_HEADER + 4 &&
	    !memcmp(b + LHV_BP_HEADER, "HdrS", 4))
		return LHV_FORMAT_BZIMAGE;
	if (lhv_mb_find_header(image, len) >= 0)
		return LHV_FORMAT_MULTIBOOT;
	if (len >= SELFMAG && !memcmp(b, ELFMAG, SELFMAG))
		return LHV_FORMAT_ELF;
	return LHV_FORMAT_AUTO;
}
