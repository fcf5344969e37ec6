/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC that lhv-run builds around a guest: where things sit in guest-
 * physical memory and which I/O ports its devices answer.  One place, so
 * the loaders, the table builders, the device models and the guests in
 * guests/ agree.  Documentation/lhv-run.rst shows the same map.
 *
 * Guest RAM starts at GPA 0 and is one region below 3 GiB (--mem).  The
 * xAPIC page at 0xfee00000 is the guest's real local APIC (or, in
 * filtered mode, lhv's read-only mapping of it) and never RAM.
 */
#ifndef _LHV_PLATFORM_H
#define _LHV_PLATFORM_H

/* Guest-physical layout (e820 describes it to the guest). */
#define PLAT_LOW_RAM_END	0x9fc00ULL	/* conventional memory ends, EBDA */
#define PLAT_EBDA_END		0xa0000ULL
#define PLAT_BIOS_START		0xe0000ULL	/* reserved: the tables below */
#define PLAT_ACPI_GPA		0xe0000ULL	/* RSDP, then XSDT, FADT, DSDT, MADT */
#define PLAT_ACPI_SIZE		0x10000ULL
#define PLAT_MPTABLE_GPA	0xf0000ULL	/* MP floating pointer + config table */
#define PLAT_MPTABLE_SIZE	0x1000ULL
#define PLAT_BIOS_END		0x100000ULL
#define PLAT_HIGH_RAM_START	0x100000ULL	/* kernels load here or above */
#define PLAT_MAX_RAM		0xc0000000ULL	/* 3 GiB: below the LAPIC page */
#define PLAT_MMIO_HOLE_GPA	0xd0000000ULL	/* no device: reads float high */
#define PLAT_PCI_MMIO_GPA	0xe0000000ULL	/* PCI BARs: the host bridge's */
#define PLAT_PCI_MMIO_SIZE	0x1ec00000ULL	/* window, up to the I/O APIC */
#define PLAT_IOAPIC_GPA		0xfec00000ULL	/* the I/O APIC (dev/ioapic.h) */

/* Boot structures the loaders write in low RAM (below PLAT_LOW_RAM_END). */
#define PLAT_BOOT_PARAMS_GPA	0x10000ULL	/* Linux zero page */
#define PLAT_CMDLINE_GPA	0x20000ULL	/* kernel command line */
#define PLAT_CMDLINE_MAX	0x1000ULL
#define PLAT_MB_INFO_GPA	0x30000ULL	/* multiboot info, mmap, strings */
#define PLAT_MB_INFO_SIZE	0x10000ULL
#define PLAT_BOOT_GDT_GPA	0x40000ULL	/* flat GDT of a 32/64-bit entry */
#define PLAT_BOOT_PT_GPA	0x41000ULL	/* identity page tables, 64-bit entry */

/* I/O ports. */
#define PLAT_PORT_PIT		0x40		/* 0x40-0x43 */
#define PLAT_PORT_KBD_DATA	0x60
#define PLAT_PORT_SYS_B		0x61		/* PIT gate 2, speaker */
#define PLAT_PORT_KBD_CMD	0x64		/* write 0xfe: reset */
#define PLAT_PORT_CMOS_INDEX	0x70
#define PLAT_PORT_CMOS_DATA	0x71
#define PLAT_PORT_POST		0x80		/* Linux's I/O delay: a sink */
#define PLAT_PORT_DEBUG_EXIT	0xf4		/* isa-debug-exit: (v << 1) | 1 */
#define PLAT_PORT_MARKER	0xf5		/* lhv test guests' markers */
#define PLAT_PORT_EXITS		0xf6		/* 4-byte IN: the vCPU's exit count */
#define PLAT_PORT_STATS_MARK	0xf7		/* OUT: --stats lines now */
#define PLAT_PORT_COM1		0x3f8		/* 0x3f8-0x3ff, 16550A */
#define PLAT_PORT_FW_CFG_SEL	0x510		/* 16-bit selector */
#define PLAT_PORT_FW_CFG_DATA	0x511		/* 8-bit data */
#define PLAT_PORT_ACPI_PM1A_EVT	0x600		/* PM1a status (2), enable (2) */
#define PLAT_PORT_ACPI_PM1A_CNT	0x604		/* 2 bytes: SLP_TYP, SLP_EN */
#define PLAT_PORT_ACPI_PM_TMR	0x608		/* 4 bytes, 24-bit, 3.579545 MHz */
#define PLAT_PORT_PCI_ADDR	0xcf8		/* 4-byte: PCI config address */
#define PLAT_PORT_RESET		0xcf9		/* write 0x06: reset */
#define PLAT_PORT_PCI_DATA	0xcfc		/* 0xcfc-0xcff: config data */

/* ACPI: SLP_TYP of \_S5 in the DSDT, and the PM timer's rate. */
#define PLAT_ACPI_S5_SLP_TYP	5
#define PLAT_ACPI_PM_TMR_HZ	3579545ULL
#define PLAT_ACPI_SCI_IRQ	9
#define PLAT_ACPI_RESET_VALUE	0x06

/*
 * ISA IRQs and the I/O APIC's pins: the MADT overrides IRQ 0 alone, to
 * pin 2 as on PCs; every other IRQ is the pin of its number.
 */
#define PLAT_IRQ_PIT		0
#define PLAT_GSI_PIT		2
#define PLAT_IRQ_COM1		4

/* fw_cfg items (QEMU's numbering). */
#define PLAT_FW_CFG_SIGNATURE	0x0000		/* "QEMU" */
#define PLAT_FW_CFG_ID		0x0001		/* 32-bit feature bits: 1 */
#define PLAT_FW_CFG_RAM_SIZE	0x0003		/* 64-bit bytes */
#define PLAT_FW_CFG_NB_CPUS	0x0005		/* 16-bit vCPU count */
#define PLAT_FW_CFG_MAX_CPUS	0x000f		/* 16-bit */
#define PLAT_FW_CFG_FILE_DIR	0x0019		/* big-endian count + entries */

#endif /* _LHV_PLATFORM_H */
