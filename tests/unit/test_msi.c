// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of MSI decoding (lapic/msi.c) and of MSIs resolved against a
 * VM's vCPUs the way LHV_SIGNAL_MSI does it (lapic/dest.c).
 */
#include <stdio.h>

#include "../../lapic/dest.h"
#include "../../lapic/msi.h"
#include "unit.h"

#define MSI_ADDR(dest)	(0xfee00000ULL | (u64)(dest) << 12)

static void test_decode(void)
{
	struct lapic_icr icr;

	CHECK(!lapic_msi_decode(MSI_ADDR(3), 0x41, false, &icr) &&
	      icr.dest == 3 && icr.vector == 0x41 &&
	      icr.delivery == LAPIC_DM_FIXED && !icr.logical && icr.level &&
	      !icr.trigger && icr.shorthand == LAPIC_SH_NONE && !icr.x2apic,
	      "fixed, physical destination 3, vector 0x41");
	CHECK(!lapic_msi_decode(MSI_ADDR(0xfe), 0x30, true, &icr) &&
	      icr.dest == 0xfe && icr.x2apic, "x2APIC format keeps the 8-bit destination");
	CHECK(!lapic_msi_decode(MSI_ADDR(0xff), 0x30, true, &icr) &&
	      icr.dest == LAPIC_X2APIC_BROADCAST, "0xff is the broadcast in x2APIC format too");
	CHECK(!lapic_msi_decode(MSI_ADDR(0x06) | LAPIC_MSI_ADDR_DM_LOGICAL,
				0x100 | 0x50, false, &icr) &&
	      icr.logical && icr.delivery == LAPIC_DM_LOWEST && icr.dest == 6,
	      "lowest priority, logical destination 0x06");
	CHECK(!lapic_msi_decode(MSI_ADDR(1) | LAPIC_MSI_ADDR_RH, 0x60, false, &icr) &&
	      icr.delivery == LAPIC_DM_LOWEST,
	      "redirection hint makes fixed pick one target");
	CHECK(!lapic_msi_decode(MSI_ADDR(2), 0x400 | 0x07, false, &icr) &&
	      icr.delivery == LAPIC_DM_NMI && icr.vector == 0,
	      "NMI: vector ignored");
	CHECK(!lapic_msi_decode(MSI_ADDR(2), 0x4000 | 0x22, false, &icr),
	      "level-assert bit of an edge message is accepted");

	CHECK(lapic_msi_decode(0xfed00000ULL, 0x41, false, &icr) == -EINVAL,
	      "address outside 0xfeexxxxx");
	CHECK(lapic_msi_decode(0x1fee00000ULL, 0x41, false, &icr) == -EINVAL,
	      "address above 4 GiB");
	CHECK(lapic_msi_decode(MSI_ADDR(0) | 1, 0x41, false, &icr) == -EINVAL,
	      "reserved address bit 0");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x8041, false, &icr) == -EINVAL,
	      "level-triggered");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x10041, false, &icr) == -EINVAL,
	      "reserved data bit 16");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x0800 | 0x41, false, &icr) == -EINVAL,
	      "reserved data bit 11");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x0f, false, &icr) == -EINVAL,
	      "fixed vector 15");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x100 | 0x0f, false, &icr) == -EINVAL,
	      "lowest-priority vector 15");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x200 | 0x41, false, &icr) == -EINVAL,
	      "SMI");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x300 | 0x41, false, &icr) == -EINVAL,
	      "reserved delivery mode 3");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x500, false, &icr) == -EINVAL,
	      "INIT");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x600 | 0x10, false, &icr) == -EINVAL,
	      "startup");
	CHECK(lapic_msi_decode(MSI_ADDR(0), 0x700 | 0x41, false, &icr) == -EINVAL,
	      "ExtINT");
}

/* Three vCPUs with APIC IDs 0, 2, 4 and flat logical IDs 1, 2, 4. */
static const struct lapic_vcpu_id vm3[3] = {
	{ .apic_id = 0, .present = 1, .logical_id = 0x01 },
	{ .apic_id = 2, .present = 1, .logical_id = 0x02 },
	{ .apic_id = 4, .present = 1, .logical_id = 0x04 },
};

static int resolve(u64 address, u32 data, struct lapic_dest *d)
{
	struct lapic_icr icr;

	if (lapic_msi_decode(address, data, false, &icr))
		return -1;
	return lapic_dest_resolve(&icr, 0, vm3, 3, d);
}

static void test_resolve(void)
{
	struct lapic_dest d;

	CHECK(!resolve(MSI_ADDR(4), 0x41, &d) && d.targets == 0x4 && !d.outside,
	      "physical 4 reaches vCPU 2 only");
	CHECK(!resolve(MSI_ADDR(1), 0x41, &d) && d.targets == 0 && d.outside == 1,
	      "physical 1 is no vCPU: nothing sent, one outside");
	CHECK(!resolve(MSI_ADDR(0xff), 0x41, &d) && d.targets == 0x7,
	      "physical broadcast reaches every vCPU and no one else");
	CHECK(!resolve(MSI_ADDR(0x06) | LAPIC_MSI_ADDR_DM_LOGICAL, 0x41, &d) &&
	      d.targets == 0x6 && !d.outside, "logical 0x06 reaches vCPUs 1 and 2");
	CHECK(!resolve(MSI_ADDR(0x86) | LAPIC_MSI_ADDR_DM_LOGICAL, 0x41, &d) &&
	      d.targets == 0x6 && d.outside == 1, "logical bit 7 names no vCPU");
	CHECK(!resolve(MSI_ADDR(0x06) | LAPIC_MSI_ADDR_DM_LOGICAL |
		       LAPIC_MSI_ADDR_RH, 0x41, &d) && d.targets == 0x2,
	      "redirection hint: one target, the lowest vCPU");
	CHECK(!resolve(MSI_ADDR(2), 0x400, &d) && d.targets == 0x2,
	      "NMI to physical 2");
}

int main(void)
{
	test_decode();
	test_resolve();
	return unit_done();
}
