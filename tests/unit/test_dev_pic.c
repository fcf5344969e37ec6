// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 8259A pair (launcher/dev/pic.c): the port accesses of
 * Linux 6.1's arch/x86/kernel/i8259.c replayed in its boot order (probe,
 * init_8259A(0), the cascade and SCI unmasks, the spurious-IRQ check and
 * its EOIs, print_PIC(), init_8259A(1)), ACPI's ELCR update, then the
 * ICW sequence variants, OCW3 and wide accesses on their own.
 */
#include "../../launcher/dev/pic.h"
#include "unit.h"

static struct lhv_pic pic;
/* Linux's cached_irq_mask: master in the low byte, slave in the high. */
static unsigned int cached_irq_mask = 0xffff;

static uint8_t inb(uint16_t port)
{
	return lhv_pic_read(&pic, port, 1);
}

static void outb(uint8_t val, uint16_t port)
{
	lhv_pic_write(&pic, port, 1, val);
}

/* init_8259A(): the same writes, with ISA_IRQ_VECTOR(0) == 0x30. */
static void linux_init_8259a(int auto_eoi)
{
	outb(0xff, 0x21);
	outb(0x11, 0x20);
	outb(0x30, 0x21);
	outb(1u << 2, 0x21);
	outb(auto_eoi ? 0x01 | 0x02 : 0x01, 0x21);
	outb(0x11, 0xa0);
	outb(0x38, 0xa1);
	outb(2, 0xa1);
	outb(0x01, 0xa1);
	outb(cached_irq_mask, 0x21);
	outb(cached_irq_mask >> 8, 0xa1);
}

static void linux_unmask(unsigned int irq)
{
	cached_irq_mask &= ~(1u << irq);
	if (irq & 8)
		outb(cached_irq_mask >> 8, 0xa1);
	else
		outb(cached_irq_mask, 0x21);
}

static void linux_mask(unsigned int irq)
{
	cached_irq_mask |= 1u << irq;
	if (irq & 8)
		outb(cached_irq_mask >> 8, 0xa1);
	else
		outb(cached_irq_mask, 0x21);
}

static bool chip_is(const struct lhv_pic_chip *c, uint8_t vector,
		    uint8_t icw3, uint8_t icw4)
{
	return c->vector == vector && c->icw3 == icw3 && c->icw4 == icw4 &&
	       c->icw1 == 0x11 && !c->next_icw;
}

