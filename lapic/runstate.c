// SPDX-License-Identifier: GPL-2.0
/*
 * The per-vCPU INIT/SIPI run-state machine.  Pure logic: built into
 * lhv.ko and into tests/unit.
 *
 * Theory.  A vCPU is HALTED, in INIT (waiting for a SIPI) or RUNNING.
 * INIT and SIPI are delivered by whichever CPU sends them -- as a VM exit
 * on the target (VMX passthrough) or as a trapped ICR write on the sender
 * (filtered mode) -- and the target must not change its guest state from
 * there, so an event only records LHV_RUN_PEND_* under the vCPU's lock;
 * the target applies it, on its own CPU, before its next entry.  What the
 * hardware does, and what the machine copies:
 *  - INIT resets the processor to the INIT state and puts an AP in
 *    wait-for-SIPI (SDM Vol. 3A, 8.4.1 and 10.4.7.3), from any state,
 *    HALTED included: INIT is the only way out of HALTED.  An INIT that
 *    arrives before an earlier SIPI was applied makes that SIPI land in a
 *    processor that has since been reset: the SIPI is forgotten.
 *  - A SIPI starts a processor that waits for it, and is ignored by one
 *    that does not (SDM Vol. 3A, 8.4.4.1 "Typical BSP Initialization
 *    Sequence", whose second SIPI is for processors that missed the
 *    first; SDM Vol. 3C, "Other Causes of VM Exits": SIPIs arriving
 *    outside wait-for-SIPI are ignored).  "Waits for it" is judged where
 *    it will be applied: the vCPU is in INIT, or an INIT is pending and
 *    will be applied first.  Of two SIPIs pending at once the first wins:
 *    it takes the processor out of wait-for-SIPI and the second finds it
 *    running.
 *  - The SIPI start is real mode at CS = vector << 8, IP = 0 (SDM Vol.
 *    3A, 10.6.1 "Start-Up"; 8.4.4.1).
 *  - INIT is blocked while a VMX guest waits for SIPI (SDM Vol. 3C, "Guest
 *    Non-Register State", activity state 3: "INIT signals are blocked").  A CPU
 *    may drop such an INIT (L0 KVM does) or hold it until the SIPI exit
 *    has started the vCPU and deliver it then, as an INIT exit before the
 *    first guest instruction (Bochs 3.0).  The held INIT is the one of
 *    the guest's INIT-SIPI-SIPI: it came before the SIPI that started the
 *    vCPU, and applying it now would reset the vCPU after its start and
 *    lose it, because the guest's second SIPI is ignored by a vCPU that is
 *    not yet back in wait-for-SIPI.  So the one INIT exit that arrives at
 *    the start, before any instruction, is consumed (lapic_rs_init_exit());
 *    any later INIT resets as usual.
 * The INIT level de-assert IPI is not an event at all (lapic/icr.h).
 */
#include <lhv/abi.h>

#include "runstate.h"

/* The real-mode code segment a SIPI starts at (SDM Vol. 3A, 10.6.1). */
#define LAPIC_SIPI_CS_SHIFT	8
#define LAPIC_SIPI_BASE_SHIFT	12

void lapic_rs_setup(struct lapic_runstate *rs)
{
	rs->state = LHV_RUN_STATE_INIT;
	rs->pending = 0;
	rs->sipi_vector = 0;
	rs->just_started = false;
	rs->apic_reset_due = false;
}

void lapic_rs_init(struct lapic_runstate *rs)
{
	rs->pending = LHV_RUN_PEND_INIT;
	rs->sipi_vector = 0;
}

bool lapic_rs_init_exit(struct lapic_runstate *rs, bool at_start)
{
	if (rs->just_started && at_start && !rs->pending) {
		rs->just_started = false;
		return false;
	}
	lapic_rs_init(rs);
	return true;
}

