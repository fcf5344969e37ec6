// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ACPI PM block (launcher/dev/pm.c): the PM timer's
 * value, its 24-bit wrap at the exact nanosecond and its arithmetic over
 * centuries of uptime, TMR_STS, write-1-to-clear status, the power
 * button's SCI edges, SCI_EN, and S5 power-off through PM1a_CNT.
 */
#include "../../launcher/dev/pm.h"
#include "../../launcher/platform.h"
#include "unit.h"

#define EVT	PLAT_PORT_ACPI_PM1A_EVT
#define CNT	PLAT_PORT_ACPI_PM1A_CNT
#define TMR	PLAT_PORT_ACPI_PM_TMR
#define HZ	PLAT_ACPI_PM_TMR_HZ

static uint64_t now;
static struct lhv_pm pm;
static struct lhv_dev_events ev;
static unsigned int scis;

static uint64_t fake_now(void *opaque)
{
	return *(uint64_t *)opaque;
}

static void on_sci(void *opaque)
{
	CHECK(opaque == &pm, "sci gets its opaque");
	scis++;
}

/* The first nanosecond at which the timer has counted @ticks. */
static uint64_t ns_for(uint64_t ticks)
{
	return (ticks * LHV_NSEC_PER_SEC + HZ - 1) / HZ;
}

static uint64_t exact_ticks(uint64_t ns)
{
	return (__uint128_t)ns * HZ / LHV_NSEC_PER_SEC;
}

static void reset(uint64_t t)
{
	const struct lhv_dev_clock clock = { fake_now, &now };

	now = t;
	ev = (struct lhv_dev_events){ 0 };
	scis = 0;
	lhv_pm_init(&pm, &clock, on_sci, &pm, &ev);
}

static void test_timer(void)
{
	static const uint64_t samples[] = {
		1, 999999999, 1000000000, 86400ULL * 30 * LHV_NSEC_PER_SEC + 7,
		(1ULL << 63) + 12345, UINT64_MAX,
	};
	uint64_t wrap = ns_for(1ULL << 24);
	unsigned int i;
	bool ok = true;

	reset(0);
	CHECK(lhv_pm_read(&pm, TMR, 4) == 0, "timer 0 at time 0");
	now = LHV_NSEC_PER_SEC;
	CHECK(lhv_pm_read(&pm, TMR, 4) == 3579545, "one second: 3579545 ticks");
	now = ns_for(1000) - 1;
	CHECK(lhv_pm_read(&pm, TMR, 4) == 999, "just before tick 1000");
	now++;
	CHECK(lhv_pm_read(&pm, TMR, 4) == 1000, "tick 1000 on the nanosecond");
	now = wrap - 1;
	CHECK(lhv_pm_read(&pm, TMR, 4) == 0xffffff, "last value before the wrap");
	now = wrap;
	CHECK(lhv_pm_read(&pm, TMR, 4) == 0, "wraps to 0 at 2^24 ticks");
	now = ns_for((1ULL << 24) + 0x123456);
	CHECK(lhv_pm_read(&pm, TMR, 4) == 0x123456, "counts on after the wrap");
	CHECK(lhv_pm_read(&pm, TMR + 1, 1) == 0x34, "byte read of bits 15:8");
	CHECK(lhv_pm_read(&pm, TMR, 2) == 0x3456, "16-bit read");
	CHECK(lhv_pm_read(&pm, TMR + 2, 4) == 0xffff0012,
	      "dword read past the block: 0xff beyond");
	lhv_pm_write(&pm, TMR, 4, 0);
	CHECK(lhv_pm_read(&pm, TMR, 4) == 0x123456, "timer writes ignored");

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (lhv_pm_timer_ticks(samples[i]) != exact_ticks(samples[i]))
			ok = false;
	CHECK(ok, "tick arithmetic exact up to UINT64_MAX ns (no overflow)");
	now = samples[3];
	CHECK(lhv_pm_read(&pm, TMR, 4) == (exact_ticks(now) & 0xffffff),
	      "30 days of uptime");
}

