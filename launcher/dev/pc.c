// SPDX-License-Identifier: GPL-2.0
/*
 * Assembles the PC of launcher/platform.h from the device models.  The
 * port table below is the only place that says which model answers which
 * platform port.
 */
#include <string.h>

#include "../platform.h"
#include "pc.h"

int lhv_pc_init(struct lhv_pc *pc, const struct lhv_pc_config *cfg,
		char *err, size_t errlen)
{
	const struct {
		uint16_t first;
		unsigned int count;
		const char *name;
		const struct lhv_pio_ops *ops;
		void *dev;
	} map[] = {
		{ LHV_PIC_MASTER, LHV_PIC_NR_PORTS, "pic", &lhv_pic_pio_ops,
		  &pc->pic },
		{ PLAT_PORT_PIT, LHV_PIT_NR_PORTS, "pit", &lhv_pit_pio_ops,
		  &pc->pit },
		{ PLAT_PORT_SYS_B, 1, "port-b", &lhv_pit_pio_ops, &pc->pit },
		{ PLAT_PORT_KBD_DATA, 1, "i8042", &lhv_sysctl_pio_ops, &pc->sys },
		{ PLAT_PORT_KBD_CMD, 1, "i8042", &lhv_sysctl_pio_ops, &pc->sys },
		{ PLAT_PORT_CMOS_INDEX, 2, "cmos", &lhv_cmos_pio_ops, &pc->cmos },
		{ PLAT_PORT_POST, 1, "post", &lhv_sysctl_pio_ops, &pc->sys },
		{ LHV_PIC_SLAVE, LHV_PIC_NR_PORTS, "pic", &lhv_pic_pio_ops,
		  &pc->pic },
		{ PLAT_PORT_DEBUG_EXIT, 1, "debug-exit", &lhv_sysctl_pio_ops,
		  &pc->sys },
		{ PLAT_PORT_COM1, LHV_UART_NR_PORTS, "com1", &lhv_uart_pio_ops,
		  &pc->com1 },
		{ LHV_PIC_ELCR1, LHV_PIC_NR_PORTS, "elcr", &lhv_pic_pio_ops,
		  &pc->pic },
		{ PLAT_PORT_FW_CFG_SEL, 2, "fw_cfg", &lhv_fwcfg_pio_ops,
		  &pc->fwcfg },
		{ PLAT_PORT_ACPI_PM1A_EVT, LHV_PM_NR_PORTS, "acpi-pm",
		  &lhv_pm_pio_ops, &pc->pm },
		{ PLAT_PORT_RESET, 1, "reset", &lhv_sysctl_pio_ops, &pc->sys },
		/* 0xcf9 sits inside the PCI address register's dword. */
		{ PLAT_PORT_PCI_ADDR, 1, "pci", &lhv_pci_pio_ops, &pc->pci },
		{ PLAT_PORT_RESET + 1, 2, "pci", &lhv_pci_pio_ops, &pc->pci },
		{ PLAT_PORT_PCI_DATA, 4, "pci", &lhv_pci_pio_ops, &pc->pci },
	};
	unsigned int i;
	int ret;

	memset(pc, 0, sizeof(*pc));
	lhv_bus_init(&pc->bus);
	lhv_uart_init(&pc->com1, PLAT_PORT_COM1, cfg->uart_tx, cfg->uart_irq,
		      cfg->opaque);
	lhv_fwcfg_init(&pc->fwcfg, cfg->ram_size, cfg->nr_cpus, cfg->nr_cpus);
	lhv_cmos_init(&pc->cmos, cfg->wall_sec, cfg->opaque);
	lhv_pm_init(&pc->pm, &cfg->clock, cfg->sci, cfg->opaque,
		    &pc->bus.events);
	lhv_pit_init(&pc->pit, &cfg->clock);
	lhv_pic_init(&pc->pic);
	lhv_sysctl_init(&pc->sys, &pc->bus.events);
	lhv_ioapic_init(&pc->ioapic, cfg->ioapic_id, cfg->msi, cfg->opaque);
	lhv_pci_init(&pc->pci, PLAT_PCI_MMIO_GPA, PLAT_PCI_MMIO_SIZE);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		ret = lhv_bus_add(&pc->bus, map[i].first, map[i].count,
				  map[i].name, map[i].ops, map[i].dev, err,
				  errlen);
		if (ret)
			return ret;
	}
	return 0;
}

bool lhv_pc_mmio(struct lhv_pc *pc, uint64_t gpa, unsigned int size,
		 bool is_write, uint64_t *data)
{
	if (gpa >= PLAT_IOAPIC_GPA &&
	    gpa - PLAT_IOAPIC_GPA < LHV_IOAPIC_MMIO_SIZE) {
		uint64_t off = gpa - PLAT_IOAPIC_GPA;

		if (is_write)
			lhv_ioapic_write(&pc->ioapic, off, size, (uint32_t)*data);
		else
			*data = lhv_ioapic_read(&pc->ioapic, off, size);
		return true;
	}
	return lhv_pci_mmio(&pc->pci, gpa, size, is_write, data);
}