bool lapic_rs_sipi(struct lapic_runstate *rs, u8 vector)
{
	bool waits = rs->state == LHV_RUN_STATE_INIT ||
		     (rs->pending & LHV_RUN_PEND_INIT);

	if (!waits || (rs->pending & LHV_RUN_PEND_SIPI))
		return false;
	rs->pending |= LHV_RUN_PEND_SIPI;
	rs->sipi_vector = vector;
	return true;
}

struct lapic_action lapic_rs_apply(struct lapic_runstate *rs)
{
	struct lapic_action act = { .todo = 0, .park = LAPIC_ENTER };

	if (rs->pending & LHV_RUN_PEND_INIT) {
		act.todo |= LAPIC_DO_RESET;
		rs->state = LHV_RUN_STATE_INIT;
		rs->apic_reset_due = true;
	}
	/*
	 * Recorded SIPIs find the vCPU in INIT; one that does not (userspace
	 * changed the state since) is dropped as the hardware would.
	 */
	if ((rs->pending & LHV_RUN_PEND_SIPI) &&
	    rs->state == LHV_RUN_STATE_INIT) {
		act.todo |= LAPIC_DO_START;
		act.vector = rs->sipi_vector;
		rs->state = LHV_RUN_STATE_RUNNING;
	}
	/* Only the entry right after a start may meet the held INIT. */
	rs->just_started = !!(act.todo & LAPIC_DO_START);
	rs->pending = 0;
	rs->sipi_vector = 0;

	if (rs->state == LHV_RUN_STATE_INIT)
		act.park = LAPIC_PARK_SIPI;
	else if (rs->state == LHV_RUN_STATE_HALTED)
		act.park = LAPIC_PARK_HALTED;
	/*
	 * Nothing runs on the APIC while the vCPU waits, and what it takes
	 * in meanwhile the reset drains: it can wait until the vCPU runs,
	 * which keeps the way from an INIT exit back to wait-for-SIPI short.
	 */
	if (act.park == LAPIC_ENTER && rs->apic_reset_due) {
		act.todo |= LAPIC_DO_APIC_RESET;
		rs->apic_reset_due = false;
	}
	return act;
}

void lapic_sipi_regs(struct lhv_regs *regs, struct lhv_sregs *sregs,
		     u8 vector)
{
	sregs->cs.selector = (u16)vector << LAPIC_SIPI_CS_SHIFT;
	sregs->cs.base = (u64)vector << LAPIC_SIPI_BASE_SHIFT;
	sregs->cs.limit = 0xffff;
	regs->rip = 0;
}

void lapic_rs_get(const struct lapic_runstate *rs, struct lhv_run_state *out)
{
	memset(out, 0, sizeof(*out));
	out->state = rs->state;
	out->pending = rs->pending;
	if (rs->pending & LHV_RUN_PEND_SIPI)
		out->sipi_vector = rs->sipi_vector;
}

static bool lapic_rs_state_known(u32 state)
{
	return state == LHV_RUN_STATE_HALTED || state == LHV_RUN_STATE_INIT ||
	       state == LHV_RUN_STATE_RUNNING;
}

int lapic_rs_set(struct lapic_runstate *rs, const struct lhv_run_state *in)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in->padding); i++)
		if (in->padding[i])
			return -EINVAL;
	if (!lhv_all_zero(in->reserved, ARRAY_SIZE(in->reserved)))
		return -EINVAL;
	if (!lapic_rs_state_known(in->state) ||
	    (in->pending & ~LHV_RUN_PEND_VALID))
		return -EINVAL;
	/* Clearing is fine; a flag that is not pending now would be forged. */
	if (in->pending & ~rs->pending)
		return -EINVAL;
	if ((in->pending & LHV_RUN_PEND_SIPI) &&
	    in->sipi_vector != rs->sipi_vector)
		return -EINVAL;

	rs->state = in->state;
	rs->pending = in->pending;
	rs->just_started = false;
	if (!(rs->pending & LHV_RUN_PEND_SIPI))
		rs->sipi_vector = 0;
	return 0;
}
