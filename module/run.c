// SPDX-License-Identifier: GPL-2.0
/*
 * Running a vCPU.
 *
 * LHV_RUN never enters the guest itself: the guest runs on the host CPU
 * its vCPU owns, which sits in lhv's root loop, offline to Linux.  The
 * ioctl side posts LHV_REQ_RUN in vcpu->req and rings the owned CPU's
 * doorbell; the owned CPU runs the guest until an exit needs userspace
 * (or the ioctl side asks it to stop), saves the guest state, posts the
 * exit and LHV_REQ_DONE, and wakes the sleeping ioctl by queueing a
 * function call on an online CPU (the owned CPU cannot wake a task
 * itself: it is outside the scheduler).  A signal makes the ioctl side
 * set vcpu->stop and send the owned CPU an NMI, which NMI exiting turns
 * into a VM exit; the owned CPU sees stop before re-entering.
 *
 * Exits that need userspace are one access each (PIO or MMIO); the
 * instruction behind them is decoded and carried out in the kernel
 * (emulate.h), and its completion arrives with the next LHV_RUN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/fpu/xcr.h>

#include <lhv/abi.h>

#include "../lapic/hw.h"
#include "../lapic/lapic.h"
#include "cpuid.h"
#include "gmem.h"
#include "msr.h"
#include "pcpu.h"
#include "run.h"
#include "vm.h"

/* What an exit handler decided. */
enum lhv_verdict {
	LHV_RESUME,		/* enter the guest again */
	LHV_TO_USER,		/* vcpu->exit is for userspace */
};

#define X86_GP_VECTOR	13
#define X86_UD_VECTOR	6

static void lhv_inject_gp(struct lhv_vcpu *vcpu)
{
	lhv_backend->inject_exception(vcpu, X86_GP_VECTOR, true, 0);
}

/* Registers are current in vcpu->regs/sregs only after this. */
static void lhv_sync_out(struct lhv_vcpu *vcpu)
{
	lhv_backend->save_state(vcpu);
}

/* Skip the instruction that exited; decode its length if the CPU did not say. */
static enum lhv_verdict lhv_skip(struct lhv_vcpu *vcpu,
				 const struct lhv_vmexit *ex)
{
	struct lhv_guest_mem mem;
	unsigned int len = ex->insn_len;

	if (!len) {
		lhv_sync_out(vcpu);
		lhv_gmem_init(&mem, vcpu);
		len = lhv_insn_length(&vcpu->regs, &vcpu->sregs, &mem,
				      &vcpu->exit);
		if (!len)
			return LHV_TO_USER;
	}
	lhv_backend->skip_insn(vcpu, len);
	return LHV_RESUME;
}

#define CPUID1_EDX_APIC		BIT(9)

void lhv_cpuid_emulate(struct lhv_vcpu *vcpu, u64 guest_cr4)
{
	struct lhv_regs *r = &vcpu->regs;
	u32 leaf = r->rax, subleaf = r->rcx;
	struct lhv_cpuid_regs c;

	if (!lhv_cpuid_cache_get(&vcpu->cpuid_cache, leaf, subleaf, &c)) {
		cpuid_count(leaf, subleaf, &c.eax, &c.ebx, &c.ecx, &c.edx);
		lhv_cpuid_adjust(leaf, subleaf, guest_cr4, &c);
		if (!boot_cpu_has(X86_FEATURE_AVX512F))
			lhv_cpuid_hide_avx512(leaf, subleaf, &c);
		if (!boot_cpu_has(X86_FEATURE_OSXSAVE))
			lhv_cpuid_hide_xsave(leaf, subleaf, &c);
		lhv_cpuid_cache_put(&vcpu->cpuid_cache, leaf, subleaf, &c);
	}
	/* 1:EDX[9] is IA32_APIC_BASE's enable bit (SDM Vol. 3A, 10.4.3). */
	if (leaf == 1 && lhv_lapic_mode(vcpu) == LAPIC_MODE_DISABLED)
		c.edx &= ~CPUID1_EDX_APIC;
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
}

