// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the I/O APIC model (launcher/dev/ioapic.c): the register
 * file as Linux 6.1's io_apic.c reads and writes it, redirection entries
 * to MSIs (physical and logical, fixed and lowest priority; level
 * entries as edge MSIs), masking, edges, and accesses it must ignore.
 */
#include "../../launcher/dev/ioapic.h"
#include "unit.h"

static struct lhv_ioapic io;
static unsigned int sent;
static uint64_t last_addr;
static uint32_t last_data;

static void on_msi(void *opaque, uint64_t address, uint32_t data)
{
	(void)opaque;
	sent++;
	last_addr = address;
	last_data = data;
}

static uint32_t reg_read(uint32_t reg)
{
	lhv_ioapic_write(&io, 0x00, 4, reg);
	return lhv_ioapic_read(&io, 0x10, 4);
}

static void reg_write(uint32_t reg, uint32_t val)
{
	lhv_ioapic_write(&io, 0x00, 4, reg);
	lhv_ioapic_write(&io, 0x10, 4, val);
}

/* Linux's ioapic_write_entry(): high dword first, then the low one. */
static void set_entry(unsigned int pin, uint64_t e)
{
	reg_write(0x11 + 2 * pin, (uint32_t)(e >> 32));
	reg_write(0x10 + 2 * pin, (uint32_t)e);
}

static void pulse(unsigned int pin)
{
	lhv_ioapic_set_irq(&io, pin, true);
	lhv_ioapic_set_irq(&io, pin, false);
}

static void test_registers(void)
{
	unsigned int pin;
	bool ok = true;

	lhv_ioapic_init(&io, 5, on_msi, NULL);
	CHECK(reg_read(0) == 5u << 24, "ID register holds the MADT's ID");
	CHECK(reg_read(1) == 0x00170011, "version 0x11, 24 pins");
	CHECK(reg_read(2) == 5u << 24, "arbitration ID");
	for (pin = 0; pin < LHV_IOAPIC_PINS; pin++)
		ok &= reg_read(0x10 + 2 * pin) == LHV_IOAPIC_MASKED &&
		      reg_read(0x11 + 2 * pin) == 0;
	CHECK(ok, "every entry masked after reset");
	reg_write(0, 9u << 24);
	CHECK(reg_read(0) == 9u << 24, "ID is writable");
	reg_write(1, 0);
	CHECK(reg_read(1) == 0x00170011, "version is read-only");
	CHECK(reg_read(0x10 + 2 * LHV_IOAPIC_PINS) == 0 && reg_read(0xff) == 0,
	      "past the table reads 0");
	reg_write(0x10 + 2 * LHV_IOAPIC_PINS, 0x1234);
	CHECK(lhv_ioapic_read(&io, 0x00, 4) == 0x10 + 2 * LHV_IOAPIC_PINS,
	      "IOREGSEL reads back");
	CHECK(lhv_ioapic_read(&io, 0x10, 2) == 0xffff &&
	      lhv_ioapic_read(&io, 0x10, 1) == 0xff,
	      "a narrow access floats (the chip decodes dwords only)");
	lhv_ioapic_write(&io, 0x00, 1, 0x10);
	CHECK(lhv_ioapic_read(&io, 0x00, 4) == 0x10 + 2 * LHV_IOAPIC_PINS,
	      "a narrow write is ignored");
	CHECK(lhv_ioapic_read(&io, 0x40, 4) == 0, "no EOI register (v0x11)");
	set_entry(3, 0xffffffffffffffffULL);
	CHECK(!(reg_read(0x16) & (LHV_IOAPIC_DELIVS | LHV_IOAPIC_REMOTE_IRR)),
	      "delivery status and remote IRR are read-only");
}

static void test_delivery(void)
{
	uint64_t addr;
	uint32_t data;

	lhv_ioapic_init(&io, 0, on_msi, NULL);
	sent = 0;
	pulse(4);
	CHECK(sent == 0, "a masked pin sends nothing");
	CHECK(io.level == 0, "the pulse left the line low");

	/* COM1 as Linux sets it up: fixed, physical, edge, vector 0x24. */
	set_entry(4, 2ULL << 56 | 0x24);
	CHECK(sent == 0, "unmasking after a pulse that ended sends nothing");
	pulse(4);
	CHECK(sent == 1 && last_addr == (0xfee00000 | 2 << 12) &&
	      last_data == 0x24, "edge: fixed, physical APIC 2, vector 0x24");
	lhv_ioapic_set_irq(&io, 4, true);
	lhv_ioapic_set_irq(&io, 4, true);
	CHECK(sent == 2, "a held line is one edge");
	lhv_ioapic_set_irq(&io, 4, false);

	/* Logical, lowest priority (flat mode: a CPU bitmap). */
	set_entry(5, 0x03ULL << 56 | LHV_IOAPIC_DESTMODE | 1u << 8 | 0x31);
	pulse(5);
	CHECK(sent == 3 && last_addr == (0xfee00000 | 3 << 12 | 1 << 2) &&
	      last_data == (1u << 8 | 0x31), "logical, lowest priority");

	/*
	 * A level entry: delivered as an edge MSI (LHV_SIGNAL_MSI refuses
	 * level ones), on every edge, Remote IRR never set.
	 */
	set_entry(9, LHV_IOAPIC_LEVEL | LHV_IOAPIC_POLARITY | 0x41);
	pulse(9);
	CHECK(sent == 4 && last_data == 0x41,
	      "level entry: an edge MSI (trigger and assert bits clear)");
	CHECK(!(reg_read(0x10 + 18) & LHV_IOAPIC_REMOTE_IRR),
	      "remote IRR never set (no EOI reaches the model)");
	pulse(9);
	CHECK(sent == 5, "level entry: the next edge with no EOI between");
	/* Linux's ioapic_ack_level() when the TMR bit is clear. */
	set_entry(9, LHV_IOAPIC_MASKED | LHV_IOAPIC_POLARITY | 0x41);
	set_entry(9, LHV_IOAPIC_LEVEL | LHV_IOAPIC_POLARITY | 0x41);
	CHECK(sent == 5, "its edge-then-level rewrite delivers nothing");
	pulse(9);
	CHECK(sent == 6 && last_data == 0x41, "and the line still works");

	/* An edge while masked and still asserted arrives on unmask. */
	set_entry(7, LHV_IOAPIC_MASKED | 0x50);
	lhv_ioapic_set_irq(&io, 7, true);
	CHECK(sent == 6, "masked: held back");
	set_entry(7, 0x50);
	CHECK(sent == 7 && (last_data & 0xff) == 0x50,
	      "unmasked while asserted: delivered");
	set_entry(7, 0x50);
	CHECK(sent == 7, "delivered once");

	lhv_ioapic_set_irq(&io, LHV_IOAPIC_PINS, true);
	lhv_ioapic_set_irq(&io, 1000, true);
	CHECK(sent == 7, "pins past the table are ignored");

	lhv_ioapic_entry_msi(0xfeULL << 56 | 4u << 8 | 0x02, &addr, &data);
	CHECK(addr == (0xfee00000 | 0xfe << 12) && data == (4u << 8 | 2),
	      "NMI delivery mode kept in the data");
	lhv_ioapic_init(&io, 0, NULL, NULL);
	set_entry(1, 0x30);
	pulse(1);
	CHECK(io.delivered == 1, "no callback: counted, no crash");
}

int main(void)
{
	test_registers();
	test_delivery();
	return unit_done();
}
