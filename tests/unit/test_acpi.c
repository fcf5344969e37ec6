// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ACPI table builder (launcher/acpi.c).  Every table is
 * parsed back from the raw bytes at the offsets the ACPI 6.0 spec gives,
 * without the builder's structs, and every refused input leaves guest RAM
 * byte-for-byte as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/acpi.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define BIOS_RAM_POISON		0xa5
#define BIOS_RAM_ERR_LEN	LHV_ACPI_ERR_LEN
#include "bios_ram.h"

/* The table at @gpa is @sig, sums to 0 over its length, lies in the region. */
static uint32_t check_sdt(uint64_t gpa, const char *sig, uint8_t rev)
{
	uint32_t len;

	CHECK(gpa >= PLAT_ACPI_GPA && gpa < PLAT_ACPI_GPA + PLAT_ACPI_SIZE,
	      "table starts in the ACPI region");
	CHECK(gpa % 16 == 0, "table is 16-byte aligned");
	CHECK(bytes_are(gpa, sig, 4), sig);
	len = rd32(gpa + 4);
	CHECK(len >= 36 && gpa + len <= PLAT_ACPI_GPA + PLAT_ACPI_SIZE,
	      "table length inside the region");
	CHECK(sum(gpa, len) == 0, "table checksum over its length");
	CHECK(rd8(gpa + 8) == rev, "table revision");
	CHECK(bytes_are(gpa + 10, "LHV   ", 6), "table OEM ID");
	return len;
}

/* A minimal AML reader for what the DSDT may hold: returns bytes used. */
static unsigned int pkg_length(uint64_t gpa, uint32_t *len)
{
	unsigned int lead = rd8(gpa), follow = lead >> 6, i;

	if (!follow) {
		*len = lead & 0x3f;
		return 1;
	}
	*len = lead & 0x0f;
	for (i = 0; i < follow; i++)
		*len |= rd8(gpa + 1 + i) << (4 + 8 * i);
	return 1 + follow;
}

/* Decodes one integer data object; returns its size, 0 if not one. */
static unsigned int aml_integer(uint64_t gpa, uint64_t *val)
{
	switch (rd8(gpa)) {
	case 0x00:	/* ZeroOp */
		*val = 0;
		return 1;
	case 0x01:	/* OneOp */
		*val = 1;
		return 1;
	case 0x0a:	/* BytePrefix */
		*val = rd8(gpa + 1);
		return 2;
	case 0x0b:	/* WordPrefix */
		*val = rd16(gpa + 1);
		return 3;
	case 0x0c:	/* DWordPrefix */
		*val = rd32(gpa + 1);
		return 5;
	}
	return 0;
}

/* NameOp and a NameSeg at @p. */
static bool aml_name(uint64_t p, const char *seg)
{
	return rd8(p) == 0x08 && bytes_are(p + 1, seg, 4);
}

/* Name (_S5_, Package () { 5, 5, 0, 0 }) at @p: where it ends, or 0. */
static uint64_t check_s5(uint64_t p)
{
	uint64_t pkg_end, v[4];
	unsigned int n, i, used;
	uint32_t plen;

	CHECK(aml_name(p, "_S5_"), "AML Name _S5_");
	CHECK(rd8(p + 5) == 0x12, "AML PackageOp");
	used = pkg_length(p + 6, &plen);
	pkg_end = p + 6 + plen;		/* PkgLength counts from itself */
	n = rd8(p + 6 + used);
	CHECK(n == 4, "NumElements 4");
	p += 6 + used + 1;
	for (i = 0; i < n && p < pkg_end; i++) {
		unsigned int sz = aml_integer(p, &v[i]);

		CHECK(sz, "package element is an integer");
		if (!sz)
			return 0;
		p += sz;
	}
	CHECK(i == 4 && p == pkg_end, "elements fill the package exactly");
	CHECK(v[0] == PLAT_ACPI_S5_SLP_TYP && v[1] == PLAT_ACPI_S5_SLP_TYP,
	      "_S5_ SLP_TYPa/b");
	CHECK(v[2] == 0 && v[3] == 0, "_S5_ reserved elements zero");
	return pkg_end;
}

/*
 * PCI0's _CRS buffer at @p (ACPI 6.0, 6.4.3.5): bus 0-0, the ports
 * 0xcf8-0xcff, the MMIO window, an end tag; returns where it ends.
 */
