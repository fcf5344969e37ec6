// SPDX-License-Identifier: GPL-2.0
/* Unit tests of IPI destination resolution against a VM (lapic/dest.c). */
#include "../../lapic/dest.h"
#include "unit.h"

#define PHYS	0
#define LOGI	1

static struct lapic_icr ipi(bool x2apic, u8 dm, bool logical, u8 sh, u32 dest)
{
	struct lapic_icr icr = {
		.dest = dest, .vector = 0xec, .delivery = dm, .logical = logical,
		.level = 1, .trigger = 0, .shorthand = sh, .x2apic = x2apic,
	};

	return icr;
}

/* Resolve; true if the targets and the outside count are as expected. */
static bool resolves(const struct lapic_icr *icr, unsigned int self,
		     const struct lapic_vcpu_id *v, unsigned int nr,
		     u64 targets, u32 outside)
{
	struct lapic_dest d = { ~0ULL, ~0U };

	return lapic_dest_resolve(icr, self, v, nr, &d) == 0 &&
	       d.targets == targets && d.outside == outside;
}

/* Physical: vCPU 2 is in the table but not present. */
static const struct lapic_vcpu_id xphys[] = {
	{ .apic_id = 0, .present = 1 }, { .apic_id = 1, .present = 1 },
	{ .apic_id = 2, .present = 0 }, { .apic_id = 6, .present = 1 },
};

static const struct lapic_vcpu_id x2phys[] = {
	{ .apic_id = 0x100, .present = 1 }, { .apic_id = 0x101, .present = 1 },
	{ .apic_id = 0x1ff, .present = 1 },
};

static const struct lapic_vcpu_id flat[] = {
	{ .apic_id = 0, .present = 1, .logical_id = 0x01 },
	{ .apic_id = 1, .present = 1, .logical_id = 0x02 },
	{ .apic_id = 2, .present = 1, .logical_id = 0x04 },
	{ .apic_id = 3, .present = 1, .logical_id = 0x08 },
};

static const struct lapic_vcpu_id cluster[] = {
	{ .apic_id = 0, .present = 1, .logical_id = 0x01, .cluster = 1 },
	{ .apic_id = 1, .present = 1, .logical_id = 0x02, .cluster = 1 },
	{ .apic_id = 2, .present = 1, .logical_id = 0x11, .cluster = 1 },
	{ .apic_id = 3, .present = 1, .logical_id = 0x12, .cluster = 1 },
};

/* x2APIC logical IDs: 0 and 1 in cluster 0, 16 and 17 in cluster 1. */
static const struct lapic_vcpu_id x2log[] = {
	{ .apic_id = 0, .present = 1 }, { .apic_id = 1, .present = 1 },
	{ .apic_id = 16, .present = 1 }, { .apic_id = 17, .present = 1 },
};

static const struct lapic_vcpu_id mixed[] = {
	{ .apic_id = 0, .present = 1, .logical_id = 0x01 },
	{ .apic_id = 1, .present = 1, .logical_id = 0x11, .cluster = 1 },
};

#define VM(t)		t, ARRAY_SIZE(t)
#define X	false	/* xAPIC */
#define X2	true	/* x2APIC */
#define FX	LAPIC_DM_FIXED
#define LP	LAPIC_DM_LOWEST
#define SH0	LAPIC_SH_NONE

