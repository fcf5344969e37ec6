// SPDX-License-Identifier: GPL-2.0
/*
 * The run-state machine of each vCPU, in the kernel.
 *
 * runstate.c is the machine; this file gives it a lock and wires it up:
 * events arrive from any CPU (a vCPU's own INIT/SIPI exits, or another
 * vCPU's trapped ICR write in filtered mode), are recorded under
 * vcpu->rs_lock, and the vCPU's own CPU applies them in
 * lhv_lapic_prepare_entry() before every entry.  Delivering an event
 * rings the target's doorbell (a vCPU parked in the root loop wakes up)
 * and, if it is in the guest, kicks it out with an NMI so that an INIT
 * takes effect at once, as on hardware.
 */
#include <linux/delay.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <asm/apic.h>

#include "reset.h"
#include "../module/pcpu.h"
#include "../module/run.h"
#include "../module/vcpu_state.h"
#include "../module/vm.h"
#include "hw.h"
#include "lapic.h"

void lhv_lapic_vcpu_init(struct lhv_vcpu *vcpu)
{
	raw_spin_lock_init(&vcpu->rs_lock);
	lapic_rs_setup(&vcpu->rs);
}

void lhv_lapic_check_host(struct lhv_caps *caps)
{
	if (x2apic_enabled() || !apic->dest_mode_logical ||
	    !(caps->lapic_modes & BIT(LHV_LAPIC_PASSTHROUGH)))
		return;
	caps->lapic_modes &= ~BIT(LHV_LAPIC_PASSTHROUGH);
	caps->default_lapic_mode = LHV_LAPIC_FILTERED;
	pr_info("host sends logical xAPIC IPIs (%s): passthrough LAPIC mode withheld; a host in x2APIC or physical xAPIC mode (more than 8 possible CPUs, e.g. possible_cpus=16) offers it\n",
		apic->name);
}

/*
 * An INIT for a vCPU in the guest: up to 10 ms of kicks, 100 us apart,
 * each followed by a look every microsecond: the sender waits in its own
 * exit, so it stops as soon as the target took the INIT (measured, the
 * make bench "all APs" start of running APs on svm-tcg: a fixed 100 us
 * wait per AP).
 */
#define LHV_INIT_KICKS		100
#define LHV_INIT_KICK_US	100

/* The target has neither taken the INIT nor left the guest yet. */
static bool lhv_lapic_init_unseen(struct lhv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->in_guest) &&
	       (READ_ONCE(vcpu->rs.pending) & LHV_RUN_PEND_INIT);
}

void lhv_lapic_init_exit(struct lhv_vcpu *vcpu)
{
	/* A SIPI start is at IP 0 (lapic_sipi_regs()). */
	bool at_start = lhv_backend->get_rip(vcpu) == 0;

	raw_spin_lock(&vcpu->rs_lock);
	if (!lapic_rs_init_exit(&vcpu->rs, at_start))
		vcpu->stats.by_reason[LHV_STAT_INIT_HELD]++;
	raw_spin_unlock(&vcpu->rs_lock);
}

/*
 * A vCPU that waits for SIPI inside the guest (VMX passthrough) blocks NMI
 * and INIT, and the VMX-preemption timer causes no exit in that state (SDM
 * Vol. 3C, 26.5.1; only L0 KVM takes one): a SIPI alone takes it out.  So
 * lhv's kick sends it a SIPI too, with a vector that lhv keeps for itself:
 * a guest's SIPI with vector 0 would start its AP on the real-mode
 * interrupt table, and no guest sends one.  A SIPI to a CPU that does not
 * wait for one does nothing.
 */
#define LAPIC_KICK_SIPI_VECTOR	0

void lhv_lapic_kick_sipi(u32 apicid)
{
	lhv_apic_hw_send(APIC_DM_STARTUP | APIC_DEST_PHYSICAL |
			 LAPIC_KICK_SIPI_VECTOR, apicid);
}

void lhv_lapic_sipi_exit(struct lhv_vcpu *vcpu, u8 vector)
{
	if (vector != LAPIC_KICK_SIPI_VECTOR)
		lhv_lapic_deliver_sipi(vcpu, vector, false);
}