static uint64_t check_crs(uint64_t p)
{
	uint64_t end, r;
	uint32_t plen;
	unsigned int used;

	CHECK(aml_name(p, "_CRS"), "AML Name _CRS");
	CHECK(rd8(p + 5) == 0x11, "_CRS is a Buffer");
	used = pkg_length(p + 6, &plen);
	end = p + 6 + plen;
	r = p + 6 + used;
	CHECK(rd8(r) == 0x0b && r + 3 + rd16(r + 1) == end,
	      "buffer size fills the package");
	r += 3;
	CHECK(rd8(r) == 0x88 && rd16(r + 1) == 13 && rd8(r + 3) == 2 &&
	      rd16(r + 8) == 0 && rd16(r + 10) == 0 && rd16(r + 14) == 1,
	      "_CRS: WordBusNumber 0-0");
	r += 16;
	CHECK(rd8(r) == 0x47 && rd8(r + 1) == 1 && rd16(r + 2) == 0xcf8 &&
	      rd16(r + 4) == 0xcf8 && rd8(r + 7) == 8,
	      "_CRS: IO 0xcf8, 8 ports");
	r += 8;
	CHECK(rd8(r) == 0x87 && rd16(r + 1) == 23 && rd8(r + 3) == 0 &&
	      rd8(r + 4) == 0x0c && rd8(r + 5) == 1 &&
	      rd32(r + 10) == PLAT_PCI_MMIO_GPA &&
	      rd32(r + 14) == PLAT_PCI_MMIO_GPA + PLAT_PCI_MMIO_SIZE - 1 &&
	      rd32(r + 22) == PLAT_PCI_MMIO_SIZE,
	      "_CRS: DWordMemory, the BAR window, producer, fixed");
	CHECK(PLAT_PCI_MMIO_GPA + PLAT_PCI_MMIO_SIZE <= PLAT_IOAPIC_GPA &&
	      PLAT_PCI_MMIO_GPA >= PLAT_MAX_RAM,
	      "the window lies between RAM and the I/O APIC");
	r += 26;
	CHECK(rd8(r) == 0x79 && r + 2 == end, "_CRS: end tag ends it");
	return end;
}

/* Scope (\_SB_) { Device (PCI0) { _HID PNP0A03, _UID 0, _CRS } } */
static uint64_t check_pci0(uint64_t p)
{
	uint64_t scope_end, dev_end;
	uint32_t plen;
	unsigned int used;

	CHECK(rd8(p) == 0x10, "AML ScopeOp");
	used = pkg_length(p + 1, &plen);
	scope_end = p + 1 + plen;
	p += 1 + used;
	CHECK(rd8(p) == 0x5c && bytes_are(p + 1, "_SB_", 4), "Scope \\_SB_");
	p += 5;
	CHECK(rd8(p) == 0x5b && rd8(p + 1) == 0x82, "AML DeviceOp");
	used = pkg_length(p + 2, &plen);
	dev_end = p + 2 + plen;
	p += 2 + used;
	CHECK(bytes_are(p, "PCI0", 4), "Device PCI0");
	p += 4;
	CHECK(aml_name(p, "_HID") && rd8(p + 5) == 0x0c &&
	      rd8(p + 6) == 0x41 && rd8(p + 7) == 0xd0 && rd8(p + 8) == 0x0a &&
	      rd8(p + 9) == 0x03, "_HID EisaId (PNP0A03)");
	p += 10;
	CHECK(aml_name(p, "_UID") && rd8(p + 5) == 0x00, "_UID 0");
	p += 6;
	p = check_crs(p);
	CHECK(p == dev_end && dev_end == scope_end,
	      "_CRS ends the device and the scope");
	return scope_end;
}

static void check_dsdt(uint64_t dsdt)
{
	uint32_t len = check_sdt(dsdt, "DSDT", 2);
	uint64_t p = dsdt + 36;

	p = check_s5(p);
	if (p)
		p = check_pci0(p);
	CHECK(p == dsdt + len, "the objects fill the DSDT exactly");
}

static bool gas_is(uint64_t gpa, unsigned int space, unsigned int width,
		   unsigned int access, uint64_t addr)
{
	return rd8(gpa) == space && rd8(gpa + 1) == width &&
	       rd8(gpa + 2) == 0 && rd8(gpa + 3) == access &&
	       rd64(gpa + 4) == addr;
}

