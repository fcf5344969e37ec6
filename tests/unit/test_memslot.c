// SPDX-License-Identifier: GPL-2.0
/* Unit tests of guest memory region validation (module/memslot_check.c). */
#include "../../module/memslot_check.h"
#include "unit.h"

#define MiB	(1ULL << 20)
#define LIMIT	(1ULL << 39)

static int check(u64 gpa, u64 size, u64 uaddr)
{
	static const struct lhv_gpa_range slots[] = {
		{ .gpa = 0, .size = 640 * 1024 },	/* low memory */
		{ .gpa = 0, .size = 0 },		/* unused */
		{ .gpa = MiB, .size = 127 * MiB },	/* 1..128 MiB */
	};

	return lhv_memslot_check(slots, 3, gpa, size, uaddr, LIMIT);
}

int main(void)
{
	CHECK(check(128 * MiB, 64 * MiB, 0x7f0000000000ULL) == 0,
	      "a region after the others is accepted");
	CHECK(check(640 * 1024, 384 * 1024, 0x10000) == 0,
	      "a region filling the hole between two slots is accepted");
	CHECK(check(128 * MiB - 4096, 8192, 0x10000) == -EINVAL,
	      "overlapping the end of a slot is refused");
	CHECK(check(0, 2 * MiB, 0x10000) == -EINVAL,
	      "covering two slots is refused");
	CHECK(check(64 * MiB, 4096, 0x10000) == -EINVAL,
	      "a region inside a slot is refused");
	CHECK(check(256 * MiB, 0, 0x10000) == -EINVAL,
	      "a zero-sized region is refused");
	CHECK(check(256 * MiB + 512, 4096, 0x10000) == -EINVAL,
	      "an unaligned guest-physical address is refused");
	CHECK(check(256 * MiB, 4097, 0x10000) == -EINVAL,
	      "an unaligned size is refused");
	CHECK(check(256 * MiB, 4096, 0x10010) == -EINVAL,
	      "an unaligned userspace address is refused");
	CHECK(check(LIMIT - 4096, 4096, 0x10000) == 0,
	      "a region ending at the address limit is accepted");
	CHECK(check(LIMIT - 4096, 8192, 0x10000) == -EINVAL,
	      "a region crossing the address limit is refused");
	CHECK(check(~0ULL - 4095, 8192, 0x10000) == -EINVAL,
	      "a region that wraps around is refused");
	return unit_done();
}