static enum lhv_verdict lhv_handle_cpuid(struct lhv_vcpu *vcpu,
					 const struct lhv_vmexit *ex)
{
	u64 cr4 = 0;

	if (lhv_cpuid_needs_cr4(vcpu->regs.rax)) {
		lhv_sync_out(vcpu);
		cr4 = vcpu->sregs.cr4;
	}
	lhv_cpuid_emulate(vcpu, cr4);
	return lhv_skip(vcpu, ex);
}

static u64 lhv_edx_eax(const struct lhv_regs *r)
{
	return (r->rdx << 32) | (u32)r->rax;
}

static void lhv_exit_raw(struct lhv_vcpu *vcpu, u32 reason,
			 const struct lhv_vmexit *ex)
{
	struct lhv_run *e = &vcpu->exit;

	memset(e, 0, sizeof(*e));
	e->exit_reason = reason;
	if (reason == LHV_EXIT_FAIL_ENTRY) {
		e->fail.hardware_reason = ex->raw_reason;
		e->fail.qualification = ex->raw_qual;
	} else {
		e->hw.hardware_reason = ex->raw_reason;
		e->hw.qualification = ex->raw_qual;
		e->hw.info = ex->raw_info;
	}
}

static enum lhv_verdict lhv_handle_msr(struct lhv_vcpu *vcpu,
				       const struct lhv_vmexit *ex)
{
	struct lhv_regs *r = &vcpu->regs;
	u64 val = 0;
	int err;

	if (ex->kind == LHV_VMEXIT_WRMSR)
		err = lhv_msr_write(vcpu, r->rcx, lhv_edx_eax(r));
	else
		err = lhv_msr_read(vcpu, r->rcx, &val);
	if (err == -EOPNOTSUPP) {
		lhv_exit_raw(vcpu, LHV_EXIT_UNHANDLED, ex);
		return LHV_TO_USER;
	}
	if (err) {
		lhv_inject_gp(vcpu);
		return LHV_RESUME;
	}
	if (ex->kind == LHV_VMEXIT_RDMSR) {
		r->rax = (u32)val;
		r->rdx = val >> 32;
	}
	return lhv_skip(vcpu, ex);
}

static enum lhv_verdict lhv_handle_xsetbv(struct lhv_vcpu *vcpu,
					  const struct lhv_vmexit *ex)
{
	u64 val = lhv_edx_eax(&vcpu->regs), supported;
	u32 eax, ebx, ecx, edx;

	/*
	 * Without the host's CR4.OSXSAVE lhv's own XSETBV would #UD on the
	 * owned CPU; the guest was told there is no XSAVE, and gets the #UD.
	 */
	if (!boot_cpu_has(X86_FEATURE_OSXSAVE)) {
		lhv_backend->inject_exception(vcpu, X86_UD_VECTOR, false, 0);
		return LHV_RESUME;
	}
	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	supported = ((u64)edx << 32) | eax;
	/* As CPUID told the guest (lhv_handle_cpuid()). */
	if (!boot_cpu_has(X86_FEATURE_AVX512F))
		supported &= ~LHV_XCR0_AVX512;
	if ((u32)vcpu->regs.rcx != 0 || !lhv_xcr0_valid(val, supported)) {
		lhv_inject_gp(vcpu);
		return LHV_RESUME;
	}
	/*
	 * The guest owns this CPU's extended state; the root loop never uses
	 * it, and the root loop puts the host's XCR0 back on release.
	 */
	xsetbv(XCR_XFEATURE_ENABLED_MASK, val);
	return lhv_skip(vcpu, ex);
}

/*
 * An NMI exit is lhv's kick when the ioctl side asked to stop or the CPU
 * is being released; otherwise it was meant for the guest.
 */
static enum lhv_verdict lhv_handle_nmi(struct lhv_vcpu *vcpu)
{
	if (!atomic_xchg(&vcpu->kicked, 0) && !READ_ONCE(vcpu->stop))
		lhv_backend->inject_nmi(vcpu);
	return LHV_RESUME;
}

/*
 * IN and OUT that are not string instructions need no decoding: the CPU
 * reports port, size, direction and length, and the data is in RAX.  They
 * skip the emulator's fetch, decode and replay and the full state save and
 * load around it, half of what a device access cost (Documentation/
 * bench.rst).
 */