static void test_status(void)
{
	reset(5);
	CHECK(lhv_pm_read(&pm, EVT, 4) == 0, "status and enable 0 at reset");
	now = ns_for(1ULL << 23) - 1;
	CHECK(lhv_pm_read(&pm, EVT, 2) == 0, "no TMR_STS before bit 23 toggles");
	now++;
	CHECK(lhv_pm_read(&pm, EVT, 2) == LHV_PM1_TMR_STS, "TMR_STS at 2^23");
	lhv_pm_write(&pm, EVT, 2, 0x0100);
	CHECK(lhv_pm_read(&pm, EVT, 2) == LHV_PM1_TMR_STS,
	      "writing 1 to another bit leaves TMR_STS");
	lhv_pm_write(&pm, EVT, 2, LHV_PM1_TMR_STS);
	CHECK(lhv_pm_read(&pm, EVT, 2) == 0, "write 1 clears TMR_STS");
	now = ns_for(1ULL << 24) - 1;
	CHECK(lhv_pm_read(&pm, EVT, 2) == 0, "stays clear within the period");
	now++;
	CHECK(lhv_pm_read(&pm, EVT, 1) == LHV_PM1_TMR_STS, "next toggle sets it");
	lhv_pm_write(&pm, EVT, 1, 0xff);
	CHECK(lhv_pm_read(&pm, EVT, 2) == 0, "byte write clears too");

	lhv_pm_power_button(&pm);
	CHECK(lhv_pm_read(&pm, EVT, 2) == LHV_PM1_PWRBTN_STS && scis == 0,
	      "power button: PWRBTN_STS, no SCI while disabled");
	lhv_pm_write(&pm, EVT + 2, 2, 0x0100);
	CHECK(scis == 1, "enabling a pending status raises the SCI");
	CHECK(lhv_pm_read(&pm, EVT + 2, 2) == 0x0100, "enable reads back");
	CHECK(lhv_pm_read(&pm, EVT, 4) == 0x01000100, "dword: status, enable");
	lhv_pm_power_button(&pm);
	CHECK(scis == 1, "second press while pending: no edge");
	lhv_pm_write(&pm, EVT + 1, 1, 0x01);
	CHECK(lhv_pm_read(&pm, EVT, 2) == 0 && !pm.sci_line,
	      "write 1 to the high byte clears PWRBTN_STS");
	lhv_pm_power_button(&pm);
	CHECK(scis == 2, "press after the clear: new SCI");
	lhv_pm_write(&pm, EVT, 4, 0x0000ffff);
	CHECK(lhv_pm_read(&pm, EVT, 4) == 0, "dword write: clear all, enable 0");
	CHECK(ev.pending == 0, "no events from the status block");
}

static void test_control(void)
{
	reset(0);
	CHECK(lhv_pm_read(&pm, CNT, 2) == LHV_PM1_CNT_SCI_EN,
	      "SCI_EN reads 1 from reset");
	lhv_pm_write(&pm, CNT, 2, 0);
	CHECK(lhv_pm_read(&pm, CNT, 2) == LHV_PM1_CNT_SCI_EN,
	      "SCI_EN cannot be cleared");
	lhv_pm_write(&pm, CNT, 2, PLAT_ACPI_S5_SLP_TYP << 10);
	CHECK(ev.pending == 0, "SLP_TYP without SLP_EN: nothing");
	CHECK(lhv_pm_read(&pm, CNT, 2) == (PLAT_ACPI_S5_SLP_TYP << 10 | 1),
	      "SLP_TYP stored");
	lhv_pm_write(&pm, CNT, 2, 3 << 10 | LHV_PM1_CNT_SLP_EN);
	CHECK(ev.pending == 0, "S3 request ignored");
	CHECK(lhv_pm_read(&pm, CNT, 2) == (3 << 10 | 1), "SLP_EN reads 0");
	lhv_pm_write(&pm, CNT, 2,
		     PLAT_ACPI_S5_SLP_TYP << 10 | LHV_PM1_CNT_SLP_EN);
	CHECK(ev.pending == LHV_DEV_EV_POWEROFF, "S5 + SLP_EN: power-off");
	ev.pending = 0;
	lhv_pm_write(&pm, CNT, 1, 0x00);
	CHECK(ev.pending == 0, "low-byte write does not repeat it");
	lhv_pm_write(&pm, CNT + 1, 1, (PLAT_ACPI_S5_SLP_TYP << 2) | 0x20);
	CHECK(ev.pending == LHV_DEV_EV_POWEROFF, "high-byte write requests it");
	CHECK(lhv_pm_read(&pm, CNT + 2, 2) == 0xffff, "gap 0x606 reads 0xff");
	CHECK(lhv_pm_read(&pm, CNT + 1, 4) == 0x00ffff14,
	      "dword: CNT high byte, the gap, timer low byte");
}

int main(void)
{
	test_timer();
	test_status();
	test_control();
	return unit_done();
}
