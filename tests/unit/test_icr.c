// SPDX-License-Identifier: GPL-2.0
/* Unit tests of ICR decoding and encoding, both APIC formats (lapic/icr.c). */
#include <stdio.h>

#include "../../lapic/icr.h"
#include "unit.h"

/* What Linux 6.1 writes to bring up an AP (wakeup_secondary_cpu_via_init). */
#define XAPIC_INIT_ASSERT	0x0000c500U	/* level trigger, assert, INIT */
#define XAPIC_INIT_DEASSERT	0x00008500U	/* level trigger, de-assert, INIT */
#define XAPIC_SIPI		0x00000600U	/* | vector */

static struct lapic_icr xapic(u32 low, u32 high)
{
	struct lapic_icr icr;

	lapic_icr_decode((u64)high << 32 | low, false, &icr);
	return icr;
}

static struct lapic_icr x2apic(u64 value)
{
	struct lapic_icr icr;

	lapic_icr_decode(value, true, &icr);
	return icr;
}

static void test_xapic(void)
{
	struct lapic_icr icr;

	icr = xapic(XAPIC_INIT_ASSERT, 3U << 24);
	CHECK(icr.delivery == LAPIC_DM_INIT && icr.level && icr.trigger && !icr.logical &&
	      icr.shorthand == LAPIC_SH_NONE && icr.dest == 3 && !icr.x2apic,
	      "xAPIC: Linux's INIT assert to APIC 3");
	icr = xapic(XAPIC_INIT_DEASSERT, 3U << 24);
	CHECK(icr.delivery == LAPIC_DM_INIT_DEASSERT && !icr.level && icr.trigger,
	      "xAPIC: INIT with level 0 and trigger level is the de-assert");
	icr = xapic(LAPIC_DM_INIT << 8, 3U << 24);
	CHECK(icr.delivery == LAPIC_DM_INIT,
	      "xAPIC: INIT with level 0 and edge trigger is an INIT");
	icr = xapic(XAPIC_SIPI | 0x9a, 0xfeU << 24);
	CHECK(icr.delivery == LAPIC_DM_STARTUP && icr.vector == 0x9a && icr.dest == 0xfe,
	      "xAPIC: SIPI vector 9A to APIC FE");
	icr = xapic(0x000c00fd, 0);
	CHECK(icr.delivery == LAPIC_DM_FIXED && icr.vector == 0xfd &&
	      icr.shorthand == LAPIC_SH_OTHERS, "xAPIC: fixed FD to all excluding self");
	icr = xapic(0x00040400, 0);
	CHECK(icr.delivery == LAPIC_DM_NMI && icr.shorthand == LAPIC_SH_SELF,
	      "xAPIC: NMI to self");
	icr = xapic(0x00080931, 0x0fU << 24);
	CHECK(icr.delivery == LAPIC_DM_LOWEST && icr.logical && icr.vector == 0x31 &&
	      icr.shorthand == LAPIC_SH_ALL && icr.dest == 0x0f,
	      "xAPIC: lowest priority, logical, all including self");
	icr = xapic(0xfff3b0ec | LAPIC_DM_FIXED << 8, 0x05ffffffU);
	CHECK(icr.delivery == LAPIC_DM_FIXED && icr.vector == 0xec && icr.dest == 0x05 &&
	      icr.shorthand == LAPIC_SH_NONE && !icr.logical && !icr.level && icr.trigger,
	      "xAPIC: reserved bits and delivery status are ignored");
	CHECK(lapic_icr_decode(0xffffffffffffffffULL, false, &icr) == 0,
	      "xAPIC: no value is refused");
}