static bool lhv_pio_is_simple(const struct lhv_vmexit *ex)
{
	return ex->kind == LHV_VMEXIT_IO && !ex->io.string && ex->insn_len;
}

static enum lhv_verdict lhv_pio_request(struct lhv_vcpu *vcpu,
					const struct lhv_vmexit *ex)
{
	struct lhv_run *e = &vcpu->exit;

	memset(e, 0, sizeof(*e));
	e->exit_reason = LHV_EXIT_PIO;
	e->pio.port = ex->io.port;
	e->pio.size = ex->io.size;
	e->pio.direction = ex->io.in ? LHV_DIR_READ : LHV_DIR_WRITE;
	if (!ex->io.in)
		e->pio.data = vcpu->regs.rax & lhv_size_mask(ex->io.size);
	vcpu->pending = true;
	return LHV_TO_USER;
}

/* IN to AL or AX keeps the rest of RAX; IN to EAX clears bits 63:32. */
static void lhv_pio_complete(struct lhv_vcpu *vcpu)
{
	const struct lhv_vmexit *ex = &vcpu->emul_exit;
	u64 mask = lhv_size_mask(ex->io.size);
	u64 *rax = &vcpu->regs.rax;

	if (ex->io.in) {
		if (ex->io.size == 4)
			*rax = (u32)vcpu->emul.data[0];
		else
			*rax = (*rax & ~mask) | (vcpu->emul.data[0] & mask);
	}
	lhv_emul_reset(&vcpu->emul);
	lhv_backend->skip_insn(vcpu, ex->insn_len);
}

/*
 * Carry out (part of) the instruction behind an IO or NPF exit.  @synced:
 * vcpu->regs and sregs already hold the guest's state, as they do when a
 * completion arrives (saved at the exit, or loaded from userspace's).
 * Going back to userspace, they are left as they were saved: the
 * emulator changes registers only when an instruction is done.
 */
static enum lhv_verdict lhv_emulate(struct lhv_vcpu *vcpu, bool synced)
{
	const struct lhv_vmexit *ex = &vcpu->emul_exit;
	struct lhv_guest_mem mem;
	enum lhv_emul_result res;

	if (!synced)
		lhv_sync_out(vcpu);
	lhv_gmem_init(&mem, vcpu);
	memset(&vcpu->exit, 0, sizeof(vcpu->exit));
	if (ex->kind == LHV_VMEXIT_IO)
		res = lhv_emulate_io(&vcpu->emul, &vcpu->regs, &vcpu->sregs,
				     &mem, ex->io.port, ex->io.size, ex->io.in,
				     ex->io.string, ex->io.rep, &vcpu->exit);
	else
		res = lhv_emulate_mmio(&vcpu->emul, &vcpu->regs, &vcpu->sregs,
				       &mem, ex->npf.gpa, ex->npf.write,
				       &vcpu->exit);
	switch (res) {
	case LHV_EMUL_DONE:
		lhv_backend->load_regs(vcpu);
		/* The emulator moved RIP; the rest of completing is the backend's. */
		lhv_backend->skip_insn(vcpu, 0);
		lhv_emul_reset(&vcpu->emul);
		return LHV_RESUME;
	case LHV_EMUL_USER:
		vcpu->pending = true;
		vcpu->state_saved = true;
		return LHV_TO_USER;
	default:
		lhv_emul_reset(&vcpu->emul);
		vcpu->state_saved = true;
		return LHV_TO_USER;
	}
}

