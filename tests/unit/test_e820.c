// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the E820 map builder (launcher/e820.c): the exact map for
 * the smallest and largest guests, every refused size, and the 20-byte
 * guest encoding.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "../../launcher/e820.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define MIB	0x100000ULL

static bool entry_is(const struct lhv_e820_entry *e, uint64_t addr,
		     uint64_t size, uint32_t type)
{
	return e->addr == addr && e->size == size && e->type == type;
}

static void test_map(uint64_t ram_size, const char *name)
{
	struct lhv_e820_entry map[LHV_E820_MAX];
	int n;

	memset(map, 0xee, sizeof(map));
	n = lhv_e820_build(ram_size, map);
	CHECK(n == 4 &&
	      entry_is(&map[0], 0, 0x9fc00, LHV_E820_RAM) &&
	      entry_is(&map[1], 0x9fc00, 0x400, LHV_E820_RESERVED) &&
	      entry_is(&map[2], 0xe0000, 0x20000, LHV_E820_RESERVED) &&
	      entry_is(&map[3], 0x100000, ram_size - 0x100000, LHV_E820_RAM),
	      name);
}

static void test_sizes(void)
{
	static const uint64_t bad[] = {
		0, 0x1000, MIB, 2 * MIB - 0x1000, 2 * MIB + 1, 2 * MIB + 0x800,
		PLAT_MAX_RAM + 0x1000, 4096 * MIB, ~0ULL, ~0ULL - 0xfff,
	};
	struct lhv_e820_entry map[LHV_E820_MAX];
	unsigned int i;
	bool ok = true;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(map, 0xee, sizeof(map));
		ok = ok && lhv_e820_build(bad[i], map) == -EINVAL &&
		     ((unsigned char *)map)[0] == 0xee;
	}
	CHECK(ok, "sizes below 2 MiB, above 3 GiB or not in pages refused, map untouched");
	CHECK(lhv_e820_build(2 * MIB + 0x1000, map) == 4 &&
	      map[3].size == MIB + 0x1000, "2 MiB + one page");
}

static void test_encode(void)
{
	static const unsigned char want[LHV_E820_ENTRY_BYTES + 1] = {
		0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,	/* addr */
		0x00, 0xf0, 0xef, 0xbf, 0x00, 0x00, 0x00, 0x00,	/* size */
		0x01, 0x00, 0x00, 0x00,				/* type */
		0xee,						/* untouched */
	};
	struct lhv_e820_entry e = { 0x100000, 0xbfeff000, LHV_E820_RAM };
	unsigned char buf[LHV_E820_ENTRY_BYTES + 1];

	memset(buf, 0xee, sizeof(buf));
	lhv_e820_encode(&e, buf);
	CHECK(!memcmp(buf, want, sizeof(want)), "20-byte little-endian record, nothing past it");
}

int main(void)
{
	test_map(2 * MIB, "2 MiB: RAM, EBDA, BIOS area, RAM above 1 MiB");
	test_map(PLAT_MAX_RAM, "3 GiB: the same, high RAM up to 3 GiB");
	test_map(256 * MIB, "256 MiB");
	test_sizes();
	test_encode();
	return unit_done();
}
