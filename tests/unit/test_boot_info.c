// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the boot-info builder (launcher/boot_info.c): the block the
 * smp guest reads, every refusal, and no write outside it or on refusal.
 */
#include <errno.h>
#include <string.h>

#include "../../launcher/boot_info.h"
#include "unit.h"

#define RAM_SIZE	0x10000ULL

static unsigned char ram_buf[RAM_SIZE];
static const struct lhv_guest_ram ram = { ram_buf, 0, RAM_SIZE };

static struct lhv_boot_config three_cpus(void)
{
	struct lhv_boot_config c = {
		.nr_cpus = 3, .bsp = 0, .apic_id = { 1, 2, 3 },
		.host_cpu = { 1, 2, 3 }, .tsc_per_ms = 2000000,
		.variant = 4, .timeout_ms = 5000, .nr_params = 3,
		.params = { 2, 0, 32 },
	};
	return c;
}

/* Every byte of RAM outside [@gpa, @gpa + @len) is still @fill. */
static bool untouched_outside(uint64_t gpa, uint64_t len, unsigned char fill)
{
	uint64_t i;

	for (i = 0; i < RAM_SIZE; i++)
		if ((i < gpa || i >= gpa + len) && ram_buf[i] != fill)
			return false;
	return true;
}

static void test_layout(void)
{
	struct lhv_boot_config c = three_cpus();
	const struct boot_info *bi = (void *)(ram_buf + BOOT_INFO_GPA);

	memset(ram_buf, 0x5a, sizeof(ram_buf));
	CHECK(lhv_build_boot_info(&ram, BOOT_INFO_GPA, &c) == 0, "3 vCPUs: built");
	CHECK(bi->magic == BOOT_INFO_MAGIC && bi->version == BOOT_INFO_VERSION &&
	      bi->size == sizeof(*bi), "magic, version and size");
	CHECK(!memcmp(&bi->magic, "LHVBOOT1", 8), "magic reads LHVBOOT1 in guest memory");
	CHECK(bi->nr_cpus == 3 && bi->bsp == 0, "vCPU count and BSP index");
	CHECK(bi->cpus[0].apic_id == 1 && bi->cpus[1].apic_id == 2 &&
	      bi->cpus[2].apic_id == 3, "APIC IDs in vCPU order");
	CHECK(bi->cpus[0].flags == BOOT_CPU_BSP && !bi->cpus[1].flags &&
	      !bi->cpus[2].flags, "only the BSP carries BOOT_CPU_BSP");
	CHECK(bi->cpus[2].host_cpu == 3 && !bi->cpus[3].apic_id &&
	      !bi->cpus[3].host_cpu, "host CPUs; unused entries zero");
	CHECK(bi->tsc_per_ms == 2000000 && bi->variant == 4 &&
	      bi->timeout_ms == 5000, "TSC rate, variant, timeout");
	CHECK(bi->params[0] == 2 && bi->params[2] == 32 && !bi->params[3] &&
	      !bi->params[BOOT_INFO_MAX_PARAMS - 1], "parameters; the rest zero");
	CHECK(!bi->cpus[0].reserved && !bi->cpus[1].reserved, "reserved fields zero");
	CHECK(untouched_outside(BOOT_INFO_GPA, sizeof(*bi), 0x5a),
	      "nothing written outside the block");
}

static void test_bsp_not_first(void)
{
	struct lhv_boot_config c = three_cpus();
	const struct boot_info *bi = (void *)(ram_buf + BOOT_INFO_GPA);

	c.bsp = 2;
	CHECK(lhv_build_boot_info(&ram, BOOT_INFO_GPA, &c) == 0 && bi->bsp == 2 &&
	      bi->cpus[2].flags == BOOT_CPU_BSP && !bi->cpus[0].flags,
	      "the BSP may be any vCPU");
}

/* @c refused with @err and RAM untouched. */
static void refused(const struct lhv_boot_config *c, uint64_t gpa, int err,
		    const char *name)
{
	memset(ram_buf, 0xa5, sizeof(ram_buf));
	CHECK(lhv_build_boot_info(&ram, gpa, c) == err &&
	      untouched_outside(0, 0, 0xa5), name);
}

static void test_refusals(void)
{
	struct lhv_boot_config c = three_cpus();

	c.nr_cpus = 0;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "no vCPUs: -EINVAL");
	c.nr_cpus = BOOT_INFO_MAX_CPUS + 1;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "more than BOOT_INFO_MAX_CPUS: -EINVAL");
	c = three_cpus();
	c.bsp = 3;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "BSP index past the vCPUs: -EINVAL");
	c = three_cpus();
	c.apic_id[2] = 1;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "an APIC ID twice: -EINVAL");
	c = three_cpus();
	c.tsc_per_ms = 0;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "no TSC rate: -EINVAL");
	c = three_cpus();
	c.timeout_ms = 0;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "no timeout: -EINVAL");
	c = three_cpus();
	c.nr_params = BOOT_INFO_MAX_PARAMS + 1;
	refused(&c, BOOT_INFO_GPA, -EINVAL, "too many parameters: -EINVAL");
	c = three_cpus();
	refused(&c, RAM_SIZE - sizeof(struct boot_info) + 1, -ERANGE,
		"one byte past the end of RAM: -ERANGE");
	refused(&c, ~0ULL - 8, -ERANGE, "a GPA whose end wraps: -ERANGE");
}

static void test_max(void)
{
	struct lhv_boot_config c = three_cpus();
	const struct boot_info *bi = (void *)(ram_buf + RAM_SIZE - sizeof(*bi));
	unsigned int i;

	c.nr_cpus = BOOT_INFO_MAX_CPUS;
	c.nr_params = BOOT_INFO_MAX_PARAMS;
	for (i = 0; i < BOOT_INFO_MAX_CPUS; i++)
		c.apic_id[i] = 100 + i;
	CHECK(lhv_build_boot_info(&ram, RAM_SIZE - sizeof(*bi), &c) == 0 &&
	      bi->nr_cpus == BOOT_INFO_MAX_CPUS &&
	      bi->cpus[BOOT_INFO_MAX_CPUS - 1].apic_id == 100 + BOOT_INFO_MAX_CPUS - 1,
	      "BOOT_INFO_MAX_CPUS vCPUs at the very end of RAM");
}

int main(void)
{
	test_layout();
	test_bsp_not_first();
	test_refusals();
	test_max();
	return unit_done();
}
