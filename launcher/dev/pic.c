// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A pair and the ELCR (pic.h).  Only registers: no request ever
 * reaches these chips, so there is no IRR, ISR or priority logic.
 */
#include <string.h>

#include "pic.h"

/* As a BIOS leaves the chip: initialised, every input masked. */
static void chip_init(struct lhv_pic_chip *chip, uint8_t vector, uint8_t icw3)
{
	memset(chip, 0, sizeof(*chip));
	chip->imr = 0xff;
	chip->icw1 = LHV_PIC_ICW1 | LHV_PIC_ICW1_IC4;
	chip->vector = vector;
	chip->icw3 = icw3;
	chip->icw4 = 0x01;		/* 8086 mode, normal EOI */
}

void lhv_pic_init(struct lhv_pic *pic)
{
	chip_init(&pic->master, 0x08, 1u << 2);
	chip_init(&pic->slave, 0x70, 2);
	pic->elcr[0] = 0;
	pic->elcr[1] = 0;
}

/* ICW1: what the datasheet says it resets, then wait for ICW2. */
static void write_icw1(struct lhv_pic_chip *chip, uint8_t val)
{
	chip->icw1 = val;
	chip->imr = 0;
	chip->special_mask = false;
	chip->read_isr = false;
	chip->poll = false;
	chip->icw4 = 0;
	chip->aeoi = false;
	chip->next_icw = 2;
}

/* RR (bit 1) enables RIS (bit 0), ESMM (bit 6) enables SMM (bit 5). */
static void write_ocw3(struct lhv_pic_chip *chip, uint8_t val)
{
	if (val & LHV_PIC_OCW3_POLL)
		chip->poll = true;
	if (val & 0x02)
		chip->read_isr = val & 0x01;
	if (val & 0x40)
		chip->special_mask = val & 0x20;
}

static void write_cmd(struct lhv_pic_chip *chip, uint8_t val)
{
	if (val & LHV_PIC_ICW1)
		write_icw1(chip, val);
	else if (val & LHV_PIC_OCW3)
		write_ocw3(chip, val);
	/* else OCW2: every EOI form finds ISR empty; rotation is moot. */
}

/* The ICW after ICW@done, or 0 when initialisation is over. */
static uint8_t icw_after(const struct lhv_pic_chip *chip, uint8_t done)
{
	if (done == 2 && !(chip->icw1 & LHV_PIC_ICW1_SNGL))
		return 3;
	if (done <= 3 && (chip->icw1 & LHV_PIC_ICW1_IC4))
		return 4;
	return 0;
}

static void write_data(struct lhv_pic_chip *chip, uint8_t val)
{
	switch (chip->next_icw) {
	case 2:
		chip->vector = val & 0xf8;
		break;
	case 3:
		chip->icw3 = val;
		break;
	case 4:
		chip->icw4 = val;
		chip->aeoi = val & LHV_PIC_ICW4_AEOI;
		break;
	default:
		chip->imr = val;	/* OCW1 */
		return;
	}
	chip->next_icw = icw_after(chip, chip->next_icw);
}

static uint8_t read_cmd(struct lhv_pic_chip *chip)
{
	/* A poll answers once: bit 7 clear, no interrupt. */
	chip->poll = false;
	return 0;			/* IRR and ISR are always empty */
}

static uint8_t pic_readb(struct lhv_pic *pic, uint16_t port)
{
	switch (port) {
	case LHV_PIC_MASTER:
		return read_cmd(&pic->master);
	case LHV_PIC_MASTER + 1:
		return pic->master.imr;
	case LHV_PIC_SLAVE:
		return read_cmd(&pic->slave);
	case LHV_PIC_SLAVE + 1:
		return pic->slave.imr;
	case LHV_PIC_ELCR1:
	case LHV_PIC_ELCR2:
		return pic->elcr[port - LHV_PIC_ELCR1];
	default:
		return 0xff;
	}
}

static void pic_writeb(struct lhv_pic *pic, uint16_t port, uint8_t val)
{
	switch (port) {
	case LHV_PIC_MASTER:
		write_cmd(&pic->master, val);
		break;
	case LHV_PIC_MASTER + 1:
		write_data(&pic->master, val);
		break;
	case LHV_PIC_SLAVE:
		write_cmd(&pic->slave, val);
		break;
	case LHV_PIC_SLAVE + 1:
		write_data(&pic->slave, val);
		break;
	case LHV_PIC_ELCR1:
		pic->elcr[0] = val & LHV_PIC_ELCR1_MASK;
		break;
	case LHV_PIC_ELCR2:
		pic->elcr[1] = val & LHV_PIC_ELCR2_MASK;
		break;
	default:
		break;
	}
}

uint32_t lhv_pic_read(struct lhv_pic *pic, uint16_t port, unsigned int size)
{
	uint32_t val = 0;
	unsigned int i;

	for (i = 0; i < size && i < 4; i++)
		val |= (uint32_t)pic_readb(pic, port + i) << (8 * i);
	return val;
}

void lhv_pic_write(struct lhv_pic *pic, uint16_t port, unsigned int size,
		   uint32_t val)
{
	unsigned int i;

	for (i = 0; i < size && i < 4; i++)
		pic_writeb(pic, port + i, val >> (8 * i));
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_pic_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_pic_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_pic_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