static enum lhv_verdict lhv_handle_exit(struct lhv_vcpu *vcpu,
					const struct lhv_vmexit *ex)
{
	switch (ex->kind) {
	case LHV_VMEXIT_HANDLED:
		return LHV_RESUME;
	case LHV_VMEXIT_NMI:
		return lhv_handle_nmi(vcpu);
	case LHV_VMEXIT_IO:
	case LHV_VMEXIT_NPF:
		vcpu->emul_exit = *ex;
		lhv_emul_reset(&vcpu->emul);
		if (lhv_pio_is_simple(ex))
			return lhv_pio_request(vcpu, ex);
		return lhv_emulate(vcpu, false);
	case LHV_VMEXIT_CPUID:
		return lhv_handle_cpuid(vcpu, ex);
	case LHV_VMEXIT_RDMSR:
	case LHV_VMEXIT_WRMSR:
		return lhv_handle_msr(vcpu, ex);
	case LHV_VMEXIT_XSETBV:
		return lhv_handle_xsetbv(vcpu, ex);
	case LHV_VMEXIT_INIT:
		lhv_lapic_init_exit(vcpu);
		return LHV_RESUME;
	case LHV_VMEXIT_SIPI:
		lhv_lapic_sipi_exit(vcpu, ex->sipi_vector);
		return LHV_RESUME;
	case LHV_VMEXIT_SHUTDOWN:
		lhv_exit_raw(vcpu, LHV_EXIT_SHUTDOWN, ex);
		return LHV_TO_USER;
	case LHV_VMEXIT_FAIL_ENTRY:
		lhv_exit_raw(vcpu, LHV_EXIT_FAIL_ENTRY, ex);
		return LHV_TO_USER;
	default:
		break;
	}
	lhv_exit_raw(vcpu, LHV_EXIT_UNHANDLED, ex);
	return LHV_TO_USER;
}

static void lhv_vcpu_wake(void *info)
{
	struct lhv_vcpu *vcpu = info;

	wake_up(&vcpu->wq);
	/* The last touch of @vcpu: after this it may be freed. */
	atomic_dec(&vcpu->wakes_inflight);
}

/* Owned CPU: tell the ioctl side, which sleeps on an online CPU. */
static void lhv_vcpu_notify(struct lhv_vcpu *vcpu)
{
	/* Pairs with the barrier in lhv_vcpu_poll(): it sees DONE, or this sees it gone. */
	smp_mb();
	if (READ_ONCE(vcpu->user_polling))
		return;
	atomic_inc(&vcpu->wakes_inflight);
	/*
	 * -EBUSY: the previous wake-up's callback is still being set up on
	 * the target; it unlocks the csd before it calls us, so this ends.
	 */
	while (smp_call_function_single_async(cpumask_first(cpu_online_mask),
					      &vcpu->wake_csd) == -EBUSY)
		cpu_relax();
}

/*
 * Owned CPU: a vCPU that waits for INIT or SIPI outside the guest (filtered
 * mode) waits here for its doorbell, until an event or a stop request.
 */
static void lhv_vcpu_park(struct lhv_vcpu *vcpu)
{
	int seen = lhv_pcpu_doorbell(vcpu->host_cpu);

	WRITE_ONCE(vcpu->where, LHV_WHERE_PARK);
	while (!READ_ONCE(vcpu->stop) && !lhv_lapic_pending(vcpu)) {
		lhv_pcpu_wait(vcpu->host_cpu, seen);
		seen = lhv_pcpu_doorbell(vcpu->host_cpu);
	}
}

/*
 * Owned CPU: a platform NMI goes in at the first entry at which the guest
 * can take it.  A request that comes after this look kicks the vCPU out
 * again (lhv_vcpu_request_nmi()), so none waits for an unrelated exit.
 */
static void lhv_vcpu_deliver_nmi(struct lhv_vcpu *vcpu, bool running)
{
	if (!atomic_read(&vcpu->nmi_requested))
		return;
	if (!running) {
		atomic_set(&vcpu->nmi_requested, 0);
		return;
	}
	if (!lhv_backend->nmi_ready(vcpu))
		return;
	atomic_set(&vcpu->nmi_requested, 0);
	lhv_backend->inject_nmi(vcpu);
	vcpu->stats.by_reason[LHV_STAT_NMI_INJECTED]++;
}

bool lhv_vcpu_wants_root(struct lhv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->stop) || atomic_read(&vcpu->kicked) ||
	       atomic_read(&vcpu->nmi_requested) || lhv_lapic_pending(vcpu);
}

