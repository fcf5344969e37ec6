// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's ACPI tables (ACPI 6.0; see acpi.h for what each field says
 * and why).  Everything is checked and laid out before the first byte is
 * written, so a refused build leaves guest RAM as it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "acpi.h"
#include "aml.h"
#include "platform.h"
#include "reason.h"

/* The packed structs below are the guest's little-endian layouts. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "ACPI tables are little-endian");

#define ACPI_OEM_ID		"LHV   "	/* 6 bytes */
#define ACPI_OEM_TABLE_ID	"LHV-RUN "	/* 8 bytes */
#define ACPI_OEM_REVISION	1
#define ACPI_CREATOR_ID		"LHV "		/* 4 bytes */
#define ACPI_CREATOR_REVISION	1

/* The x2APIC broadcast ID: never a processor's. */
#define ACPI_X2APIC_BROADCAST	0xffffffffu
/* Highest ID a Processor Local APIC entry can carry (0xff: broadcast). */
#define ACPI_XAPIC_MAX_ID	0xfe

#define ACPI_LAPIC_GPA		0xfee00000u

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;		/* the first 20 bytes (ACPI 1.0 part) */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;		/* all @length bytes */
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));

#define ACPI_GAS_SYSTEM_IO	1
#define ACPI_GAS_ACCESS_BYTE	1
#define ACPI_GAS_ACCESS_WORD	2
#define ACPI_GAS_ACCESS_DWORD	3

struct acpi_fadt {
	struct acpi_header hdr;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control, sleep_status;
	uint64_t hypervisor_id;
} __attribute__((packed));

/* Offsets from the spec's FADT table; a slip here is silent otherwise. */
_Static_assert(offsetof(struct acpi_fadt, dsdt) == 40, "FADT DSDT");
_Static_assert(offsetof(struct acpi_fadt, sci_int) == 46, "FADT SCI_INT");
_Static_assert(offsetof(struct acpi_fadt, pm1a_evt_blk) == 56, "FADT PM1a_EVT");
_Static_assert(offsetof(struct acpi_fadt, pm_tmr_blk) == 76, "FADT PM_TMR");
_Static_assert(offsetof(struct acpi_fadt, pm1_evt_len) == 88, "FADT lens");
_Static_assert(offsetof(struct acpi_fadt, iapc_boot_arch) == 109, "FADT boot");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT flags");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT RESET_REG");
_Static_assert(offsetof(struct acpi_fadt, minor_version) == 131, "FADT minor");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT X_DSDT");
_Static_assert(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "FADT X_PM_TMR");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT length (ACPI 6.0)");

#define FADT_WBINVD		(1u << 0)
#define FADT_PROC_C1		(1u << 2)
#define FADT_PWR_BUTTON		(1u << 4)
#define FADT_SLP_BUTTON		(1u << 5)
#define FADT_FIX_RTC		(1u << 6)
#define FADT_RESET_REG_SUP	(1u << 10)
#define FADT_APIC_PHYSICAL	(1u << 19)	/* FORCE_APIC_PHYSICAL_DESTINATION_MODE */

#define FADT_BOOT_LEGACY_DEVICES	(1u << 0)
#define FADT_BOOT_8042			(1u << 1)
#define FADT_BOOT_VGA_NOT_PRESENT	(1u << 2)

struct acpi_facs {
	char signature[4];
	uint32_t length;
	uint32_t hw_signature;
	uint32_t waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_waking_vector;
	uint8_t version;
	uint8_t reserved0[3];
	uint32_t ospm_flags;
	uint8_t reserved1[24];
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_facs) == 64, "FACS length");

struct acpi_madt {
	struct acpi_header hdr;
	uint32_t lapic_addr;
	uint32_t flags;
} __attribute__((packed));

#define MADT_TYPE_LAPIC		0
#define MADT_TYPE_IOAPIC	1
#define MADT_TYPE_ISO		2
#define MADT_TYPE_LAPIC_NMI	4
#define MADT_TYPE_X2APIC	9
#define MADT_ENABLED		(1u << 0)
#define MADT_ALL_PROCESSORS	0xff