static void test_linux_boot(void)
{
	unsigned int v, old;

	lhv_pic_init(&pic);
	CHECK(inb(0x21) == 0xff && inb(0xa1) == 0xff, "reset: all masked");

	/* probe_8259A() */
	outb(0xff, 0xa1);
	outb(0xfb, 0x21);
	CHECK(inb(0x21) == 0xfb, "probe reads back 0xfb: a PIC is there");

	linux_init_8259a(0);
	CHECK(inb(0x21) == 0xff && inb(0xa1) == 0xff,
	      "init_8259A(0): masks read back 0xff/0xff");
	CHECK(chip_is(&pic.master, 0x30, 0x04, 0x01), "master ICW2-4 stored");
	CHECK(chip_is(&pic.slave, 0x38, 0x02, 0x01), "slave ICW2-4 stored");
	CHECK(!pic.master.aeoi && !pic.slave.aeoi, "normal EOI");

	/* request_irq(2, "cascade"), then the SCI's IRQ 9 */
	linux_unmask(2);
	CHECK(inb(0x21) == 0xfb && inb(0xa1) == 0xff, "IRQ 2 unmasked");
	linux_unmask(9);
	CHECK(inb(0x21) == 0xfb && inb(0xa1) == 0xfd, "IRQ 9 unmasked");

	/* i8259A_irq_pending(9), (0): IRR reads */
	CHECK((inb(0xa0) & 0x02) == 0 && (inb(0x20) & 0x01) == 0,
	      "nothing pending");

	/* mask_and_ack_8259A(9) with IRQ 9 masked: the spurious check */
	linux_mask(9);
	outb(0x0b, 0xa0);
	CHECK(pic.slave.read_isr, "OCW3 0x0b selects ISR");
	CHECK(inb(0xa0) == 0, "ISR reads 0");
	outb(0x0a, 0xa0);
	CHECK(!pic.slave.read_isr, "OCW3 0x0a back to IRR");
	inb(0xa1);
	outb(cached_irq_mask >> 8, 0xa1);
	outb(0x60 + (9 & 7), 0xa0);
	outb(0x60 + 2, 0x20);
	CHECK(inb(0x21) == 0xfb && inb(0xa1) == 0xff,
	      "specific EOIs leave the masks alone");
	CHECK(!pic.master.next_icw && !pic.slave.next_icw &&
	      pic.master.vector == 0x30, "EOIs are not ICWs");

	/* print_PIC() */
	CHECK((inb(0xa1) << 8 | inb(0x21)) == 0xfffb, "print_PIC IMR");
	CHECK((inb(0xa0) << 8 | inb(0x20)) == 0, "print_PIC IRR");
	outb(0x0b, 0xa0);
	outb(0x0b, 0x20);
	CHECK((inb(0xa0) << 8 | inb(0x20)) == 0, "print_PIC ISR");
	outb(0x0a, 0xa0);
	outb(0x0a, 0x20);

	/* acpi_pic_sci_set_trigger(9, level) */
	old = inb(0x4d0) | inb(0x4d1) << 8;
	CHECK(old == 0, "ELCR: all edge at reset");
	v = 1u << 9;
	outb(v, 0x4d0);
	outb(v >> 8, 0x4d1);
	CHECK((inb(0x4d1) << 8 | inb(0x4d0)) == 0x0200, "ELCR: SCI level");

	/* mask_8259A() and unmask_8259A() around the local APIC setup */
	outb(0xff, 0x21);
	outb(0xff, 0xa1);
	CHECK(inb(0x21) == 0xff && inb(0xa1) == 0xff, "mask_8259A");
	outb(cached_irq_mask, 0x21);
	outb(cached_irq_mask >> 8, 0xa1);
	CHECK(inb(0x21) == 0xfb && inb(0xa1) == 0xff, "unmask_8259A");

	/* init_8259A(1), as the I/O APIC timer check does */
	linux_init_8259a(1);
	CHECK(chip_is(&pic.master, 0x30, 0x04, 0x03) && pic.master.aeoi,
	      "master auto-EOI");
	CHECK(chip_is(&pic.slave, 0x38, 0x02, 0x01) && !pic.slave.aeoi,
	      "slave normal EOI");
	CHECK(inb(0x21) == 0xfb && inb(0xa1) == 0xff,
	      "init_8259A(1) restores the cached masks");
}