/* Owned CPU: whether to enter the guest now, with the run state applied. */
static bool lhv_vcpu_ready(struct lhv_vcpu *vcpu)
{
	enum lapic_park park;

	/* Whatever a kick was for is looked at now. */
	atomic_set(&vcpu->kicked, 0);
	park = lhv_lapic_prepare_entry(vcpu);
	/*
	 * Registers an INIT or SIPI changed go into the guest state only when
	 * the guest will run.  A vCPU that waits for SIPI keeps what it had,
	 * which nothing reads there: the way from an INIT exit back into
	 * wait-for-SIPI is then a few VMCS writes, and a SIPI that arrives
	 * before it ends is lost (Documentation/initsipi.rst).
	 */
	if (park == LAPIC_ENTER && vcpu->state_dirty) {
		lhv_backend->load_state(vcpu);
		vcpu->state_dirty = false;
	}
	lhv_vcpu_deliver_nmi(vcpu, park == LAPIC_ENTER);
	if (vcpu->vm->lapic_mode == LHV_LAPIC_PASSTHROUGH &&
	    lhv_backend->set_wait_for_sipi) {
		/* The CPU itself waits for INIT/SIPI, in the guest. */
		lhv_backend->set_wait_for_sipi(vcpu, park != LAPIC_ENTER);
		WRITE_ONCE(vcpu->in_wfs, park != LAPIC_ENTER);
		return true;
	}
	if (park == LAPIC_ENTER)
		return true;
	lhv_vcpu_park(vcpu);
	return false;
}

bool lhv_exit_trace;
module_param_named(exit_trace, lhv_exit_trace, bool, 0444);
MODULE_PARM_DESC(exit_trace,
		 "Record each exit's RIP and the guest's wait/blocking state for the stuck-vCPU report (a few VMCS/VMCB reads per exit)");

/*
 * Owned CPU: a few words per exit, so that a stuck vCPU can say how it got
 * there.  Reason and qualification were read anyway; the rest only with
 * exit_trace, to keep the exit path short.
 */
static void lhv_trace_exit(struct lhv_vcpu *vcpu, const struct lhv_vmexit *ex)
{
	struct lhv_exit_trace *t = &vcpu->trace[vcpu->trace_next % LHV_EXIT_TRACE];

	t->reason = ex->raw_reason;
	t->qual = ex->raw_qual;
	t->rip = lhv_exit_trace ? lhv_backend->get_rip(vcpu) : 0;
	t->state_in = ex->state_in;
	t->state_out = ex->state_out;
	WRITE_ONCE(vcpu->trace_next, vcpu->trace_next + 1);
}

/* Owned CPU: run until an exit needs userspace or the ioctl side says stop. */
static void lhv_vcpu_run_guest(struct lhv_vcpu *vcpu)
{
	struct lhv_vmexit ex;

	for (;;) {
		if (READ_ONCE(vcpu->stop)) {
			memset(&vcpu->exit, 0, sizeof(vcpu->exit));
			vcpu->exit.exit_reason = LHV_EXIT_INTR;
			return;
		}
		if (!lhv_vcpu_ready(vcpu))
			continue;
		/*
		 * Senders of events kick only a vCPU in the guest (lapic.c);
		 * one that came in after lhv_vcpu_ready() looked is seen here
		 * or kicks the guest out right after entry.
		 */
		WRITE_ONCE(vcpu->in_guest, true);
		/* Pairs with the barrier in lhv_lapic_deliver_init(). */
		smp_mb();
		if (READ_ONCE(vcpu->stop) || lhv_lapic_pending(vcpu)) {
			WRITE_ONCE(vcpu->in_guest, false);
			continue;
		}
		vcpu->stats.entries++;
		WRITE_ONCE(vcpu->where, LHV_WHERE_GUEST);
		lhv_backend->run(vcpu, &ex);
		WRITE_ONCE(vcpu->in_guest, false);
		WRITE_ONCE(vcpu->where, LHV_WHERE_EXIT);
		lhv_trace_exit(vcpu, &ex);
		vcpu->stats.exits++;
		if (ex.stat < LHV_STAT_NR)
			vcpu->stats.by_reason[ex.stat]++;
		if (lhv_handle_exit(vcpu, &ex) == LHV_TO_USER)
			return;
	}
}

