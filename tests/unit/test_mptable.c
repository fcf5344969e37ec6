// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the MP table builder (launcher/mptable.c).  The tables are
 * parsed back from raw bytes at the offsets of the MultiProcessor
 * Specification 1.4, chapter 4, and a guest's scan for "_MP_" is
 * replayed; every refused input leaves guest RAM byte-for-byte as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/mptable.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define BIOS_RAM_POISON		0x5a
#define BIOS_RAM_ERR_LEN	LHV_MP_ERR_LEN
#include "bios_ram.h"

/* What Linux's smp_scan_config() accepts, over [@start, @start + @len). */
static uint64_t scan_mp(uint64_t start, uint64_t len)
{
	uint64_t p;

	for (p = start; p + 16 <= start + len; p += 16)
		if (bytes_are(p, "_MP_", 4) && rd8(p + 8) == 1 &&
		    sum(p, 16) == 0 && (rd8(p + 9) == 1 || rd8(p + 9) == 4))
			return p;
	return 0;
}

static void check_mp(const char *what, unsigned int nr, const uint32_t *ids,
		     const struct lhv_mp_cpuid *cpuid)
{
	uint32_t sig = cpuid ? cpuid->signature : 0x600;
	uint32_t feat = cpuid ? cpuid->features : 0x201;
	struct lhv_mp_layout l;
	uint64_t fp, cfg, p;
	unsigned int len, i;
	bool ok;

	printf("# %s\n", what);
	poison();
	memset(&l, 0, sizeof(l));
	CHECK(lhv_mptable_build(&ram, nr, ids, cpuid, &l, err,
				sizeof(err)) == 0, "build succeeds");

	/* Linux scans 0xf0000-0xfffff; PLAT_MPTABLE_GPA must be the hit. */
	fp = scan_mp(0xf0000, 0x10000);
	CHECK(fp == PLAT_MPTABLE_GPA, "scan finds _MP_ at PLAT_MPTABLE_GPA");
	fp = PLAT_MPTABLE_GPA;
	CHECK(bytes_are(fp, "_MP_", 4), "floating pointer signature");
	CHECK(rd8(fp + 8) == 1, "floating pointer length: 1 paragraph");
	CHECK(rd8(fp + 9) == 4, "spec revision 4 (1.4)");
	CHECK(sum(fp, 16) == 0, "floating pointer checksum over 16 bytes");
	CHECK(rd8(fp + 11) == 0 && rd8(fp + 12) == 0 && rd8(fp + 13) == 0 &&
	      rd8(fp + 14) == 0 && rd8(fp + 15) == 0,
	      "feature bytes 0: config table present, virtual wire");
	cfg = rd32(fp + 4);
	CHECK(cfg == fp + 16, "physical address pointer: right after it");

	len = rd16(cfg + 4);
	CHECK(bytes_are(cfg, "PCMP", 4), "config table signature");
	CHECK(len == 44 + 20 * nr + 8, "base table length");
	CHECK(cfg + len <= PLAT_MPTABLE_GPA + PLAT_MPTABLE_SIZE,
	      "config table inside the region");
	CHECK(rd8(cfg + 6) == 4, "config spec revision 4");
	CHECK(sum(cfg, len) == 0, "config checksum over the base table");
	CHECK(bytes_are(cfg + 8, "LHV     ", 8), "OEM ID");
	CHECK(bytes_are(cfg + 16, "lhv-run     ", 12), "product ID");
	CHECK(rd32(cfg + 28) == 0 && rd16(cfg + 32) == 0, "no OEM table");
	CHECK(rd16(cfg + 34) == nr + 1, "entry count: CPUs + 1 bus");
	CHECK(rd32(cfg + 36) == 0xfee00000, "local APIC address");
	CHECK(rd16(cfg + 40) == 0 && rd8(cfg + 42) == 0 && rd8(cfg + 43) == 0,
	      "no extended table");

	p = cfg + 44;
	ok = true;
	for (i = 0; i < nr; i++, p += 20) {
		unsigned int j;

		ok &= rd8(p) == 0 && rd8(p + 1) == ids[i] &&
		      rd8(p + 2) == 0x14 &&
		      rd8(p + 3) == (i == 0 ? 3u : 1u) &&
		      rd32(p + 4) == sig && rd32(p + 8) == feat;
		for (j = 12; j < 20; j++)
			ok &= rd8(p + j) == 0;
	}
	CHECK(ok, "processor entries: input IDs in order, EN, BP on index 0");
	CHECK(rd8(p) == 1 && rd8(p + 1) == 0 && bytes_are(p + 2, "ISA   ", 6),
	      "bus entry: ISA bus 0");
	CHECK(p + 8 == cfg + len, "bus entry ends the table");

	CHECK(l.fp_gpa == fp && l.cfg_gpa == cfg && l.cfg_len == len,
	      "layout matches the table");
	ok = true;
	for (p = cfg + len; p < PLAT_MPTABLE_GPA + PLAT_MPTABLE_SIZE; p++)
		ok &= rd8(p) == 0;
	CHECK(ok, "the rest of the region is zeroed");
	ok = memcmp(ram_buf, ram_copy, PLAT_MPTABLE_GPA - RAM_GPA) == 0;
	for (p = PLAT_MPTABLE_GPA + PLAT_MPTABLE_SIZE; p < RAM_GPA + RAM_SIZE;
	     p++)
		ok &= rd8(p) == BIOS_RAM_POISON;
	CHECK(ok, "nothing written outside the region");
}

