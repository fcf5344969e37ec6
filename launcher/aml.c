// SPDX-License-Identifier: GPL-2.0
/*
 * A few AML encodings, enough for the DSDT of aml.h.  Every package
 * length uses the two-byte PkgLength form (ACPI 6.0, 20.2.4: bits 7:6 of
 * the lead byte count the bytes that follow, its low nibble is the low
 * nibble of the length), which AML interpreters decode whatever the
 * value, so an object's length can be patched in after its contents.
 */
#include <string.h>

#include "aml.h"
#include "platform.h"

#define AML_ZERO		0x00
#define AML_NAME		0x08
#define AML_BYTE		0x0a
#define AML_WORD		0x0b
#define AML_DWORD		0x0c
#define AML_SCOPE		0x10
#define AML_BUFFER		0x11
#define AML_PACKAGE		0x12
#define AML_EXT			0x5b
#define AML_DEVICE		0x82
#define AML_ROOT		0x5c

#define PKGLEN_MAX		0xfff

struct aml {
	uint8_t *buf;
	size_t len, at;
};

static void put(struct aml *a, const void *p, size_t n)
{
	if (a->buf && a->at + n <= a->len)
		memcpy(a->buf + a->at, p, n);
	a->at += n;
}

static void byte(struct aml *a, uint8_t b)
{
	put(a, &b, 1);
}

static void le(struct aml *a, uint64_t v, unsigned int n)
{
	while (n--) {
		byte(a, (uint8_t)v);
		v >>= 8;
	}
}

/* Opens a PkgLength; close() fills it in. */
static size_t open_pkg(struct aml *a)
{
	size_t at = a->at;

	le(a, 0, 2);
	return at;
}

static void close_pkg(struct aml *a, size_t at)
{
	size_t n = a->at - at;

	if (n > PKGLEN_MAX)
		n = PKGLEN_MAX;		/* never here: the DSDT is small */
	if (a->buf && at + 2 <= a->len) {
		a->buf[at] = 0x40 | (n & 0xf);
		a->buf[at + 1] = (uint8_t)(n >> 4);
	}
}

static void name(struct aml *a, const char seg[4])
{
	byte(a, AML_NAME);
	put(a, seg, 4);
}

/* Name (_S5_, Package () { SLP_TYPa, SLP_TYPb, 0, 0 }) */
static void s5(struct aml *a)
{
	size_t p;

	name(a, "_S5_");
	byte(a, AML_PACKAGE);
	p = open_pkg(a);
	byte(a, 4);
	byte(a, AML_BYTE);
	byte(a, PLAT_ACPI_S5_SLP_TYP);
	byte(a, AML_BYTE);
	byte(a, PLAT_ACPI_S5_SLP_TYP);
	byte(a, AML_ZERO);
	byte(a, AML_ZERO);
	close_pkg(a, p);
}

/* Address space descriptors (ACPI 6.0, 6.4.3.5): producer, fixed range. */
#define RES_WORD_ADDR		0x88
#define RES_DWORD_ADDR		0x87
#define RES_TYPE_MEM		0
#define RES_TYPE_BUS		2
#define RES_MIN_MAX_FIXED	0x0c
#define RES_MEM_RW		0x01
#define RES_IO			0x47	/* small item, length 7 */
#define RES_END			0x79

static void crs(struct aml *a)
{
	const uint64_t mem = PLAT_PCI_MMIO_GPA, mem_len = PLAT_PCI_MMIO_SIZE;
	size_t p, start;

	name(a, "_CRS");
	byte(a, AML_BUFFER);
	p = open_pkg(a);
	byte(a, AML_WORD);
	start = a->at;
	le(a, 0, 2);				/* patched: the buffer size */

	/* Bus numbers 0-0. */
	byte(a, RES_WORD_ADDR);
	le(a, 13, 2);
	byte(a, RES_TYPE_BUS);
	byte(a, RES_MIN_MAX_FIXED);
	byte(a, 0);
	le(a, 0, 2);				/* granularity */
	le(a, 0, 2);				/* min */
	le(a, 0, 2);				/* max */
	le(a, 0, 2);				/* translation */
	le(a, 1, 2);				/* length */

	/* The configuration ports, consumed: IO (Decode16, 0xcf8, 0xcf8, 1, 8). */
	byte(a, RES_IO);
	byte(a, 1);
	le(a, PLAT_PORT_PCI_ADDR, 2);
	le(a, PLAT_PORT_PCI_ADDR, 2);
	byte(a, 1);
	byte(a, 8);

	/* The BAR window. */
	byte(a, RES_DWORD_ADDR);
	le(a, 23, 2);
	byte(a, RES_TYPE_MEM);
	byte(a, RES_MIN_MAX_FIXED);
	byte(a, RES_MEM_RW);
	le(a, 0, 4);				/* granularity */
	le(a, mem, 4);
	le(a, mem + mem_len - 1, 4);
	le(a, 0, 4);				/* translation */
	le(a, mem_len, 4);

	byte(a, RES_END);
	byte(a, 0);				/* checksum 0: not computed */
	if (a->buf && start + 2 <= a->len) {
		size_t n = a->at - start - 2;

		a->buf[start] = (uint8_t)n;
		a->buf[start + 1] = (uint8_t)(n >> 8);
	}
	close_pkg(a, p);
}

/* Scope (\_SB_) { Device (PCI0) { _HID, _UID, _CRS } } */
static void pci0(struct aml *a)
{
	/* EisaId ("PNP0A03"): compressed vendor letters, then the product. */
	const uint8_t pnp0a03[4] = { 0x41, 0xd0, 0x0a, 0x03 };
	size_t scope, dev;

	byte(a, AML_SCOPE);
	scope = open_pkg(a);
	byte(a, AML_ROOT);
	put(a, "_SB_", 4);
	byte(a, AML_EXT);
	byte(a, AML_DEVICE);
	dev = open_pkg(a);
	put(a, "PCI0", 4);
	name(a, "_HID");
	byte(a, AML_DWORD);
	put(a, pnp0a03, 4);
	name(a, "_UID");
	byte(a, AML_ZERO);
	crs(a);
	close_pkg(a, dev);
	close_pkg(a, scope);
}

size_t lhv_aml_dsdt(uint8_t *buf, size_t len)
{
	struct aml a = { .buf = buf, .len = len };

	s5(&a);
	pci0(&a);
	return a.at;
}
