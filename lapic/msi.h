/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI address/data as an IPI (LHV_SIGNAL_MSI): an MSI is a message to
 * the local APICs with the same destination and delivery semantics as an
 * ICR write, so lhv resolves and sends it with the ICR code (icr.c,
 * dest.c).  Pure logic shared by lhv.ko and the host unit tests.
 */
#ifndef _LHV_LAPIC_MSI_H
#define _LHV_LAPIC_MSI_H

#include <lhv/types.h>

#include "icr.h"

/* MSI address and data fields (SDM Vol. 3A, 10.11.1 and 10.11.2). */
#define LAPIC_MSI_ADDR_BASE		0xfee00000ULL
#define LAPIC_MSI_ADDR_BASE_MASK	0xfff00000ULL
#define LAPIC_MSI_ADDR_DEST_SHIFT	12
#define LAPIC_MSI_ADDR_RH		BIT(3)
#define LAPIC_MSI_ADDR_DM_LOGICAL	BIT(2)
#define LAPIC_MSI_ADDR_RESERVED		0x000000003ULL	/* bits 1:0 */
#define LAPIC_MSI_DATA_TRIGGER_LEVEL	BIT(15)
#define LAPIC_MSI_DATA_LEVEL_ASSERT	BIT(14)
#define LAPIC_MSI_DATA_DM_SHIFT		8
#define LAPIC_MSI_DATA_RESERVED		0xffff3800U	/* 31:16, 13:11 */

/*
 * Decode an MSI into the ICR that sends the same interrupt, in the x2APIC
 * format when @x2apic (the MSI's destination is 8 bits either way; 0xff
 * is the broadcast in both).  The
 * redirection hint asks for one target of the destination, as lowest-
 * priority delivery does.  Returns 0, or -EINVAL for what no device may
 * send: an address outside 0xfeexxxxx or with reserved bits, a level-
 * triggered message, reserved data bits, a delivery mode other than
 * fixed, lowest priority or NMI (SMI, INIT and ExtINT are the platform's
 * business), or a fixed/lowest-priority vector below 16.
 */
int lapic_msi_decode(u64 address, u32 data, bool x2apic, struct lapic_icr *icr);

#endif /* _LHV_LAPIC_MSI_H */