void lhv_vcpu_run_on_cpu(struct lhv_vcpu *vcpu)
{
	const struct lhv_backend_ops *be = lhv_backend;
	int err;

	WRITE_ONCE(vcpu->where, LHV_WHERE_LOAD);
	if (!vcpu->loaded) {
		err = be->vcpu_load(vcpu);
		if (err) {
			memset(&vcpu->exit, 0, sizeof(vcpu->exit));
			vcpu->exit.exit_reason = LHV_EXIT_INTERNAL_ERROR;
			vcpu->exit.internal.suberror = LHV_INTERNAL_EMULATE;
			goto done;
		}
		vcpu->loaded = true;
	}
	if (vcpu->state_dirty) {
		be->load_state(vcpu);
		vcpu->state_dirty = false;
	}
	if (vcpu->completed) {
		vcpu->completed = false;
		if (lhv_pio_is_simple(&vcpu->emul_exit))
			lhv_pio_complete(vcpu);
		else if (lhv_emulate(vcpu, true) == LHV_TO_USER)
			goto out;
	}
	lhv_vcpu_run_guest(vcpu);
out:
	/* Dirty: regs/sregs are newer than the guest state (lhv_vcpu_ready()). */
	if (vcpu->state_dirty) {
		vcpu->exit.rip = vcpu->regs.rip;
	} else {
		vcpu->exit.rip = be->get_rip(vcpu);
		if (!vcpu->state_saved)
			be->save_state(vcpu);
	}
	vcpu->state_saved = false;
done:
	WRITE_ONCE(vcpu->where, LHV_WHERE_NOTIFY);
	atomic_set_release(&vcpu->req, LHV_REQ_DONE);
	lhv_vcpu_notify(vcpu);
	WRITE_ONCE(vcpu->where, LHV_WHERE_ROOT);
}

void lhv_vcpu_run_init(struct lhv_vcpu *vcpu)
{
	atomic_set(&vcpu->req, LHV_REQ_IDLE);
	init_waitqueue_head(&vcpu->wq);
	INIT_CSD(&vcpu->wake_csd, lhv_vcpu_wake, vcpu);
	atomic_set(&vcpu->wakes_inflight, 0);
}

void lhv_vcpu_run_quiesce(struct lhv_vcpu *vcpu)
{
	while (atomic_read(&vcpu->wakes_inflight))
		usleep_range(100, 200);
}

void lhv_vcpu_kick(struct lhv_vcpu *vcpu)
{
	unsigned long flags;
	u32 apicid = per_cpu(x86_cpu_to_apicid, vcpu->host_cpu);

	atomic_set(&vcpu->kicked, 1);
	lhv_pcpu_ring(vcpu->host_cpu);
	vcpu->stats.kicks++;
	/*
	 * Physical destination, always: in xAPIC flat mode Linux sends IPIs
	 * to logical destinations, and the owned CPU's logical ID is the
	 * guest's to set (it starts at 0, which no logical IPI reaches).
	 * Interrupts off, as an IPI sent from an interrupt on this CPU
	 * would overwrite the xAPIC ICR's destination half.
	 */
	local_irq_save(flags);
	lhv_apic_hw_send(APIC_DM_NMI | APIC_DEST_PHYSICAL, apicid);
	/*
	 * Wait-for-SIPI blocks the NMI (lapic.c).  The request before
	 * in_wfs; pairs with the barrier before entry.
	 */
	smp_mb();
	if (READ_ONCE(vcpu->in_wfs))
		lhv_lapic_kick_sipi(apicid);
	local_irq_restore(flags);
}

void lhv_vcpu_request_nmi(struct lhv_vcpu *vcpu)
{
	atomic_set(&vcpu->nmi_requested, 1);
	lhv_vcpu_kick(vcpu);
}

static bool lhv_vcpu_done(struct lhv_vcpu *vcpu)
{
	return atomic_read_acquire(&vcpu->req) == LHV_REQ_DONE;
}

/* Whether @c completes exactly the request in @e. */
static bool lhv_completion_matches(const struct lhv_run *e,
				   const struct lhv_completion *c)
{
	if (c->exit_reason != e->exit_reason)
		return false;
	if (e->exit_reason == LHV_EXIT_PIO)
		return c->port == e->pio.port && c->size == e->pio.size &&
		       c->direction == e->pio.direction && !c->gpa;
	return c->gpa == e->mmio.gpa && c->size == e->mmio.size &&
	       c->direction == e->mmio.direction && !c->port;
}

static void lhv_publish_exit(struct lhv_vcpu *vcpu)
{
	struct lhv_run *run = page_address(vcpu->run_page);

	memcpy(run, &vcpu->exit, sizeof(*run));
}

