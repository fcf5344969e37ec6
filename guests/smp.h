/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smp guest's contract with the tests that run it (selftests/lhv/
 * test_smp.c): the variants it runs, chosen by boot_info.variant, their
 * parameters, and the report it leaves at SMP_REPORT_GPA, which the test
 * reads from guest RAM after the guest's debug exit.
 */
#ifndef _LHV_GUEST_SMP_H
#define _LHV_GUEST_SMP_H

#include <stdint.h>

#include "bootinfo.h"

/* SIPI vectors: the AP trampoline's pages (vector << 12). */
#define SMP_VECTOR		0x08
#define SMP_VECTOR2		0x09	/* the restart variant's second page */

/*
 * boot_info.variant.  Every variant but SMP_OUTSIDE starts each AP by
 * INIT-SIPI-SIPI to its physical APIC ID first (SMP_BROADCAST by the
 * all-excluding-self shorthand instead), then:
 */
#define SMP_BASIC		0	/* nothing more */
#define SMP_BROADCAST		1	/* (the shorthand is the point) */
#define SMP_SECOND_SIPI		2	/* a SIPI at SMP_VECTOR2 to each running AP:
					 * ignored, no AP starts twice */
#define SMP_INIT_RESTART	3	/* INIT to each running AP, then
					 * SIPI-SIPI at SMP_VECTOR2: each starts
					 * again there */
#define SMP_OUTSIDE		4	/* first INIT-SIPI-SIPI to the APIC IDs in
					 * params[1..params[0]], which are not
					 * the VM's: nothing may start */
#define SMP_NMI			5	/* an NMI IPI to each AP: each counts one
					 * in its NMI handler */
#define SMP_PLATFORM		6	/* every vCPU enables its APIC (flat logical
					 * ID 1 << index) and interrupts, then the
					 * BSP writes SMP_MARKER_PLATFORM; the test
					 * sends LHV_SIGNAL_MSI to each vCPU's APIC ID
					 * (vector SMP_MSI_VECTOR), to the broadcast
					 * ID (+1) and, in xAPIC mode, to the logical
					 * mask of all (+2; when params[0] is 1:
					 * filtered mode), and LHV_INJECT_NMI to all:
					 * each counts its MSIs and one NMI */
#define SMP_INIT_PARK		7	/* INIT to each running AP and no SIPI:
					 * each stays in the INIT state, which
					 * the test reads back */
#define SMP_NR_VARIANTS		8

/* Three vectors: one per MSI of a vCPU, so none merges with another. */
#define SMP_MSI_VECTOR		0x51
/* Marker port value; bit 0 set: the guest's APIC is in x2APIC mode. */
#define SMP_MARKER_PLATFORM	0x504c0000u

/* Where the report lives; the guest clears it first. */
#define SMP_REPORT_GPA		0xb000
#define SMP_REPORT_MAGIC	0x534d5052u	/* "RPMS" */

/* One per boot_info.cpus[] entry, same index. */
struct smp_cpu_report {
	uint32_t seen_apic_id;	/* what the CPU read from CPUID on its start */
	uint32_t starts;	/* times it reached long mode */
	uint32_t vector;	/* SIPI vector of its last start */
	uint32_t nmis;		/* NMIs its handler counted */
	uint32_t msis;		/* SMP_MSI_VECTOR + 0..2 interrupts it took */
	uint32_t msi_vectors;	/* bit n: it took SMP_MSI_VECTOR + n */
	uint64_t init_tsc;	/* BSP's TSC right before its INIT write */
	uint64_t first_tsc;	/* the AP's TSC at its first instruction */
};

struct smp_report {
	uint32_t magic;		/* SMP_REPORT_MAGIC once the guest set it up */
	uint32_t aps_up;	/* the shared counter: AP starts, all together */
	uint32_t strays;	/* starts by a CPU whose APIC ID is not listed */
	uint32_t failures;	/* failed checks; also the debug-exit result */
	struct smp_cpu_report cpu[BOOT_INFO_MAX_CPUS];
};

#endif /* _LHV_GUEST_SMP_H */