static const struct dest_case {
	const char *name;
	const struct lapic_vcpu_id *vm;
	unsigned int nr, self;
	bool x2apic;
	u8 dm, logical, sh;
	u32 dest;
	u64 targets;
	u32 outside;
} cases[] = {
	{ "xAPIC physical: APIC 6 is vCPU 3",
	  VM(xphys), 0, X, FX, PHYS, SH0, 6, 0x8, 0 },
	{ "xAPIC physical: a vCPU not present is outside",
	  VM(xphys), 0, X, FX, PHYS, SH0, 2, 0, 1 },
	{ "xAPIC physical: APIC 9 is outside the VM",
	  VM(xphys), 0, X, FX, PHYS, SH0, 9, 0, 1 },
	{ "xAPIC physical: FF is every present vCPU, sender included",
	  VM(xphys), 1, X, FX, PHYS, SH0, 0xff, 0xb, 0 },
	{ "x2APIC physical: 32-bit APIC ID 1FF",
	  VM(x2phys), 0, X2, FX, PHYS, SH0, 0x1ff, 0x4, 0 },
	{ "x2APIC physical: FF is no broadcast",
	  VM(x2phys), 0, X2, FX, PHYS, SH0, 0xff, 0, 1 },
	{ "x2APIC physical: FFFFFFFF is broadcast",
	  VM(x2phys), 0, X2, FX, PHYS, SH0, 0xffffffff, 0x7, 0 },

	{ "xAPIC flat: mask 03 is vCPUs 0 and 1",
	  VM(flat), 0, X, FX, LOGI, SH0, 0x03, 0x3, 0 },
	{ "xAPIC flat: mask bit 4 is outside",
	  VM(flat), 0, X, FX, LOGI, SH0, 0x11, 0x1, 1 },
	{ "xAPIC flat: two outside bits, no target",
	  VM(flat), 0, X, FX, LOGI, SH0, 0x30, 0, 2 },
	{ "xAPIC flat: FF is broadcast",
	  VM(flat), 0, X, FX, LOGI, SH0, 0xff, 0xf, 0 },
	{ "xAPIC cluster: cluster 1 members 0-1 are vCPUs 2 and 3",
	  VM(cluster), 0, X, FX, LOGI, SH0, 0x13, 0xc, 0 },
	{ "xAPIC cluster: cluster 0 member 2 is outside",
	  VM(cluster), 0, X, FX, LOGI, SH0, 0x05, 0x1, 1 },
	{ "xAPIC cluster: cluster 2 is outside",
	  VM(cluster), 0, X, FX, LOGI, SH0, 0x21, 0, 1 },
	{ "xAPIC cluster: FF is broadcast",
	  VM(cluster), 3, X, FX, LOGI, SH0, 0xff, 0xf, 0 },
	{ "x2APIC cluster 1, members 0-1: APICs 16, 17",
	  VM(x2log), 0, X2, FX, LOGI, SH0, 0x00010003, 0xc, 0 },
	{ "x2APIC cluster 0 member 2 is outside",
	  VM(x2log), 0, X2, FX, LOGI, SH0, 0x00000005, 0x1, 1 },
	{ "x2APIC cluster 2 is outside",
	  VM(x2log), 0, X2, FX, LOGI, SH0, 0x00020001, 0, 1 },
	{ "x2APIC logical FFFFFFFF is broadcast",
	  VM(x2log), 0, X2, FX, LOGI, SH0, 0xffffffff, 0xf, 0 },
	{ "xAPIC mixed models: each vCPU reads with its own, outside with the sender's",
	  VM(mixed), 0, X, FX, LOGI, SH0, 0x11, 0x3, 1 },

	{ "self: the sender only, destination ignored",
	  VM(xphys), 1, X, FX, PHYS, LAPIC_SH_SELF, 0x77, 0x2, 0 },
	{ "all including self: every present vCPU",
	  VM(xphys), 1, X, FX, PHYS, LAPIC_SH_ALL, 0x77, 0xb, 0 },
	{ "all excluding self: the others, nothing outside",
	  VM(xphys), 1, X2, LAPIC_DM_INIT, LOGI, LAPIC_SH_OTHERS, 0x77, 0x9, 0 },

	{ "lowest priority: the first matching vCPU",
	  VM(flat), 0, X, LP, LOGI, SH0, 0x0c, 0x4, 0 },
	{ "lowest priority: a vCPU found, nothing dropped",
	  VM(flat), 0, X, LP, LOGI, SH0, 0x38, 0x8, 0 },
	{ "lowest priority: no vCPU, both bits outside",
	  VM(flat), 0, X, LP, LOGI, SH0, 0x30, 0, 2 },
	{ "lowest priority to all excluding self: the first other vCPU",
	  VM(flat), 0, X, LP, PHYS, LAPIC_SH_OTHERS, 0, 0x2, 0 },
};

static void test_cases(void)
{
	unsigned int i;

	CHECK(lapic_x2apic_ldr(0) == 0x1 && lapic_x2apic_ldr(17) == 0x00010002 &&
	      lapic_x2apic_ldr(0x35) == 0x00030020,
	      "x2APIC LDR: cluster ID[31:4] in 31:16, 1 << ID[3:0] in 15:0");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct dest_case *c = &cases[i];
		struct lapic_icr icr = ipi(c->x2apic, c->dm, c->logical, c->sh, c->dest);

		CHECK(resolves(&icr, c->self, c->vm, c->nr, c->targets, c->outside), c->name);
	}
}

static void test_limits(void)
{
	struct lapic_vcpu_id v[LAPIC_MAX_VCPUS + 1];
	struct lapic_dest d;
	struct lapic_icr icr;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		v[i] = (struct lapic_vcpu_id){ .apic_id = 2 * i, .present = 1 };
	icr = ipi(true, LAPIC_DM_FIXED, PHYS, LAPIC_SH_NONE, 126);
	CHECK(resolves(&icr, 0, v, 64, 1ULL << 63, 0), "64 vCPUs: vCPU 63 is bit 63");
	icr = ipi(true, LAPIC_DM_FIXED, PHYS, LAPIC_SH_ALL, 0);
	CHECK(resolves(&icr, 0, v, 64, ~0ULL, 0), "64 vCPUs: all is every bit");
	CHECK(lapic_dest_resolve(&icr, 0, v, 65, &d) == -EINVAL, "65 vCPUs are refused");
	CHECK(lapic_dest_resolve(&icr, 4, v, 4, &d) == -EINVAL,
	      "a sender outside the table is refused");
}

int main(void)
{
	test_cases();
	test_limits();
	return unit_done();
}
