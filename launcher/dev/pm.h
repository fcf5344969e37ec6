/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI fixed-hardware PM block the FADT describes: PM1a event block at
 * PLAT_PORT_ACPI_PM1A_EVT (status, then enable, 16 bits each), PM1a
 * control at PLAT_PORT_ACPI_PM1A_CNT and the PM timer at
 * PLAT_PORT_ACPI_PM_TMR.  Registers are byte-addressable: an access of
 * any size covers the bytes it spans, bytes outside read 0xff.
 *
 * Modelled:
 *  - the PM timer: 24 bits counting at PLAT_ACPI_PM_TMR_HZ from the
 *    injected clock (its value is the tick count since the clock's zero);
 *  - PM1 status, write 1 to clear: TMR_STS (set when timer bit 23 has
 *    toggled since it was last cleared, worked out at each read) and
 *    PWRBTN_STS (lhv_pm_power_button()); enable stored;
 *  - an SCI callback on each rising edge of (status & enable) with
 *    SCI_EN, the launcher's to deliver on PLAT_ACPI_SCI_IRQ; only the
 *    power button can raise it, since TMR_STS is found only when read;
 *  - PM1 control: SCI_EN always reads 1 (the machine is in ACPI mode
 *    from reset, so the FADT needs no SMI_CMD), SLP_EN reads 0, other
 *    bits are stored; writing SLP_EN with SLP_TYP == PLAT_ACPI_S5_SLP_TYP
 *    raises LHV_DEV_EV_POWEROFF.  Other sleep types are ignored: the
 *    DSDT offers only \_S5.
 *
 * Not modelled: sleep states other than S5, WAK_STS, the global lock
 * (GBL_STS/GBL_RLS), bus master status, RTC and sleep buttons, the PM2
 * and GPE blocks (the FADT has none), and timer overflow interrupts.
 */
#ifndef _LHV_DEV_PM_H
#define _LHV_DEV_PM_H

#include "dev.h"

#define LHV_PM_NR_PORTS		12	/* EVT 4, CNT 2, pad 2, TMR 4 */

#define LHV_PM1_TMR_STS		0x0001
#define LHV_PM1_PWRBTN_STS	0x0100
#define LHV_PM1_CNT_SCI_EN	0x0001
#define LHV_PM1_CNT_SLP_TYP	0x1c00
#define LHV_PM1_CNT_SLP_EN	0x2000

struct lhv_pm {
	struct lhv_dev_clock clock;
	void (*sci)(void *opaque);	/* rising edge; may be NULL */
	void *opaque;
	struct lhv_dev_events *events;
	uint16_t sts, en, cnt;
	uint32_t tmr_epoch;		/* timer ticks >> 23 when TMR_STS was cleared */
	bool sci_line;
};

void lhv_pm_init(struct lhv_pm *pm, const struct lhv_dev_clock *clock,
		 void (*sci)(void *opaque), void *opaque,
		 struct lhv_dev_events *events);

uint32_t lhv_pm_read(struct lhv_pm *pm, uint16_t port, unsigned int size);
void lhv_pm_write(struct lhv_pm *pm, uint16_t port, unsigned int size,
		  uint32_t val);

/* A press of the power button: PWRBTN_STS, and an SCI if enabled. */
void lhv_pm_power_button(struct lhv_pm *pm);

/* The PM timer's full tick count at @now_ns (the register is its low 24 bits). */
uint64_t lhv_pm_timer_ticks(uint64_t now_ns);

extern const struct lhv_pio_ops lhv_pm_pio_ops;

#endif /* _LHV_DEV_PM_H */
