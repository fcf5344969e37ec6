// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lhv-run's image format detection (launcher/format.c).
 */
#include <elf.h>
#include <string.h>

#include "../../launcher/format.h"
#include "unit.h"

static unsigned char img[16384];

int main(void)
{
	uint32_t mb[3] = { 0x1badb002, 0, (uint32_t)-0x1badb002 };

	CHECK(lhv_format_detect(img, sizeof(img)) == LHV_FORMAT_AUTO,
	      "zeros: nothing (flat must be asked for)");
	CHECK(lhv_format_detect(img, 0) == LHV_FORMAT_AUTO, "empty: nothing");
	memcpy(img, ELFMAG, SELFMAG);
	CHECK(lhv_format_detect(img, sizeof(img)) == LHV_FORMAT_ELF, "ELF magic");
	CHECK(lhv_format_detect(img, 3) == LHV_FORMAT_AUTO, "truncated ELF magic");
	memcpy(img + 4096, mb, sizeof(mb));
	CHECK(lhv_format_detect(img, sizeof(img)) == LHV_FORMAT_MULTIBOOT,
	      "an ELF with a multiboot header is multiboot");
	mb[2]++;
	memcpy(img + 4096, mb, sizeof(mb));
	CHECK(lhv_format_detect(img, sizeof(img)) == LHV_FORMAT_ELF,
	      "a bad multiboot checksum does not count");
	memcpy(img + 0x202, "HdrS", 4);
	CHECK(lhv_format_detect(img, sizeof(img)) == LHV_FORMAT_BZIMAGE,
	      "HdrS at 0x202: bzImage");
	CHECK(lhv_format_detect(img, 0x205) == LHV_FORMAT_ELF,
	      "HdrS cut off: not bzImage");
	CHECK(lhv_format_parse("bzimage") == LHV_FORMAT_BZIMAGE &&
	      lhv_format_parse("flat") == LHV_FORMAT_FLAT &&
	      lhv_format_parse("auto") == LHV_FORMAT_AUTO &&
	      lhv_format_parse("ELF") == -1 && lhv_format_parse("") == -1,
	      "names parse, case matters");
	CHECK(!strcmp(lhv_format_name(LHV_FORMAT_MULTIBOOT), "multiboot") &&
	      !strcmp(lhv_format_name(LHV_FORMAT_NR), "?"), "names print");
	return unit_done();
}