/* 5 s of kicks (100 ms apart) without an answer is a bug worth a report. */
#define LHV_KICKS_REPORT	50

/* The last exits, oldest first; stable once the owned CPU is stuck or done. */
static void lhv_vcpu_print_trace(struct lhv_vcpu *vcpu)
{
	u32 n = READ_ONCE(vcpu->trace_next), i;

	for (i = n > LHV_EXIT_TRACE ? n - LHV_EXIT_TRACE : 0; i < n; i++) {
		const struct lhv_exit_trace *t = &vcpu->trace[i % LHV_EXIT_TRACE];

		if (lhv_exit_trace)
			pr_err("  exit %u: reason %#llx qual %#llx rip %#llx, state %#x before entry, %#x after exit\n",
			       i + 1, t->reason, t->qual, t->rip, t->state_in,
			       t->state_out);
		else
			pr_err("  exit %u: reason %#llx qual %#llx (exit_trace=1 adds RIP and state)\n",
			       i + 1, t->reason, t->qual);
	}
}

static void lhv_vcpu_report_stuck(struct lhv_vcpu *vcpu)
{
	static const char * const where[] = {
		"root loop", "loading", "parked", "in the guest",
		"handling an exit", "notifying",
	};
	u32 w = READ_ONCE(vcpu->where);

	pr_err("vCPU %u on CPU %u does not stop after %u kicks: %s, req %d, in_guest %d, entries %llu, exits %llu\n",
	       vcpu->id, vcpu->host_cpu, LHV_KICKS_REPORT,
	       w < ARRAY_SIZE(where) ? where[w] : "?",
	       atomic_read(&vcpu->req), READ_ONCE(vcpu->in_guest),
	       READ_ONCE(vcpu->stats.entries), READ_ONCE(vcpu->stats.exits));
	lhv_vcpu_print_trace(vcpu);
	if (lhv_backend->print_entry_state)
		lhv_backend->print_entry_state(vcpu);
}

/*
 * How long LHV_RUN may spin for the owned CPU's answer before it sleeps.
 * A guest that talks to a device does it access after access, and
 * between two of them the owned CPU runs only the guest and lhv: a
 * caller that sleeps pays, on top, a function-call IPI from the owned
 * CPU to this one, the wake-up and a context switch, each time.  The
 * window adapts per vCPU, as KVM's halt polling does: it doubles while
 * answers come within the bound, and is halved by every answer that
 * does not, so a guest that computes between device accesses costs a
 * spinning CPU little.  Off by default: the spinning CPU is one Linux
 * runs on, and only the user knows whether it has one to spare.
 */
static unsigned int lhv_user_poll_us;
module_param_named(user_poll_us, lhv_user_poll_us, uint, 0644);
MODULE_PARM_DESC(user_poll_us,
		 "Longest a caller of LHV_RUN spins for the guest's next exit before it sleeps, in us (0: never spins)");

#define LHV_USER_POLL_START_NS	(2 * NSEC_PER_USEC)

/* Spin up to @ns for DONE; whether it came. */
static bool lhv_vcpu_poll(struct lhv_vcpu *vcpu, u64 ns)
{
	u64 start = local_clock();
	bool done;

	WRITE_ONCE(vcpu->user_polling, true);
	/* Pairs with the barrier in lhv_vcpu_notify(). */
	smp_mb();
	while (!(done = lhv_vcpu_done(vcpu)) && !need_resched() &&
	       !signal_pending(current) && local_clock() - start < ns)
		cpu_relax();
	WRITE_ONCE(vcpu->user_polling, false);
	/* Pairs with the barrier in lhv_vcpu_notify(): no wake-up got lost. */
	smp_mb();
	return done;
}

/* The next poll window, from how long this answer took (@waited ns). */
static void lhv_vcpu_poll_adapt(struct lhv_vcpu *vcpu, bool polled_it, u64 waited)
{
	u64 max = (u64)READ_ONCE(lhv_user_poll_us) * NSEC_PER_USEC;

	if (polled_it)
		return;
	if (waited <= max)
		vcpu->poll_ns = min(max, max_t(u64, vcpu->poll_ns * 2,
					       LHV_USER_POLL_START_NS));
	else
		vcpu->poll_ns /= 2;
}

