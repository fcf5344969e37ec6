// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's MP tables (Intel MultiProcessor Specification 1.4, chapter
 * 4).  Everything is checked before the first byte is written, so a
 * refused build leaves guest RAM as it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mptable.h"
#include "platform.h"
#include "reason.h"

/* The packed structs below are the guest's little-endian layouts. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "MP tables are little-endian");

#define MP_SPEC_REV		4		/* version 1.4 */
#define MP_LAPIC_GPA		0xfee00000u
#define MP_LAPIC_VERSION	0x14		/* an integrated xAPIC */

struct mp_floating {
	char signature[4];
	uint32_t physptr;		/* the configuration table */
	uint8_t length;			/* in 16-byte paragraphs */
	uint8_t spec_rev;
	uint8_t checksum;
	uint8_t feature[5];		/* [0] 0: a table, not a default */
} __attribute__((packed));

struct mp_config {
	char signature[4];
	uint16_t length;		/* the base table, this header included */
	uint8_t spec_rev;
	uint8_t checksum;
	char oem_id[8];
	char product_id[12];
	uint32_t oem_table;
	uint16_t oem_table_size;
	uint16_t entry_count;
	uint32_t lapic_addr;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __attribute__((packed));

#define MP_ENTRY_PROCESSOR	0
#define MP_ENTRY_BUS		1
#define MP_CPU_EN		(1u << 0)
#define MP_CPU_BP		(1u << 1)

struct mp_processor {
	uint8_t type;
	uint8_t lapic_id;
	uint8_t lapic_version;
	uint8_t flags;
	uint32_t signature;
	uint32_t features;
	uint8_t reserved[8];
} __attribute__((packed));

struct mp_bus {
	uint8_t type;
	uint8_t bus_id;
	char bus_type[6];
} __attribute__((packed));

_Static_assert(sizeof(struct mp_floating) == 16, "MP floating pointer");
_Static_assert(sizeof(struct mp_config) == 44, "MP config header");
_Static_assert(sizeof(struct mp_processor) == 20, "MP processor entry");
_Static_assert(sizeof(struct mp_bus) == 8, "MP bus entry");

/* Makes the @len bytes at @p sum to zero through the byte at @field. */
static void mp_fix_checksum(void *p, uint8_t *field, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	*field = 0;
	while (len--)
		sum += *b++;
	*field = (uint8_t)-sum;
}

static int check_cpus(unsigned int nr, const uint32_t *apic_ids, char *err,
		      size_t errlen)
{
	unsigned int i, j;

	if (nr < 1 || nr > LHV_MP_MAX_CPUS)
		return lhv_reason(err, errlen, -EINVAL,
				  "MP table: %u CPUs, want 1..%u", nr,
				  LHV_MP_MAX_CPUS);
	if (!apic_ids)
		return lhv_reason(err, errlen, -EINVAL, "MP table: no APIC IDs");
	for (i = 0; i < nr; i++)
		for (j = 0; j < i; j++)
			if (apic_ids[j] == apic_ids[i])
				return lhv_reason(err, errlen, -EINVAL,
						  "MP table: CPUs %u and %u share APIC ID %u",
						  j, i, apic_ids[i]);
	for (i = 0; i < nr; i++)
		if (apic_ids[i] > LHV_MP_MAX_APIC_ID)
			return lhv_reason(err, errlen, -ERANGE,
					  "MP table: CPU %u has APIC ID %u, entries hold at most %u",
					  i, apic_ids[i], LHV_MP_MAX_APIC_ID);
	return 0;
}

int lhv_mptable_build_at(const struct lhv_guest_ram *ram, uint64_t gpa,
			 uint64_t size, unsigned int nr_cpus,
			 const uint32_t *apic_ids,
			 const struct lhv_mp_cpuid *cpuid,
			 struct lhv_mp_layout *layout, char *err, size_t errlen)
{
	static const struct lhv_mp_cpuid def = {
		LHV_MP_DEFAULT_SIGNATURE, LHV_MP_DEFAULT_FEATURES
	};
	uint32_t cfg_len, need;
	struct mp_floating *fp;
	struct mp_config *cfg;
	struct mp_processor *cpu;
	struct mp_bus *bus;
	uint8_t *base;
	unsigned int i;
	int ret;

