// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the assembled PC (launcher/dev/pc.c): every platform port
 * reaches its model through one bus, the callbacks and events come out,
 * and the ports a Linux boot probes but we do not have read all-ones.
 */
#include <string.h>

#include "../../launcher/dev/pc.h"
#include "../../launcher/platform.h"
#include "unit.h"

static struct lhv_pc pc;
static uint64_t now = 5000000000ULL;
static char tx[64];
static unsigned int txlen, irqs, scis;

static uint64_t fake_now(void *opaque)
{
	return *(uint64_t *)opaque;
}

static int64_t fake_wall(void *opaque)
{
	(void)opaque;
	return 1795955696;		/* 2026-11-29 12:34:56 UTC */
}

static void on_tx(void *opaque, uint8_t byte)
{
	CHECK(opaque == &pc, "uart tx opaque");
	if (txlen < sizeof(tx) - 1)
		tx[txlen++] = byte;
}

static void on_irq(void *opaque)
{
	(void)opaque;
	irqs++;
}

static void on_sci(void *opaque)
{
	(void)opaque;
	scis++;
}

static uint32_t in(uint16_t port, unsigned int size)
{
	uint32_t data = 0;

	lhv_bus_pio(&pc.bus, port, size, false, &data);
	return data;
}

static bool out(uint16_t port, unsigned int size, uint32_t val)
{
	return lhv_bus_pio(&pc.bus, port, size, true, &val);
}

static void test_wiring(void)
{
	static const struct { uint16_t port; const char *name; } ports[] = {
		{ 0x40, "pit" }, { 0x43, "pit" }, { 0x61, "port-b" },
		{ 0x60, "i8042" }, { 0x64, "i8042" }, { 0x70, "cmos" },
		{ 0x71, "cmos" }, { 0x80, "post" }, { 0xf4, "debug-exit" },
		{ 0x3f8, "com1" }, { 0x3ff, "com1" }, { 0x510, "fw_cfg" },
		{ 0x511, "fw_cfg" }, { 0x600, "acpi-pm" }, { 0x60b, "acpi-pm" },
		{ 0xcf9, "reset" }, { 0x20, "pic" }, { 0x21, "pic" },
		{ 0xa0, "pic" }, { 0xa1, "pic" }, { 0x4d0, "elcr" },
		{ 0x4d1, "elcr" }, { 0xcf8, "pci" }, { 0xcfa, "pci" },
		{ 0xcfb, "pci" }, { 0xcfc, "pci" }, { 0xcff, "pci" },
	};
	static const uint16_t absent[] = {
		0x22, 0xa2, 0x4d2, 0xf5, 0x2f8, 0x3fd + 3, 0x512, 0x514, 0x60c,
		0xcf7, 0xd00,
	};
	const struct lhv_pc_config cfg = {
		.ram_size = 256 << 20, .nr_cpus = 2,
		.clock = { fake_now, &now }, .wall_sec = fake_wall,
		.uart_tx = on_tx, .uart_irq = on_irq, .sci = on_sci,
		.opaque = &pc,
	};
	char err[LHV_BUS_ERR_LEN];
	bool ok = true;
	unsigned int i;

	CHECK(lhv_pc_init(&pc, &cfg, err, sizeof(err)) == 0, "pc init");
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		const struct lhv_bus_range *r = lhv_bus_find(&pc.bus, ports[i].port);

		if (!r || strcmp(r->name, ports[i].name))
			ok = false;
	}
	CHECK(ok, "every platform port has its model");
	ok = true;
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (lhv_bus_find(&pc.bus, absent[i]) ||
		    in(absent[i], 1) != 0xff)
			ok = false;
	CHECK(ok, "past PIC and ELCR, marker, COM2, fw_cfg DMA, PCI: 0xff");
	CHECK(!strcmp(lhv_bus_find(&pc.bus, 0xcf9)->name, "reset"),
	      "0xcf9 stays the reset control inside the PCI address dword");
	CHECK(pc.bus.nr_unclaimed == sizeof(absent) / sizeof(absent[0]),
	      "each tallied");
}