static void test_x2apic(void)
{
	static const u64 reserved[] = { 1ULL << 13, 1ULL << 16, 1ULL << 17,
					1ULL << 20, 1ULL << 31 };
	struct lapic_icr icr;
	unsigned int i;
	bool all;

	icr = x2apic(0x12345678ULL << 32 | XAPIC_INIT_ASSERT);
	CHECK(icr.delivery == LAPIC_DM_INIT && icr.dest == 0x12345678 && icr.x2apic,
	      "x2APIC: INIT to a 32-bit APIC ID");
	icr = x2apic(0x100ULL << 32 | XAPIC_INIT_DEASSERT);
	CHECK(icr.delivery == LAPIC_DM_INIT_DEASSERT && icr.dest == 0x100,
	      "x2APIC: the INIT de-assert decodes (Linux sends it)");
	icr = x2apic(0xffffffffULL << 32 | 0x0800 | 0x4ULL << 8);
	CHECK(icr.delivery == LAPIC_DM_NMI && icr.logical && icr.dest == 0xffffffff,
	      "x2APIC: logical NMI to the broadcast ID");
	icr = x2apic(0x00010003ULL << 32 | XAPIC_SIPI | 0x10);
	CHECK(icr.delivery == LAPIC_DM_STARTUP && icr.vector == 0x10 &&
	      icr.dest == 0x00010003, "x2APIC: SIPI to cluster 1, members 0 and 1");

	all = true;
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		all &= lapic_icr_decode(reserved[i] | 0xec, true, &icr) == -EINVAL;
	CHECK(all, "x2APIC: bits 13, 17:16 and 31:20 are refused (#GP)");
	CHECK(lapic_icr_decode(1ULL << 12 | 0xec, true, &icr) == 0 && icr.vector == 0xec,
	      "x2APIC: the old delivery-status bit is ignored");
}

/* One ICR value of the sweep: @n picks format, mode, shorthand and flags. */
static u64 sweep_value(unsigned int n, bool *x2, bool *deassert)
{
	unsigned int dm = n & 7, sh = (n >> 3) & 3, bits = (n >> 5) & 7;
	u64 v = 0x5a | dm << 8 | (bits & 1) << 11 | (bits & 6) << 13 | (u64)sh << 18;

	*x2 = n & 0x100;
	*deassert = dm == LAPIC_DM_INIT && (bits & 6) == 4;
	return v | (*x2 ? 0x87654321ULL << 32 : 0x21ULL << 56);
}

static void test_every_field(void)
{
	unsigned int n, bad = 0;
	struct lapic_icr icr;
	bool x2, deassert;

	for (n = 0; n < 0x200; n++) {
		u64 v = sweep_value(n, &x2, &deassert);
		u32 dm = (v >> 8) & 7;

		if (lapic_icr_decode(v, x2, &icr) || icr.vector != 0x5a ||
		    icr.shorthand != ((v >> 18) & 3) || icr.logical != ((v >> 11) & 1) ||
		    icr.level != ((v >> 14) & 1) || icr.trigger != ((v >> 15) & 1) ||
		    icr.delivery != (deassert ? LAPIC_DM_INIT_DEASSERT : dm) ||
		    icr.dest != (x2 ? 0x87654321U : 0x21U) || lapic_icr_encode(&icr) != v)
			bad++;
	}
	CHECK(!bad, "all modes, shorthands, flags, both formats: decoded, encoded back");
}

static void test_for_target(void)
{
	struct lapic_icr icr = x2apic(0x00010003ULL << 32 | 0x000c0931);
	struct lapic_icr one;

	lapic_icr_decode(lapic_icr_for_target(&icr, 0x11), true, &one);
	CHECK(one.delivery == LAPIC_DM_FIXED && !one.logical && one.dest == 0x11 &&
	      one.shorthand == LAPIC_SH_NONE && one.vector == 0x31,
	      "for_target: logical lowest priority becomes fixed to one physical ID");
	icr = xapic(0x00080400, 0);
	lapic_icr_decode(lapic_icr_for_target(&icr, 7), false, &one);
	CHECK(one.delivery == LAPIC_DM_NMI && one.dest == 7 && one.shorthand == LAPIC_SH_NONE,
	      "for_target: an NMI to all stays an NMI, to one xAPIC ID");
	icr = xapic(0x0000c0ec, 0);
	CHECK(lapic_icr_for_target(&icr, 2) == (0x0000c0ecULL | 2ULL << 56),
	      "for_target: level and trigger are kept");
}

