/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-vCPU INIT/SIPI run-state machine (Documentation/initsipi.rst).
 * Pure logic shared by lhv.ko and the host unit tests: the caller owns the
 * lock that serializes every function here on one vCPU.
 *
 * Events (an INIT, a SIPI) only record pending state, however they
 * arrived: a VMX INIT or SIPI exit, or a trapped ICR write in filtered
 * mode.  lapic_rs_apply(), called before every guest entry on the vCPU's
 * own CPU, turns what is pending into a struct lapic_action.
 */
#ifndef _LHV_LAPIC_RUNSTATE_H
#define _LHV_LAPIC_RUNSTATE_H

#include <lhv/types.h>
#include <linux/lhv.h>

struct lapic_runstate {
	u32 state;		/* LHV_RUN_STATE_* */
	u32 pending;		/* LHV_RUN_PEND_* */
	u8 sipi_vector;		/* valid with LHV_RUN_PEND_SIPI */
	/*
	 * The last lapic_rs_apply() started the vCPU at a SIPI vector: an
	 * INIT exit before its first instruction may be the INIT that
	 * wait-for-SIPI held (lapic_rs_init_exit()).
	 */
	bool just_started;
	/*
	 * An INIT reset the registers, and the real local APIC still waits
	 * for its share of the reset (LAPIC_DO_APIC_RESET).
	 */
	bool apic_reset_due;
};

/* lapic_action.todo bits, done by the caller in this order. */
#define LAPIC_DO_RESET		BIT(0)	/* set the INIT state */
#define LAPIC_DO_START		BIT(1)	/* lapic_sipi_regs() with .vector */
#define LAPIC_DO_APIC_RESET	BIT(2)	/* reset the real local APIC */

/* lapic_action.park: whether to enter the guest afterwards. */
enum lapic_park {
	LAPIC_ENTER,		/* enter the guest */
	LAPIC_PARK_SIPI,	/* INIT state: wait for a SIPI */
	LAPIC_PARK_HALTED,	/* HALTED: wait for an INIT */
};

/*
 * What the caller does before the next entry:
 *  - LAPIC_DO_RESET: set the architectural INIT registers
 *    (lhv_vcpu_init_state()) and lhv's own APIC state; the registers
 *    reach the VMCS/VMCB only before an entry that runs guest code, so a
 *    vCPU that goes back to wait-for-SIPI gets there fast;
 *  - LAPIC_DO_START: lapic_sipi_regs(.vector) on the INIT registers;
 *  - LAPIC_DO_APIC_RESET: reset the real local APIC as INIT would have (it
 *    reached the CPU as a VM exit or not at all).  Given with the first
 *    action after an INIT that enters the guest to run, not while the
 *    vCPU waits for its SIPI: the guest's SIPI is lost if it arrives while
 *    the CPU is outside wait-for-SIPI, and the reset is the slow part of
 *    the way back in (each APIC access an exit to L0 when nested).
 *  - then, by .park: enter the guest; or do not enter it -- on SVM and in
 *    filtered mode wait in the root loop for the next event, on VMX
 *    passthrough enter with activity state wait-for-SIPI (LAPIC_PARK_SIPI,
 *    the SIPI comes back as a VM exit).
 */
struct lapic_action {
	u32 todo;		/* LAPIC_DO_* */
	u32 park;		/* enum lapic_park */
	u8 vector;		/* LAPIC_DO_START: the SIPI vector */
};

/* A new vCPU: INIT state (waiting for SIPI), nothing pending. */
void lapic_rs_setup(struct lapic_runstate *rs);

/* An INIT arrived: pending INIT, and any pending SIPI is forgotten. */
void lapic_rs_init(struct lapic_runstate *rs);

/*
 * An INIT VM exit on the vCPU itself (VMX passthrough).  @at_start: the
 * guest is still at the first instruction of its SIPI start (RIP 0), as
 * the caller read it from the exit.  Returns true if the INIT is recorded
 * like lapic_rs_init(); false if it is the INIT that wait-for-SIPI held
 * back until the SIPI had started the vCPU -- it came before that SIPI,
 * which has already superseded it, so it is consumed without a reset.
 */
bool lapic_rs_init_exit(struct lapic_runstate *rs, bool at_start);

/*
 * A SIPI with @vector arrived.  Recorded (true) only if the vCPU will be
 * in the INIT state when lapic_rs_apply() runs -- it is in INIT, or an
 * INIT is pending -- and no SIPI is pending already; ignored (false)
 * otherwise.
 */
bool lapic_rs_sipi(struct lapic_runstate *rs, u8 vector);

/* Consume the pending state: what to do before the next entry. */
struct lapic_action lapic_rs_apply(struct lapic_runstate *rs);

/*
 * The SIPI start (SDM Vol. 3A, 8.4.4.1 and 10.6.1): real mode at
 * vector << 8 : 0.  Changes only CS and RIP of @regs/@sregs, which hold
 * the INIT state the vCPU has waited in; everything else stays as INIT
 * left it.
 */
void lapic_sipi_regs(struct lhv_regs *regs, struct lhv_sregs *sregs,
		     u8 vector);

/* LHV_GET_RUN_STATE: fills every field of @out. */
void lapic_rs_get(const struct lapic_runstate *rs, struct lhv_run_state *out);

/*
 * LHV_SET_RUN_STATE: 0, or -EINVAL (nothing changed) for reserved or
 * padding fields set, an unknown state, unknown pending flags, a pending
 * flag that is not pending now (userspace may clear pending events, never
 * invent them), or a kept pending SIPI with another vector.  sipi_vector
 * is ignored without LHV_RUN_PEND_SIPI.
 */
int lapic_rs_set(struct lapic_runstate *rs, const struct lhv_run_state *in);

#endif /* _LHV_LAPIC_RUNSTATE_H */