static void check_fadt(uint64_t fadt, uint64_t *dsdt)
{
	uint32_t len = check_sdt(fadt, "FACP", 6);
	uint64_t facs;
	uint32_t flags;
	unsigned int i;
	bool zero;

	CHECK(len == 276, "FADT length 276");
	facs = rd32(fadt + 36);
	CHECK(facs % 64 == 0, "FACS 64-byte aligned");
	CHECK(bytes_are(facs, "FACS", 4) && rd32(facs + 4) == 64,
	      "FIRMWARE_CTRL points at a 64-byte FACS");
	CHECK(rd8(facs + 32) == 2, "FACS version 2");
	CHECK(rd64(fadt + 132) == 0, "X_FIRMWARE_CTRL 0 (FIRMWARE_CTRL used)");
	*dsdt = rd32(fadt + 40);
	CHECK(rd64(fadt + 140) == *dsdt, "X_DSDT equals DSDT");
	CHECK(rd16(fadt + 46) == PLAT_ACPI_SCI_IRQ, "SCI_INT");
	CHECK(rd32(fadt + 48) == 0, "SMI_CMD 0: always in ACPI mode");
	CHECK(rd8(fadt + 52) == 0 && rd8(fadt + 53) == 0,
	      "ACPI_ENABLE/DISABLE 0");
	CHECK(rd32(fadt + 56) == PLAT_PORT_ACPI_PM1A_EVT, "PM1a_EVT_BLK");
	CHECK(rd32(fadt + 60) == 0, "no PM1b_EVT_BLK");
	CHECK(rd32(fadt + 64) == PLAT_PORT_ACPI_PM1A_CNT, "PM1a_CNT_BLK");
	CHECK(rd32(fadt + 68) == 0 && rd32(fadt + 72) == 0,
	      "no PM1b_CNT_BLK, PM2_CNT_BLK");
	CHECK(rd32(fadt + 76) == PLAT_PORT_ACPI_PM_TMR, "PM_TMR_BLK");
	CHECK(rd32(fadt + 80) == 0 && rd32(fadt + 84) == 0, "no GPE blocks");
	CHECK(rd8(fadt + 88) == 4, "PM1_EVT_LEN 4");
	CHECK(rd8(fadt + 89) == 2, "PM1_CNT_LEN 2");
	CHECK(rd8(fadt + 91) == 4, "PM_TMR_LEN 4");
	CHECK(rd16(fadt + 96) == 101 && rd16(fadt + 98) == 1001,
	      "P_LVL2/3_LAT say no C2/C3");
	CHECK(rd16(fadt + 109) == 0x5,
	      "IAPC_BOOT_ARCH: legacy devices, no 8042 (Linux skips probing it), no VGA; CMOS present");
	flags = rd32(fadt + 112);
	CHECK(flags == ((1u << 0) | (1u << 2) | (1u << 4) | (1u << 5) |
			(1u << 6) | (1u << 10) | (1u << 19)),
	      "flags: WBINVD PROC_C1 PWR/SLP_BUTTON FIX_RTC RESET_REG_SUP FORCE_APIC_PHYSICAL_DESTINATION_MODE");
	CHECK(!(flags & (1u << 8)), "TMR_VAL_EXT clear: 24-bit timer");
	CHECK(!(flags & (1u << 20)), "not hardware-reduced");
	CHECK(gas_is(fadt + 116, 1, 8, 1, PLAT_PORT_RESET),
	      "RESET_REG: system I/O byte at PLAT_PORT_RESET");
	CHECK(rd8(fadt + 128) == PLAT_ACPI_RESET_VALUE, "RESET_VALUE");
	CHECK(gas_is(fadt + 148, 1, 32, 2, PLAT_PORT_ACPI_PM1A_EVT),
	      "X_PM1a_EVT_BLK");
	CHECK(gas_is(fadt + 172, 1, 16, 2, PLAT_PORT_ACPI_PM1A_CNT),
	      "X_PM1a_CNT_BLK");
	CHECK(gas_is(fadt + 208, 1, 32, 3, PLAT_PORT_ACPI_PM_TMR),
	      "X_PM_TMR_BLK");
	/* X_PM1b_EVT .. X_PM2_CNT and X_GPE0 .. SLEEP_STATUS: all zero. */
	zero = true;
	for (i = 160; i < 208; i++)
		zero &= (i >= 172 && i < 184) || rd8(fadt + i) == 0;
	for (i = 220; i < 276; i++)
		zero &= rd8(fadt + i) == 0;
	CHECK(zero, "unused X_ blocks zero");
}