	ret = check_cpus(nr_cpus, apic_ids, err, errlen);
	if (ret)
		return ret;
	if (!cpuid)
		cpuid = &def;
	if (gpa & 15)
		return lhv_reason(err, errlen, -ERANGE,
				  "MP table: region GPA %#llx is not 16-byte aligned",
				  (unsigned long long)gpa);
	base = lhv_ram_ptr(ram, gpa, size);
	if (!base)
		return lhv_reason(err, errlen, -ERANGE,
				  "MP table: region [%#llx, +%#llx) is not inside guest RAM",
				  (unsigned long long)gpa,
				  (unsigned long long)size);
	cfg_len = sizeof(*cfg) + nr_cpus * sizeof(*cpu) + sizeof(*bus);
	need = sizeof(*fp) + cfg_len;
	if (need > size)
		return lhv_reason(err, errlen, -ERANGE,
				  "MP table: tables need %u bytes, region has %llu",
				  need, (unsigned long long)size);
	/* The floating pointer's PHYSICAL ADDRESS POINTER is 32 bits. */
	if (gpa > 0x100000000ULL - need)
		return lhv_reason(err, errlen, -ERANGE,
				  "MP table: region at %#llx is above 4 GiB",
				  (unsigned long long)gpa);

	memset(base, 0, size);
	fp = (struct mp_floating *)base;
	cfg = (struct mp_config *)(fp + 1);
	cpu = (struct mp_processor *)(cfg + 1);

	memcpy(fp->signature, "_MP_", 4);
	fp->physptr = (uint32_t)(gpa + sizeof(*fp));
	fp->length = 1;
	fp->spec_rev = MP_SPEC_REV;
	mp_fix_checksum(fp, &fp->checksum, sizeof(*fp));

	memcpy(cfg->signature, "PCMP", 4);
	cfg->length = cfg_len;
	cfg->spec_rev = MP_SPEC_REV;
	memcpy(cfg->oem_id, "LHV     ", 8);
	memcpy(cfg->product_id, "lhv-run     ", 12);
	cfg->entry_count = nr_cpus + 1;
	cfg->lapic_addr = MP_LAPIC_GPA;

	for (i = 0; i < nr_cpus; i++, cpu++) {
		cpu->type = MP_ENTRY_PROCESSOR;
		cpu->lapic_id = apic_ids[i];
		cpu->lapic_version = MP_LAPIC_VERSION;
		cpu->flags = MP_CPU_EN | (i == 0 ? MP_CPU_BP : 0);
		cpu->signature = cpuid->signature;
		cpu->features = cpuid->features;
	}
	bus = (struct mp_bus *)cpu;
	bus->type = MP_ENTRY_BUS;
	bus->bus_id = 0;
	memcpy(bus->bus_type, "ISA   ", 6);
	mp_fix_checksum(cfg, &cfg->checksum, cfg_len);

	if (layout)
		*layout = (struct lhv_mp_layout){
			.fp_gpa = gpa,
			.cfg_gpa = gpa + sizeof(*fp),
			.cfg_len = cfg_len,
		};
	return 0;
}

int lhv_mptable_build(const struct lhv_guest_ram *ram, unsigned int nr_cpus,
		      const uint32_t *apic_ids,
		      const struct lhv_mp_cpuid *cpuid,
		      struct lhv_mp_layout *layout, char *err, size_t errlen)
{
	return lhv_mptable_build_at(ram, PLAT_MPTABLE_GPA, PLAT_MPTABLE_SIZE,
				    nr_cpus, apic_ids, cpuid, layout, err,
				    errlen);
}
