/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables lhv-run gives a guest (ACPI 6.0 layouts): enough for a
 * stock Linux to find its CPUs (MADT), the PM timer, the reset register
 * and S5 power-off (FADT and a DSDT holding only \_S5_).  Pure logic: the
 * tables are written into a struct lhv_guest_ram.
 *
 * The region holds, each at a 16-byte boundary (the FACS at a 64-byte
 * one, as the spec demands): RSDP, RSDT, XSDT, FADT, FACS, DSDT, MADT.
 * The RSDP comes first, so it sits where a legacy scan of
 * [0xe0000, 0x100000) finds it as well as at the GPA handed to Linux in
 * boot_params.acpi_rsdp_addr.  The RSDT carries the same two pointers as
 * the XSDT for 32-bit guests that read only the ACPI 1.0 root; the FACS
 * is there because the spec requires one on a platform that is not
 * hardware-reduced (it stays all zero: no waking vector, no global lock
 * owner).
 *
 * The MADT has one Processor Local APIC entry per CPU whose APIC ID is
 * at most 254 and a Processor Local x2APIC entry for any larger ID (0xff
 * is the xAPIC broadcast ID; Linux skips such lapic entries), in the
 * caller's order, with ACPI processor UID = index.  Then the I/O APIC at
 * PLAT_IOAPIC_GPA with GSI base 0 and the lowest ID no CPU has (64-bit
 * Linux only wants I/O APIC IDs unique among I/O APICs), and one
 * interrupt source override, ISA IRQ 0 (the PIT) to pin 2, edge and
 * active high, as PC firmware has it; any other ISA IRQ n is pin n, edge,
 * active high (the SCI, pin 9, is level and active low, ACPI's default;
 * lhv-run never raises it).  One Local APIC NMI entry (all processors,
 * LINT1) follows, as real firmware provides.
 *
 * The DSDT is aml.h's: \_S5_ and the PCI host bridge.
 *
 * FADT choices and what Linux 6.1 does with them:
 *   - SMI_CMD 0: the hardware is always in ACPI mode, so ACPICA never
 *     tries the ACPI_ENABLE handshake.
 *   - PM1a_EVT/PM1a_CNT/PM_TMR and their X_ twins (system I/O, bit widths
 *     equal to 8 * the legacy lengths, or ACPICA overrides them and warns);
 *     TMR_VAL_EXT clear: the timer is 24 bits.  No GPE blocks.
 *   - P_LVL2_LAT 101 and P_LVL3_LAT 1001: the spec's "C2/C3 not
 *     supported" values.  CENTURY 0: no CMOS century register is
 *     promised, so Linux guesses the century from the year.
 *   - Flags: WBINVD, PROC_C1, PWR_BUTTON and SLP_BUTTON (no fixed
 *     buttons), FIX_RTC (the PM1 block has no RTC wake status),
 *     RESET_REG_SUP with RESET_REG = byte PLAT_PORT_RESET, value
 *     PLAT_ACPI_RESET_VALUE: Linux's default reboot tries it first.
 *     FORCE_APIC_PHYSICAL_DESTINATION_MODE: lhv delivers an MSI (the
 *     I/O APIC's, a PCI device's) to a logical destination only where it
 *     knows the guest's logical APIC IDs, which a passthrough xAPIC guest
 *     keeps in its real local APIC alone (LHV_SIGNAL_MSI refuses them
 *     there); with the flag Linux picks physical flat mode for every
 *     interrupt and IPI, whatever its CPU count.
 *   - IAPC_BOOT_ARCH: LEGACY_DEVICES (COM1, PIT, CMOS are ISA-style;
 *     when clear Linux only turns off PnP BIOS probing) and 8042 (the
 *     platform has the 0x60/0x64 pair and reset via 0x64; when clear
 *     Linux marks the i8042 firmware-absent and the i8042 driver, finding
 *     no PNP0303 in the namespace, skips probing; reboot=kbd writes 0x64
 *     either way).  VGA_NOT_PRESENT set: nothing decodes the VGA range
 *     (Linux only uses this to detect Xen PVH).  CMOS_RTC_NOT_PRESENT
 *     clear: the CMOS ports exist, so Linux registers rtc_cmos.
 *     MSI_NOT_SUPPORTED clear: PCI devices interrupt by MSI-X.
 *   - SCI_INT PLAT_ACPI_SCI_IRQ: the I/O APIC's pin 9.  Linux also probes
 *     the 8259 pair (MADT PCAT_COMPAT clear), which must answer: with no
 *     8259 Linux sets up no legacy IRQs 0-15 at all, COM1's IRQ 4
 *     included.
 */
#ifndef _LHV_ACPI_H
#define _LHV_ACPI_H

#include "guest_ram.h"

#define LHV_ACPI_MAX_CPUS	64

/* Room for any reason the builder gives. */
#define LHV_ACPI_ERR_LEN	128

struct lhv_acpi_table {
	uint64_t gpa;
	uint32_t len;
};

/* Where each table went; the RSDP's GPA is what the guest is told. */
struct lhv_acpi_layout {
	struct lhv_acpi_table rsdp, rsdt, xsdt, fadt, facs, dsdt, madt;
	uint64_t end;		/* first byte after the last table */
};

/*
 * Zeroes [@gpa, @gpa + @size) in @ram and writes the tables there for
 * @nr_cpus CPUs whose APIC IDs are @apic_ids (index 0 the BSP).  @layout
 * may be NULL.  Returns 0, or a negative errno with a one-line reason in
 * @err (which may be NULL), and writes nothing unless it returns 0:
 *   -EINVAL  @nr_cpus not in 1..LHV_ACPI_MAX_CPUS, @apic_ids NULL, an APIC
 *            ID twice, or 0xffffffff (the x2APIC broadcast ID)
 *   -ERANGE  @gpa is not 16-byte aligned, the region is not all inside
 *            @ram, the tables need more than @size bytes or would not
 *            all lie below 4 GiB (RSDT entries are 32-bit)
 */
int lhv_acpi_build_at(const struct lhv_guest_ram *ram, uint64_t gpa,
		      uint64_t size, unsigned int nr_cpus,
		      const uint32_t *apic_ids, struct lhv_acpi_layout *layout,
		      char *err, size_t errlen);

/*
 * The I/O APIC's ID in the MADT: the lowest no CPU of @apic_ids has (the
 * model's ID register starts with it).
 */
uint8_t lhv_acpi_ioapic_id(unsigned int nr_cpus, const uint32_t *apic_ids);

/* The same at the platform's region [PLAT_ACPI_GPA, + PLAT_ACPI_SIZE). */
int lhv_acpi_build(const struct lhv_guest_ram *ram, unsigned int nr_cpus,
		   const uint32_t *apic_ids, struct lhv_acpi_layout *layout,
		   char *err, size_t errlen);

#endif /* _LHV_ACPI_H */