static void test_icw_sequences(void)
{
	struct lhv_pic_chip *m = &pic.master;

	lhv_pic_init(&pic);
	outb(0x5a, 0x21);
	m->special_mask = true;
	m->read_isr = true;
	outb(0x1b, 0x20);		/* single, level, ICW4 */
	CHECK(m->imr == 0 && inb(0x21) == 0 && !m->special_mask &&
	      !m->read_isr && m->next_icw == 2 && m->icw1 == 0x1b,
	      "ICW1 stored, resets IMR, SMM, RIS");
	outb(0x47, 0x21);
	CHECK(m->vector == 0x40 && m->next_icw == 4, "single: ICW3 skipped");
	outb(0x03, 0x21);
	CHECK(m->icw4 == 0x03 && m->aeoi && !m->next_icw && m->icw3 == 4,
	      "ICW4 read as ICW4");
	outb(0x12, 0x21);
	CHECK(inb(0x21) == 0x12 && m->icw4 == 0x03, "then OCW1");

	outb(0x10, 0x20);		/* cascade, no ICW4 */
	CHECK(m->icw4 == 0 && !m->aeoi, "ICW1 without IC4 zeroes ICW4");
	outb(0x20, 0x21);
	CHECK(m->next_icw == 3, "cascade: ICW3 next");
	outb(0x04, 0x21);
	CHECK(m->icw3 == 0x04 && !m->next_icw, "no ICW4: done after ICW3");
	outb(0x34, 0x21);
	CHECK(inb(0x21) == 0x34 && m->vector == 0x20, "then OCW1");

	outb(0x12, 0x20);		/* single, no ICW4 */
	outb(0x68, 0x21);
	CHECK(m->vector == 0x68 && !m->next_icw, "ICW2 alone");
	outb(0xee, 0x21);
	CHECK(inb(0x21) == 0xee && m->icw3 == 0x04, "then OCW1");

	/* OCW2/OCW3 in the middle of a sequence do not end it. */
	outb(0x11, 0xa0);
	outb(0x20, 0xa0);		/* non-specific EOI */
	outb(0x0b, 0xa0);
	outb(0x50, 0xa1);
	CHECK(pic.slave.vector == 0x50 && pic.slave.next_icw == 3 &&
	      pic.slave.read_isr, "OCWs during init");
	CHECK(m->imr == 0xee && !m->next_icw, "master untouched by slave");
}

static void test_ocw3(void)
{
	struct lhv_pic_chip *s = &pic.slave;

	lhv_pic_init(&pic);
	outb(0x68, 0xa0);
	CHECK(s->special_mask, "OCW3 sets special mask mode");
	outb(0x08, 0xa0);
	CHECK(s->special_mask && !s->read_isr, "ESMM clear: SMM kept");
	outb(0x48, 0xa0);
	CHECK(!s->special_mask, "OCW3 clears special mask mode");
	outb(0x0b, 0xa0);
	outb(0x09, 0xa0);
	CHECK(s->read_isr, "RR clear: RIS kept");
	outb(0x0c, 0xa0);
	CHECK(s->poll && s->read_isr, "poll armed");
	CHECK(inb(0xa0) == 0 && !s->poll, "poll reads 0 once");
	CHECK(!pic.master.poll && !pic.master.special_mask, "master apart");
	outb(0xc7, 0x20);		/* OCW2 set priority: accepted */
	outb(0xa0, 0x20);		/* rotate on non-specific EOI */
	CHECK(inb(0x21) == 0xff && inb(0x20) == 0 && !pic.master.next_icw,
	      "OCW2 changes nothing visible");
}

static void test_elcr_and_wide(void)
{
	lhv_pic_init(&pic);
	outb(0xff, 0x4d0);
	outb(0xff, 0x4d1);
	CHECK(inb(0x4d0) == 0xf8 && inb(0x4d1) == 0xde,
	      "ELCR: IRQs 0, 1, 2, 8, 13 stay edge");
	lhv_pic_write(&pic, 0x4d0, 2, 0x0a00);
	CHECK(lhv_pic_read(&pic, 0x4d0, 2) == 0x0a00, "ELCR as one word");
	CHECK(lhv_pic_read(&pic, 0x4d1, 2) == 0xff0a, "past the ELCR: 0xff");

	lhv_pic_write(&pic, 0x20, 2, 0x3c0b);
	CHECK(pic.master.read_isr && pic.master.imr == 0x3c,
	      "word write: OCW3 then OCW1");
	CHECK(lhv_pic_read(&pic, 0x20, 4) == 0xffff3c00,
	      "dword read: ISR, IMR, then 0xff");
	lhv_pic_write(&pic, 0xa1, 4, 0x11223344);
	CHECK(pic.slave.imr == 0x44 && !pic.slave.next_icw,
	      "bytes past the slave are dropped");
	CHECK(lhv_pic_read(&pic, 0x22, 1) == 0xff, "not our port: 0xff");
}

int main(void)
{
	test_linux_boot();
	test_icw_sequences();
	test_ocw3();
	test_elcr_and_wide();
	return unit_done();
}
