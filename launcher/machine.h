/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lhv-run's virtual PC: an image loaded by its format, the platform
 * tables, the device models of launcher/dev/ on every vCPU's port exits,
 * one thread per vCPU, and how the run ended as lhv-run's exit status.
 * Documentation/lhv-run.rst is the user's view of it.
 */
#ifndef _LHV_MACHINE_H
#define _LHV_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "disk.h"
#include "format.h"
#include "liblhv.h"
#include "net.h"

/*
 * lhv-run's exit status.  Odd values are the guest's own: a write of v to
 * the isa-debug-exit port ends the run with (v << 1) | 1, as under QEMU.
 */
#define LHV_RUN_POWEROFF	0	/* ACPI S5 */
#define LHV_RUN_USAGE		2	/* bad command line */
#define LHV_RUN_NO_DEVICE	4	/* /dev/lhv (/dev/kvm) missing or unusable */
#define LHV_RUN_BAD_IMAGE	6	/* image or initrd unreadable, unknown, too big */
#define LHV_RUN_HOST		8	/* a host CPU or the memory not available */
#define LHV_RUN_CRASH		10	/* triple fault or an exit nobody handles */
#define LHV_RUN_TIMEOUT		12	/* --timeout passed */
#define LHV_RUN_RESET		14	/* the guest reset the machine */
#define LHV_RUN_SIGNAL		16	/* SIGINT or SIGTERM */

struct lhv_machine_config {
	const char *image;
	enum lhv_format format;
	uint64_t load_addr;		/* flat images */
	unsigned int nr_cpus;
	unsigned int cpus[LHV_SMP_MAX];	/* [0]: the BSP's host CPU */
	uint32_t lapic_mode;
	bool kvm;			/* on /dev/kvm instead of /dev/lhv */
	uint64_t mem;			/* bytes of RAM at GPA 0 */
	const char *initrd;
	const char *append;		/* user's command line, or NULL */
	bool no_default_cmdline;	/* only @append for a Linux guest */
	FILE *serial;			/* COM1 output */
	bool serial_input;		/* COM1 input from stdin */
	int com1_vector;		/* COM1 interrupt as this MSI vector, or -1 */
	const char *disks[LHV_MAX_DISKS];	/* --disk FILE[,ro] */
	unsigned int nr_disks;
	const char *net;			/* --net tap=NAME, or NULL */
	bool virtio_console;			/* --console virtio */
	unsigned int timeout_s;		/* 0: none */
	bool stats;
	bool verbose;
};

/* Blocks SIGUSR1, SIGINT and SIGTERM: the control thread takes them. */
void lhv_machine_block_signals(void);

/* Sets up and runs the VM; returns one of LHV_RUN_* or a debug-exit status. */
int lhv_machine_run(const struct lhv_machine_config *cfg);

#endif /* _LHV_MACHINE_H */