/* Wait for DONE: spin first, if that paid lately, then sleep. */
static int lhv_vcpu_wait_done(struct lhv_vcpu *vcpu)
{
	u64 max = (u64)READ_ONCE(lhv_user_poll_us) * NSEC_PER_USEC;
	u64 start = local_clock();
	bool polled_it = false;
	int ret = 0;

	/* The bound may have been lowered since the window grew. */
	if (vcpu->poll_ns && max)
		polled_it = lhv_vcpu_poll(vcpu, min(vcpu->poll_ns, max));
	if (!polled_it)
		ret = wait_event_interruptible(vcpu->wq, lhv_vcpu_done(vcpu));
	if (!ret)
		lhv_vcpu_poll_adapt(vcpu, polled_it, local_clock() - start);
	return ret;
}

long lhv_vcpu_ioctl_run(struct lhv_vcpu *vcpu, const void __user *argp)
{
	unsigned int kicks = 0;
	struct lhv_completion c;
	long ret = 0;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (!lhv_all_zero(c.reserved, ARRAY_SIZE(c.reserved)) ||
	    (c.exit_reason != LHV_EXIT_NONE && c.exit_reason != LHV_EXIT_PIO &&
	     c.exit_reason != LHV_EXIT_MMIO))
		return -EINVAL;
	if (mutex_lock_interruptible(&vcpu->lock))
		return -EINTR;

	if (c.exit_reason != LHV_EXIT_NONE) {
		if (!vcpu->pending || !lhv_completion_matches(&vcpu->exit, &c)) {
			ret = -EINVAL;
			goto out;
		}
		lhv_emul_complete(&vcpu->emul, c.data);
		vcpu->pending = false;
		vcpu->completed = true;
	} else if (vcpu->pending) {
		/* Not completed: the same request again. */
		lhv_publish_exit(vcpu);
		goto out;
	}

	atomic_set_release(&vcpu->req, LHV_REQ_RUN);
	lhv_pcpu_ring(vcpu->host_cpu);
	if (lhv_vcpu_wait_done(vcpu)) {
		WRITE_ONCE(vcpu->stop, true);
		/* Kick until it stops; an NMI may reach it between entries. */
		do {
			lhv_vcpu_kick(vcpu);
			if (++kicks == LHV_KICKS_REPORT)
				lhv_vcpu_report_stuck(vcpu);
		} while (!wait_event_timeout(vcpu->wq, lhv_vcpu_done(vcpu),
					     HZ / 10));
		WRITE_ONCE(vcpu->stop, false);
	}
	atomic_set(&vcpu->req, LHV_REQ_IDLE);
	/* A triple fault ends the vCPU: how it got there helps whoever debugs it. */
	if (vcpu->exit.exit_reason == LHV_EXIT_SHUTDOWN) {
		pr_info("vCPU %u on CPU %u: triple fault at RIP %#llx; its last exits:\n",
			vcpu->id, vcpu->host_cpu, vcpu->exit.rip);
		lhv_vcpu_print_trace(vcpu);
	}
	lhv_publish_exit(vcpu);
	if (vcpu->exit.exit_reason == LHV_EXIT_INTR)
		ret = -EINTR;
	else
		vcpu->stats.user_exits++;
out:
	mutex_unlock(&vcpu->lock);
	return ret;
}

long lhv_vcpu_ioctl_stats(struct lhv_vcpu *vcpu, void __user *argp)
{
	struct lhv_stats s;
	unsigned int i;

	/* Racy by design while the guest runs: each counter only grows. */
	s.exits = READ_ONCE(vcpu->stats.exits);
	s.user_exits = READ_ONCE(vcpu->stats.user_exits);
	s.entries = READ_ONCE(vcpu->stats.entries);
	s.kicks = READ_ONCE(vcpu->stats.kicks);
	for (i = 0; i < LHV_STAT_NR; i++)
		s.by_reason[i] = READ_ONCE(vcpu->stats.by_reason[i]);
	s.nested_pages_4k = vcpu->vm->npt.pages_4k;
	s.nested_pages_2m = vcpu->vm->npt.pages_2m;
	memset(s.reserved, 0, sizeof(s.reserved));
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}
