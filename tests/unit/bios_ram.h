/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture of the table-builder tests (test_acpi, test_mptable): guest RAM
 * over the BIOS area, [0xe0000, 0x100000), poisoned before each case so
 * that a refused input can be shown to leave it byte-for-byte as it was,
 * and little-endian readers that abort on any read outside it.  Define
 * BIOS_RAM_POISON and BIOS_RAM_ERR_LEN before including it.
 */
#ifndef _LHV_TEST_BIOS_RAM_H
#define _LHV_TEST_BIOS_RAM_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../launcher/guest_ram.h"
#include "../../launcher/platform.h"

#define RAM_GPA		PLAT_BIOS_START
#define RAM_SIZE	(PLAT_BIOS_END - PLAT_BIOS_START)

static unsigned char ram_buf[RAM_SIZE];
static unsigned char ram_copy[RAM_SIZE];
static const struct lhv_guest_ram ram = { ram_buf, RAM_GPA, RAM_SIZE };
static char err[BIOS_RAM_ERR_LEN];

static inline const unsigned char *g(uint64_t gpa)
{
	if (gpa < RAM_GPA || gpa >= RAM_GPA + RAM_SIZE)
		abort();
	return ram_buf + (gpa - RAM_GPA);
}

static inline unsigned int rd8(uint64_t gpa)
{
	return *g(gpa);
}

static inline unsigned int rd16(uint64_t gpa)
{
	return rd8(gpa) | rd8(gpa + 1) << 8;
}

static inline uint32_t rd32(uint64_t gpa)
{
	return rd16(gpa) | (uint32_t)rd16(gpa + 2) << 16;
}

static inline uint64_t rd64(uint64_t gpa)
{
	return rd32(gpa) | (uint64_t)rd32(gpa + 4) << 32;
}

/* The low byte of the sum of [@gpa, @gpa + @len): 0 for a valid checksum. */
static inline unsigned int sum(uint64_t gpa, uint64_t len)
{
	unsigned int s = 0;

	while (len--)
		s += rd8(gpa++);
	return s & 0xff;
}

static inline bool bytes_are(uint64_t gpa, const void *want, size_t len)
{
	g(gpa + len - 1);	/* aborts if the bytes run off RAM */
	return memcmp(g(gpa), want, len) == 0;
}

static inline void poison(void)
{
	memset(ram_buf, BIOS_RAM_POISON, sizeof(ram_buf));
	memcpy(ram_copy, ram_buf, sizeof(ram_buf));
	err[0] = '\0';
}

static inline bool ram_unchanged(void)
{
	return memcmp(ram_buf, ram_copy, sizeof(ram_buf)) == 0;
}

#endif /* _LHV_TEST_BIOS_RAM_H */