/* Refused with @ret, a reason, and guest RAM unchanged. */
static void refused(int got, int ret, const char *name)
{
	CHECK(got == ret, name);
	CHECK(err[0] != '\0', "a reason is given");
	CHECK(ram_unchanged(), "guest RAM unchanged");
}

static void test_errors(void)
{
	static const uint32_t one[] = { 0 };
	static const uint32_t dup[] = { 4, 5, 4 };
	static const uint32_t big[] = { 0, 1, 255 };
	static const uint32_t x2[] = { 0, 0x10000 };
	static uint32_t many[LHV_MP_MAX_CPUS + 1];
	struct lhv_mp_layout l;
	unsigned int i;

	printf("# error paths\n");
	for (i = 0; i <= LHV_MP_MAX_CPUS; i++)
		many[i] = i;

	poison();
	refused(lhv_mptable_build(&ram, 0, one, NULL, &l, err, sizeof(err)),
		-EINVAL, "0 CPUs: -EINVAL");
	poison();
	refused(lhv_mptable_build(&ram, LHV_MP_MAX_CPUS + 1, many, NULL, &l,
				  err, sizeof(err)), -EINVAL,
		"65 CPUs: -EINVAL");
	poison();
	refused(lhv_mptable_build(&ram, 1, NULL, NULL, &l, err, sizeof(err)),
		-EINVAL, "no APIC IDs: -EINVAL");
	poison();
	refused(lhv_mptable_build(&ram, 3, dup, NULL, &l, err, sizeof(err)),
		-EINVAL, "duplicate APIC ID: -EINVAL");
	poison();
	refused(lhv_mptable_build(&ram, 3, big, NULL, &l, err, sizeof(err)),
		-ERANGE, "APIC ID 255: -ERANGE");
	poison();
	refused(lhv_mptable_build(&ram, 2, x2, NULL, &l, err, sizeof(err)),
		-ERANGE, "x2APIC ID: -ERANGE");

	/* One CPU: 16 + 44 + 20 + 8 = 88 bytes. */
	poison();
	refused(lhv_mptable_build_at(&ram, PLAT_MPTABLE_GPA, 87, 1, one, NULL,
				     &l, err, sizeof(err)), -ERANGE,
		"region one byte too small: -ERANGE");
	poison();
	CHECK(lhv_mptable_build_at(&ram, PLAT_MPTABLE_GPA, 88, 1, one, NULL,
				   &l, err, sizeof(err)) == 0 &&
	      l.cfg_len == 72, "exactly 88 bytes: accepted");
	poison();
	refused(lhv_mptable_build_at(&ram, PLAT_MPTABLE_GPA + 4, 0x100, 1,
				     one, NULL, &l, err, sizeof(err)), -ERANGE,
		"unaligned region: -ERANGE");
	poison();
	refused(lhv_mptable_build_at(&ram, RAM_GPA + RAM_SIZE - 0x40, 0x100,
				     1, one, NULL, &l, err, sizeof(err)),
		-ERANGE, "region past the end of RAM: -ERANGE");
	{
		/* RAM that ends before the platform's MP region. */
		const struct lhv_guest_ram small = { ram_buf, RAM_GPA, 0x10000 };

		poison();
		refused(lhv_mptable_build(&small, 1, one, NULL, &l, err,
					  sizeof(err)), -ERANGE,
			"RAM smaller than the MP region: -ERANGE");
	}
	{
		const struct lhv_guest_ram high = { ram_buf, 0xfffffff0ULL,
						    RAM_SIZE };

		poison();
		refused(lhv_mptable_build_at(&high, 0xfffffff0ULL, 0x100, 1, one,
					     NULL, &l, err, sizeof(err)),
			-ERANGE, "table crossing 4 GiB: -ERANGE");
	}
	poison();
	CHECK(lhv_mptable_build(&ram, 1, one, NULL, NULL, NULL, 0) == 0,
	      "NULL layout and error buffer are fine");
}

int main(void)
{
	static const uint32_t ids1[] = { 0 };
	static const uint32_t ids2[] = { 0, 1 };
	static const uint32_t ids3[] = { 0, 1, 2 };
	static const uint32_t odd[] = { 6, 0, 254, 17 };
	static const struct lhv_mp_cpuid cpuid = { 0x000906ea, 0x178bfbff };
	uint32_t ids64[64];
	unsigned int i;

	check_mp("1 CPU", 1, ids1, NULL);
	check_mp("2 CPUs", 2, ids2, NULL);
	check_mp("3 CPUs, caller's CPUID", 3, ids3, &cpuid);
	check_mp("4 CPUs, BSP 6, ID 254", 4, odd, NULL);
	for (i = 0; i < 64; i++)
		ids64[i] = i;
	check_mp("64 CPUs", 64, ids64, &cpuid);
	for (i = 0; i < 64; i++)
		ids64[i] = 254 - 2 * i;	/* 254 down to 128 */
	check_mp("64 CPUs, IDs 254..128", 64, ids64, NULL);
	test_errors();
	return unit_done();
}