struct madt_lapic {
	uint8_t type, length;
	uint8_t uid, apic_id;
	uint32_t flags;
} __attribute__((packed));

struct madt_ioapic {
	uint8_t type, length;
	uint8_t id, reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));

struct madt_iso {
	uint8_t type, length;
	uint8_t bus, source;		/* bus 0: ISA */
	uint32_t gsi;
	uint16_t flags;			/* MPS INTI flags */
} __attribute__((packed));

struct madt_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t uid;
} __attribute__((packed));

struct madt_lapic_nmi {
	uint8_t type, length;
	uint8_t uid;
	uint16_t flags;			/* MPS INTI flags: 0, conforms to bus */
	uint8_t lint;
} __attribute__((packed));

_Static_assert(sizeof(struct madt_lapic) == 8, "MADT lapic entry");
_Static_assert(sizeof(struct madt_x2apic) == 16, "MADT x2apic entry");
_Static_assert(sizeof(struct madt_ioapic) == 12, "MADT I/O APIC entry");
_Static_assert(sizeof(struct madt_lapic_nmi) == 6, "MADT NMI entry");
_Static_assert(sizeof(struct madt_iso) == 10, "MADT interrupt source override");

/* SLP_TYP is a 3-bit field of PM1_CNT. */
_Static_assert(PLAT_ACPI_S5_SLP_TYP <= 7, "SLP_TYP fits PM1_CNT");


static uint8_t acpi_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* Byte count @len from the start of the table sums to zero. */
static void acpi_fix_checksum(void *table, uint8_t *field, size_t len)
{
	*field = 0;
	*field = (uint8_t)-acpi_sum(table, len);
}

static void acpi_header(struct acpi_header *h, const char *sig,
			uint32_t len, uint8_t rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = ACPI_OEM_REVISION;
	memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
	h->creator_revision = ACPI_CREATOR_REVISION;
}

static void acpi_seal(struct acpi_header *h)
{
	acpi_fix_checksum(h, &h->checksum, h->length);
}

static struct acpi_gas io_gas(uint16_t port, unsigned int bytes,
			      uint8_t access)
{
	return (struct acpi_gas){
		.space_id = ACPI_GAS_SYSTEM_IO,
		.bit_width = 8 * bytes,
		.access_size = access,
		.address = port,
	};
}

static bool is_x2apic(uint32_t apic_id)
{
	return apic_id > ACPI_XAPIC_MAX_ID;
}

static uint32_t madt_length(unsigned int nr, const uint32_t *apic_ids)
{
	uint32_t len = sizeof(struct acpi_madt) + sizeof(struct madt_lapic_nmi) +
		       sizeof(struct madt_ioapic) + sizeof(struct madt_iso);
	unsigned int i;

	for (i = 0; i < nr; i++)
		len += is_x2apic(apic_ids[i]) ? sizeof(struct madt_x2apic) :
						sizeof(struct madt_lapic);
	return len;
}

static int check_cpus(unsigned int nr, const uint32_t *apic_ids, char *err,
		      size_t errlen)
{
	unsigned int i, j;

	if (nr < 1 || nr > LHV_ACPI_MAX_CPUS)
		return lhv_reason(err, errlen, -EINVAL,
				  "ACPI: %u CPUs, want 1..%u", nr,
				  LHV_ACPI_MAX_CPUS);
	if (!apic_ids)
		return lhv_reason(err, errlen, -EINVAL, "ACPI: no APIC IDs");
	for (i = 0; i < nr; i++) {
		if (apic_ids[i] == ACPI_X2APIC_BROADCAST)
			return lhv_reason(err, errlen, -EINVAL,
					  "ACPI: CPU %u has the broadcast APIC ID %#x",
					  i, apic_ids[i]);
		for (j = 0; j < i; j++)
			if (apic_ids[j] == apic_ids[i])
				return lhv_reason(err, errlen, -EINVAL,
						  "ACPI: CPUs %u and %u share APIC ID %u",
						  j, i, apic_ids[i]);
	}
	return 0;
}