/* lapic_icr_kind() against SDM Vol. 3A 10.6.1 (and KVM, for table 10-3). */
static const struct kind_case {
	u8 dm, sh, level;
	enum lapic_ipi kind;
} kinds[] = {
	{ LAPIC_DM_FIXED,     LAPIC_SH_NONE,   1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_LOWEST,    LAPIC_SH_NONE,   1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_NMI,       LAPIC_SH_NONE,   1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_NMI,       LAPIC_SH_OTHERS, 1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_INIT,      LAPIC_SH_NONE,   1, LAPIC_IPI_INIT },
	{ LAPIC_DM_INIT,      LAPIC_SH_OTHERS, 1, LAPIC_IPI_INIT },
	{ LAPIC_DM_STARTUP,   LAPIC_SH_NONE,   1, LAPIC_IPI_SIPI },
	{ LAPIC_DM_STARTUP,   LAPIC_SH_OTHERS, 1, LAPIC_IPI_SIPI },
	{ LAPIC_DM_INIT,      LAPIC_SH_NONE,   0, LAPIC_IPI_IGNORE },
	{ LAPIC_DM_INIT,      LAPIC_SH_ALL,    0, LAPIC_IPI_IGNORE },
	{ LAPIC_DM_SMI,       LAPIC_SH_NONE,   1, LAPIC_IPI_INVALID },
	{ LAPIC_DM_RESERVED3, LAPIC_SH_NONE,   1, LAPIC_IPI_INVALID },
	{ LAPIC_DM_RESERVED7, LAPIC_SH_NONE,   1, LAPIC_IPI_INVALID },
	{ LAPIC_DM_FIXED,     LAPIC_SH_SELF,   1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_FIXED,     LAPIC_SH_ALL,    1, LAPIC_IPI_FORWARD },
	/* Table 10-3's "invalid" combinations, delivered as CPUs and KVM do. */
	{ LAPIC_DM_NMI,       LAPIC_SH_SELF,   1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_INIT,      LAPIC_SH_SELF,   1, LAPIC_IPI_INIT },
	{ LAPIC_DM_LOWEST,    LAPIC_SH_ALL,    1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_NMI,       LAPIC_SH_ALL,    1, LAPIC_IPI_FORWARD },
	{ LAPIC_DM_INIT,      LAPIC_SH_ALL,    1, LAPIC_IPI_INIT },
	{ LAPIC_DM_STARTUP,   LAPIC_SH_ALL,    1, LAPIC_IPI_SIPI },
	{ LAPIC_DM_SMI,       LAPIC_SH_SELF,   1, LAPIC_IPI_INVALID },
};

static void test_kind(void)
{
	static const char *const dm_name[] = {
		"fixed", "lowest", "SMI", "mode 3", "NMI", "INIT", "SIPI", "mode 7",
	};
	static const char *const sh_name[] = { "", " to self", " to all", " to others" };
	static const char *const kind_name[] = {
		"forwarded", "INIT", "SIPI", "ignored", "invalid",
	};
	unsigned int i;
	char name[96];

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		const struct kind_case *k = &kinds[i];
		u32 low = k->dm << 8 | k->sh << 18 | k->level << 14 | 1U << 15;
		struct lapic_icr icr = xapic(low, 0);

		snprintf(name, sizeof(name), "kind: %s%s%s is %s", dm_name[k->dm],
			 k->level ? "" : " de-assert", sh_name[k->sh], kind_name[k->kind]);
		CHECK(lapic_icr_kind(&icr) == k->kind, name);
	}
}

int main(void)
{
	test_xapic();
	test_x2apic();
	test_every_field();
	test_for_target();
	test_kind();
	return unit_done();
}