static void check_madt(uint64_t madt, unsigned int nr, const uint32_t *ids)
{
	uint32_t len = check_sdt(madt, "APIC", 4);
	uint64_t p = madt + 44, end = madt + len;
	unsigned int i;
	bool ok = true;

	CHECK(rd32(madt + 36) == 0xfee00000, "MADT local APIC address");
	CHECK(rd32(madt + 40) == 0, "MADT flags: no PCAT_COMPAT");
	for (i = 0; i < nr && ok; i++) {
		if (ids[i] <= 254) {
			ok = p + 8 <= end && rd8(p) == 0 && rd8(p + 1) == 8 &&
			     rd8(p + 2) == i && rd8(p + 3) == ids[i] &&
			     rd32(p + 4) == 1;
			p += 8;
		} else {
			ok = p + 16 <= end && rd8(p) == 9 && rd8(p + 1) == 16 &&
			     rd16(p + 2) == 0 && rd32(p + 4) == ids[i] &&
			     rd32(p + 8) == 1 && rd32(p + 12) == i;
			p += 16;
		}
	}
	CHECK(ok, "MADT processor entries match the input in order");
	CHECK(p + 12 + 10 + 6 == end,
	      "an I/O APIC, an override and an NMI entry follow");
	CHECK(rd8(p) == 1 && rd8(p + 1) == 12 &&
	      rd8(p + 2) == lhv_acpi_ioapic_id(nr, ids) && rd8(p + 3) == 0 &&
	      rd32(p + 4) == PLAT_IOAPIC_GPA && rd32(p + 8) == 0,
	      "I/O APIC: its ID, PLAT_IOAPIC_GPA, GSI base 0");
	for (i = 0; i < nr; i++)
		ok &= ids[i] != rd8(p + 2);
	CHECK(ok, "no CPU has the I/O APIC's ID");
	p += 12;
	CHECK(rd8(p) == 2 && rd8(p + 1) == 10 && rd8(p + 2) == 0 &&
	      rd8(p + 3) == 0 && rd32(p + 4) == 2 && rd16(p + 8) == 0,
	      "override: ISA IRQ 0 (the PIT) is GSI 2, flags 0 (edge, high)");
	CHECK(PLAT_IRQ_PIT == 0 && PLAT_GSI_PIT == 2,
	      "the PC wires the PIT where the override says");
	p += 10;
	CHECK(rd8(p) == 4 && rd8(p + 1) == 6 && rd8(p + 2) == 0xff &&
	      rd16(p + 3) == 0 && rd8(p + 5) == 1,
	      "Local APIC NMI: all processors, LINT1, flags 0");
}

