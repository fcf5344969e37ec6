/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel MultiProcessor Specification 1.4 tables lhv-run gives a
 * guest, for kernels that do not read ACPI (small multiboot guests, Linux
 * with acpi=off).  Pure logic: written into a struct lhv_guest_ram.
 *
 * At the region's start, the 16-byte MP floating pointer structure
 * ("_MP_", spec revision 4, feature byte 1 zero: a configuration table
 * follows; IMCRP clear: virtual-wire mode, no IMCR).  Right after it the
 * "PCMP" configuration table: one processor entry per CPU in the caller's
 * order (local APIC version 0x14, EN, BP for index 0) and one "ISA   "
 * bus, number 0.  No I/O APIC or interrupt entries: the VM has no I/O
 * APIC.  (Linux then warns "no explicit IRQ entries" and assumes ISA
 * defaults it can never use; that path only runs with acpi=off.)  MP
 * entries hold 8-bit APIC IDs only, and 0xff is the broadcast ID.
 */
#ifndef _LHV_MPTABLE_H
#define _LHV_MPTABLE_H

#include "guest_ram.h"

#define LHV_MP_MAX_CPUS		64
#define LHV_MP_MAX_APIC_ID	254

/*
 * What the processor entries report of the CPUs: CPUID.1 EAX (family,
 * model, stepping) and EDX (feature flags).  NULL picks the defaults:
 * family 6 and FPU | APIC.
 */
struct lhv_mp_cpuid {
	uint32_t signature;
	uint32_t features;
};

#define LHV_MP_DEFAULT_SIGNATURE	0x00000600u
#define LHV_MP_DEFAULT_FEATURES		((1u << 0) | (1u << 9))

/* Room for any reason the builder gives. */
#define LHV_MP_ERR_LEN		128

struct lhv_mp_layout {
	uint64_t fp_gpa;	/* the floating pointer, 16 bytes */
	uint64_t cfg_gpa;	/* the configuration table */
	uint32_t cfg_len;	/* its base table length */
};

/*
 * Zeroes [@gpa, @gpa + @size) in @ram and writes the tables there for
 * @nr_cpus CPUs with APIC IDs @apic_ids (index 0 the BSP).  @cpuid and
 * @layout may be NULL.  Returns 0, or a negative errno with a one-line
 * reason in @err (which may be NULL), and writes nothing unless it
 * returns 0:
 *   -EINVAL  @nr_cpus not in 1..LHV_MP_MAX_CPUS, @apic_ids NULL, or an
 *            APIC ID twice
 *   -ERANGE  an APIC ID above LHV_MP_MAX_APIC_ID, @gpa not 16-byte
 *            aligned, the region not all inside @ram or above 4 GiB, or
 *            the tables need more than @size bytes
 */
int lhv_mptable_build_at(const struct lhv_guest_ram *ram, uint64_t gpa,
			 uint64_t size, unsigned int nr_cpus,
			 const uint32_t *apic_ids,
			 const struct lhv_mp_cpuid *cpuid,
			 struct lhv_mp_layout *layout, char *err, size_t errlen);

/* The same at [PLAT_MPTABLE_GPA, + PLAT_MPTABLE_SIZE). */
int lhv_mptable_build(const struct lhv_guest_ram *ram, unsigned int nr_cpus,
		      const uint32_t *apic_ids,
		      const struct lhv_mp_cpuid *cpuid,
		      struct lhv_mp_layout *layout, char *err, size_t errlen);

#endif /* _LHV_MPTABLE_H */
