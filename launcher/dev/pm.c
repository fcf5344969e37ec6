// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI PM block (pm.h says what it covers).  The twelve ports are
 * handled as bytes so that byte, word and dword accesses all behave as on
 * a chipset; a write is judged once it has landed whole, so a 16-bit
 * PM1a_CNT write with SLP_TYP and SLP_EN is one request.
 */
#include <string.h>

#include "../platform.h"
#include "pm.h"

#define OFF_STS		0
#define OFF_EN		2
#define OFF_CNT		4
#define OFF_TMR		8

/* Bits the control register keeps: SLP_EN and GBL_RLS are write-only. */
#define CNT_STORED	(~(LHV_PM1_CNT_SLP_EN | 0x0004) & 0xffff)

uint64_t lhv_pm_timer_ticks(uint64_t now_ns)
{
	return lhv_dev_ticks(now_ns, PLAT_ACPI_PM_TMR_HZ);
}

static uint32_t tmr_epoch(const struct lhv_pm *pm)
{
	return lhv_pm_timer_ticks(lhv_dev_now(&pm->clock)) >> 23;
}

/* TMR_STS is due once timer bit 23 has toggled since it was cleared. */
static void refresh_tmr_sts(struct lhv_pm *pm)
{
	if (tmr_epoch(pm) != pm->tmr_epoch)
		pm->sts |= LHV_PM1_TMR_STS;
}

static void update_sci(struct lhv_pm *pm)
{
	bool line = pm->sts & pm->en & LHV_PM1_PWRBTN_STS;

	if (line && !pm->sci_line && pm->sci)
		pm->sci(pm->opaque);
	pm->sci_line = line;
}

void lhv_pm_init(struct lhv_pm *pm, const struct lhv_dev_clock *clock,
		 void (*sci)(void *opaque), void *opaque,
		 struct lhv_dev_events *events)
{
	memset(pm, 0, sizeof(*pm));
	pm->clock = *clock;
	pm->sci = sci;
	pm->opaque = opaque;
	pm->events = events;
	pm->tmr_epoch = tmr_epoch(pm);
}

void lhv_pm_power_button(struct lhv_pm *pm)
{
	pm->sts |= LHV_PM1_PWRBTN_STS;
	update_sci(pm);
}

static uint8_t reg_byte(struct lhv_pm *pm, unsigned int off, uint32_t tmr)
{
	uint16_t cnt = pm->cnt | LHV_PM1_CNT_SCI_EN;

	switch (off) {
	case OFF_STS:
	case OFF_STS + 1:
		return pm->sts >> (8 * (off - OFF_STS));
	case OFF_EN:
	case OFF_EN + 1:
		return pm->en >> (8 * (off - OFF_EN));
	case OFF_CNT:
	case OFF_CNT + 1:
		return cnt >> (8 * (off - OFF_CNT));
	case OFF_TMR:
	case OFF_TMR + 1:
	case OFF_TMR + 2:
	case OFF_TMR + 3:
		return tmr >> (8 * (off - OFF_TMR));
	default:
		return 0xff;
	}
}

uint32_t lhv_pm_read(struct lhv_pm *pm, uint16_t port, unsigned int size)
{
	uint32_t tmr, val = 0;
	unsigned int i;

	/* One clock sample per access, so a dword read is consistent. */
	tmr = lhv_pm_timer_ticks(lhv_dev_now(&pm->clock)) & 0xffffff;
	refresh_tmr_sts(pm);
	for (i = 0; i < size && i < 4; i++) {
		unsigned int off = (uint16_t)(port + i) - PLAT_PORT_ACPI_PM1A_EVT;

		val |= (uint32_t)reg_byte(pm, off, tmr) << (8 * i);
	}
	return val;
}

static void write_cnt(struct lhv_pm *pm, uint16_t val)
{
	pm->cnt = val & CNT_STORED & ~LHV_PM1_CNT_SCI_EN;
	if ((val & LHV_PM1_CNT_SLP_EN) &&
	    ((val & LHV_PM1_CNT_SLP_TYP) >> 10) == PLAT_ACPI_S5_SLP_TYP &&
	    pm->events)
		pm->events->pending |= LHV_DEV_EV_POWEROFF;
}

void lhv_pm_write(struct lhv_pm *pm, uint16_t port, unsigned int size,
		  uint32_t val)
{
	uint16_t clear = 0, en = pm->en, cnt = pm->cnt;
	bool cnt_written = false;
	unsigned int i;

	refresh_tmr_sts(pm);
	for (i = 0; i < size && i < 4; i++) {
		unsigned int off = (uint16_t)(port + i) - PLAT_PORT_ACPI_PM1A_EVT;
		unsigned int shift = 8 * (off & 1);
		uint8_t byte = val >> (8 * i);

		if (off == OFF_STS || off == OFF_STS + 1) {
			clear |= byte << shift;
		} else if (off == OFF_EN || off == OFF_EN + 1) {
			en = (en & ~(0xff << shift)) | byte << shift;
		} else if (off == OFF_CNT || off == OFF_CNT + 1) {
			cnt = (cnt & ~(0xff << shift)) | byte << shift;
			cnt_written = true;
		}
		/* The timer and the gap are read-only. */
	}
	if (clear & LHV_PM1_TMR_STS)
		pm->tmr_epoch = tmr_epoch(pm);
	pm->sts &= ~clear;
	pm->en = en;
	if (cnt_written)
		write_cnt(pm, cnt);
	update_sci(pm);
}

static uint32_t pio_read(void *dev, uint16_t port, unsigned int size)
{
	return lhv_pm_read(dev, port, size);
}

static void pio_write(void *dev, uint16_t port, unsigned int size,
		      uint32_t val)
{
	lhv_pm_write(dev, port, size, val);
}

const struct lhv_pio_ops lhv_pm_pio_ops = {
	.read = pio_read,
	.write = pio_write,
};