/* Offset of the next table: @off rounded so that @gpa + it is @align-aligned. */
static uint64_t next_table(uint64_t gpa, uint64_t off, uint64_t align)
{
	return off + ((align - ((gpa + off) & (align - 1))) & (align - 1));
}

static void place(struct lhv_acpi_table *t, uint64_t gpa, uint64_t *off,
		  uint32_t len, uint64_t align)
{
	*off = next_table(gpa, *off, align);
	t->gpa = gpa + *off;
	t->len = len;
	*off += len;
}

static void plan(struct lhv_acpi_layout *l, uint64_t gpa, unsigned int nr,
		 const uint32_t *apic_ids)
{
	uint64_t off = 0;

	place(&l->rsdp, gpa, &off, sizeof(struct acpi_rsdp), 16);
	place(&l->rsdt, gpa, &off, sizeof(struct acpi_header) + 2 * 4, 16);
	place(&l->xsdt, gpa, &off, sizeof(struct acpi_header) + 2 * 8, 16);
	place(&l->fadt, gpa, &off, sizeof(struct acpi_fadt), 16);
	place(&l->facs, gpa, &off, sizeof(struct acpi_facs), 64);
	place(&l->dsdt, gpa, &off, sizeof(struct acpi_header) +
	      lhv_aml_dsdt(NULL, 0), 16);
	place(&l->madt, gpa, &off, madt_length(nr, apic_ids), 16);
	l->end = gpa + off;
}

static void *at(uint8_t *base, uint64_t gpa, const struct lhv_acpi_table *t)
{
	return base + (t->gpa - gpa);
}

static void write_rsdp(uint8_t *base, uint64_t gpa,
		       const struct lhv_acpi_layout *l)
{
	struct acpi_rsdp *r = at(base, gpa, &l->rsdp);

	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, ACPI_OEM_ID, 6);
	r->revision = 2;
	r->rsdt = (uint32_t)l->rsdt.gpa;
	r->length = sizeof(*r);
	r->xsdt = l->xsdt.gpa;
	acpi_fix_checksum(r, &r->checksum, 20);
	acpi_fix_checksum(r, &r->ext_checksum, sizeof(*r));
}

static void write_roots(uint8_t *base, uint64_t gpa,
			const struct lhv_acpi_layout *l)
{
	struct acpi_header *rsdt = at(base, gpa, &l->rsdt);
	struct acpi_header *xsdt = at(base, gpa, &l->xsdt);
	const uint64_t tables[2] = { l->fadt.gpa, l->madt.gpa };
	unsigned int i;

	acpi_header(rsdt, "RSDT", l->rsdt.len, 1);
	acpi_header(xsdt, "XSDT", l->xsdt.len, 1);
	for (i = 0; i < 2; i++) {
		uint32_t p32 = (uint32_t)tables[i];

		/* Entries follow the 36-byte header, unaligned: memcpy. */
		memcpy((uint8_t *)(rsdt + 1) + 4 * i, &p32, 4);
		memcpy((uint8_t *)(xsdt + 1) + 8 * i, &tables[i], 8);
	}
	acpi_seal(rsdt);
	acpi_seal(xsdt);
}