static void test_through_bus(void)
{
	struct lhv_dev_events ev;
	uint8_t sig[4];
	unsigned int i;
	uint64_t t;

	/* COM1: Linux's loopback test, then a line of output with OUT2. */
	out(0x3fc, 1, 0x1a);
	CHECK((in(0x3fe, 1) & 0xf0) == 0x90, "COM1 loopback test via the bus");
	out(0x3fc, 1, 0x0b);
	out(0x3f9, 1, 0x02);
	CHECK(irqs == 1, "COM1 THRE irq via the bus");
	for (i = 0; i < 3; i++)
		out(0x3f8, 1, "ok\n"[i]);
	CHECK(txlen == 3 && !memcmp(tx, "ok\n", 3), "COM1 output");

	out(PLAT_PORT_FW_CFG_SEL, 2, PLAT_FW_CFG_SIGNATURE);
	for (i = 0; i < 4; i++)
		sig[i] = in(PLAT_PORT_FW_CFG_DATA, 1);
	CHECK(!memcmp(sig, "QEMU", 4), "fw_cfg signature via the bus");
	out(PLAT_PORT_FW_CFG_SEL, 2, PLAT_FW_CFG_NB_CPUS);
	CHECK(in(PLAT_PORT_FW_CFG_DATA, 1) == 2, "fw_cfg nb_cpus");
	out(PLAT_PORT_FW_CFG_SEL, 2, PLAT_FW_CFG_RAM_SIZE);
	CHECK(in(PLAT_PORT_FW_CFG_DATA, 1) == 0 &&
	      in(PLAT_PORT_FW_CFG_DATA, 1) == 0 &&
	      in(PLAT_PORT_FW_CFG_DATA, 1) == 0 &&
	      in(PLAT_PORT_FW_CFG_DATA, 1) == 0x10, "fw_cfg RAM size 256 MiB");

	out(PLAT_PORT_CMOS_INDEX, 1, 0x80 | 0x09);
	CHECK(in(PLAT_PORT_CMOS_DATA, 1) == 0x26, "RTC year via the bus");

	CHECK(in(PLAT_PORT_ACPI_PM_TMR, 4) ==
	      (lhv_pm_timer_ticks(now) & 0xffffff), "PM timer via the bus");
	lhv_pm_power_button(&pc.pm);
	out(PLAT_PORT_ACPI_PM1A_EVT + 2, 2, LHV_PM1_PWRBTN_STS);
	CHECK(scis == 1, "SCI via the bus");

	/* Linux's probe_8259A(), then its init_8259A(0) and the SCI level. */
	out(LHV_PIC_SLAVE + 1, 1, 0xff);
	out(LHV_PIC_MASTER + 1, 1, 0xfb);
	CHECK(in(LHV_PIC_MASTER + 1, 1) == 0xfb, "PIC probe via the bus");
	out(LHV_PIC_MASTER, 1, 0x11);
	out(LHV_PIC_MASTER + 1, 1, 0x30);
	out(LHV_PIC_MASTER + 1, 1, 0x04);
	out(LHV_PIC_MASTER + 1, 1, 0x01);
	out(LHV_PIC_SLAVE, 1, 0x11);
	out(LHV_PIC_SLAVE + 1, 1, 0x38);
	out(LHV_PIC_SLAVE + 1, 1, 0x02);
	out(LHV_PIC_SLAVE + 1, 1, 0x01);
	out(LHV_PIC_MASTER + 1, 1, 0xfb);
	out(LHV_PIC_SLAVE + 1, 1, 0xfd);
	CHECK(in(LHV_PIC_MASTER + 1, 1) == 0xfb &&
	      in(LHV_PIC_SLAVE + 1, 1) == 0xfd && pc.pic.master.vector == 0x30 &&
	      pc.pic.slave.vector == 0x38, "PIC init and masks via the bus");
	CHECK(in(LHV_PIC_MASTER, 1) == 0 && in(LHV_PIC_SLAVE, 1) == 0,
	      "PIC IRR empty via the bus");
	out(LHV_PIC_ELCR1, 1, 0x00);
	out(LHV_PIC_ELCR2, 1, 0x02);
	CHECK(in(LHV_PIC_ELCR1, 2) == 0x0200, "ELCR via the bus");

	out(PLAT_PORT_SYS_B, 1, 0x01);
	out(0x43, 1, 0xb0);
	out(0x42, 1, 100);
	out(0x42, 1, 0);
	t = now;
	now = t + 100 * LHV_NSEC_PER_SEC / LHV_PIT_HZ + 1000;
	CHECK(in(PLAT_PORT_SYS_B, 1) & LHV_SYS_B_OUT2, "PIT OUT2 via the bus");

	CHECK(lhv_bus_take_events(&pc.bus, NULL) == 0, "no events so far");
	out(PLAT_PORT_ACPI_PM1A_CNT, 2, PLAT_ACPI_S5_SLP_TYP << 10 | 1 << 13);
	CHECK(lhv_bus_take_events(&pc.bus, &ev) == LHV_DEV_EV_POWEROFF,
	      "S5 power-off event on the bus");
	out(PLAT_PORT_DEBUG_EXIT, 4, 0x10);
	CHECK(lhv_bus_take_events(&pc.bus, &ev) == LHV_DEV_EV_DEBUG_EXIT &&
	      ev.exit_status == 0x21, "debug exit on the bus");
	out(PLAT_PORT_RESET, 1, PLAT_ACPI_RESET_VALUE);
	CHECK(lhv_bus_take_events(&pc.bus, &ev) == LHV_DEV_EV_RESET &&
	      ev.reset_port == PLAT_PORT_RESET, "reset on the bus");
}

/* Linux's conf1 probe (arch/x86/pci/direct.c), then the I/O APIC by MMIO. */
static void test_pci_ioapic(void)
{
	uint64_t v = 0;

	out(0xcfb, 1, 0x01);
	out(0xcf8, 4, 0x80000000);
	CHECK(in(0xcf8, 4) == 0x80000000, "conf1 address register reads back");
	CHECK(in(0xcfc, 4) == (LHV_PCI_HOST_DEVICE << 16 | LHV_PCI_HOST_VENDOR),
	      "00:00.0 is the host bridge");
	out(0xcf8, 4, 0x80000000 | 0x08);
	CHECK(in(0xcfe, 2) == 0x0600, "host bridge class 06/00");
	out(0xcf8, 4, 0x80000000 | 1 << 11);
	CHECK(in(0xcfc, 4) == 0xffffffff, "an empty slot reads all-ones");
	CHECK(lhv_pc_mmio(&pc, PLAT_IOAPIC_GPA + 0x10, 4, false, &v) &&
	      v == 0, "I/O APIC at PLAT_IOAPIC_GPA: register 0, ID 0");
	v = 1;
	lhv_pc_mmio(&pc, PLAT_IOAPIC_GPA, 4, true, &v);
	CHECK(lhv_pc_mmio(&pc, PLAT_IOAPIC_GPA + 0x10, 4, false, &v) &&
	      v == 0x00170011, "I/O APIC version register");
	CHECK(!lhv_pc_mmio(&pc, PLAT_PCI_MMIO_GPA, 4, false, &v),
	      "no BAR claims the empty window");
}

int main(void)
{
	test_wiring();
	test_through_bus();
	test_pci_ioapic();
	return unit_done();
}