void lhv_lapic_deliver_init(struct lhv_vcpu *vcpu)
{
	unsigned long flags;
	unsigned int i, us;

	raw_spin_lock_irqsave(&vcpu->rs_lock, flags);
	lapic_rs_init(&vcpu->rs);
	vcpu->stats.by_reason[LHV_STAT_EMUL_INIT]++;
	raw_spin_unlock_irqrestore(&vcpu->rs_lock, flags);
	/*
	 * Another vCPU's INIT stops this one at once, as a real INIT would:
	 * a vCPU outside the guest applies it before its next entry (the
	 * doorbell wakes a parked one); one in the guest is kicked out with
	 * an NMI.  An NMI that lands in the instant before the entry is
	 * dropped by Linux's handler on an offline CPU, so the kick repeats
	 * until the vCPU has taken the INIT or left the guest (bounded).
	 */
	smp_mb();	/* pending before in_guest; pairs with run.c's */
	lhv_pcpu_ring(vcpu->host_cpu);
	for (i = 0; i < LHV_INIT_KICKS && lhv_lapic_init_unseen(vcpu); i++) {
		lhv_vcpu_kick(vcpu);
		for (us = 0; us < LHV_INIT_KICK_US &&
		     lhv_lapic_init_unseen(vcpu); us++)
			udelay(1);
	}
}

void lhv_lapic_deliver_sipi(struct lhv_vcpu *vcpu, u8 vector, bool emulated)
{
	unsigned long flags;
	bool taken;

	raw_spin_lock_irqsave(&vcpu->rs_lock, flags);
	taken = lapic_rs_sipi(&vcpu->rs, vector);
	if (emulated)
		vcpu->stats.by_reason[LHV_STAT_EMUL_SIPI]++;
	raw_spin_unlock_irqrestore(&vcpu->rs_lock, flags);
	/* A SIPI only wakes a vCPU waiting for one, which is not in the guest. */
	if (taken)
		lhv_pcpu_ring(vcpu->host_cpu);
}

bool lhv_lapic_pending(struct lhv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->rs.pending) != 0;
}

enum lapic_park lhv_lapic_prepare_entry(struct lhv_vcpu *vcpu)
{
	struct lapic_action act;

	raw_spin_lock(&vcpu->rs_lock);
	act = lapic_rs_apply(&vcpu->rs);
	raw_spin_unlock(&vcpu->rs_lock);

	if (act.todo & LAPIC_DO_RESET) {
		lhv_vcpu_init_state(&vcpu->regs, &vcpu->sregs, cpuid_eax(1),
				    vcpu->apic_base);
		lhv_lapic_reset_virtual(vcpu);
	}
	if (act.todo & LAPIC_DO_START)
		lapic_sipi_regs(&vcpu->regs, &vcpu->sregs, act.vector);
	/* The core loads them before the vCPU next runs (run.c). */
	if (act.todo & (LAPIC_DO_RESET | LAPIC_DO_START))
		vcpu->state_dirty = true;
	/*
	 * In passthrough mode the INIT reached the CPU as a VM exit, so it
	 * reset nothing: reset the APIC the way INIT would.  In filtered mode
	 * no INIT reached it either.
	 */
	if (act.todo & LAPIC_DO_APIC_RESET)
		lhv_lapic_reset();
	return act.park;
}

long lhv_lapic_get_run_state(struct lhv_vcpu *vcpu, void __user *argp)
{
	struct lhv_run_state rs;
	unsigned long flags;

	raw_spin_lock_irqsave(&vcpu->rs_lock, flags);
	lapic_rs_get(&vcpu->rs, &rs);
	raw_spin_unlock_irqrestore(&vcpu->rs_lock, flags);
	return copy_to_user(argp, &rs, sizeof(rs)) ? -EFAULT : 0;
}

long lhv_lapic_set_run_state(struct lhv_vcpu *vcpu, const void __user *argp)
{
	struct lhv_run_state rs;
	unsigned long flags;
	int err;

	if (copy_from_user(&rs, argp, sizeof(rs)))
		return -EFAULT;
	raw_spin_lock_irqsave(&vcpu->rs_lock, flags);
	err = lapic_rs_set(&vcpu->rs, &rs);
	raw_spin_unlock_irqrestore(&vcpu->rs_lock, flags);
	return err;
}