static void write_fadt(uint8_t *base, uint64_t gpa,
		       const struct lhv_acpi_layout *l)
{
	struct acpi_fadt *f = at(base, gpa, &l->fadt);

	acpi_header(&f->hdr, "FACP", l->fadt.len, 6);
	f->minor_version = 0;
	f->firmware_ctrl = (uint32_t)l->facs.gpa;
	f->dsdt = (uint32_t)l->dsdt.gpa;
	f->x_dsdt = l->dsdt.gpa;
	f->sci_int = PLAT_ACPI_SCI_IRQ;
	f->smi_cmd = 0;

	f->pm1a_evt_blk = PLAT_PORT_ACPI_PM1A_EVT;
	f->pm1_evt_len = 4;
	f->x_pm1a_evt_blk = io_gas(PLAT_PORT_ACPI_PM1A_EVT, 4,
				   ACPI_GAS_ACCESS_WORD);
	f->pm1a_cnt_blk = PLAT_PORT_ACPI_PM1A_CNT;
	f->pm1_cnt_len = 2;
	f->x_pm1a_cnt_blk = io_gas(PLAT_PORT_ACPI_PM1A_CNT, 2,
				   ACPI_GAS_ACCESS_WORD);
	f->pm_tmr_blk = PLAT_PORT_ACPI_PM_TMR;
	f->pm_tmr_len = 4;
	f->x_pm_tmr_blk = io_gas(PLAT_PORT_ACPI_PM_TMR, 4,
				 ACPI_GAS_ACCESS_DWORD);

	f->p_lvl2_lat = 101;
	f->p_lvl3_lat = 1001;
	/*
	 * No 8042 bit: the i8042 at 0x64 is a reset line only (no keyboard),
	 * and Linux's probe of it spent ~5 s of a guest boot timing out.
	 */
	f->iapc_boot_arch = FADT_BOOT_LEGACY_DEVICES | FADT_BOOT_VGA_NOT_PRESENT;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | FADT_FIX_RTC | FADT_RESET_REG_SUP |
		   FADT_APIC_PHYSICAL;
	f->reset_reg = io_gas(PLAT_PORT_RESET, 1, ACPI_GAS_ACCESS_BYTE);
	f->reset_value = PLAT_ACPI_RESET_VALUE;
	acpi_seal(&f->hdr);
}

static void write_facs(uint8_t *base, uint64_t gpa,
		       const struct lhv_acpi_layout *l)
{
	struct acpi_facs *f = at(base, gpa, &l->facs);

	memcpy(f->signature, "FACS", 4);
	f->length = sizeof(*f);
	f->version = 2;
}

static void write_dsdt(uint8_t *base, uint64_t gpa,
		       const struct lhv_acpi_layout *l)
{
	struct acpi_header *h = at(base, gpa, &l->dsdt);

	/* Revision 2: the AML interpreter uses 64-bit integers. */
	acpi_header(h, "DSDT", l->dsdt.len, 2);
	lhv_aml_dsdt((uint8_t *)(h + 1), l->dsdt.len - sizeof(*h));
	acpi_seal(h);
}

static void write_madt(uint8_t *base, uint64_t gpa,
		       const struct lhv_acpi_layout *l, unsigned int nr,
		       const uint32_t *apic_ids)
{
	struct acpi_madt *m = at(base, gpa, &l->madt);
	uint8_t *p = (uint8_t *)(m + 1);
	struct madt_lapic_nmi *nmi;
	struct madt_ioapic *io;
	struct madt_iso *iso;
	unsigned int i;

	acpi_header(&m->hdr, "APIC", l->madt.len, 4);
	m->lapic_addr = ACPI_LAPIC_GPA;
	m->flags = 0;		/* PCAT_COMPAT clear: Linux probes the 8259 pair */

	for (i = 0; i < nr; i++) {
		if (is_x2apic(apic_ids[i])) {
			struct madt_x2apic *e = (struct madt_x2apic *)p;

			e->type = MADT_TYPE_X2APIC;
			e->length = sizeof(*e);
			e->x2apic_id = apic_ids[i];
			e->flags = MADT_ENABLED;
			e->uid = i;
			p += sizeof(*e);
		} else {
			struct madt_lapic *e = (struct madt_lapic *)p;

			e->type = MADT_TYPE_LAPIC;
			e->length = sizeof(*e);
			e->uid = i;
			e->apic_id = apic_ids[i];
			e->flags = MADT_ENABLED;
			p += sizeof(*e);
		}
	}
	io = (struct madt_ioapic *)p;
	io->type = MADT_TYPE_IOAPIC;
	io->length = sizeof(*io);
	io->id = lhv_acpi_ioapic_id(nr, apic_ids);
	io->address = (uint32_t)PLAT_IOAPIC_GPA;
	io->gsi_base = 0;
	p += sizeof(*io);
	/*
	 * The PIT's IRQ 0 is pin 2, as on PCs (where pin 0 is the 8259's
	 * INTR): Linux times its timer through the pin this names.  Flags 0:
	 * edge and active high, as the ISA bus has them.  Every other ISA
	 * IRQ is the pin of its number, as without an override.
	 */
	iso = (struct madt_iso *)p;
	iso->type = MADT_TYPE_ISO;
	iso->length = sizeof(*iso);
	iso->bus = 0;
	iso->source = PLAT_IRQ_PIT;
	iso->gsi = PLAT_GSI_PIT;
	iso->flags = 0;
	p += sizeof(*iso);
	nmi = (struct madt_lapic_nmi *)p;
	nmi->type = MADT_TYPE_LAPIC_NMI;
	nmi->length = sizeof(*nmi);
	nmi->uid = MADT_ALL_PROCESSORS;
	nmi->flags = 0;
	nmi->lint = 1;
	acpi_seal(&m->hdr);
}