static void check_acpi(const char *what, unsigned int nr, const uint32_t *ids)
{
	struct lhv_acpi_layout l;
	uint64_t rsdt, xsdt, fadt, madt, dsdt, p, start[7], end[7];
	unsigned int i, j, nt;
	bool ok;

	printf("# %s\n", what);
	poison();
	memset(&l, 0, sizeof(l));
	CHECK(lhv_acpi_build(&ram, nr, ids, &l, err, sizeof(err)) == 0,
	      "build succeeds");

	/* RSDP at the region's start, where a legacy scan looks. */
	p = PLAT_ACPI_GPA;
	CHECK(l.rsdp.gpa == p && l.rsdp.len == 36, "layout: RSDP first");
	CHECK(bytes_are(p, "RSD PTR ", 8), "RSDP signature");
	CHECK(sum(p, 20) == 0, "RSDP checksum over 20 bytes");
	CHECK(rd8(p + 15) == 2, "RSDP revision 2");
	CHECK(rd32(p + 20) == 36, "RSDP length 36");
	CHECK(sum(p, 36) == 0, "RSDP extended checksum over 36 bytes");
	CHECK(bytes_are(p + 9, "LHV   ", 6), "RSDP OEM ID");
	CHECK(rd8(p + 33) == 0 && rd8(p + 34) == 0 && rd8(p + 35) == 0,
	      "RSDP reserved bytes");
	rsdt = rd32(p + 16);
	xsdt = rd64(p + 24);

	CHECK(check_sdt(xsdt, "XSDT", 1) == 36 + 16, "XSDT: two entries");
	fadt = rd64(xsdt + 36);
	madt = rd64(xsdt + 44);
	CHECK(bytes_are(fadt, "FACP", 4), "XSDT[0] lands on the FADT");
	CHECK(bytes_are(madt, "APIC", 4), "XSDT[1] lands on the MADT");
	CHECK(check_sdt(rsdt, "RSDT", 1) == 36 + 8, "RSDT: two entries");
	CHECK(rd32(rsdt + 36) == fadt && rd32(rsdt + 40) == madt,
	      "RSDT entries equal the XSDT's");

	check_fadt(fadt, &dsdt);
	check_dsdt(dsdt);
	check_madt(madt, nr, ids);

	CHECK(l.xsdt.gpa == xsdt && l.rsdt.gpa == rsdt && l.fadt.gpa == fadt &&
	      l.madt.gpa == madt && l.dsdt.gpa == dsdt &&
	      l.facs.gpa == rd32(fadt + 36), "layout matches the pointers");
	CHECK(l.xsdt.len == rd32(xsdt + 4) && l.fadt.len == rd32(fadt + 4) &&
	      l.madt.len == rd32(madt + 4) && l.dsdt.len == rd32(dsdt + 4) &&
	      l.rsdt.len == rd32(rsdt + 4) && l.facs.len == 64,
	      "layout lengths match the tables");

	/* No two tables overlap; between them and after, zeros only. */
	nt = 0;
	start[nt] = l.rsdp.gpa, end[nt++] = l.rsdp.gpa + 36;
	start[nt] = rsdt, end[nt++] = rsdt + rd32(rsdt + 4);
	start[nt] = xsdt, end[nt++] = xsdt + rd32(xsdt + 4);
	start[nt] = fadt, end[nt++] = fadt + rd32(fadt + 4);
	start[nt] = l.facs.gpa, end[nt++] = l.facs.gpa + 64;
	start[nt] = dsdt, end[nt++] = dsdt + rd32(dsdt + 4);
	start[nt] = madt, end[nt++] = madt + rd32(madt + 4);
	ok = true;
	for (i = 0; i < nt; i++)
		for (j = 0; j < nt; j++)
			if (i != j && start[i] < end[j] && start[j] < end[i])
				ok = false;
	CHECK(ok, "tables do not overlap");
	ok = true;
	for (p = PLAT_ACPI_GPA; p < PLAT_ACPI_GPA + PLAT_ACPI_SIZE; p++) {
		bool in = false;

		for (i = 0; i < nt; i++)
			in |= p >= start[i] && p < end[i];
		if (!in && rd8(p) != 0)
			ok = false;
	}
	CHECK(ok, "the rest of the region is zeroed");
	CHECK(l.end <= PLAT_ACPI_GPA + PLAT_ACPI_SIZE && l.end == madt +
	      rd32(madt + 4), "layout end is the MADT's end");
	ok = true;
	for (p = PLAT_ACPI_GPA + PLAT_ACPI_SIZE; p < RAM_GPA + RAM_SIZE; p++)
		if (rd8(p) != BIOS_RAM_POISON)
			ok = false;
	CHECK(ok, "nothing written past the region");
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
	static const uint32_t dup[] = { 0, 1, 2, 1 };
	static const uint32_t bcast[] = { 0, 0xffffffff };
	static uint32_t many[LHV_ACPI_MAX_CPUS + 1];
	struct lhv_acpi_layout l;
	unsigned int i;

	printf("# error paths\n");
	for (i = 0; i <= LHV_ACPI_MAX_CPUS; i++)
		many[i] = i;

	poison();
	refused(lhv_acpi_build(&ram, 0, one, &l, err, sizeof(err)), -EINVAL,
		"0 CPUs: -EINVAL");
	poison();
	refused(lhv_acpi_build(&ram, LHV_ACPI_MAX_CPUS + 1, many, &l, err,
			       sizeof(err)), -EINVAL, "65 CPUs: -EINVAL");
	poison();
	refused(lhv_acpi_build(&ram, 1, NULL, &l, err, sizeof(err)), -EINVAL,
		"no APIC IDs: -EINVAL");
	poison();
	refused(lhv_acpi_build(&ram, 4, dup, &l, err, sizeof(err)), -EINVAL,
		"duplicate APIC ID: -EINVAL");
	poison();
	refused(lhv_acpi_build(&ram, 2, bcast, &l, err, sizeof(err)), -EINVAL,
		"APIC ID 0xffffffff: -EINVAL");

	/*
	 * One CPU needs, by the spec's sizes and the alignments: RSDP 36 ->
	 * 48, RSDT 44 -> 96, XSDT 52 -> 160, FADT 276 -> 436, FACS at 448
	 * (64-aligned) -> 512, DSDT 36 + 15 (\_S5_) + 95 (PCI0) -> 658,
	 * MADT at 672: 44 + 8 + 12 + 10 + 6 -> 752.
	 */
	poison();
	refused(lhv_acpi_build_at(&ram, PLAT_ACPI_GPA, 751, 1, one, &l, err,
				  sizeof(err)), -ERANGE,
		"region one byte too small: -ERANGE");
	poison();
	CHECK(lhv_acpi_build_at(&ram, PLAT_ACPI_GPA, 752, 1, one, &l, err,
				sizeof(err)) == 0 &&
	      l.end == PLAT_ACPI_GPA + 752 && l.madt.len == 80 &&
	      l.dsdt.len == 146,
	      "exactly 752 bytes: accepted");
	CHECK(memcmp(ram_buf + 752, ram_copy + 752, RAM_SIZE - 752) == 0,
	      "a 752-byte region: nothing written after it");
	CHECK(lhv_acpi_ioapic_id(1, one) == 1 && lhv_acpi_ioapic_id(4, dup) == 3,
	      "I/O APIC ID: the lowest no CPU has");

	poison();
	refused(lhv_acpi_build_at(&ram, PLAT_ACPI_GPA + 8, 0x1000, 1, one, &l,
				  err, sizeof(err)), -ERANGE,
		"unaligned region: -ERANGE");
	poison();
	refused(lhv_acpi_build_at(&ram, RAM_GPA + RAM_SIZE - 0x100, 0x1000, 1,
				  one, &l, err, sizeof(err)), -ERANGE,
		"region past the end of RAM: -ERANGE");
	{
		/* RAM that ends inside the platform's ACPI region. */
		const struct lhv_guest_ram small = { ram_buf, RAM_GPA, 0x8000 };

		poison();
		refused(lhv_acpi_build(&small, 1, one, &l, err, sizeof(err)),
			-ERANGE, "RAM smaller than the ACPI region: -ERANGE");
	}
	{
		/* The same bytes seen at 4 GiB: 32-bit pointers cannot reach. */
		const struct lhv_guest_ram high = { ram_buf, 0x100000000ULL,
						    RAM_SIZE };

		poison();
		refused(lhv_acpi_build_at(&high, 0x100000000ULL, 0x1000, 1, one,
					  &l, err, sizeof(err)), -ERANGE,
			"region above 4 GiB: -ERANGE");
	}
	poison();
	CHECK(lhv_acpi_build(&ram, 1, one, NULL, NULL, 0) == 0,
	      "NULL layout and error buffer are fine");
}

int main(void)
{
	static const uint32_t ids1[] = { 0 };
	static const uint32_t ids2[] = { 0, 1 };
	static const uint32_t ids3[] = { 0, 1, 2 };
	static const uint32_t mixed[] = { 3, 0, 254, 255, 300, 0x10000, 7 };
	uint32_t ids64[64], wide64[64];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		ids64[i] = i;
		wide64[i] = 63 * 5 - i * 5;	/* 315 down to 0: both kinds */
	}
	check_acpi("1 CPU", 1, ids1);
	check_acpi("2 CPUs", 2, ids2);
	check_acpi("3 CPUs", 3, ids3);
	check_acpi("64 CPUs", 64, ids64);
	check_acpi("mixed xAPIC/x2APIC IDs, BSP 3", 7, mixed);
	check_acpi("64 CPUs, IDs 315..0", 64, wide64);
	test_errors();
	return unit_done();
}
