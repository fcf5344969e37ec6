// SPDX-License-Identifier: GPL-2.0
/*
 * Named workarounds for emulators' VMX bugs on lhv's INIT/SIPI path.
 * Each is a module parameter, off by default (real hardware and KVM do
 * not need them); scripts/run-vm turns them on for Bochs 2.7, which has
 * all three bugs (PLATFORMS.md; fixed in Bochs 2.8):
 *
 * quirk_bochs_init_pending
 *	An INIT that caused an INIT VM exit is never retired: every later
 *	entry into an active guest exits with the same INIT again, before
 *	the guest's first instruction (measured: after the SIPI exit at
 *	vector 8, INIT exits at CS:IP 0800:0000, twice in a row).  An AP
 *	started by INIT-SIPI-SIPI in passthrough mode therefore never runs,
 *	and there is nothing a hypervisor can write to retire the INIT.
 *	The quirk withholds the passthrough LAPIC mode (vmx_probe.c), so
 *	VMs default to the filtered mode, in which INIT never reaches a
 *	CPU.  The two quirks below then have nothing to do on Bochs; they
 *	stay for a Bochs 2.7 with passthrough forced (quirk off).
 * quirk_bochs_smi_blocking
 *	Exits after a wait-for-SIPI period save "blocking by SMI" set in the
 *	guest interruptibility state, and the next entry then fails.  lhv
 *	never uses SMM: the bit is cleared before every entry.
 * quirk_bochs_sipi_state
 *	A SIPI exit leaves blocking by NMI (and by SMI) set.  They are
 *	cleared after a SIPI exit; the activity state is always written
 *	active when a vCPU leaves wait-for-SIPI.
 */
#include <linux/moduleparam.h>

#include "vmx_vcpu.h"

bool quirk_bochs_smi_blocking;
module_param(quirk_bochs_smi_blocking, bool, 0444);
MODULE_PARM_DESC(quirk_bochs_smi_blocking,
		 "Bochs 2.7: clear a stale blocking-by-SMI bit before every entry");

bool quirk_bochs_sipi_state;
module_param(quirk_bochs_sipi_state, bool, 0444);
MODULE_PARM_DESC(quirk_bochs_sipi_state,
		 "Bochs 2.7: clear NMI/SMI blocking left set by a SIPI exit");