int lhv_acpi_build_at(const struct lhv_guest_ram *ram, uint64_t gpa,
		      uint64_t size, unsigned int nr_cpus,
		      const uint32_t *apic_ids, struct lhv_acpi_layout *layout,
		      char *err, size_t errlen)
{
	struct lhv_acpi_layout l;
	uint8_t *base;
	int ret;

	ret = check_cpus(nr_cpus, apic_ids, err, errlen);
	if (ret)
		return ret;
	if (gpa & 15)
		return lhv_reason(err, errlen, -ERANGE,
				  "ACPI: region GPA %#llx is not 16-byte aligned",
				  (unsigned long long)gpa);
	base = lhv_ram_ptr(ram, gpa, size);
	if (!base)
		return lhv_reason(err, errlen, -ERANGE,
				  "ACPI: region [%#llx, +%#llx) is not inside guest RAM",
				  (unsigned long long)gpa,
				  (unsigned long long)size);
	/* RSDT, FADT.DSDT and FADT.FIRMWARE_CTRL are 32-bit pointers. */
	if (gpa >= 0x100000000ULL)
		return lhv_reason(err, errlen, -ERANGE,
				  "ACPI: region at %#llx is above 4 GiB",
				  (unsigned long long)gpa);
	plan(&l, gpa, nr_cpus, apic_ids);
	if (l.end - gpa > size)
		return lhv_reason(err, errlen, -ERANGE,
				  "ACPI: tables need %llu bytes, region has %llu",
				  (unsigned long long)(l.end - gpa),
				  (unsigned long long)size);
	if (l.end > 0x100000000ULL)
		return lhv_reason(err, errlen, -ERANGE,
				  "ACPI: tables end at %#llx, above 4 GiB",
				  (unsigned long long)l.end);

	memset(base, 0, size);
	write_rsdp(base, gpa, &l);
	write_roots(base, gpa, &l);
	write_fadt(base, gpa, &l);
	write_facs(base, gpa, &l);
	write_dsdt(base, gpa, &l);
	write_madt(base, gpa, &l, nr_cpus, apic_ids);
	if (layout)
		*layout = l;
	return 0;
}

uint8_t lhv_acpi_ioapic_id(unsigned int nr_cpus, const uint32_t *apic_ids)
{
	unsigned int id, i;

	for (id = 0; id < 0xff; id++) {
		for (i = 0; i < nr_cpus && apic_ids[i] != id; i++)
			;
		if (i == nr_cpus)
			break;
	}
	return (uint8_t)id;
}

int lhv_acpi_build(const struct lhv_guest_ram *ram, unsigned int nr_cpus,
		   const uint32_t *apic_ids, struct lhv_acpi_layout *layout,
		   char *err, size_t errlen)
{
	return lhv_acpi_build_at(ram, PLAT_ACPI_GPA, PLAT_ACPI_SIZE, nr_cpus,
				 apic_ids, layout, err, errlen);
}
